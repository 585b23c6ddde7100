namespace CallCenter.Contracts.Queues;

/// <summary>A queue as the wallboard and the REST API show it.</summary>
public sealed record QueueView(string Id, int Waiting, IReadOnlyDictionary<string, int> WaitingByTier, double LongestWaitSeconds, int AgentsAvailable);

/// <summary>What the desk room needs of the queues; the host implements it over its ACD.</summary>
public interface IQueueStates
{
    IReadOnlyList<QueueView> List();
}
