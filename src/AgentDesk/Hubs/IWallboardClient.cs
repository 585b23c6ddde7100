using CallCenter.Contracts.Agents;
using Microsoft.AspNetCore.SignalR;

namespace CallCenter.AgentDesk.Hubs;

/// <summary>What the wallboard hub (<c>/hubs/wallboard</c>) sends to supervisors' browsers: a full view once a second, agent changes as they happen.</summary>
public interface IWallboardClient
{
    [HubMethodName("wallboard")]
    Task Wallboard(WallboardView view);

    [HubMethodName("agentState")]
    Task AgentState(AgentSnapshot agent);

    /// <summary>A call list entry escalated (its deadline near, the client not reached), as it happens.</summary>
    [HubMethodName("listEscalated")]
    Task ListEscalated(Contracts.Desk.ListEscalation escalation);
}
