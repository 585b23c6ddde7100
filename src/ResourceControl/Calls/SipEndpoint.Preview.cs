using CallCenter.Contracts.Calls;
using CallCenter.Data.Callbacks;
using CallCenter.ResourceControl.Routing;

namespace CallCenter.ResourceControl.Calls;

/// <summary>A preview list's dial (<see cref="Outbound.IListEntryDialer"/>): made as a click-to-dial is, carrying the entry's callback.</summary>
internal sealed partial class SipEndpoint : Outbound.IListEntryDialer
{
    /// <summary>
    /// The checks of a click-to-dial (trunk, dial plan, do-not-call and calling hours with the list's risk-notice
    /// override, the agent available), then the call: the agent's phone rings with the pop, the client once
    /// the agent answers. The attempt's outcome goes to <see cref="Outbound.Callbacks"/> as any callback's;
    /// a result without a call id means nothing was placed.
    /// </summary>
    public async Task<CallControlResult> DialEntryAsync(string agent, CallbackRow callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (outbound.Trunks.First is null)
        {
            return new(CallControlError.UnknownTarget, "no trunk is configured (Trunks:0:Address): the platform cannot call outside numbers");
        }

        var (dialable, refusal) = Outbound.DialPlan.Normalize(callback.Number, outbound.Dialing);
        if (dialable is null)
        {
            return new(CallControlError.UnknownTarget, refusal!.Reason);
        }

        if (await outbound.Rules.CheckAsync(dialable, callback.RiskNotice, "list call", callback.Id) is { Allowed: false } blocked)
        {
            return new(CallControlError.UnknownTarget, blocked.Reason!);
        }

        if (acd.Presence.List().FirstOrDefault(a => a.Id == agent) is not { State: "available" })
        {
            return new(CallControlError.TargetUnavailable, $"agent {agent} is not available: a preview dial rings the agent's own phone first");
        }

        var entry = new WaitingCall(NewCallId(), callback.Queue, callback.Tier, callback.Language, [], time.GetUtcNow(), callback.AccountManager);
        var (call, failure) = CallbackLegs.Create(entry, dialable.Dial, callback, await IdentifyAsync(dialable.Dial), agentOwned: true);
        if (call is null)
        {
            return new(CallControlError.TargetUnavailable, failure!);
        }

        StartPlacedCall(call, agent, new { caller = call.Caller, dialed = call.Dialed, direction = call.Direction, callback = callback.Id, previewBy = agent });
        var result = await RunOnCallAsync(call.Id, "preview dial", async c =>
        {
            await Agents.OfferAsync(c, entry, agent, $"preview dial by {agent}");
            return c.AgentLeg is null
                ? new(CallControlError.TargetUnavailable, $"agent {agent} cannot take a call now")
                : new(CallControlError.None, $"ringing agent {agent}, then {dialable.Dial}", c.Id);
        });
        return result with { CallId = call.Id };
    }
}
