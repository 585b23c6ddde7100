using CallCenter.Contracts.Calls;
using CallCenter.ResourceControl.Agents;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// Attended transfer's decisions, pure: whom the call's agent may consult (another available agent, or an
/// outside number through the trunk that the dial plan and the do-not-call list allow), and when a consultation
/// can be completed. Each returns the refusal, or null when the consultation may go ahead.
/// </summary>
internal static class ConsultPlanner
{
    /// <param name="bridgedAgent">The extension of the agent the call is bridged to (read only when bridged).</param>
    /// <param name="targetStatus">The target's state when it is an agent's extension, else null.</param>
    /// <param name="dialled">What the dial plan made of <paramref name="target"/> as an outside number.</param>
    /// <param name="trunk">The trunk outside numbers go through, or null when none is configured.</param>
    /// <param name="outside">The outbound rules' decision on the dialled number (the do-not-call list, then the calling hours, as for every call the platform places to a client), or null.</param>
    public static CallControlResult? Refusal(
        string callId,
        BridgeState bridge,
        string? bridgedAgent,
        string target,
        AgentStatus? targetStatus,
        (Outbound.DialableNumber? Number, Outbound.DialRefusal? Refusal) dialled = default,
        string? trunk = null,
        Outbound.OutboundDecision? outside = null)
    {
        if (BridgeCheck.Refusal(callId, bridge) is { } notBridged)
        {
            return notBridged;
        }

        if (targetStatus is not { } status)
        {
            return trunk is null ? new CallControlResult(CallControlError.UnknownTarget, $"\"{target}\" is not an agent's extension, and no trunk is configured for outside numbers (Trunks:0:Address)")
                : dialled.Number is not { } number ? new CallControlResult(CallControlError.UnknownTarget, dialled.Refusal?.Reason ?? $"\"{target}\" cannot be dialled")
                : outside is { Allowed: false } ? new CallControlResult(CallControlError.UnknownTarget, outside.Reason ?? $"{number.E164} may not be called now")
                : null;
        }

        return target == bridgedAgent || status != AgentStatus.Available
            ? new CallControlResult(CallControlError.TargetUnavailable, $"agent {target} is {AgentStateMachine.Describe(status)} and cannot be consulted")
            : null;
    }

    /// <summary>
    /// Completing needs a consultation and the call's agent; the consulted agent must have answered,
    /// unless the first agent hung up (then the still ringing leg becomes the call's agent leg).
    /// </summary>
    public static CallControlResult? CompletionRefusal(string callId, string? consultedAgent, bool consultedAnswered, bool hasAgentLeg, bool transferorHungUp)
    {
        if (consultedAgent is null || !hasAgentLeg)
        {
            return new CallControlResult(CallControlError.NotBridged, $"call {callId} has no consultation to complete");
        }

        return !consultedAnswered && !transferorHungUp
            ? new CallControlResult(CallControlError.TargetUnavailable, $"agent {consultedAgent} has not answered yet")
            : null;
    }
}
