using CallCenter.Contracts.Calls;
using CallCenter.ResourceControl.Agents;
using CallCenter.ResourceControl.Routing;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// Where a blind transfer takes the call: to <see cref="Agent"/> (rung at once), to the number
/// <see cref="Outside"/> through a trunk, or to the queue of <see cref="Next"/> (also where the call
/// waits again should the agent or number not answer); refused when <see cref="Result"/> says so.
/// </summary>
internal sealed record TransferPlan(CallControlResult Result, string? Agent, WaitingCall? Next, Outbound.DialableNumber? Outside = null);

/// <summary>
/// A blind transfer's decision, pure: only a call bridged to an agent and not in a consultation can
/// be transferred; an agent's extension must be another agent who is available now; a queue's name
/// re-queues the caller there with the wait counted from now, their tier and language kept; anything
/// else is an outside number, dialled through the trunk when one is configured, the dial plan takes
/// it and the outbound rules allow it (the do-not-call list, the calling hours, as for a consultation),
/// refused with the dial plan's or the rules' reason otherwise, before any INVITE leaves.
/// </summary>
internal static class TransferPlanner
{
    /// <param name="waiting">The call as it waits, or would wait, in its queue.</param>
    /// <param name="bridgedAgent">The extension of the agent the call is bridged to, or null.</param>
    /// <param name="targetStatus">The target's state when it is an agent's extension, else null.</param>
    /// <param name="dialled">What the dial plan made of <paramref name="target"/> as an outside number.</param>
    /// <param name="trunk">The trunk outside numbers go through, or null when none is configured.</param>
    /// <param name="outside">The outbound rules' decision on the dialled number (do-not-call, calling hours), or null.</param>
    public static TransferPlan Plan(
        WaitingCall waiting,
        string? bridgedAgent,
        bool consulting,
        string target,
        AgentStatus? targetStatus,
        bool targetIsQueue,
        DateTimeOffset now,
        (Outbound.DialableNumber? Number, Outbound.DialRefusal? Refusal) dialled = default,
        string? trunk = null,
        Outbound.OutboundDecision? outside = null)
    {
        if (bridgedAgent is null)
        {
            return Refused(CallControlError.NotBridged, $"call {waiting.Id} is not with an agent");
        }

        if (consulting)
        {
            return Refused(CallControlError.NotBridged, $"call {waiting.Id} is in a consultation");
        }

        if (targetStatus is { } status)
        {
            return target == bridgedAgent || status != AgentStatus.Available
                ? Refused(CallControlError.TargetUnavailable, $"agent {target} is {AgentStateMachine.Describe(status)}{(target == bridgedAgent ? " with this call" : "")} and cannot take it")
                : new TransferPlan(new CallControlResult(CallControlError.None, $"ringing agent {target}"), target, waiting);
        }

        if (targetIsQueue)
        {
            // A new queue: the wait there counts from now; the tier and language go along.
            return new TransferPlan(
                new CallControlResult(CallControlError.None, $"queued in {target}"),
                null,
                waiting with { Queue = target, RequiredSkills = [], EnteredAt = now, PriorityHint = 0 });
        }

        if (trunk is null)
        {
            return Refused(CallControlError.UnknownTarget, $"\"{target}\" is neither an agent's extension nor a queue, and no trunk is configured for outside numbers (Trunks:0:Address)");
        }

        if (dialled.Number is { } barred && outside is { Allowed: false })
        {
            return Refused(CallControlError.UnknownTarget, outside.Reason ?? $"{barred.E164} may not be called now");
        }

        return dialled.Number is { } number
            ? new TransferPlan(new CallControlResult(CallControlError.None, $"ringing {number.Dial} through trunk {trunk}"), null, waiting, number)
            : Refused(CallControlError.UnknownTarget, dialled.Refusal?.Reason ?? $"\"{target}\" cannot be dialled");
    }

    private static TransferPlan Refused(CallControlError error, string message) => new(new CallControlResult(error, message), null, null);
}
