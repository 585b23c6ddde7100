using System.Globalization;

namespace CallCenter.ResourceControl.Routing;

/// <summary>
/// The ACD's routing decision, pure: fed events with the time passed in, it answers which call goes to which agent.
/// Each queue orders its callers by its <see cref="QueuePriority"/>. <c>headStart</c> (the default): by score = seconds
/// waited + tier bonus + priority hint × <see cref="RoutingOptions.PriorityHintSeconds"/>, oldest entry first among
/// equals; so a VIP moves ahead, yet an ordinary caller who waited longer than the bonus difference goes first.
/// <c>strict</c>: by tier weight first, then by waited + priority part; a caller past the queue's starvation guard
/// goes next whatever their tier. A futures risk notice (<see cref="WaitingCall.RiskNotice"/>) goes before all of these:
/// an available agent takes it first (rule <see cref="RoutingRule.RiskNotice"/>). A call whose account manager is available goes to that manager (skills are not checked:
/// the relationship is the point); while the manager is logged in but busy the call is held for them for
/// <see cref="RoutingOptions.RelationshipOfferSeconds"/> from its entry, then it is open to every agent with the skills.
/// Required skills of a call = its own + its queue's + its language.
/// <para>
/// Data structures (10,000 calls and 1,000 agents in well under a millisecond per decision): open calls in one
/// sorted set per distinct skill set, keyed by the time-invariant virtual arrival time; available agents in one sorted
/// set per (skill set, strategy) in use, best agent first. An agent becoming available looks at the minimum of each
/// bucket it qualifies for; a call arriving takes the first of its pool. Both are O(buckets + log n).
/// </para>
/// Not thread-safe: the owning shell serialises events (one channel reader), as with the other pure cores.
/// </summary>
public sealed partial class AcdRouter
{
    private const int TopCandidateCount = 3;
    private const int MaxOverflowHops = 8;

    private readonly RoutingOptions _options;
    private readonly Dictionary<string, QueueState> _queues = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, RoutingAgent> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QueuedCall> _calls = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CallBucket> _buckets = new(StringComparer.Ordinal);
    private readonly List<CallBucket> _bucketList = [];
    private readonly Dictionary<(string SkillKey, RoutingStrategy Strategy), AgentPool> _pools = [];
    private readonly List<AgentPool> _poolList = [];
    private readonly Dictionary<string, SortedSet<QueuedCall>> _byManager = new(StringComparer.Ordinal);
    private readonly SortedSet<QueuedCall> _held = new(QueuedCall.ByHoldExpiry);
    private long _sequence;

    public AcdRouter(RoutingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        foreach (var (id, queue) in options.Queues)
        {
            _queues[id] = new QueueState(id, queue);
        }
    }

    /// <summary>Callers waiting in all queues (held ones included).</summary>
    public int WaitingCount => _calls.Count;

    /// <summary>The agent by extension, or null when it never logged in.</summary>
    public RoutingAgent? GetAgent(string extension) => _agents.GetValueOrDefault(extension);

    /// <summary>The earliest time <see cref="Tick"/> has something to do (a hold ending, a max wait reached); null if nothing.</summary>
    public DateTimeOffset? NextDueAt
    {
        get
        {
            DateTimeOffset? due = _held.Count > 0 ? _held.Min!.HoldExpiresAt : null;
            foreach (var queue in _queues.Values)
            {
                if (queue.Options.MaxWaitSeconds > 0 && queue.Waiting.Count > 0)
                {
                    var at = queue.Waiting.Min!.QueueEnteredAt.AddSeconds(queue.Options.MaxWaitSeconds);
                    due = due is null || at < due ? at : due;
                }
            }

            return due;
        }
    }

