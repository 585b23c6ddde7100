using System.Globalization;

namespace CallCenter.ResourceControl.Routing;

/// <summary>The bookkeeping behind <see cref="AcdRouter"/>'s events: entering, overflowing, assigning, pools and buckets.</summary>
public sealed partial class AcdRouter
{
    private const string Ordinary = "ordinary";

    private EnqueueOutcome Enter(WaitingCall call, DateTimeOffset queueEnteredAt, DateTimeOffset now, List<OverflowDecision> overflows, int hops)
    {
        var queue = QueueFor(call.Queue);
        if (queue.Options.Closed)
        {
            return Overflow(call, queue, OverflowReason.QueueClosed, 0, 0, now, overflows, hops);
        }

        if (queue.Options.MaxLength > 0 && queue.Waiting.Count >= queue.Options.MaxLength)
        {
            return Overflow(call, queue, OverflowReason.QueueFull, queue.Options.MaxLength, queue.Waiting.Count, now, overflows, hops);
        }

        var skills = SkillSet.Create(queue.Options.Skills.Concat(call.RequiredSkills).Append(call.Language));
        var entry = new QueuedCall(call, skills, queue.Options, _options.BonusFor(call.Tier), call.PriorityHint * _options.PriorityHintSeconds, queueEnteredAt, _sequence++);
        const string trigger = "call arrived";

        if (call.AccountManager is { } extension && _agents.TryGetValue(extension, out var manager) && manager.IsLoggedIn)
        {
            if (manager.IsAvailable)
            {
                var candidate = AgentCandidate(manager, now);
                return new(Assign(entry, manager, RoutingRule.Relationship, trigger, now, 1, 1, [candidate]), overflows, null, false);
            }

            var holdUntil = call.HoldUntil ?? call.EnteredAt.AddSeconds(_options.RelationshipOfferSeconds);
            if (holdUntil > now)
            {
                entry.Held = true;
                entry.HoldExpiresAt = holdUntil;
                Track(entry);
                _held.Add(entry);
                return new(null, overflows, queue.Id, true);
            }
        }

        var assignment = TryAssignToPool(entry, queue, trigger, now);
        if (assignment is not null)
        {
            return new(assignment, overflows, null, false);
        }

        Track(entry);
        Open(entry);
        return new(null, overflows, queue.Id, false);
    }

    private EnqueueOutcome Overflow(
        WaitingCall call, QueueState from, OverflowReason reason, int limit, double observed, DateTimeOffset now, List<OverflowDecision> overflows, int hops)
    {
        // A chain of full or closed queues ends in a callback rather than looping.
        var callback = from.Options.IsCallbackOverflow || hops >= MaxOverflowHops || !_queues.ContainsKey(from.Options.Overflow);
        var target = callback ? null : _queues[from.Options.Overflow].Id;
        overflows.Add(new OverflowDecision(call, from.Id, reason, callback ? OverflowAction.Callback : OverflowAction.MoveToQueue, target, limit, observed));
        return callback
            ? new(null, overflows, null, false)
            : Enter(call with { Queue = target! }, now, now, overflows, hops + 1);
    }

    private RoutingAssignment? TryAssignToPool(QueuedCall entry, QueueState queue, string trigger, DateTimeOffset now)
    {
        var pool = PoolFor(entry.Skills, queue.Options.ParsedStrategy);
        if (pool.Agents.Count == 0)
        {
            return null;
        }

        var top = pool.InPickOrder(queue.RoundRobinCursor).Take(TopCandidateCount).ToList();
        var rule = pool.Strategy switch
        {
            RoutingStrategy.FewestCalls => RoutingRule.FewestCalls,
            RoutingStrategy.RoundRobin => RoutingRule.RoundRobin,
            _ => RoutingRule.LongestIdle,
        };
        var candidates = top.Select(a => AgentCandidate(a, now)).ToList();
        return Assign(entry, top[0], rule, trigger, now, 1, pool.Agents.Count, candidates);
    }

    private IReadOnlyList<RoutingAssignment> AssignReleased(List<QueuedCall> released, string trigger, DateTimeOffset now)
    {
        if (released.Count == 0)
        {
            return [];
        }

        released.Sort(QueuedCall.ByScore);
        var assignments = new List<RoutingAssignment>();
        foreach (var call in released)
        {
            if (_calls.TryGetValue(call.Call.Id, out var current) && ReferenceEquals(current, call) && !call.Held
                && TryAssignToPool(call, QueueFor(call.Call.Queue), trigger, now) is { } assignment)
            {
                assignments.Add(assignment);
            }
        }

        return assignments;
    }

