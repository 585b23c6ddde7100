using CallCenter.Contracts.Queues;
using CallCenter.Ivr.Prompts;
using CallCenter.Ivr.Say;
using CallCenter.ResourceControl.Routing;

namespace CallCenter.ResourceControl.Queues;

/// <summary>
/// The ACD in the running platform: callers the IVR hands over wait here in tier order, and agents
/// who become available take the best waiting call (the <see cref="AcdRouter"/>, which is not
/// thread-safe, behind one lock). Every decision that gives a call to an agent is raised as
/// <see cref="Assigned"/> outside the lock, for the call endpoint to ring the agent's phone; callers
/// leaving a queue for a callback are raised as <see cref="CallbackOffered"/>. A one-second timer
/// ends relationship holds and applies maximum waits.
/// </summary>
internal sealed partial class AcdQueues : IQueueStates, IDisposable
{
    private readonly Lock _gate = new();
    private readonly AcdRouter _router;
    private readonly WaitTimeEstimator _estimator;
    private readonly HashSet<string> _queuesSeen;
    private readonly Dictionary<string, (string Language, Action<IReadOnlyList<IvrPrompt>> Announce)> _listeners = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITimer? _announcements;
    private readonly ITimer _ticks;

    public AcdQueues(RoutingOptions options, TimeProvider time, ILogger<AcdQueues> logger)
    {
        _router = new AcdRouter(options);
        _estimator = new WaitTimeEstimator(options);
        _queuesSeen = new HashSet<string>(options.Queues.Keys, StringComparer.OrdinalIgnoreCase);
        _time = time;
        _logger = logger;
        if (options.AnnouncementSeconds > 0)
        {
            // One timer for every waiting caller: position and estimated wait, then music on hold again.
            var period = TimeSpan.FromSeconds(options.AnnouncementSeconds);
            _announcements = time.CreateTimer(static s => ((AcdQueues)s!).AnnounceAll(), this, period, period);
        }

        _ticks = time.CreateTimer(static s => ((AcdQueues)s!).Tick(), this, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>
    /// On a cluster's shared PostgreSQL the cluster's leader gives this node's callers to agents (issue 19): this router keeps
    /// the node's callers (position, announcements, queue limits, overflow) but is told of no agent, and each call the
    /// leader gives out comes in through <see cref="TakeAssigned"/>. False (one node): this router decides.
    /// </summary>
    public bool ClusterDecides { get; init; }

    /// <summary>
    /// With <see cref="ClusterDecides"/>: the agents available in the cluster that this node holds and that have a queue's
    /// skills (so the wallboard's sum over the nodes counts each once, and progressive call lists pace by them); null
    /// until the cluster's shell sets it.
    /// </summary>
    public Func<string, int>? ClusterAvailable { get; set; }

    /// <summary>A call was given to an agent: ring the agent's phone. Raised outside the lock, on the thread that decided.</summary>
    public event Action<RoutingAssignment>? Assigned;

    /// <summary>A caller left the queues for a callback offer (queue full or waited too long with callback overflow).</summary>
    public event Action<OverflowDecision>? CallbackOffered;

    /// <summary>
    /// Puts a caller in the queue the IVR chose and tells them their position at once and then
    /// periodically through <paramref name="announce"/>; the explanation of any overflow is logged.
    /// </summary>
    public void Enqueue(WaitingCall call, string language, Action<IReadOnlyList<IvrPrompt>> announce)
    {
        ArgumentNullException.ThrowIfNull(call);
        EnqueueOutcome outcome;
        lock (_gate)
        {
            _queuesSeen.Add(call.Queue);
            outcome = _router.Enqueue(call, _time.GetUtcNow());
            if (outcome.Waiting || outcome.Assignment is not null)
            {
                // Kept while the call is offered too: a missed offer puts it back to waiting.
                _listeners[call.Id] = (language, announce);
            }
        }

        if (outcome.Waiting)
        {
            Announce(call.Id);
        }

        LogEnqueued(_logger, call.Id, call.SipCallId ?? "-", outcome.WaitingIn ?? call.Queue, call.Tier ?? "ordinary");
        Raise(outcome.Overflows, outcome.Assignment is { } a ? [a] : []);
    }

    /// <summary>
    /// A call offered to an agent who did not take it goes back to waiting, with its original entry
    /// time (so its score, and its place, are kept); announcements resume.
    /// </summary>
    public void Requeue(WaitingCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        EnqueueOutcome outcome;
        lock (_gate)
        {
            if (!_listeners.ContainsKey(call.Id))
            {
                return; // the caller is gone
            }

            _router.Remove(call.Id);
            outcome = _router.Enqueue(call, _time.GetUtcNow());
        }

        Raise(outcome.Overflows, outcome.Assignment is { } a ? [a] : []);
    }

    /// <summary>An agent is available with these skills: it may take a waiting call at once.</summary>
    public void AgentAvailable(string extension, IReadOnlyCollection<string> skills, int callsToday)
    {
        if (ClusterDecides)
        {
            return; // the leader reads the agent from the shared states
        }

        RoutingAssignment? assignment;
        lock (_gate)
        {
            var agent = _router.GetAgent(extension);
            if (agent is not { IsLoggedIn: true } || !agent.Skills.SetEquals(skills))
            {
                _router.LogIn(extension, skills, callsToday);
            }

            assignment = _router.AgentAvailable(extension, _time.GetUtcNow());
        }

        Raise([], assignment is null ? [] : [assignment]);
    }

    /// <summary>
    /// Set by a cluster node (<see cref="Cluster.SharedAcd"/>): a supervisor's pick is then the cluster's (any node's
    /// waiting caller, any node's agent, through the shared store) instead of this router's, which knows no agent.
    /// </summary>
    public Func<string, string, string, Task<Contracts.Queues.QueuePickError>>? ClusterPick { get; set; }

    /// <summary>
    /// A supervisor's pick: the router gives the waiting call to the chosen available agent and the assignment is
    /// raised as routing's are (<see cref="Assigned"/>: the call rings the agent's phone); or the reason it cannot.
    /// </summary>
    public Contracts.Queues.QueuePickError Pick(string callId, string extension, string pickedBy)
    {
        RoutingAssignment? assignment;
        Contracts.Queues.QueuePickError error;
        lock (_gate)
        {
            (assignment, error) = _router.Pick(callId, extension, pickedBy, _time.GetUtcNow());
        }

        if (assignment is not null)
        {
            Raise([], [assignment]);
        }

        return error;
    }

    /// <summary>
    /// The cluster's leader gave the waiting call <paramref name="callId"/> to <paramref name="agent"/>: it leaves its queue
    /// and the assignment is raised as this router's own (<see cref="Assigned"/>). False when the call no longer waits here.
    /// </summary>
    public bool TakeAssigned(string callId, string agent, RoutingExplanation explanation)
    {
        WaitingCall? call;
        lock (_gate)
        {
            call = _router.Take(callId);
        }

        if (call is null)
        {
            return false;
        }

        Raise([], [new RoutingAssignment(call, agent, explanation)]);
        return true;
    }

    /// <summary>Every caller waiting here (held ones too), for a cluster node to publish.</summary>
    public IReadOnlyList<WaitingCall> WaitingCalls()
    {
        lock (_gate)
        {
            return _router.WaitingCalls();
        }
    }

    /// <summary>An agent is busy, on break or wrapping up: no calls for it.</summary>
    public void AgentUnavailable(string extension)
    {
        lock (_gate)
        {
            _router.AgentUnavailable(extension);
        }
    }

    /// <summary>An agent is offline: calls held for it as account manager open to everyone.</summary>
    public void AgentLoggedOut(string extension)
    {
        IReadOnlyList<RoutingAssignment> assignments;
        lock (_gate)
        {
            assignments = _router.LogOut(extension, _time.GetUtcNow());
        }

        Raise([], assignments);
    }

    private void Tick()
    {
        RoutingTickResult result;
        lock (_gate)
        {
            if (_router.NextDueAt is not { } due || due > _time.GetUtcNow())
            {
                return;
            }

            result = _router.Tick(_time.GetUtcNow());
        }

        Raise(result.Overflows, result.Assignments);
    }

    private void Raise(IReadOnlyList<OverflowDecision> overflows, IReadOnlyList<RoutingAssignment> assignments)
    {
        foreach (var overflow in overflows)
        {
            LogOverflow(_logger, overflow.Call.Id, overflow.Call.SipCallId ?? "-", overflow.ToString());
            if (overflow.Action == OverflowAction.Callback)
            {
                lock (_gate)
                {
                    _listeners.Remove(overflow.Call.Id);
                }

                CallbackOffered?.Invoke(overflow);
            }
        }

        foreach (var assignment in assignments)
        {
            LogAssigned(_logger, assignment.Call.Id, assignment.Call.SipCallId ?? "-", assignment.Agent, assignment.Explanation.ToString());
            Assigned?.Invoke(assignment);
        }
    }

    /// <summary>
    /// Keeps a caller who is not waiting (a call being transferred straight to an agent) known to
    /// the queues, so that a missed offer can put it back to waiting with <see cref="Requeue"/>.
    /// </summary>
    public void Listen(string callId, string language, Action<IReadOnlyList<IvrPrompt>> announce)
    {
        lock (_gate)
        {
            _listeners[callId] = (language, announce);
        }
    }

    /// <summary>The caller left (hung up, or the call ended otherwise).</summary>
    public void Remove(string callId)
    {
        lock (_gate)
        {
            _router.Remove(callId);
            _listeners.Remove(callId);
        }
    }

    private void AnnounceAll()
    {
        string[] waiting;
        lock (_gate)
        {
            waiting = [.. _listeners.Keys];
        }

        foreach (var callId in waiting)
        {
            Announce(callId);
        }
    }

    private void Announce(string callId)
    {
        IReadOnlyList<IvrPrompt> prompts;
        Action<IReadOnlyList<IvrPrompt>> announce;
        lock (_gate)
        {
            if (!_listeners.TryGetValue(callId, out var listener) || _router.PositionOf(callId) is not int position)
            {
                return;
            }

            // Counted, not read from a snapshot: a snapshot sorts the whole queue for the wallboard's list,
            // and every waiting caller is announced, so that was quadratic in the queue's length.
            var staffed = 0;
            foreach (var queue in _queuesSeen)
            {
                staffed += _router.AgentsStaffed(queue);
            }

            var minutes = (int)Math.Ceiling(_estimator.Estimate(position, staffed).TotalMinutes);
            prompts = IvrSay.QueuePosition(listener.Language, position, minutes);
            announce = listener.Announce;
        }

        announce(prompts);
    }

    public void Dispose()
    {
        _announcements?.Dispose();
        _ticks.Dispose();
    }

    /// <summary>A queue's callers waiting (every kind) and its agents free now, as the router counts them.</summary>
    public (int Waiting, int AgentsAvailable) Load(string queue)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var snapshot = _router.Snapshot(queue, now);
            return (snapshot.Waiting, AvailableIn(snapshot));
        }
    }

