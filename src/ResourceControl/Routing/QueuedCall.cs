namespace CallCenter.ResourceControl.Routing;

/// <summary>
/// A waiting call with its routing keys. The score (seconds waited + tier bonus + priority part) grows by one per
/// second for every call alike, so ordering by <see cref="VirtualArrivalTicks"/> (entry time minus the bonuses) is the
/// score order at any instant and never needs re-sorting.
/// </summary>
internal sealed class QueuedCall
{
    public static readonly IComparer<QueuedCall> ByScore = Comparer<QueuedCall>.Create(static (a, b) =>
    {
        var c = a.VirtualArrivalTicks.CompareTo(b.VirtualArrivalTicks);
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

    public static readonly IComparer<QueuedCall> ByQueueEntry = Comparer<QueuedCall>.Create(static (a, b) =>
    {
        var c = a.QueueEnteredAt.UtcTicks.CompareTo(b.QueueEnteredAt.UtcTicks);
        return c != 0 ? c : a.Sequence.CompareTo(b.Sequence);
    });

    public QueuedCall(WaitingCall call, SkillSet skills, int tierBonusSeconds, int prioritySeconds, DateTimeOffset queueEnteredAt, long sequence)
    {
        Call = call;
        Skills = skills;
        TierBonusSeconds = tierBonusSeconds;
        PrioritySeconds = prioritySeconds;
        QueueEnteredAt = queueEnteredAt;
        Sequence = sequence;
        VirtualArrivalTicks = call.EnteredAt.UtcTicks - ((long)tierBonusSeconds + prioritySeconds) * TimeSpan.TicksPerSecond;
    }

    public WaitingCall Call { get; }

    public SkillSet Skills { get; }

    public int TierBonusSeconds { get; }

    public int PrioritySeconds { get; }

    /// <summary>When the call entered its current queue (after an overflow, the move time); max wait counts from here.</summary>
    public DateTimeOffset QueueEnteredAt { get; }

    public long Sequence { get; }

    public long VirtualArrivalTicks { get; }

    /// <summary>True while the call waits for its busy account manager and no one else may take it.</summary>
    public bool Held { get; set; }

    public DateTimeOffset HoldExpiresAt { get; set; }

    public double WaitedSeconds(DateTimeOffset now) => (now - Call.EnteredAt).TotalSeconds;

    public double Score(DateTimeOffset now) => (now.UtcTicks - VirtualArrivalTicks) / (double)TimeSpan.TicksPerSecond;
}
