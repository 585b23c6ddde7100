namespace CallCenter.ResourceControl.Routing;

/// <summary>
/// A waiting call with its routing keys. The score (seconds waited + tier bonus + priority part) grows by one per
/// second for every call alike, so ordering by <see cref="VirtualArrivalTicks"/> (entry time minus the bonuses) is the
/// score order at any instant and never needs re-sorting. A call of a strict queue has no tier bonus in its score but a
/// <see cref="StrictRank"/> (its tier's weight) that sorts before the score, so the order stays time-invariant too; only
/// the starvation guard changes with time, and it is looked up through <see cref="GuardAt"/> instead of the order.
/// </summary>
internal sealed class QueuedCall
{
    /// <summary>
    /// The waiting order: a risk notice (<see cref="WaitingCall.RiskNotice"/>) before any other call, then strict rank (higher first; 0 for every head-start call and for a strict call without a
    /// tier weight), then the score. Across a strict and a head-start queue sharing agents, a strict caller with a tier
    /// weight therefore goes first, and otherwise the scores decide.
    /// </summary>
    public static readonly IComparer<QueuedCall> ByScore = Comparer<QueuedCall>.Create(static (a, b) =>
    {
        var c = b.Call.RiskNotice.CompareTo(a.Call.RiskNotice);
        if (c != 0)
        {
            return c;
        }

        c = b.StrictRank.CompareTo(a.StrictRank);
        if (c != 0)
        {
            return c;
        }

        c = a.VirtualArrivalTicks.CompareTo(b.VirtualArrivalTicks);
        if (c != 0)
        {
            return c;
        }

        // Oldest entry first among equal scores.
        c = a.Call.EnteredAt.UtcTicks.CompareTo(b.Call.EnteredAt.UtcTicks);
        return c != 0 ? c : a.Sequence.CompareTo(b.Sequence);
    });

    public static readonly IComparer<QueuedCall> ByHoldExpiry = Comparer<QueuedCall>.Create(static (a, b) =>
    {
        var c = a.HoldExpiresAt.UtcTicks.CompareTo(b.HoldExpiresAt.UtcTicks);
        return c != 0 ? c : a.Sequence.CompareTo(b.Sequence);
    });

    /// <summary>Guarded calls by the time their starvation guard passes (the one past it longest first).</summary>
    public static readonly IComparer<QueuedCall> ByGuard = Comparer<QueuedCall>.Create(static (a, b) =>
    {
        var c = a.GuardAt.GetValueOrDefault().UtcTicks.CompareTo(b.GuardAt.GetValueOrDefault().UtcTicks);
        return c != 0 ? c : a.Sequence.CompareTo(b.Sequence);
    });

    public static readonly IComparer<QueuedCall> ByQueueEntry = Comparer<QueuedCall>.Create(static (a, b) =>
    {
        var c = a.QueueEnteredAt.UtcTicks.CompareTo(b.QueueEnteredAt.UtcTicks);
        return c != 0 ? c : a.Sequence.CompareTo(b.Sequence);
    });

    public QueuedCall(
        WaitingCall call, SkillSet skills, QueueOptions queue, int tierWeight, int prioritySeconds, DateTimeOffset queueEnteredAt, long sequence)
    {
        Call = call;
        Skills = skills;
        Priority = queue.ParsedPriority;
        TierWeight = tierWeight;
        var strict = Priority == QueuePriority.Strict;
        TierBonusSeconds = strict ? 0 : tierWeight;
        StrictRank = strict ? tierWeight : 0;
        GuardSeconds = strict ? queue.StarvationGuardSeconds : 0;
        GuardAt = GuardSeconds > 0 ? call.EnteredAt.AddSeconds(GuardSeconds) : null;
        PrioritySeconds = prioritySeconds;
        QueueEnteredAt = queueEnteredAt;
        Sequence = sequence;
        VirtualArrivalTicks = call.EnteredAt.UtcTicks - ((long)TierBonusSeconds + prioritySeconds) * TimeSpan.TicksPerSecond;
    }

    public WaitingCall Call { get; }

    public SkillSet Skills { get; }

    /// <summary>The queue's ordering mode when the call entered it.</summary>
    public QueuePriority Priority { get; }

    /// <summary>The tier's routing weight (<see cref="RoutingOptions.BonusFor"/>), whichever the mode.</summary>
    public int TierWeight { get; }

    /// <summary>Seconds of head start in the score: the tier weight in a head-start queue, 0 in a strict one.</summary>
    public int TierBonusSeconds { get; }

    /// <summary>The tier weight in a strict queue (sorts before the score), 0 in a head-start one.</summary>
    public int StrictRank { get; }

    /// <summary>The strict queue's starvation guard in seconds; 0 when there is none.</summary>
    public int GuardSeconds { get; }

    /// <summary>When the call passes its starvation guard (counted from <see cref="WaitingCall.EnteredAt"/>); null without one.</summary>
    public DateTimeOffset? GuardAt { get; }

    public int PrioritySeconds { get; }

    /// <summary>When the call entered its current queue (after an overflow, the move time); max wait counts from here.</summary>
    public DateTimeOffset QueueEnteredAt { get; }

    public long Sequence { get; }

    public long VirtualArrivalTicks { get; }

    /// <summary>True while the call waits for its busy account manager and no one else may take it.</summary>
    public bool Held { get; set; }

    public DateTimeOffset HoldExpiresAt { get; set; }

    public double WaitedSeconds(DateTimeOffset now) => (now - Call.EnteredAt).TotalSeconds;

    public bool IsPastGuard(DateTimeOffset now) => GuardAt is { } at && at <= now;

    public double Score(DateTimeOffset now) => (now.UtcTicks - VirtualArrivalTicks) / (double)TimeSpan.TicksPerSecond;
}
