using System.Data.Common;
using CallCenter.Contracts.Calls;
using CallCenter.Data.Calls;
using CallCenter.Data.Catalog;
using CallCenter.Data.Events;
using CallCenter.ResourceControl.Agents;
using CallCenter.ResourceControl.Routing;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// What the desk, the REST API and supervisors ask of a live call (<see cref="IDeskCalls"/>,
/// <see cref="ICallControl"/>, <see cref="IMonitorControl"/>), and the news the ACD and presence bring:
/// each becomes an event in the call's mailbox, run in the call's loop by the room that owns it
/// (<see cref="AgentLegs"/> for hold, <see cref="CallTransfers"/> for transfer and consult,
/// <see cref="CallMonitor"/> for listen, whisper and barge). Hold and resume from the desk take the
/// same path as a phone's re-INVITE hold, hang-up ends both legs as an agent's BYE does, and the
/// wrap-up's disposition code and notes go on the call's record. What the desk hears of a call is
/// <see cref="DeskNotices"/>. The hub has checked that the call is the agent's before it asks.
/// </summary>
internal sealed partial class SipEndpoint : IDeskCalls
{
    private const int RecentInteractions = 5;

    public Task<CallControlResult> TransferAsync(string callId, string target) =>
        RunOnCallAsync(callId, "transfer", call => Transfers.TransferAsync(call, target));

    public Task<CallControlResult> ConsultAsync(string callId, string target) =>
        RunOnCallAsync(callId, "consult", call => Transfers.ConsultAsync(call, target));

    public Task<CallControlResult> CompleteConsultAsync(string callId) =>
        RunOnCallAsync(callId, "complete consult", call => Transfers.CompleteConsultAsync(call, transferorHungUp: false));

    public Task<CallControlResult> CancelConsultAsync(string callId) =>
        RunOnCallAsync(callId, "cancel consult", Transfers.CancelConsultAsync);

    public Task<CallControlResult> MonitorAsync(string callId, string supervisorExtension, MonitorMode mode)
    {
        ArgumentNullException.ThrowIfNull(supervisorExtension);
        var mix = MonitorPlanner.ToMix(mode);
        return RunOnCallAsync(callId, "monitor", call => Monitor.StartAsync(call, supervisorExtension, mix));
    }

    public Task<CallControlResult> StopMonitorAsync(string callId, string supervisorExtension) =>
        RunOnCallAsync(callId, "stop monitor", call => Monitor.StopAsync(call, supervisorExtension));

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

        var changed = Agents.SetHold(call, call.AgentLeg!, hold);
        return Task.FromResult(new CallControlResult(CallControlError.None, HoldPlanner.Describe(hold, changed)));
    });

    private void WireAgents()
    {
        // Raised under the ACD's and presence's locks: the news is only posted to the call.
        queues.Assigned += assignment =>
        {
            if (!_calls.TryGet(assignment.Call.Id, out var call) || Post(call, new CallEvent.Assigned(assignment)) != PostOutcome.Posted)
            {
                presence.ReturnToRouter(assignment.Agent);
            }
        };
        queues.CallbackOffered += overflow => PostTo(overflow.Call.Id, new CallEvent.CallbackOffered(overflow));
        presence.OfferWithdrawn += (callId, extension) => PostTo(callId, new CallEvent.OfferWithdrawn(extension));
        presence.WrapUpEnded += (callId, agent, seconds) =>
            background.Run(callId, wrapUps.SipCallIdOf(callId) ?? "", "record after the wrap-up", () => Task.Run(() => wrapUps.WrapUpEndedAsync(callId, seconds)));
    }

    private void PostTo(string callId, CallEvent e)
    {
        if (_calls.TryGet(callId, out var call))
        {
            Post(call, e);
        }
    }

    private Task OfferCallbackAsync(ActiveCall call, OverflowDecision overflow)
    {
        if (call.Ended)
        {
            return Task.CompletedTask;
        }

        // The caller hears that a call back is booked, then the platform hangs up.
        events.Write(EventKind.CallCallbackOffered, call.Id, null, new { queue = overflow.FromQueue, reason = overflow.ToString() });
        var message = prompts.Get(overflow.Call.Language ?? call.Language ?? "zh", "callback-offer");
        call.Ivr?.Dispose();
        call.Media.Events = null;
        call.Media.Player.SetBackground(null);
        call.Media.Player.Play(++call.NextPlaybackId, [message]);
        background.Run(call, "callback message", async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds((message.Samples / 8000.0) + 0.5), time);
            Post(call, new CallEvent.CallbackMessagePlayed());
        });
        return Task.CompletedTask;
    }
}