    /// <summary>An agent logs in (not yet available), or changes skills while logged in.</summary>
    public void LogIn(string extension, IEnumerable<string> skills, int callsHandledToday = 0)
    {
        ArgumentNullException.ThrowIfNull(skills);
        var skillSet = new HashSet<string>(SkillSet.Create(skills).Items, StringComparer.Ordinal);
        if (_agents.TryGetValue(extension, out var agent))
        {
            var since = agent.AvailableSince;
            LeavePools(agent);
            agent.Skills = skillSet;
            agent.CallsHandledToday = callsHandledToday;
            agent.AvailableSince = since;
            JoinPools(agent);
        }
        else
        {
            agent = new RoutingAgent(extension, skillSet, callsHandledToday);
            _agents[extension] = agent;
        }

        agent.IsLoggedIn = true;
    }

    /// <summary>
    /// An agent becomes available at <paramref name="now"/>: it takes its own clients' waiting calls first, then the
    /// highest-scored open call it has the skills for (a risk notice before any other). Null when nothing waits for it (it then waits in the pools).
    /// </summary>
    public RoutingAssignment? AgentAvailable(string extension, DateTimeOffset now)
    {
        var agent = _agents.GetValueOrDefault(extension);
        if (agent is not { IsLoggedIn: true })
        {
            throw new InvalidOperationException($"Agent {extension} is not logged in to the router.");
        }

        if (agent.IsAvailable)
        {
            return null;
        }

        // Holds end only in Tick (the shell calls it at NextDueAt), so a released call is offered to every idle agent.
        agent.AvailableSince = now;
        var trigger = $"agent {extension} available";
        if (_byManager.TryGetValue(extension, out var own) && own.Count > 0)
        {
            var top = own.Take(TopCandidateCount).Select(c => CallCandidate(c, now)).ToList();
            return Assign(own.Min!, agent, RoutingRule.Relationship, trigger, now, own.Count, 1, top);
        }

        QueuedCall? best = null;
        QueuedCall? overdue = null;
        var considered = 0;
        List<QueuedCall>? leaders = null;
        foreach (var bucket in _bucketList)
        {
            if (bucket.Calls.Count == 0 || !bucket.Skills.IsSatisfiedBy(agent.Skills))
            {
                continue;
            }

            considered += bucket.Calls.Count;
            leaders ??= [];
            leaders.AddRange(bucket.Calls.Take(TopCandidateCount));
            var min = bucket.Calls.Min!;
            if (best is null || QueuedCall.ByScore.Compare(min, best) < 0)
            {
                best = min;
            }

            // A strict queue's caller past the starvation guard goes next, whatever the tiers waiting.
            if (bucket.Overdue(now) is { } late && (overdue is null || QueuedCall.ByGuard.Compare(late, overdue) < 0))
            {
                overdue = late;
            }
        }

        if (best is null)
        {
            JoinPools(agent);
            return null;
        }

        leaders!.Sort(QueuedCall.ByScore);
        // A risk notice goes first even before a starved caller: a margin call cannot wait (it sorts first by score too).
        var chosen = best.Call.RiskNotice ? best : overdue ?? best;
        var candidates = leaders.Where(c => !ReferenceEquals(c, chosen)).Prepend(chosen)
            .Take(TopCandidateCount).Select(c => CallCandidate(c, now)).ToList();
        var rule = chosen.Call.RiskNotice ? RoutingRule.RiskNotice : overdue is null ? RoutingRule.HighestScore : RoutingRule.StarvationGuard;
        return Assign(chosen, agent, rule, trigger, now, considered, 1, candidates);
    }

    /// <summary>An agent stops being available (on a call the router did not give, break, wrap-up).</summary>
    public void AgentUnavailable(string extension)
    {
        if (_agents.TryGetValue(extension, out var agent))
        {
            LeavePools(agent);
        }
    }

    /// <summary>An agent logs out: calls held for it are opened to everyone and may go to available agents at once.</summary>
    public IReadOnlyList<RoutingAssignment> LogOut(string extension, DateTimeOffset now)
    {
        if (!_agents.TryGetValue(extension, out var agent))
        {
            return [];
        }

        LeavePools(agent);
        agent.IsLoggedIn = false;
        var released = new List<QueuedCall>();
        if (_byManager.TryGetValue(extension, out var own))
        {
            foreach (var call in own.Where(c => c.Held).ToList())
            {
                _held.Remove(call);
                Open(call);
                released.Add(call);
            }
        }

        return AssignReleased(released, $"manager {extension} logged out", now);
    }

