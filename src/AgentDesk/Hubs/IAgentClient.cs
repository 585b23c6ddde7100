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

    /// <summary>An e-mail task was offered to this agent: the desk reads its tasks (<c>emailTasks</c>) again.</summary>
    [HubMethodName("emailTaskOffered")]
    Task EmailTaskOffered(string taskId);

    /// <summary>An e-mail task is no longer this agent's (declined, not accepted in time, the agent went away): the desk reads its tasks again.</summary>
    [HubMethodName("emailTaskWithdrawn")]
    Task EmailTaskWithdrawn(string taskId);
}
