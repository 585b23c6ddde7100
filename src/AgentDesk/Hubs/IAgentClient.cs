using CallCenter.Contracts.Agents;
using CallCenter.Contracts.Calls;
using Microsoft.AspNetCore.SignalR;

namespace CallCenter.AgentDesk.Hubs;

/// <summary>What the agent hub (<c>/hubs/agent</c>) sends to an agent's browser: method names are camelCase on the wire.</summary>
public interface IAgentClient
{
    [HubMethodName("pop")]
    Task Pop(CallPop pop);

    [HubMethodName("callState")]
    Task CallState(DeskCallState call);

    [HubMethodName("agentState")]
    Task AgentState(AgentSnapshot agent);
}