    /// <summary>
    /// A call enters its queue at <paramref name="now"/>: to its available account manager, to the best available agent
    /// with the skills by the queue's strategy, held for its busy manager, waiting, or overflowing a full queue.
    /// </summary>
    public EnqueueOutcome Enqueue(WaitingCall call, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (_calls.ContainsKey(call.Id))
        {
            throw new InvalidOperationException($"Call {call.Id} is already waiting.");
        }

        var overflows = new List<OverflowDecision>();
        return Enter(call, now, now, overflows, hops: 0);
    }

    /// <summary>
    /// A supervisor gives the waiting call <paramref name="callId"/> to the available agent <paramref name="extension"/>:
    /// the same assignment routing makes (the call leaves its queue, the agent its pools), whatever the call's skills
    /// or hold for its manager, since the supervisor chose. Refused when the call is not waiting or the agent is not
    /// logged in and available.
    /// </summary>
    public (RoutingAssignment? Assignment, Contracts.Queues.QueuePickError Error) Pick(string callId, string extension, string pickedBy, DateTimeOffset now)
    {
        if (!_calls.TryGetValue(callId, out var entry))
        {
            return (null, Contracts.Queues.QueuePickError.CallNotWaiting);
        }

        if (_agents.GetValueOrDefault(extension) is not { IsLoggedIn: true, IsAvailable: true } agent)
        {
            return (null, Contracts.Queues.QueuePickError.AgentNotAvailable);
        }

        return (Assign(entry, agent, RoutingRule.SupervisorPick, $"picked by {pickedBy}", now, 1, 1, [AgentCandidate(agent, now)]), Contracts.Queues.QueuePickError.None);
    }

    /// <summary>
    /// A supervisor's pick where the agent's availability is another owner's to say (a cluster's shared row, claimed in
    /// the same transaction as the pick): as <see cref="Pick"/>, but the agent only has to be logged in to this router,
    /// and is taken as available since <paramref name="availableSince"/>.
    /// </summary>
    public (RoutingAssignment? Assignment, Contracts.Queues.QueuePickError Error) PickAvailableElsewhere(
        string callId, string extension, string pickedBy, DateTimeOffset availableSince, DateTimeOffset now)
    {
        if (_agents.GetValueOrDefault(extension) is { IsLoggedIn: true, IsAvailable: false } agent)
        {
            agent.AvailableSince = availableSince;
        }

        return Pick(callId, extension, pickedBy, now);
    }

    /// <summary>Every call waiting in the router (held ones included), in no order: what a cluster node publishes.</summary>
    public IReadOnlyList<WaitingCall> WaitingCalls() => [.. _calls.Values.Select(c => c.Call)];

    /// <summary>The waiting call <paramref name="callId"/>, removed from its queue (another decider gave it an agent); null when not waiting.</summary>
    public WaitingCall? Take(string callId)
    {
        if (!_calls.TryGetValue(callId, out var call))
        {
            return null;
        }

        Forget(call);
        return call.Call;
    }

    /// <summary>A waiting caller hung up or was taken elsewhere; false if the router did not hold it.</summary>
    public bool Remove(string callId)
    {
        if (!_calls.TryGetValue(callId, out var call))
        {
            return false;
        }

        Forget(call);
        return true;
    }

