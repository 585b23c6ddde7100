namespace CallCenter.Contracts.Agents;

/// <summary>What the desk and e-mail rooms need of agent presence; the host implements it over its roster.</summary>
public interface IAgentStates
{
    IReadOnlyList<AgentSnapshot> List();

    /// <summary>A supervisor's "change state": <c>available</c>, <c>break</c> (with a reason) or <c>offline</c>.</summary>
    AgentStateChange Request(string id, string state, string? reason);

    /// <summary>
    /// The e-mail tasks accepted and not yet answered or given back, by agent, as the e-mail room's database
    /// holds them: each agent named handles that task and is not offered calls; every other agent handles none.
    /// </summary>
    void HoldEmailTasks(IReadOnlyDictionary<string, string> acceptedByAgent);
}
