namespace CallCenter.ResourceControl.Routing;

/// <summary>The open (not held) waiting calls that need one skill set, in waiting order (<see cref="QueuedCall.ByScore"/>).</summary>
internal sealed class CallBucket(SkillSet skills)
{
    public SkillSet Skills { get; } = skills;

    public SortedSet<QueuedCall> Calls { get; } = new(QueuedCall.ByScore);

    /// <summary>The calls of <see cref="Calls"/> that have a starvation guard, the soonest (or longest) past it first.</summary>
    public SortedSet<QueuedCall> Guarded { get; } = new(QueuedCall.ByGuard);

    public void Add(QueuedCall call)
    {
        Calls.Add(call);
        if (call.GuardAt is not null)
        {
            Guarded.Add(call);
        }
    }

    public void Remove(QueuedCall call)
    {
        Calls.Remove(call);
        if (call.GuardAt is not null)
        {
            Guarded.Remove(call);
        }
    }

    /// <summary>The call past its guard longest, or null when no call here has passed its guard at <paramref name="now"/>.</summary>
    public QueuedCall? Overdue(DateTimeOffset now) => Guarded.Count > 0 && Guarded.Min!.IsPastGuard(now) ? Guarded.Min : null;
}
