namespace CallCenter.ResourceControl.Routing;

/// <summary>Per queue: its waiting calls by time in the queue (for max wait and counts), tier counts, round-robin cursor.</summary>
internal sealed class QueueState(string id, QueueOptions options)
{
    public string Id { get; } = id;

    public QueueOptions Options { get; } = options;

    public SkillSet Skills { get; } = SkillSet.Create(options.Skills);

    public SortedSet<QueuedCall> Waiting { get; } = new(QueuedCall.ByQueueEntry);

    public Dictionary<string, int> WaitingByTier { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The extension this queue last gave a call to (round robin continues after it).</summary>
    public string? RoundRobinCursor { get; set; }
}
