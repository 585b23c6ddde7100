using CallCenter.AgentDesk.Agents;
using CallCenter.AgentDesk.Calls;

namespace CallCenter.AgentDesk.Hubs;

/// <summary>What the agent hub (<c>/hubs/agent</c>) sends to an agent's browser: method names are camelCase on the wire.</summary>
public interface IAgentClient
{
    Task Pop(CallPop pop);

    Task CallState(DeskCallState call);

    Task AgentState(AgentSnapshot agent);
}
