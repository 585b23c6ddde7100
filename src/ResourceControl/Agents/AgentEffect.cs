namespace CallCenter.ResourceControl.Agents;

/// <summary>What the shell around the agent state machine must carry out after a transition.</summary>
internal abstract record AgentEffect
{
    private AgentEffect()
    {
    }

    /// <summary>Start (or restart) the agent's timer of this kind; when it fires, send the matching event with <paramref name="CallId"/>.</summary>
    public sealed record StartTimer(AgentTimerKind Kind, TimeSpan Duration, string CallId) : AgentEffect;

    /// <summary>Stop the agent's timer of this kind, if it runs.</summary>
    public sealed record CancelTimer(AgentTimerKind Kind) : AgentEffect;

    /// <summary>
    /// The call was not taken by this agent: the router offers it to the next agent
    /// (not to <paramref name="SkippedExtension"/> again for this call).
    /// </summary>
    public sealed record OfferNextAgent(string CallId, string SkippedExtension) : AgentEffect;

    /// <summary>The agent's visible state changed: tell the wallboard and the supervisors.</summary>
    public sealed record PublishState(AgentState Previous, AgentState Current) : AgentEffect;
}
