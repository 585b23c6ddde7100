namespace CallCenter.ResourceControl.Records;

/// <summary>The retention rule, pure: how long a call's recording is kept, and whether it is due for deletion.</summary>
internal sealed class RecordingRetention(RecordingRetentionOptions options)
{
    /// <summary>The call's period, or null when it is kept for ever (see <see cref="RecordingRetentionOptions"/>).</summary>
    public TimeSpan? PeriodFor(string? tier, string? queue)
    {
        int? specific = null;
        if (tier is not null && options.Tiers.TryGetValue(tier, out var byTier))
        {
            specific = byTier;
        }

        if (queue is not null && options.Queues.TryGetValue(queue, out var byQueue))
        {
            specific = specific is { } t ? (t == 0 || byQueue == 0 ? 0 : Math.Max(t, byQueue)) : byQueue;
        }

        var days = specific ?? options.Days;
        return days == 0 ? null : TimeSpan.FromDays(days);
    }

    /// <summary>The shortest period configured anywhere (null when every period keeps for ever): no call younger than this is due.</summary>
    public TimeSpan? ShortestPeriod()
    {
        var all = options.Tiers.Values.Concat(options.Queues.Values).Append(options.Days).Where(d => d > 0).ToList();
        return all.Count == 0 ? null : TimeSpan.FromDays(all.Min());
    }

    /// <summary>True when a call that started at <paramref name="startedAt"/> has its recording past its period at <paramref name="now"/>.</summary>
    public bool IsDue(string? tier, string? queue, DateTimeOffset startedAt, DateTimeOffset now) =>
        PeriodFor(tier, queue) is { } period && startedAt + period <= now;
}
