using CallCenter.Contracts.Agents;
using CallCenter.Contracts.Calls;

namespace CallCenter.Contracts.Desk;

/// <summary>
/// What the host tells the desk as it happens; the desk pushes it to the browsers over SignalR. Calls
/// return at once (the desk queues the message), so the host may call them from its SIP and presence paths.
/// </summary>
public interface IDeskEvents
{
    /// <summary>A call is ringing on the agent's phone: the agent's screen pop.</summary>
    void Offered(CallPop pop);

    /// <summary>The agent's call changed (ringing, talking, held, consulting, ended).</summary>
    void CallChanged(DeskCallState state);

    /// <summary>An agent's state changed (the agent's own desk and the wallboards).</summary>
    void AgentChanged(AgentSnapshot agent);
}
