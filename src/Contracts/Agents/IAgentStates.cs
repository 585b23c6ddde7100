namespace CallCenter.Contracts.Agents;

/// <summary>What the desk room needs of agent presence; the host implements it over its roster.</summary>
public interface IAgentStates
{
    IReadOnlyList<AgentSnapshot> List();

    /// <summary>A supervisor's "change state": <c>available</c>, <c>break</c> (with a reason) or <c>offline</c>.</summary>
    AgentStateChange Request(string id, string state, string? reason);
}
