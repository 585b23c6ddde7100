using CallCenter.AgentDesk.Queues;
using CallCenter.Ivr.Prompts;
using CallCenter.Ivr.Say;
using CallCenter.ResourceControl.Routing;

namespace CallCenter.ResourceControl.Queues;

/// <summary>
/// The ACD in the running platform: callers the IVR hands over wait here in tier order (the
/// <see cref="AcdRouter"/>, which is not thread-safe, behind one lock). Offering calls to agents
/// and bridging them come with the B2BUA; until then callers wait with music on hold and the
/// queues are visible on GET /api/queues.
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
    }

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
            if (outcome.Waiting)
            {
                _listeners[call.Id] = (language, announce);
            }
        }

        if (outcome.Waiting)
        {
            Announce(call.Id);
        }

        foreach (var overflow in outcome.Overflows)
        {
            LogOverflow(_logger, call.Id, overflow.ToString());
        }

        LogEnqueued(_logger, call.Id, outcome.WaitingIn ?? call.Queue, call.Tier ?? "ordinary");
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

            var staffed = _queuesSeen.Sum(q => _router.Snapshot(q, _time.GetUtcNow()).AgentsStaffed);
            var minutes = (int)Math.Ceiling(_estimator.Estimate(position, staffed).TotalMinutes);
            prompts = IvrSay.QueuePosition(listener.Language, position, minutes);
            announce = listener.Announce;
        }

        announce(prompts);
    }

    public void Dispose() => _announcements?.Dispose();

    public IReadOnlyList<QueueView> List()
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            return
            [
                .. _queuesSeen.Order(StringComparer.Ordinal)
                    .Select(id => _router.Snapshot(id, now))
                    .Select(s => new QueueView(s.Id, s.Waiting, s.WaitingByTier, s.LongestWaitSeconds, s.AgentsAvailable)),
            ];
        }
    }

    [LoggerMessage(2600, LogLevel.Information, "Call {CallId} waits in queue {Queue} ({Tier})")]
    private static partial void LogEnqueued(ILogger logger, string callId, string queue, string tier);

    [LoggerMessage(2601, LogLevel.Information, "Call {CallId} overflow: {Decision}")]
    private static partial void LogOverflow(ILogger logger, string callId, string decision);
}
