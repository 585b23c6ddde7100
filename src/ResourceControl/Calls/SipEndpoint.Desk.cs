using System.Data.Common;
using CallCenter.Contracts.Calls;
using CallCenter.Data.Calls;
using CallCenter.Data.Catalog;
using CallCenter.Data.Events;
using CallCenter.ResourceControl.Agents;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// The agent desk's side of a call (<see cref="IDeskCalls"/>): hold and resume from the desk take the same
/// path as a phone's re-INVITE hold (<see cref="SetHold"/>), hang-up ends both legs as an agent's BYE does,
/// and the wrap-up's disposition code and notes go on the call's record. What the desk hears of a call
/// is <see cref="DeskNotices"/>. The hub has checked that the call is the agent's before it asks.
/// </summary>
internal sealed partial class SipEndpoint : IDeskCalls
{
    private const int RecentInteractions = 5;

    public Task<CallControlResult> HoldAsync(string callId) => ChangeHoldAsync(callId, hold: true);

    public Task<CallControlResult> ResumeAsync(string callId) => ChangeHoldAsync(callId, hold: false);

    public Task<CallControlResult> HangUpAsync(string callId) => RunOnCallAsync(callId, "hang up", async call =>
    {
        if (call.AgentLeg is not { Dialog: not null } leg)
        {
            return new CallControlResult(CallControlError.NotBridged, $"call {callId} is not with an agent");
        }

        // As an agent's BYE, but the platform sends the BYE to the agent's phone too.
        events.Write(EventKind.CallDeskHangUp, call.Id, leg.Extension);
        await HangUpAsync(call, CallDisposition.AgentHungUp);
        return new CallControlResult(CallControlError.None, "the call has ended");
    });

    public async Task<CallControlResult> WrapUpAsync(string agent, string callId, string code, string? notes)
    {
        if (await wrapUps.CheckCodeAsync(code) is { } refused)
        {
            return refused;
        }

        if (_calls.Contains(callId))
        {
            var onLiveCall = await RunOnCallAsync(callId, "wrap-up", call => Task.FromResult(
                call.AgentLeg?.Extension == agent || call.ConsultLeg?.Extension == agent
                    ? new CallControlResult(CallControlError.NotBridged, $"call {callId} is still going on; hang up first")
                    : wrapUps.WrapUpLeftCall(agent, callId, code, notes)));

            // A call that ended meanwhile is wrapped up on its record below.
            if (onLiveCall.Error != CallControlError.UnknownCall)
            {
                return onLiveCall;
            }
        }

        return await wrapUps.WrapUpEndedCallAsync(agent, callId, code, notes);
    }

    private Task<CallControlResult> ChangeHoldAsync(string callId, bool hold) => RunOnCallAsync(callId, hold ? "hold" : "resume", call =>
    {
        if (NotBridgedRefusal(call) is { } refused)
        {
            return Task.FromResult(refused);
        }

        var changed = SetHold(call, call.AgentLeg!, hold);
        return Task.FromResult(new CallControlResult(CallControlError.None, HoldPlanner.Describe(hold, changed)));
    });
}
