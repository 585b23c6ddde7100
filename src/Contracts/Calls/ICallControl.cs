namespace CallCenter.Contracts.Calls;

/// <summary>What the desk room may do to a live call; the host implements it over its B2BUA.</summary>
public interface ICallControl
{
    /// <summary>
    /// Blind transfer of a call bridged to an agent: <paramref name="target"/> is an agent's
    /// extension (their phone rings; if they do not take the call it goes back to its queue) or a
    /// queue id. The transferring agent's leg ends and the caller hears music meanwhile.
    /// </summary>
    Task<CallControlResult> TransferAsync(string callId, string target);

    /// <summary>
    /// Attended transfer, first step: the caller hears music while the platform rings agent
    /// <paramref name="target"/> and, on answer, connects them to the call's agent.
    /// </summary>
    Task<CallControlResult> ConsultAsync(string callId, string target);

    /// <summary>Attended transfer, done: the caller is bridged to the consulted agent; the call's agent leaves.</summary>
    Task<CallControlResult> CompleteConsultAsync(string callId);

    /// <summary>Attended transfer, given up: the consulted agent's leg ends and the caller is back with their agent.</summary>
    Task<CallControlResult> CancelConsultAsync(string callId);
}
