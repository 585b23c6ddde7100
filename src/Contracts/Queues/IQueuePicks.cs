namespace CallCenter.Contracts.Queues;

/// <summary>
/// A supervisor hands a waiting caller to an agent they choose. The host's ACD, the one owner of queue state,
/// makes the assignment (the agent's phone rings as for any routed call) or says why not.
/// </summary>
public interface IQueuePicks
{
    /// <param name="callId">The waiting caller, as the wallboard lists it.</param>
    /// <param name="agent">The agent's extension.</param>
    /// <param name="pickedBy">Who asked (kept in the routing explanation of the call's record).</param>
    /// <remarks>
    /// In a cluster the pick is the cluster's (any node's caller, any node's agent) and goes through its shared store,
    /// hence asynchronous; on one node it is decided at once.
    /// </remarks>
    Task<QueuePickResult> PickAsync(string callId, string agent, string pickedBy);
}

/// <summary>Why a pick was refused; <see cref="None"/> when the agent's phone is being rung.</summary>
public enum QueuePickError
{
    None,

    /// <summary>The caller is no longer waiting: hung up, or already with an agent.</summary>
    CallNotWaiting,

    /// <summary>The agent is signed in to no phone queue now, or is not available (on a call, in wrap-up, on a break).</summary>
    AgentNotAvailable,

    /// <summary>
    /// The cluster's shared store (PostgreSQL) did not answer in time: the pick was most likely not taken (only a connection
    /// lost just as it committed leaves it taken); the wallboard shows which.
    /// </summary>
    Unavailable,
}

/// <summary>The outcome of <see cref="IQueuePicks.PickAsync"/>: <see cref="Message"/> is a sentence a supervisor can read.</summary>
public sealed record QueuePickResult(QueuePickError Error, string Message)
{
    public bool Done => Error == QueuePickError.None;
}
