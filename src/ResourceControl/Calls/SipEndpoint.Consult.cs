using CallCenter.Contracts.Calls;
using CallCenter.Data.Calls;
using CallCenter.Data.Events;
using CallCenter.ResourceControl.Agents;
using CallCenter.Telephony.Sdp;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Transactions;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// Attended transfer: the call's agent consults another agent while the caller hears music (the
/// platform rings the consulted agent and bridges the two agents), then completes (the caller is
/// bridged to the consulted agent, the first agent's leg ends) or cancels (the consulted leg ends
/// and the caller is back with the first agent). The consulted agent not answering cancels; the
/// first agent hanging up during the consultation completes, as desk phones do.
/// </summary>
internal sealed partial class SipEndpoint
{
    public Task<CallControlResult> ConsultAsync(string callId, string target) =>
        RunOnCallAsync(callId, "consult", call => ConsultAsync(call, target));

    private async Task<CallControlResult> ConsultAsync(ActiveCall call, string target)
    {
        if (ConsultPlanner.Refusal(call.Id, BridgeState.Of(call), call.AgentLeg?.Extension, target, presence.Find(target)?.Status) is { } refused)
        {
            return refused;
        }

        var leg = call.AgentLeg!;

        // The caller waits with music; the first agent hears nothing until the consulted one answers.
        call.Media.Forward = null;
        call.Media.Player.SetLive(null);
        call.Media.Player.SetBackground(prompts.MusicOnHold);
        leg.Media.Forward = null;
        leg.Media.Player.SetLive(null);
        events.Write(EventKind.CallConsult, call.Id, leg.Extension, new { to = target });
        _desk.Changed(call.Id, leg.Extension, DeskCallPhase.Consulting, target);
        var waiting = call.Waiting ?? new Routing.WaitingCall(call.Id, call.Queue ?? "general", call.Tier, call.Language, [], time.GetUtcNow());
        await OfferAsync(call, waiting, target, $"consulted by agent {leg.Extension}", consult: true);
        return new CallControlResult(CallControlError.None, $"ringing agent {target}; the caller hears music");
    }

    public Task<CallControlResult> CompleteConsultAsync(string callId) =>
        RunOnCallAsync(callId, "complete consult", call => CompleteConsultAsync(call, transferorHungUp: false));

    private async Task<CallControlResult> CompleteConsultAsync(ActiveCall call, bool transferorHungUp)
    {
        if (ConsultPlanner.CompletionRefusal(call.Id, call.ConsultLeg?.Extension, call.ConsultLeg?.Dialog is not null, call.AgentLeg is not null, transferorHungUp) is { } refused)
        {
            return refused;
        }

        var consulted = call.ConsultLeg!;
        var first = call.AgentLeg!;

        var now = time.GetUtcNow();
        CloseBridgedLeg(call, first, "transferred", now);
        AccountRelay(call.Relay);
        AccountRelay(consulted.ConsultRelay);
        call.Relay = null;
        consulted.ConsultRelay = null;
        consulted.IsConsult = false;
        call.ConsultLeg = null;
        call.AgentLeg = consulted;
        if (consulted.Dialog is not null)
        {
            call.Agent = consulted.Extension;
            ConnectCaller(call, consulted);
            call.Recorder?.ReplaceLeft(consulted.Media);
        }
        else
        {
            // Still ringing: it now rings as the call's agent and is bridged to the caller on answer.
            call.Recorder?.ReplaceLeft(null);
        }

        events.Write(EventKind.CallTransferred, call.Id, first.Extension, new { to = consulted.Extension, attended = true });
        LogTransferred(logger, call.Id, call.CallId, first.Extension, consulted.Extension);
        await ReleaseBridgedLegAsync(call, first, sendBye: !transferorHungUp, accountCallRelay: false);
        return new CallControlResult(CallControlError.None, $"the caller is with agent {consulted.Extension}");
    }