    /// <summary>
    /// Time passed to <paramref name="now"/>: calls whose relationship hold ended go to available agents, and callers
    /// over their queue's max wait overflow. The shell calls this at <see cref="NextDueAt"/>.
    /// </summary>
    public RoutingTickResult Tick(DateTimeOffset now)
    {
        var released = new List<QueuedCall>();
        ReleaseExpiredHolds(now, released);
        var assignments = new List<RoutingAssignment>(AssignReleased(released, "relationship hold ended", now));
        var overflows = new List<OverflowDecision>();
        foreach (var queue in _queues.Values.ToList())
        {
            var maxWait = queue.Options.MaxWaitSeconds;
            while (maxWait > 0 && queue.Waiting.Count > 0
                && (now - queue.Waiting.Min!.QueueEnteredAt).TotalSeconds >= maxWait)
            {
                var call = queue.Waiting.Min!;
                Forget(call);
                var waited = (now - call.QueueEnteredAt).TotalSeconds;
                var outcome = Overflow(call.Call, queue, OverflowReason.MaxWait, maxWait, waited, now, overflows, hops: 0);
                if (outcome?.Assignment is { } assignment)
                {
                    assignments.Add(assignment);
                }
            }
        }

        return new RoutingTickResult(assignments, overflows);
    }

    /// <summary>The queue's counts for supervisors; agents are counted by scanning (a snapshot, not a decision).</summary>
    /// <summary>How many waiting callers a snapshot lists (the wallboard's list).</summary>
    public const int MaxCallersShown = 50;

    public QueueSnapshot Snapshot(string queueId, DateTimeOffset now)
    {
        var queue = QueueFor(queueId);
        var (staffed, available) = CountAgents(queue);
        var longest = queue.Waiting.Count > 0 ? Math.Max(0, (now - queue.Waiting.Min!.QueueEnteredAt).TotalSeconds) : 0;
        return new QueueSnapshot(queue.Id, queue.Waiting.Count, new Dictionary<string, int>(queue.WaitingByTier), longest, available, staffed)
        {
            Callers =
            [
                .. queue.Waiting.Order(QueuedCall.ByScore).Take(MaxCallersShown)
                    .Select(c => new Contracts.Queues.WaitingCallerView(c.Call.Id, Contracts.Queues.WaitingCallerView.Mask(c.Call.Caller), c.Call.Tier, c.Call.EnteredAt) { Held = c.Held }),
            ],
        };
    }

    /// <summary>
    /// The agents logged in with the queue's skills, as <see cref="Snapshot"/> counts them, without building the
    /// snapshot's list of callers (which sorts the whole queue): a waiting caller's announcement needs only this.
    /// </summary>
    public int AgentsStaffed(string queueId) => CountAgents(QueueFor(queueId)).Staffed;

    private (int Staffed, int Available) CountAgents(QueueState queue)
    {
        var available = 0;
        var staffed = 0;
        foreach (var agent in _agents.Values)
        {
            if (agent.IsLoggedIn && queue.Skills.IsSatisfiedBy(agent.Skills))
            {
                staffed++;
                available += agent.IsAvailable ? 1 : 0;
            }
        }

        return (staffed, available);
    }

    /// <summary>The caller's 1-based position in its queue by score (for announcements; O(queue length)); null if not waiting.</summary>
    public int? PositionOf(string callId)
    {
        if (!_calls.TryGetValue(callId, out var call))
        {
            return null;
        }

        // A loop rather than Count(predicate): every waiting caller is announced, so no closure per caller.
        var ahead = 0;
        foreach (var other in QueueFor(call.Call.Queue).Waiting)
        {
            ahead += QueuedCall.ByScore.Compare(other, call) < 0 ? 1 : 0;
        }

        return ahead + 1;
    }

    private static RoutingCandidate CallCandidate(QueuedCall call, DateTimeOffset now) => new(
        call.Call.Id,
        (call.Call.RiskNotice ? "risk notice, " : "") + (call.Priority == QueuePriority.Strict
            ? string.Create(
                CultureInfo.InvariantCulture,
                $"strict, tier weight {call.TierWeight}, score {call.Score(now):0.0} s, {call.Call.Tier ?? "ordinary"}{(call.IsPastGuard(now) ? ", past the guard" : "")}")
            : string.Create(CultureInfo.InvariantCulture, $"score {call.Score(now):0.0} s, {call.Call.Tier ?? "ordinary"}")));
}
