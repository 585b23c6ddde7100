namespace CallCenter.ResourceControl.Routing;

/// <summary>A queue as supervisors and <c>GET /api/queues</c> see it; ordinary callers are counted under "ordinary".</summary>
public sealed record QueueSnapshot(
    string Id,
    int Waiting,
    IReadOnlyDictionary<string, int> WaitingByTier,
    double LongestWaitSeconds,
    int AgentsAvailable,
    int AgentsStaffed);