    public Task<CallControlResult> CancelConsultAsync(string callId) => RunOnCallAsync(callId, "cancel consult", async call =>
    {
        if (call.ConsultLeg is null)
        {
            return new CallControlResult(CallControlError.NotBridged, $"call {call.Id} has no consultation to cancel");
        }

        await EndConsultLegAsync(call, "consult-cancelled");
        ReconnectCaller(call);
        return new CallControlResult(CallControlError.None, "the caller is back with their agent");
    });

    /// <summary>The consulted agent answered: the two agents talk through their own relay.</summary>
    private void BridgeConsult(ActiveCall call, AgentLeg consulted, SdpOffer answer, SdpAnswer chosen)
    {
        ApplyAnswer(consulted.Media, answer, chosen);
        if (call.AgentLeg is { } first)
        {
            consulted.ConsultRelay = Telephony.Rtp.RtpSession.Join(first.Media, consulted.Media);
        }

        clock.Add(consulted.Media);
    }

    /// <summary>Ends the consultation leg, if any: CANCEL while it rings, BYE once answered.</summary>
    private async Task EndConsultLegAsync(ActiveCall call, string outcome)
    {
        var leg = call.ConsultLeg;
        call.ConsultLeg = null;
        if (leg is null)
        {
            return;
        }

        call.Legs.Add(new CallLeg("consult", leg.Extension, leg.OfferedAt, leg.AnsweredAt, time.GetUtcNow(), outcome));
        AccountRelay(leg.ConsultRelay);
        leg.ConsultRelay = null;
        events.Write(EventKind.CallConsultEnded, call.Id, leg.Extension, new { outcome });
        if (leg.Dialog is null)
        {
            await StopRingingAsync(call, leg);

            // A consulted phone that did not answer is not the agent's miss when the consultation is given up.
            if (outcome != "no-answer")
            {
                presence.Apply(leg.Extension, new AgentEvent.CallEnded(call.Id));
            }

            return;
        }

        await ReleaseBridgedLegAsync(call, leg, sendBye: outcome != "consulted-hung-up", accountCallRelay: false);
    }

    /// <summary>After a cancelled or failed consultation: the caller and the call's agent hear each other again.</summary>
    private void ReconnectCaller(ActiveCall call)
    {
        if (!call.Ended && call.AgentLeg is { Dialog: not null } leg)
        {
            AccountRelay(call.Relay);
            ConnectCaller(call, leg);
            _desk.Changed(call.Id, leg.Extension, DeskCallPhase.Talking, null);
        }
    }

    /// <summary>A request from the consulted agent's phone: BYE gives up the consultation; session changes are answered.</summary>
    private async Task HandleFromConsultedAsync(SipServerTransaction transaction, SipRequest request, ActiveCall call, AgentLeg consulted)
    {
        switch (request.Method)
        {
            case SipMethods.Bye:
                await transaction.SendResponseAsync(transaction.CreateResponse(200));
                await EndConsultLegAsync(call, "consulted-hung-up");
                ReconnectCaller(call);
                break;
            case SipMethods.Invite or SipMethods.Update:
                var ok = _signalling.TryReadSessionOffer(request, consulted.Media, out var offer, out var answer, out var sdes)
                    ? transaction.CreateResponse(200)
                    : CallSignalling.NotAcceptable(transaction, sdes);
                if (ok.StatusCode == 200 && answer is not null && offer is not null)
                {
                    CallSignalling.FollowOffer(consulted.Media, offer);
                    _signalling.WriteSessionAnswer(ok, answer, offer, sdes, consulted.Media);
                }

                await transaction.SendResponseAsync(ok);
                break;
            case SipMethods.Options:
                await transaction.SendResponseAsync(DialogMethods.WithAllow(transaction, 200, DialogMethods.WithRefer));
                break;
            case SipMethods.Refer:
                // The leg takes REFER once it is the call's agent leg; while consulted it cannot transfer yet.
                await transaction.SendResponseAsync(transaction.CreateResponse(403));
                break;
            default:
                await transaction.SendResponseAsync(DialogMethods.WithAllow(transaction, 405, DialogMethods.WithRefer));
                break;
        }
    }
}
