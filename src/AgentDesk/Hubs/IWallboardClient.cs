using CallCenter.AgentDesk.Agents;

namespace CallCenter.AgentDesk.Hubs;

/// <summary>What the wallboard hub (<c>/hubs/wallboard</c>) sends to supervisors' browsers: a full view once a second, agent changes as they happen.</summary>
public interface IWallboardClient
{
    Task Wallboard(WallboardView view);

    Task AgentState(AgentSnapshot agent);
}
