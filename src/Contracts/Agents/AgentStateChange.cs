namespace CallCenter.Contracts.Agents;

/// <summary>The outcome of a state change request: the agent afterwards, or why it was refused.</summary>
public sealed record AgentStateChange(AgentSnapshot? Agent, AgentStateChangeError Error, string? Reason)
{
    public bool Accepted => Error == AgentStateChangeError.None;

    /// <summary>
    /// Accepted to apply after the agent's current call, which another node of a cluster holds (that node applies it);
    /// <see cref="Reason"/> then says so. False on one node (a state asked for during a call there is pending on the
    /// agent as before).
    /// </summary>
    public bool AfterCall { get; init; }
}
