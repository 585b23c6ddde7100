using CallCenter.Contracts.Calls;
using CallCenter.Data.Calls;
using CallCenter.Data.Events;
using CallCenter.ResourceControl.Agents;
using CallCenter.ResourceControl.Routing;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Parsing;
using CallCenter.Telephony.Sip.Transactions;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// Transfer and consult of a bridged call. Blind transfer, asked for by the agent's phone (REFER, RFC
/// 3515) or through the desk or the REST API: to another agent (their phone rings at once; if they do
/// not take the call it goes back to its queue) or to a queue; the transferring agent's leg ends (BYE,
/// then wrap-up), the caller hears music meanwhile, and the one recording goes on. Attended transfer:
/// the call's agent consults another agent while the caller hears music (the platform rings the
/// consulted agent and bridges the two agents), then completes (the caller is bridged to the consulted
/// agent, the first agent's leg ends) or cancels (the consulted leg ends and the caller is back with
/// the first agent). The consulted agent not answering cancels; the first agent hanging up during the
/// consultation completes, as desk phones do. An outside number is consulted the same way through the trunk
/// (<see cref="OutsideLegs"/>, failover and challenge included): completing bridges the caller to it as a
/// transfer to a number would. Whom an agent may transfer to or consult, and when a
/// consultation completes, are <see cref="TransferPlanner"/> and <see cref="ConsultPlanner"/>.
/// </summary>
/// <remarks>Every method runs in the call's loop, on the call it is given; the legs are <see cref="AgentLegs"/>'.</remarks>
internal sealed partial class CallTransfers(
    AgentLegs agents,
    OutsideLegs outside,
    Outbound.Trunks trunks,
    Outbound.DialingOptions dialing,
    Outbound.OutboundRules rules,
    CallLegs legs,
    CallSignalling signalling,
    CallRecording recording,
    DeskNotices desk,
    PromptLibrary prompts,
    Queues.AcdQueues queues,
    AgentPresence presence,
    RoutingOptions routing,
    Records.EventLog events,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>
    /// In the call's loop: plans the transfer, tells <paramref name="notify"/> the outcome (the REFER's
    /// NOTIFY, whose answer the agent leg's BYE then waits for, 2 s at most), then carries it out.
    /// </summary>
    public async Task<CallControlResult> TransferAsync(ActiveCall call, string target, Func<CallControlResult, Task>? notify = null)
    {
        var leg = call.AgentLeg is { Dialog: not null } bridged ? bridged : null;
        var waiting = call.WaitingOrNew(time.GetUtcNow());
        var targetStatus = presence.Find(target)?.Status;
        var targetIsQueue = routing.Queues.ContainsKey(target);
        var dialled = targetStatus is null && !targetIsQueue ? Outbound.DialPlan.Normalize(target, dialing) : default;

        // An outside number passes the rules of every call placed to a client, as a consultation does: a number on the
        // do-not-call list (or a transfer in the quiet hours) is refused with the reason before any INVITE leaves.
        var allowed = dialled.Number is { } dialable && trunks.First is not null ? rules.Check(dialable, riskNotice: false, "transfer", call.Id) : null;
        var (result, agent, next, number) = TransferPlanner.Plan(
            waiting, leg?.Extension, call.Consulting, target, targetStatus, targetIsQueue, time.GetUtcNow(), dialled, trunks.First?.Name, allowed);
        var notified = notify?.Invoke(result);
        if (!result.Done)
        {
            return result;
        }

        var now = time.GetUtcNow();
        call.AgentLegLeft();
        agents.CloseBridgedLeg(call, leg!, "transferred", now);
        call.Media.Player.SetBackground(prompts.MusicOnHold);
        CallRecording.Detach(call);
        call.WaitsAs(next);
        events.Write(EventKind.CallTransferred, call, leg!.Extension, new { to = number?.E164 ?? target });
        LogTransferred(logger, call.Id, call.CallId, leg.Extension, target);
        await agents.ReleaseBridgedLegAsync(call, leg, sendBye: true, byeAfter: notified);
        var language = next!.Language ?? call.Language ?? "zh";
        void Announce(IReadOnlyList<Ivr.Prompts.IvrPrompt> list) => legs.Post(call, new CallEvent.Announce(list));
        if (number is not null)
        {
            // An outside number through the trunk; should it not answer (or no port be free), the caller waits in their queue.
            if (!outside.Ring(call, number, trunks.First!))
            {
                queues.Enqueue(next, language, Announce);
            }
        }
        else if (agent is not null)
        {
            // A missed offer puts the call back to waiting in its queue: the queues must know the caller.
            queues.Listen(call.Id, language, Announce);
            await agents.OfferAsync(call, next, agent, $"transferred by agent {leg.Extension} to agent {agent}");
        }
        else
        {
            queues.Enqueue(next, language, Announce);
        }

        return result;
    }

    /// <summary>REFER from the agent's phone (RFC 3515): 202, then one NOTIFY with the outcome as sipfrag, then the transfer.</summary>
    public async Task AnswerReferAsync(SipServerTransaction transaction, SipRequest refer, ActiveCall call, AgentLeg leg)
    {
        var referTo = refer.Headers.Get("Refer-To");
        var position = 0;
        if (referTo is null
            || !SipNameAddressParser.TryRead(referTo, ref position, inList: false, SipParserLimits.Default, out var address, out _)
            || address.Uri.User is not { Length: > 0 } target)
        {
            var bad = transaction.CreateResponse(400);
            bad.ReasonPhrase = "Refer-To Missing Or Without A User";
            await transaction.SendResponseAsync(bad);
            return;
        }

        // RFC 3891: an attended transfer by the phone joins the caller to another of the phone's own
        // calls. Agents' phones cannot place calls through the platform, so that call is not ours to
        // replace: refused, with where to do it, rather than taken as a blind transfer it is not.
        if (address.Uri.Headers.Contains("Replaces"))
        {
            var attended = transaction.CreateResponse(501);
            attended.ReasonPhrase = "Attended Transfer By Replaces Not Supported";
            attended.Headers.Add("Warning", "399 callcenter \"consult and transfer from the desk; a REFER without Replaces transfers blind\"");
            await transaction.SendResponseAsync(attended);
            return;
        }

        await transaction.SendResponseAsync(transaction.CreateResponse(202));
        await TransferAsync(call, target, result =>
        {
            // RFC 3515 2.4.5: the final outcome as a sipfrag; the subscription ends with it.
            var notify = leg.Dialog!.CreateRequest(SipMethods.Notify);
            notify.Headers.Add("Event", "refer");
            notify.Headers.Add("Subscription-State", "terminated;reason=noresource");
            notify.ContentType = "message/sipfrag;version=2.0";
            var status = result.Error switch
            {
                CallControlError.None => "200 OK",
                CallControlError.UnknownTarget => "404 Not Found",
                _ => "480 Temporarily Unavailable",
            };
            notify.Body = System.Text.Encoding.ASCII.GetBytes($"SIP/2.0 {status}\r\n");

            // Sent now; the BYE that ends the agent's leg follows its answer, so the phone sees the
            // outcome before the end (RFC 3515 2.4.5). The call does not wait for it.
            return legs.SendTracked(call, "NOTIFY of the REFER", notify, leg.Destination);
        });
    }

    /// <summary>The call's agent consults <paramref name="target"/> (an agent, or an outside number): the caller hears music while the target rings.</summary>
    public async Task<CallControlResult> ConsultAsync(ActiveCall call, string target)
    {
        var status = presence.Find(target)?.Status;
        var dialled = status is null ? Outbound.DialPlan.Normalize(target, dialing) : default;
        // An outside number passes the rules of every call placed to a client: not on the do-not-call
        // list, and within the calling hours (a consult is no risk notice, so nothing overrides them).
        var outside = dialled.Number is { } dialable ? rules.Check(dialable, riskNotice: false, "consult", call.Id) : null;
        if (ConsultPlanner.Refusal(call.Id, BridgeState.Of(call), call.AgentLeg?.Extension, target, status, dialled, trunks.First?.Name, outside) is { } refused)
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
        if (status is null)
        {
            return ConsultOutside(call, leg, dialled.Number!);
        }

        events.Write(EventKind.CallConsult, call, leg.Extension, new { to = target });
        desk.Changed(call.Id, leg.Extension, DeskCallPhase.Consulting, target);
        var waiting = call.WaitingOrNew(time.GetUtcNow(), withAccountManager: false);
        await agents.OfferAsync(call, waiting, target, $"consulted by agent {leg.Extension}", consult: true);
        return new CallControlResult(CallControlError.None, $"ringing agent {target}; the caller hears music");
    }

    /// <summary>The consultation completes: the caller goes to the consulted agent, the first agent's leg ends.</summary>
    public async Task<CallControlResult> CompleteConsultAsync(ActiveCall call, bool transferorHungUp)
    {
        if (call.OutsideLeg is { IsConsult: true } consultedNumber)
        {
            return await CompleteOutsideAsync(call, consultedNumber, transferorHungUp);
        }

        if (ConsultPlanner.CompletionRefusal(call.Id, call.ConsultLeg?.Extension, call.ConsultLeg?.Dialog is not null, call.AgentLeg is not null, transferorHungUp) is { } refused)
        {
            return refused;
        }

        var consulted = call.ConsultLeg!;
        var first = call.AgentLeg!;

        var now = time.GetUtcNow();
        agents.CloseBridgedLeg(call, first, "transferred", now);
        legs.AccountRelay(call.Relay);
        legs.AccountRelay(consulted.TakeConsultRelay());
        call.ConsultedTakesOver(consulted);
        if (consulted.Dialog is not null)
        {
            call.TakenOverBy(consulted.Extension);
            agents.ConnectCaller(call, consulted);
            recording.Attach(call, consulted.Media);
        }
        else
        {
            // Still ringing: it now rings as the call's agent and is bridged to the caller on answer.
            CallRecording.Detach(call);
        }

        events.Write(EventKind.CallTransferred, call, first.Extension, new { to = consulted.Extension, attended = true });
        LogTransferred(logger, call.Id, call.CallId, first.Extension, consulted.Extension);
        await agents.ReleaseBridgedLegAsync(call, first, sendBye: !transferorHungUp, accountCallRelay: false);
        return new CallControlResult(CallControlError.None, $"the caller is with agent {consulted.Extension}");
    }

    /// <summary>The consultation is given up: the consulted leg ends, the caller is back with their agent.</summary>
    public async Task<CallControlResult> CancelConsultAsync(ActiveCall call)
    {
        if (call.OutsideLeg is { IsConsult: true })
        {
            await EndOutsideAsync(call, "consult-cancelled", hungUp: false);
            return new CallControlResult(CallControlError.None, "the caller is back with their agent");
        }

        if (call.ConsultLeg is null)
        {
            return new CallControlResult(CallControlError.NotBridged, $"call {call.Id} has no consultation to cancel");
        }

        await EndConsultLegAsync(call, ConsultEnding.Cancelled);
        agents.ReconnectCaller(call);
        return new CallControlResult(CallControlError.None, "the caller is back with their agent");
    }

    /// <summary>The consulted agent did not answer: the caller goes back to the call's agent.</summary>
    public async Task ConsultNotAnsweredAsync(ActiveCall call)
    {
        await EndConsultLegAsync(call, ConsultEnding.NotAnswered);
        agents.ReconnectCaller(call);
    }

    /// <summary>Ends the consultation leg, if any: CANCEL while it rings, BYE once answered.</summary>
    public async Task EndConsultLegAsync(ActiveCall call, ConsultEnding ending)
    {
        var leg = call.ConsultLeg;
        call.ConsultLegLeft();
        if (leg is null)
        {
            return;
        }

        var outcome = Outcome(ending);
        call.LegEnded(new CallLeg("consult", leg.Extension, leg.OfferedAt, leg.AnsweredAt, time.GetUtcNow(), outcome));
        legs.AccountRelay(leg.TakeConsultRelay());
        events.Write(EventKind.CallConsultEnded, call, leg.Extension, new { outcome });
        if (leg.Dialog is null)
        {
            await agents.StopRingingAsync(call, leg);

            // A consulted phone that did not answer is not the agent's miss when the consultation is given up.
            if (ending != ConsultEnding.NotAnswered)
            {
                presence.Apply(leg.Extension, new AgentEvent.CallEnded(call.Id));
            }

            return;
        }

        await agents.ReleaseBridgedLegAsync(call, leg, sendBye: ending != ConsultEnding.ConsultedHungUp, accountCallRelay: false);
    }

    /// <summary>A request from the consulted agent's phone: BYE gives up the consultation; session changes are answered.</summary>
    public async Task HandleFromConsultedAsync(SipServerTransaction transaction, SipRequest request, ActiveCall call, AgentLeg consulted)
    {
        switch (request.Method)
        {
            case SipMethods.Bye:
                await transaction.SendResponseAsync(transaction.CreateResponse(200));
                await EndConsultLegAsync(call, ConsultEnding.ConsultedHungUp);
                agents.ReconnectCaller(call);
                break;
            case SipMethods.Invite or SipMethods.Update:
                var ok = signalling.TryReadSessionOffer(request, consulted.Media, out var offer, out var answer, out var sdes)
                    ? transaction.CreateResponse(200)
                    : CallSignalling.NotAcceptable(transaction, sdes);
                if (ok.StatusCode == 200 && answer is not null && offer is not null)
                {
                    CallSignalling.FollowOffer(consulted.Media, offer);
                    signalling.WriteSessionAnswer(ok, answer, offer, sdes, consulted.Media);
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

    /// <summary>How a consultation ended, as the record's leg and the event log say it.</summary>
    internal static string Outcome(ConsultEnding ending) => ending switch
    {
        ConsultEnding.Cancelled => "consult-cancelled",
        ConsultEnding.NotAnswered => "no-answer",
        ConsultEnding.ConsultedHungUp => "consulted-hung-up",
        _ => "caller-hung-up",
    };

    [LoggerMessage(2120, LogLevel.Information, "Call {CallId} (SIP {SipCallId}) transferred by agent {Agent} to {Target}")]
    private static partial void LogTransferred(ILogger logger, string callId, string sipCallId, string agent, string target);
}

/// <summary>Why a consultation leg ended: it decides whether the consulted agent is freed and whether the platform sends the BYE.</summary>
internal enum ConsultEnding
{
    /// <summary>The call's agent (or the desk) cancelled it.</summary>
    Cancelled,

    /// <summary>The consulted phone did not answer in time: presence counts the miss itself.</summary>
    NotAnswered,

    /// <summary>The consulted agent hung up: their BYE is answered, none is sent.</summary>
    ConsultedHungUp,

    /// <summary>The call ended (the caller hung up, or the platform ended it).</summary>
    CallEnded,
}