    public IReadOnlyList<QueueView> List()
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            return
            [
                .. _queuesSeen.Order(StringComparer.Ordinal)
                    .Select(id => _router.Snapshot(id, now))
                    .Select(s => new QueueView(s.Id, s.Waiting, s.WaitingByTier, s.LongestWaitSeconds, AvailableIn(s)) { Callers = s.Callers }),
            ];
        }
    }

    private int AvailableIn(QueueSnapshot snapshot) => ClusterAvailable is { } cluster ? cluster(snapshot.Id) : snapshot.AgentsAvailable;

    [LoggerMessage(2600, LogLevel.Information, "Call {CallId} (SIP {SipCallId}) waits in queue {Queue} ({Tier})")]
    private static partial void LogEnqueued(ILogger logger, string callId, string sipCallId, string queue, string tier);

    [LoggerMessage(2602, LogLevel.Information, "Call {CallId} (SIP {SipCallId}) assigned to agent {Agent}: {Explanation}")]
    private static partial void LogAssigned(ILogger logger, string callId, string sipCallId, string agent, string explanation);

    [LoggerMessage(2601, LogLevel.Information, "Call {CallId} (SIP {SipCallId}) overflow: {Decision}")]
    private static partial void LogOverflow(ILogger logger, string callId, string sipCallId, string decision);
}
