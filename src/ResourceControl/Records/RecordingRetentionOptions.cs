namespace CallCenter.ResourceControl.Records;

/// <summary>
/// <c>Recording:Retention</c>: how many days a call's recording is kept after the call started, by the
/// caller's tier and by the queue. 0 (the default everywhere) keeps a recording for ever: nothing is
/// deleted until an operator sets a period. A tier's or queue's period replaces <see cref="Days"/>; when
/// both the call's tier and its queue name one, the longer wins (a recording kept as long as its longest
/// obligation), and 0 among them keeps it.
/// </summary>
public sealed class RecordingRetentionOptions
{
    /// <summary>The longest period accepted: 100 years.</summary>
    public const int MaxDays = 36_525;

    /// <summary>The period for calls whose tier and queue name none; 0 keeps them.</summary>
    public int Days { get; set; }

    /// <summary>Tier name → days (e.g. <c>Recording:Retention:Tiers:Diamond=3653</c>).</summary>
    public Dictionary<string, int> Tiers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Queue id → days (e.g. <c>Recording:Retention:Queues:general=1826</c>).</summary>
    public Dictionary<string, int> Queues { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>False turns the daily job off (nothing is deleted).</summary>
    public bool Job { get; set; } = true;

    public IEnumerable<string> Validate()
    {
        if (Days is < 0 or > MaxDays)
        {
            yield return $"Recording:Retention:Days must be between 0 (keep for ever) and {MaxDays}.";
        }

        foreach (var (name, map) in new[] { ("Tiers", Tiers), ("Queues", Queues) })
        {
            foreach (var (key, days) in map)
            {
                if (days is < 0 or > MaxDays)
                {
                    yield return $"Recording:Retention:{name}:{key} must be between 0 (keep for ever) and {MaxDays}.";
                }
            }
        }
    }
}
