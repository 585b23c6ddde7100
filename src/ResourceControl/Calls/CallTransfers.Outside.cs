using CallCenter.Contracts.Calls;
using CallCenter.Data.Calls;
using CallCenter.Data.Events;
using CallCenter.Telephony.Rtp;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Transactions;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// A consultation of an outside number: the agent's call goes on hold (music for the caller), the number is rung
/// through the first trunk as a consult leg (<see cref="TrunkLeg.IsConsult"/>), and on answer the agent talks with
/// it. Completing bridges the caller to that leg and frees the agent, as a transfer to the number would; cancelling,
/// the number hanging up, or the number not taking the call (after every trunk's failover) ends the leg and the
/// caller is back with the agent. Answered, the consultation is in the call's recording (<see cref="CallRecording.StartConsult"/>).
/// The record keeps a <c>consult</c> leg for the number (with where it is in the recording), and an <c>outside</c> leg once
/// it is the caller's.
/// </summary>
internal sealed partial class CallTransfers
{
    private CallControlResult ConsultOutside(ActiveCall call, AgentLeg leg, Outbound.DialableNumber number)
    {
        var trunk = trunks.First!;
        if (!outside.Ring(call, number, trunk, consult: true))
        {
            agents.ReconnectCaller(call);
            return new CallControlResult(CallControlError.TargetUnavailable, "no media port is free to consult an outside number; try again");
        }

        events.Write(EventKind.CallConsult, call, leg.Extension, new { to = number.E164, trunk = trunk.Name });
        desk.Changed(call.Id, leg.Extension, DeskCallPhase.Consulting, number.E164);
        return new CallControlResult(CallControlError.None, $"ringing {number.Dial} through trunk {trunk.Name}; the caller hears music");
    }

    /// <summary>The consulted number's final answer: a challenge answered, a 2xx talks with the agent, a trunk down fails over, a refusal ends the consultation.</summary>
    public async Task OutsideConsultFinalAsync(ActiveCall call, TrunkLeg leg, SipResponse final)
    {
        if (await outside.AnswerChallengeAsync(call, leg, final))
        {
            return;
        }

        if (final.IsSuccess)
        {
            if (!await outside.AnsweredAsync(call, leg, final) && call.OutsideLeg == leg)
            {
                // Answered without a codec we speak (the leg is already hung up): the consultation is over.
                call.OutsideLegLeft();
                Ended(call, leg, "no-usable-codec");
            }

            return;
        }

        if (call.OutsideLeg == leg && !call.Ended && (await outside.FailOverAsync(call, leg, final)).Next is { } next)
        {
            call.OutsideRung(next);
            outside.RingLeg(call, next);
            return;
        }

        if ((await legs.StepAsync(call, leg, LegLifecycle.Refused(leg.Phase)) & LegActions.Refused) != 0 && call.OutsideLeg == leg)
        {
            call.OutsideLegLeft();
            Ended(call, leg, $"rejected {final.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }
    }

    /// <summary>The consulted number hung up: their BYE answered, the caller back with the agent.</summary>
    public async Task OutsideConsultHungUpAsync(ActiveCall call, SipServerTransaction transaction)
    {
        await transaction.SendResponseAsync(transaction.CreateResponse(200));
        await EndOutsideAsync(call, "consulted-hung-up", hungUp: true);
    }

    /// <summary>Ends the consulted number's leg (CANCEL or BYE unless it hung up) and reconnects the caller to the agent.</summary>
    private async Task EndOutsideAsync(ActiveCall call, string outcome, bool hungUp)
    {
        var number = call.OutsideLeg!.Number.E164;
        await outside.EndAsync(call, hungUp, outcome);
        events.Write(EventKind.CallConsultEnded, call, call.AgentLeg?.Extension, new { outcome, number });
        agents.ReconnectCaller(call);
    }

    private void Ended(ActiveCall call, TrunkLeg leg, string outcome)
    {
        call.LegEnded(new CallLeg("consult", leg.Number.E164, leg.OfferedAt, null, time.GetUtcNow(), outcome));
        events.Write(EventKind.CallConsultEnded, call, call.AgentLeg?.Extension, new { outcome, number = leg.Number.E164 });
        agents.ReconnectCaller(call);
    }

    /// <summary>
    /// The agent completes (or hangs up, <paramref name="transferorHungUp"/>): the caller is bridged to the number and
    /// recorded with it, the agent's leg ends. Still ringing (the agent hung up first), it rings on as a transfer's leg:
    /// the caller talks with it on answer, or waits in their queue again should it not take the call.
    /// </summary>
    private async Task<CallControlResult> CompleteOutsideAsync(ActiveCall call, TrunkLeg consulted, bool transferorHungUp)
    {
        if (call.AgentLeg is not { } first)
        {
            return new CallControlResult(CallControlError.NotBridged, $"call {call.Id} has no consultation to complete");
        }

        if (consulted.Dialog is null && !transferorHungUp)
        {
            return new CallControlResult(CallControlError.TargetUnavailable, $"{consulted.Number.E164} has not answered yet");
        }

        var now = time.GetUtcNow();
        agents.CloseBridgedLeg(call, first, "transferred", now);
        legs.AccountRelay(call.Relay);
        legs.AccountRelay(consulted.TakeRelay());
        call.Unbridged();
        var recordedFrom = consulted.ConsultEnds();
        call.AgentLegLeft();
        call.WaitsAs(call.WaitingOrNew(now));
        var recordedTo = recordedFrom is not null ? CallRecording.EndConsult(call) : null;
        call.LegEnded(new CallLeg("consult", consulted.Number.E164, consulted.OfferedAt, consulted.AnsweredAt, now, "transferred-to", recordedFrom, recordedTo));
        if (consulted.Dialog is not null)
        {
            call.Media.Player.SetBackground(null);
            consulted.Joined(RtpSession.Join(call.Media, consulted.Media));
            recording.Attach(call, consulted.Media);
        }
        else
        {
            CallRecording.Detach(call);
        }

        events.Write(EventKind.CallTransferred, call, first.Extension, new { to = consulted.Number.E164, attended = true });
        LogTransferred(logger, call.Id, call.CallId, first.Extension, consulted.Number.E164);
        await agents.ReleaseBridgedLegAsync(call, first, sendBye: !transferorHungUp, accountCallRelay: false);
        return new CallControlResult(CallControlError.None, $"the caller is with {consulted.Number.E164}");
    }
}
