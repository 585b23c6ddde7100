namespace CallCenter.Contracts.Agents;

/// <summary>An agent as the desk and the REST API show it.</summary>
public sealed record AgentSnapshot(string Id, string State, bool Registered, DateTimeOffset Since, string? Reason, string? CallId);

/// <summary>The outcome of a state change request: the agent afterwards, or why it was refused.</summary>
public sealed record AgentStateChange(AgentSnapshot? Agent, AgentStateChangeError Error, string? Reason)
{
    public bool Accepted => Error == AgentStateChangeError.None;
}

public enum AgentStateChangeError
{
    None,
    UnknownAgent,
    UnknownState,
    Refused,
}

/// <summary>What the desk room needs of agent presence; the host implements it over its roster.</summary>
public interface IAgentStates
{
    IReadOnlyList<AgentSnapshot> List();

    /// <summary>A supervisor's "change state": <c>available</c>, <c>break</c> (with a reason) or <c>offline</c>.</summary>
    AgentStateChange Request(string id, string state, string? reason);
}
