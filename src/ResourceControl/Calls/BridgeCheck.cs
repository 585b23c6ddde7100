using CallCenter.Contracts.Calls;

namespace CallCenter.ResourceControl.Calls;

/// <summary>What a command that needs the call bridged to its agent reads of the call: ended, the agent's leg answered, a consultation on.</summary>
internal readonly record struct BridgeState(bool Ended, bool AgentAnswered, bool Consulting)
{
    public static BridgeState Of(ActiveCall call) =>
        new(call.Ended, call.AgentLeg is { Dialog: not null }, call.Consulting);
}

/// <summary>
/// The one rule shared by hold, consult and monitor, pure: they need a live call bridged to its
/// agent and not in a consultation; anything else is refused by name.
/// </summary>
internal static class BridgeCheck
{
    /// <summary>Why the command cannot be carried out now, or null when it can.</summary>
    public static CallControlResult? Refusal(string callId, BridgeState state) =>
        state.Ended ? NoLiveCall(callId)
        : !state.AgentAnswered ? new(CallControlError.NotBridged, $"call {callId} is not bridged to an agent")
        : state.Consulting ? new(CallControlError.NotBridged, $"call {callId} is in a consultation")
        : null;

    /// <summary>The answer to a command for a call that has ended, or never was.</summary>
    public static CallControlResult NoLiveCall(string callId) =>
        new(CallControlError.UnknownCall, $"there is no live call {callId}");
}
