namespace CallCenter.Contracts.Queues;

/// <summary>A queue as the wallboard and the REST API show it.</summary>
public sealed record QueueView(string Id, int Waiting, IReadOnlyDictionary<string, int> WaitingByTier, double LongestWaitSeconds, int AgentsAvailable);
