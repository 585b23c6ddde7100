namespace CallCenter.ResourceControl.Agents;

/// <summary>Where an agent is in the presence cycle; the wallboard and <c>GET /api/agents</c> show it.</summary>
internal enum AgentStatus
{
    /// <summary>Not taking calls: not working, or the phone is gone.</summary>
    Offline,

    /// <summary>Idle and reachable: the router may offer a call.</summary>
    Available,

    /// <summary>The agent's phone is ringing with a call (<see cref="AgentState.CallId"/>).</summary>
    Offered,

    /// <summary>Talking to the caller of <see cref="AgentState.CallId"/>.</summary>
    OnCall,

    /// <summary>Writing the call up, until <see cref="AgentState.Until"/> at the latest.</summary>
    WrapUp,

    /// <summary>Present but not taking calls, for <see cref="AgentState.Reason"/>.</summary>
    Break,
}
