namespace CallCenter.ResourceControl.Agents;

/// <summary>The timers the agent state machine asks its shell to run; each echoes back as an event.</summary>
internal enum AgentTimerKind
{
    /// <summary>Fires <see cref="AgentEvent.OfferTimedOut"/> when the agent's phone rang too long.</summary>
    Ring,

    /// <summary>Fires <see cref="AgentEvent.WrapUpExpired"/> when the wrap-up time is over.</summary>
    WrapUp,
}
