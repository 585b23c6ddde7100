namespace CallCenter.Contracts.Agents;

/// <summary>The outcome of a state change request: the agent afterwards, or why it was refused.</summary>
public sealed record AgentStateChange(AgentSnapshot? Agent, AgentStateChangeError Error, string? Reason)
{
    public bool Accepted => Error == AgentStateChangeError.None;
}
