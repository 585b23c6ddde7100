namespace CallCenter.ResourceControl.Routing;

/// <summary>A queue as supervisors and <c>GET /api/queues</c> see it; ordinary callers are counted under "ordinary".</summary>
public sealed record QueueSnapshot(
    string Id,
    int Waiting,
    IReadOnlyDictionary<string, int> WaitingByTier,
    double LongestWaitSeconds,
    int AgentsAvailable,
    int AgentsStaffed)
{
    /// <summary>The first <see cref="AcdRouter.MaxCallersShown"/> callers in the order the queue serves them.</summary>
    public IReadOnlyList<Contracts.Queues.WaitingCallerView> Callers { get; init; } = [];
}