    private RoutingAssignment Assign(
        QueuedCall entry, RoutingAgent agent, RoutingRule rule, string trigger, DateTimeOffset now, int callsConsidered, int agentsConsidered, List<RoutingCandidate> candidates)
    {
        if (_calls.TryGetValue(entry.Call.Id, out var current) && ReferenceEquals(current, entry))
        {
            Forget(entry);
        }

        LeavePools(agent);
        agent.CallsHandledToday++;
        QueueFor(entry.Call.Queue).RoundRobinCursor = agent.Extension;
        var explanation = new RoutingExplanation(
            entry.Call.Id,
            entry.Call.Queue,
            entry.Call.Tier,
            agent.Extension,
            rule,
            trigger,
            entry.WaitedSeconds(now),
            entry.TierBonusSeconds,
            entry.PrioritySeconds,
            callsConsidered,
            agentsConsidered,
            candidates,
            entry.Priority,
            entry.TierWeight,
            entry.GuardSeconds,
            _options.BusinessOf(entry.Call.Tier));
        return new RoutingAssignment(entry.Call, agent.Extension, explanation);
    }

    private void ReleaseExpiredHolds(DateTimeOffset now, List<QueuedCall> released)
    {
        while (_held.Count > 0 && _held.Min!.HoldExpiresAt <= now)
        {
            var call = _held.Min!;
            _held.Remove(call);
            Open(call);
            released.Add(call);
        }
    }

    private void Track(QueuedCall call)
    {
        _calls.Add(call.Call.Id, call);
        var queue = QueueFor(call.Call.Queue);
        queue.Waiting.Add(call);
        var tier = call.Call.Tier ?? Ordinary;
        queue.WaitingByTier[tier] = queue.WaitingByTier.GetValueOrDefault(tier) + 1;
        if (call.Call.AccountManager is { } manager)
        {
            if (!_byManager.TryGetValue(manager, out var own))
            {
                own = new SortedSet<QueuedCall>(QueuedCall.ByScore);
                _byManager[manager] = own;
            }

            own.Add(call);
        }
    }

    private void Open(QueuedCall call)
    {
        call.Held = false;
        BucketFor(call.Skills).Add(call);
    }

    private void Forget(QueuedCall call)
    {
        _calls.Remove(call.Call.Id);
        var queue = QueueFor(call.Call.Queue);
        queue.Waiting.Remove(call);
        var tier = call.Call.Tier ?? Ordinary;
        if (queue.WaitingByTier.TryGetValue(tier, out var count))
        {
            if (count <= 1)
            {
                queue.WaitingByTier.Remove(tier);
            }
            else
            {
                queue.WaitingByTier[tier] = count - 1;
            }
        }

        if (call.Call.AccountManager is { } manager && _byManager.TryGetValue(manager, out var own))
        {
            own.Remove(call);
        }

        if (call.Held)
        {
            _held.Remove(call);
        }
        else
        {
            BucketFor(call.Skills).Remove(call);
        }
    }

    private void JoinPools(RoutingAgent agent)
    {
        if (!agent.IsAvailable)
        {
            return;
        }

        foreach (var pool in _poolList)
        {
            if (pool.Skills.IsSatisfiedBy(agent.Skills))
            {
                pool.Agents.Add(agent);
            }
        }
    }

    private void LeavePools(RoutingAgent agent)
    {
        if (!agent.IsAvailable)
        {
            return;
        }

        // Remove before the ordering keys change, or the sorted sets cannot find the agent.
        foreach (var pool in _poolList)
        {
            if (pool.Skills.IsSatisfiedBy(agent.Skills))
            {
                pool.Agents.Remove(agent);
            }
        }

        agent.AvailableSince = null;
    }

    private AgentPool PoolFor(SkillSet skills, RoutingStrategy strategy)
    {
        if (_pools.TryGetValue((skills.Key, strategy), out var pool))
        {
            return pool;
        }

        // A skill set and strategy seen for the first time: one scan of the agents, then kept up to date.
        pool = new AgentPool(skills, strategy);
        foreach (var agent in _agents.Values)
        {
            if (agent.IsAvailable && skills.IsSatisfiedBy(agent.Skills))
            {
                pool.Agents.Add(agent);
            }
        }

        _pools[(skills.Key, strategy)] = pool;
        _poolList.Add(pool);
        return pool;
    }

    private CallBucket BucketFor(SkillSet skills)
    {
        if (!_buckets.TryGetValue(skills.Key, out var bucket))
        {
            bucket = new CallBucket(skills);
            _buckets[skills.Key] = bucket;
            _bucketList.Add(bucket);
        }

        return bucket;
    }

    private QueueState QueueFor(string id)
    {
        if (!_queues.TryGetValue(id, out var queue))
        {
            // A queue not configured: no skills, no limits, longest idle (the IVR flow check reports such names).
            queue = new QueueState(id, new QueueOptions());
            _queues[id] = queue;
        }

        return queue;
    }

    private static RoutingCandidate AgentCandidate(RoutingAgent agent, DateTimeOffset now)
    {
        var idle = agent.AvailableSince is { } since ? (now - since).TotalSeconds : 0;
        return new(agent.Extension, string.Create(CultureInfo.InvariantCulture, $"idle {idle:0.0} s, {agent.CallsHandledToday} calls today"));
    }
}
