using CallCenter.Contracts.Calls;
using CallCenter.Data.Calls;
using CallCenter.Data.Events;
using CallCenter.ResourceControl.Agents;
using CallCenter.ResourceControl.Routing;
using CallCenter.Telephony.Media;
using CallCenter.Telephony.Rtp;
using CallCenter.Telephony.Sdp;
using CallCenter.Telephony.Sip.Dialogs;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Transactions;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// Agent legs and bridging: a call the router gives an agent rings the agent's registered phone (our
/// INVITE, the caller's number in From and P-Asserted-Identity, the client's name and tier as display
/// name) while the caller hears music; on answer the two legs are bridged through an RTP relay and
/// recorded (<see cref="CallRecording"/>). A miss, a rejection or the ring timeout puts the call back in
/// its queue for the next agent; the caller hanging up while it rings CANCELs the agent's INVITE. Hold
/// (the phone's re-INVITE or the desk) lives here too. Agent effects go through
/// <see cref="AgentPresence"/>, the desk hears through <see cref="DeskNotices"/>.
/// </summary>
/// <remarks>
/// Every method runs in the call's loop, on the call it is given. The consultation and transfer
/// (<see cref="CallTransfers"/>) and the endpoint's dispatcher use these; this class calls neither.
/// </remarks>
internal sealed partial class AgentLegs(
    CallLegs legs,
    CallSignalling signalling,
    CallDirectory<ActiveCall> calls,
    CallRecording recording,
    CallMonitor monitor,
    DeskNotices desk,
    PromptLibrary prompts,
    Queues.AcdQueues queues,
    AgentPresence presence,
    MediaClock clock,
    Records.EventLog events,
    TimeProvider time,
    ILogger logger,
    IAgentClaims? claims = null)
{
    /// <summary>
    /// Rings <paramref name="extension"/>'s phone with the call; <paramref name="reason"/> says why this
    /// agent. A <paramref name="consult"/> leg is for an attended transfer: it talks to the call's agent first.
    /// The INVITE goes out in the background; its final response comes back as <see cref="CallEvent.AgentLegFinal"/>.
    /// </summary>
    public async Task OfferAsync(ActiveCall call, WaitingCall waiting, string extension, string reason, bool consult = false)
    {
        if (call.Ended)
        {
            presence.ReturnToRouter(extension);
            return;
        }

        // In a cluster the agent is first taken in the shared states, so no other node offers them a call meanwhile.
        var claimed = claims is null || await claims.ClaimAsync(extension, call.Id);
        var offered = !claimed
            ? AgentTransition.Refuse(presence.Find(extension) ?? AgentState.Initial(extension, time.GetUtcNow()), $"agent {extension} is not available in the cluster (another node holds them)")
            : presence.Apply(extension, new AgentEvent.Offer(call.Id));
        if (!offered.Accepted)
        {
            LogOfferRefused(logger, call.Id, call.CallId, extension, offered.Refusal!);
            if (claimed && claims is not null)
            {
                // Claimed in the cluster but refused here: the claim would otherwise hold the agent until it timed out.
                await claims.ReleaseAsync(extension, call.Id, offered.Refusal!);
            }

            if (AgentLegPlanner.WhenRefused(consult) == OfferFallback.ReconnectCaller)
            {
                ReconnectCaller(call);
            }
            else
            {
                queues.Requeue(call.Waiting ?? waiting);
            }

            return;
        }

        var now = time.GetUtcNow();
        Telephony.Sip.Registrar.SipBinding? binding;
        try
        {
            binding = await legs.FindPhoneAsync(extension, now);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
        {
            // The registrations cannot be read: the offer fails as for an unreachable phone, and the call goes on.
            LogAgentLegFailed(logger, e, call.Id, call.CallId, extension);
            binding = null;
        }

        var media = binding is null ? null : legs.OpenMedia(call, binding.ToCallTarget());
        if (binding is null || media is null)
        {
            var (outcome, why, then) = AgentLegPlanner.WhenUnreachable(phoneFound: binding is not null, consult);
            call.LegEnded(new CallLeg(consult ? "consult" : "agent", extension, now, null, now, outcome));
            presence.Apply(extension, new AgentEvent.OfferRejected(call.Id, why));
            if (then == OfferFallback.ReconnectCaller)
            {
                // Nobody to consult: the caller and the call's agent hear each other again.
                ReconnectCaller(call);
            }

            return;
        }

        var destination = binding.ToCallTarget();
        var invite = signalling.CreateAgentInvite(call, extension, binding.ToContactUri(), destination, media, DialogMethods.WithRefer, binding.RouteSet());
        var leg = new AgentLeg(extension, invite, destination, media, now, consult);
        call.AgentRung(leg, reason);

        events.Write(EventKind.CallOffered, call, extension, new { routing = reason });
        desk.Offered(call, leg.Extension, leg.OfferedAt, leg.IsConsult);
        LogOffered(logger, call.Id, call.CallId, extension, reason);
        legs.Ring(
            call,
            $"INVITE to agent {extension}",
            invite,
            destination,
            media,
            final => new CallEvent.AgentLegFinal(leg, final),
            e => LogAgentLegFailed(logger, e, call.Id, call.CallId, extension));
    }

    /// <summary>The agent's phone answered the offer, or refused it, or did not answer in time.</summary>
    public async Task FinalAsync(ActiveCall call, AgentLeg leg, SipResponse final)
    {
        if (final.IsSuccess)
        {
            await AgentAnsweredAsync(call, leg, final);
            return;
        }

        if ((await legs.StepAsync(call, leg, LegLifecycle.Refused(leg.Phase)) & LegActions.Refused) != 0)
        {
            // Busy, declined, unreachable: the state machine counts the miss and withdraws the offer
            // (an OfferWithdrawn event follows), and the call goes to the next agent.
            leg.Failed($"rejected {final.StatusCode}");
            desk.Changed(call.Id, leg.Extension, DeskCallPhase.Ended, leg.Outcome);
            presence.Apply(leg.Extension, new AgentEvent.OfferRejected(call.Id, $"{final.StatusCode} {final.ReasonPhrase}"));
        }
    }

    private async Task AgentAnsweredAsync(ActiveCall call, AgentLeg leg, SipResponse ok)
    {
        var (sdp, chosen) = CallSignalling.ReadAnswer(ok, leg.Media);
        var wanted = AgentLegPlanner.WantsAnswer(call.Ended, call.AgentLeg == leg, call.ConsultLeg == leg);
        var actions = await legs.StepAsync(call, leg, LegLifecycle.Answered(leg.Phase, wanted, chosen is not null), ok);
        if ((actions & LegActions.Refused) != 0)
        {
            // Answered with no codec we speak: a miss like a refusal (OfferWithdrawn follows).
            leg.Failed("no-usable-codec");
            presence.Apply(leg.Extension, new AgentEvent.OfferRejected(call.Id, "no usable codec in the answer"));
        }

        // Answered too late (the caller left, the offer was withdrawn) or unusable: ACKed, BYEd and freed above.
        if ((actions & LegActions.Join) == 0)
        {
            return;
        }

        var dialog = leg.Dialog!;
        var now = time.GetUtcNow();
        leg.Answered(now);
        if (leg.IsConsult)
        {
            BridgeConsult(call, leg, sdp!, chosen!);
        }
        else
        {
            call.AgentAnswered(leg.Extension, leg.OfferedAt, now);
            Bridge(call, leg, sdp!, chosen!);
        }

        calls.AddDialog(dialog, call);
        presence.Apply(leg.Extension, new AgentEvent.OfferAnswered(call.Id));
        desk.Changed(call.Id, leg.Extension, DeskCallPhase.Talking, leg.IsConsult ? "consulted" : null);
        if (leg.IsConsult)
        {
            events.Write(EventKind.CallConsulting, call, leg.Extension);
            return;
        }

        queues.Remove(call.Id); // with an agent: no more announcements
        events.Write(EventKind.CallBridged, call, leg.Extension, new { recording = call.Recorder?.Path });
        LogBridged(logger, call.Id, call.CallId, leg.Extension);
    }

    /// <summary>Caller and agent hear each other through the relay; both directions are recorded. In the call's loop.</summary>
    private void Bridge(ActiveCall call, AgentLeg leg, SdpOffer answer, SdpAnswer chosen)
    {
        call.Ivr?.Dispose();
        call.Media.Events = null;
        call.Media.Player.Stop(call.Media.Player.Current);
        CallLegs.ApplyAnswer(leg.Media, answer, chosen);
        ConnectCaller(call, leg);

        // Left: what the agent hears (the caller); right: what the caller hears (the agent).
        recording.Attach(call, leg.Media);
        clock.Add(leg.Media);
        WatchBrowserMedia(call, leg);
    }

    /// <summary>A fresh relay between the caller and <paramref name="leg"/>; the music stops. In the call's loop.</summary>
    public void ConnectCaller(ActiveCall call, AgentLeg leg)
    {
        call.Media.Player.SetBackground(null);
        var (toAgent, toCaller) = RtpSession.Join(call.Media, leg.Media);
        call.Bridged(toAgent, toCaller);
    }

    /// <summary>After a cancelled or failed consultation: the caller and the call's agent hear each other again.</summary>
    public void ReconnectCaller(ActiveCall call)
    {
        if (!call.Ended && call.AgentLeg is { Dialog: not null } leg)
        {
            legs.AccountRelay(call.Relay);
            ConnectCaller(call, leg);
            desk.Changed(call.Id, leg.Extension, DeskCallPhase.Talking, null);
        }
    }

    /// <summary>The consulted agent answered: the two agents talk through their own relay.</summary>
    private void BridgeConsult(ActiveCall call, AgentLeg consulted, SdpOffer answer, SdpAnswer chosen)
    {
        CallLegs.ApplyAnswer(consulted.Media, answer, chosen);
        if (call.AgentLeg is { } first)
        {
            consulted.ConsultJoined(RtpSession.Join(first.Media, consulted.Media));
        }

        clock.Add(consulted.Media);
    }

    /// <summary>
    /// A request in the bridged agent's dialog other than BYE and REFER (which end or transfer the call,
    /// the endpoint's part): re-INVITE and UPDATE hold or resume, INFO and OPTIONS are answered.
    /// </summary>
    public async Task HandleRequestAsync(SipServerTransaction transaction, SipRequest request, ActiveCall call, AgentLeg leg)
    {
        switch (request.Method)
        {
            case SipMethods.Invite or SipMethods.Update:
                await AnswerSessionChangeAsync(transaction, request, call, leg);
                break;
            case SipMethods.Info:
                await transaction.SendResponseAsync(transaction.CreateResponse(200));
                break;
            case SipMethods.Options:
                await transaction.SendResponseAsync(DialogMethods.WithAllow(transaction, 200, DialogMethods.WithRefer));
                break;
            default:
                await transaction.SendResponseAsync(DialogMethods.WithAllow(transaction, 405, DialogMethods.WithRefer));
                break;
        }
    }

    /// <summary>
    /// The agent's phone changes the session (RFC 3264 8.4): sendonly or inactive is hold (the
    /// caller hears music, the time is counted), sendrecv again resumes the conversation.
    /// </summary>
    private async Task AnswerSessionChangeAsync(SipServerTransaction transaction, SipRequest request, ActiveCall call, AgentLeg leg)
    {
        if (leg.Media.WebRtc is not null && !request.Body.IsEmpty)
        {
            await RefuseBrowserOfferAsync(transaction, call, leg);
            return;
        }

        if (!signalling.TryReadSessionOffer(request, leg.Media, out var offer, out var answer, out var sdes))
        {
            await transaction.SendResponseAsync(CallSignalling.NotAcceptable(transaction, sdes));
            return;
        }

        var ok = transaction.CreateResponse(200);
        ok.Contacts.Add(new SipNameAddress { Uri = signalling.ContactUri(leg.Destination.Protocol, call.Dialed, CallSignalling.IsSips(request.RequestUri)) });
        if (answer is not null && offer is not null)
        {
            var hold = HoldPlanner.IsHoldOffer(offer.Direction, offer.Address);
            CallSignalling.FollowOffer(leg.Media, offer);
            leg.Media.Sending = answer.Direction.Sends();

            SetHold(call, leg, hold);
            signalling.WriteSessionAnswer(ok, answer, offer, sdes, leg.Media);
        }

        await transaction.SendResponseAsync(ok);
    }

    /// <summary>
    /// Holds or resumes the bridged call, from the phone's re-INVITE or the desk: on hold the caller hears
    /// music and the agent silence, and the time counts as hold time. False when it was so already.
    /// </summary>
    public bool SetHold(ActiveCall call, AgentLeg leg, bool hold)
    {
        var now = time.GetUtcNow();
        var plan = HoldPlanner.Plan(call.Ended, call.AgentLeg == leg, leg.OnHold, leg.HoldStartedAt, hold, now);
        if (!plan.Changed)
        {
            return false;
        }

        leg.Hold(hold, now);
        if (hold)
        {
            call.Media.Player.SetLive(null);
            call.Media.Player.SetBackground(prompts.MusicOnHold);
            leg.Media.Player.SetLive(null);
        }
        else
        {
            call.Held(plan.HoldSecondsAdded);
            call.Media.Player.SetBackground(null);
            call.Media.Player.SetLive(call.Relay?.ToCaller);
            leg.Media.Player.SetLive(call.Relay?.ToAgent);
        }

        events.Write(hold ? EventKind.CallHold : EventKind.CallResume, call, leg.Extension);
        desk.Changed(call.Id, leg.Extension, hold ? DeskCallPhase.Held : DeskCallPhase.Talking, null);
        return true;
    }

    public async Task WithdrawOfferAsync(ActiveCall call, string extension, WithdrawnLeg withdrawn)
    {
        var now = time.GetUtcNow();
        if (withdrawn == WithdrawnLeg.Agent && call.AgentLeg is { } leg)
        {
            call.AgentLegLeft();
            call.RingEnded(leg.OfferedAt, now);
            call.LegEnded(new CallLeg("agent", extension, leg.OfferedAt, null, now, leg.Outcome ?? "no-answer"));
            events.Write(EventKind.CallOfferFailed, call, extension, new { outcome = leg.Outcome ?? "no-answer" });
            desk.Changed(call.Id, extension, DeskCallPhase.Ended, leg.Outcome ?? "no-answer");
            LogOfferFailed(logger, call.Id, call.CallId, extension, leg.Outcome ?? "no-answer");
            await StopRingingAsync(call, leg);
        }

        if (AgentLegPlanner.Requeues(call.Ended, call.AgentLeg is not null, call.Waiting is not null))
        {
            queues.Requeue(call.Waiting!);
        }
    }

    /// <summary>Which leg an offer withdrawn from <paramref name="extension"/> ends (<see cref="AgentLegPlanner.Withdrawn"/>).</summary>
    public static WithdrawnLeg Withdrawn(ActiveCall call, string extension) =>
        AgentLegPlanner.Withdrawn(View(call.ConsultLeg), View(call.AgentLeg), extension);

    private static LegView? View(AgentLeg? leg) => leg is null ? null : new LegView(leg.Extension, leg.Dialog is not null);

    /// <summary>
    /// A leg given up before it was answered: CANCEL while the INVITE is pending (RFC 3261 9.1; its
    /// 487 comes back as <see cref="CallEvent.AgentLegFinal"/>, which then frees the media), or free
    /// the media at once when the phone's final answer has already come.
    /// </summary>
    public async Task StopRingingAsync(ActiveCall call, AgentLeg leg)
    {
        await legs.StepAsync(call, leg, LegLifecycle.GiveUp(leg.Phase));
    }

    /// <summary>The call ends (either side; its consultation has ended first): CANCEL or BYE the agent's leg, stop the relay, tell presence.</summary>
    public async Task EndAsync(ActiveCall call, bool agentHungUp)
    {
        var leg = call.AgentLeg;
        call.AgentLegLeft();
        if (leg is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        var (outcome, sendBye) = AgentLegPlanner.Ending(answered: leg.Dialog is not null, agentHungUp);
        if (leg.Dialog is null)
        {
            // The caller hung up while the agent's phone rang: not the agent's miss.
            call.RingEnded(leg.OfferedAt, now);
            call.LegEnded(new CallLeg("agent", leg.Extension, leg.OfferedAt, null, now, outcome));
            presence.Apply(leg.Extension, new AgentEvent.CallEnded(call.Id));
            events.Write(EventKind.CallOfferFailed, call, leg.Extension, new { outcome });
            desk.Changed(call.Id, leg.Extension, DeskCallPhase.Ended, outcome);
            await StopRingingAsync(call, leg);
            return;
        }

        CloseBridgedLeg(call, leg, outcome, now);
        await ReleaseBridgedLegAsync(call, leg, sendBye);
    }

    /// <summary>The bridged leg's part of the record and of the call's media.</summary>
    public void CloseBridgedLeg(ActiveCall call, AgentLeg leg, string outcome, DateTimeOffset now)
    {
        if (leg.OnHold && leg.HoldStartedAt is { } since)
        {
            call.Held((now - since).TotalSeconds);
        }

        call.LegEnded(new CallLeg("agent", leg.Extension, leg.OfferedAt, leg.AnsweredAt, now, outcome));
        call.Media.Forward = null;
        call.Media.Player.SetLive(null);
    }

    /// <summary>Ends a bridged agent leg's signalling and media (the call may go on, as after a transfer) and tells presence.</summary>
    public async Task ReleaseBridgedLegAsync(ActiveCall call, AgentLeg leg, bool sendBye, bool accountCallRelay = true, Task? byeAfter = null)
    {
        await monitor.EndForAsync(call, leg, "agent-left");
        clock.Remove(leg.Media);
        calls.RemoveDialog(leg.Dialog!.Id);
        presence.Apply(leg.Extension, new AgentEvent.CallEnded(call.Id));
        desk.Changed(call.Id, leg.Extension, DeskCallPhase.Ended, null);
        await legs.StepAsync(call, leg, sendBye ? LegLifecycle.GiveUp(leg.Phase) : LegLifecycle.HungUp(leg.Phase), byeAfter: byeAfter);
        if (accountCallRelay && call.Relay is not null)
        {
            legs.AccountRelay(call.Relay);
            legs.CountBridge();
            call.Unbridged();
        }
    }

    [LoggerMessage(2110, LogLevel.Information, "Call {CallId} (SIP {SipCallId}) offered to agent {Agent}: {Routing}")]
    private static partial void LogOffered(ILogger logger, string callId, string sipCallId, string agent, string routing);

    [LoggerMessage(2111, LogLevel.Information, "Call {CallId} (SIP {SipCallId}) bridged to agent {Agent}")]
    private static partial void LogBridged(ILogger logger, string callId, string sipCallId, string agent);

    [LoggerMessage(2112, LogLevel.Information, "Call {CallId} (SIP {SipCallId}) not taken by agent {Agent}: {Outcome}")]
    private static partial void LogOfferFailed(ILogger logger, string callId, string sipCallId, string agent, string outcome);

    [LoggerMessage(2113, LogLevel.Warning, "Call {CallId} (SIP {SipCallId}) not offered to agent {Agent}: {Reason}")]
    private static partial void LogOfferRefused(ILogger logger, string callId, string sipCallId, string agent, string reason);

    [LoggerMessage(2114, LogLevel.Error, "Call {CallId} (SIP {SipCallId}): the leg to agent {Agent} failed")]
    private static partial void LogAgentLegFailed(ILogger logger, Exception exception, string callId, string sipCallId, string agent);
}
