namespace CallCenter.Contracts.Queues;

/// <summary>A queue as the wallboard and the REST API show it.</summary>
public sealed record QueueView(string Id, int Waiting, IReadOnlyDictionary<string, int> WaitingByTier, double LongestWaitSeconds, int AgentsAvailable)
{
    /// <summary>The callers waiting, in the order the queue will serve them (numbers masked).</summary>
    public IReadOnlyList<WaitingCallerView> Callers { get; init; } = [];
}
