namespace CallCenter.Contracts.Queues;

/// <summary>What the desk room needs of the queues; the host implements it over its ACD.</summary>
public interface IQueueStates
{
    IReadOnlyList<QueueView> List();
}
