using System.Collections.Concurrent;
using System.Net;
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
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// The B2BUA half of the endpoint: a call the router gives an agent rings the agent's registered
/// phone (our INVITE, the caller's number in From and P-Asserted-Identity, the client's name and
/// tier as display name) while the caller hears music; on answer the two legs are bridged through
/// an RTP relay and recorded in stereo. A miss, a rejection or the ring timeout puts the call back
/// in its queue for the next agent; the caller hanging up while it rings CANCELs the agent's INVITE;
/// either side's BYE ends both. Agent effects go through <see cref="AgentPresence"/>.
/// </summary>
internal sealed partial class SipEndpoint
{
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
            background.Run(callId, "", "record after the wrap-up", () => Task.Run(() => wrapUps.WrapUpEndedAsync(callId, seconds)));
    }

    private void PostTo(string callId, CallEvent e)
    {
        if (_calls.TryGet(callId, out var call))
        {
            Post(call, e);
        }
    }

    /// <summary>
    /// Rings <paramref name="extension"/>'s phone with the call; <paramref name="reason"/> says why this
    /// agent. A <paramref name="consult"/> leg is for an attended transfer: it talks to the call's agent first.
    /// The INVITE goes out in the background; its final response comes back as <see cref="CallEvent.AgentLegFinal"/>.
    /// </summary>
    private async Task OfferAsync(ActiveCall call, WaitingCall waiting, string extension, string reason, bool consult = false)
    {
        if (call.Ended)
        {
            presence.ReturnToRouter(extension);
            return;
        }

        var offered = presence.Apply(extension, new AgentEvent.Offer(call.Id));
        if (!offered.Accepted)
        {
            LogOfferRefused(logger, call.Id, call.CallId, extension, offered.Refusal!);
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
            binding = await FindPhoneAsync(extension, now);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
        {
            // The registrations cannot be read: the offer fails as for an unreachable phone, and the call goes on.
            LogAgentLegFailed(logger, e, call.Id, call.CallId, extension);
            binding = null;
        }

        var media = binding is null ? null : OpenLegMedia(call, binding.ToCallTarget());
        if (binding is null || media is null)
        {
            var (outcome, why, then) = AgentLegPlanner.WhenUnreachable(phoneFound: binding is not null, consult);
            call.Legs.Add(new CallLeg(consult ? "consult" : "agent", extension, now, null, now, outcome));
            presence.Apply(extension, new AgentEvent.OfferRejected(call.Id, why));
            if (then == OfferFallback.ReconnectCaller)
            {
                // Nobody to consult: the caller and the call's agent hear each other again.
                ReconnectCaller(call);
            }

            return;
        }

        var destination = binding.ToCallTarget();
        var invite = _signalling.CreateAgentInvite(call, extension, binding.ToContactUri(), destination, media, DialogMethods.WithRefer);
        var leg = new AgentLeg(extension, invite, destination, media, now) { IsConsult = consult };
        if (consult)
        {
            call.ConsultLeg = leg;
        }
        else
        {
            call.AgentLeg = leg;
            call.RoutingReason = reason;
        }

        events.Write(EventKind.CallOffered, call.Id, extension, new { routing = reason });
        _desk.Offered(call, leg.Extension, leg.OfferedAt, leg.IsConsult);
        LogOffered(logger, call.Id, call.CallId, extension, reason);
        RingInBackground(
            call,
            $"INVITE to agent {extension}",
            invite,
            destination,
            media,
            final => new CallEvent.AgentLegFinal(leg, final),
            e => LogAgentLegFailed(logger, e, call.Id, call.CallId, extension));
    }

    /// <summary>
    /// Sends an INVITE to a phone (an agent's or a supervisor's) in the background; its final response
    /// comes back to the call as the event <paramref name="finalEvent"/> makes. When the call has ended
    /// meanwhile (it CANCELled the leg), a late answer still gets its ACK and BYE and the media is freed.
    /// </summary>
    private void RingInBackground(ActiveCall call, string what, SipRequest invite, SipRemote destination, RtpSession media, Func<SipResponse, CallEvent> finalEvent, Action<Exception> logFailure) =>
        background.Run(call, what, async () =>
        {
            SipResponse final;
            try
            {
                final = await Layer.SendRequestAsync(invite, destination);
            }
            catch (InvalidOperationException e)
            {
                logFailure(e);
                final = SipMessageBuilder.CreateResponse(invite, 500);
            }

            if (Post(call, finalEvent(final)) != PostOutcome.Posted)
            {
                await TidyUpLateLegAsync(invite, destination, media, final);
            }
        });

    /// <summary>The final response to an INVITE the call no longer wants: ACK and BYE a 2xx, free the media.</summary>
    private async Task TidyUpLateLegAsync(SipRequest invite, SipRemote destination, RtpSession media, SipResponse final)
    {
        await media.DisposeAsync();
        if (final.IsSuccess)
        {
            var dialog = SipDialog.CreateUac(invite, final);
            await Layer.SendAckAsync(dialog.CreateAck(invite.CSeq!.Value.Number, invite), destination);
            await Layer.SendRequestAsync(dialog.CreateBye(), destination);
        }
    }

    /// <summary>The agent's phone answered the offer, or refused it, or did not answer in time.</summary>
    private async Task AgentLegFinalAsync(ActiveCall call, AgentLeg leg, SipResponse final)
    {
        if (final.IsSuccess)
        {
            await AgentAnsweredAsync(call, leg, final);
            return;
        }

        if ((await StepAsync(call, leg, LegLifecycle.Refused(leg.Phase)) & LegActions.Refused) != 0)
        {
            // Busy, declined, unreachable: the state machine counts the miss and withdraws the offer
            // (an OfferWithdrawn event follows), and the call goes to the next agent.
            leg.Outcome = $"rejected {final.StatusCode}";
            _desk.Changed(call.Id, leg.Extension, DeskCallPhase.Ended, leg.Outcome);
            presence.Apply(leg.Extension, new AgentEvent.OfferRejected(call.Id, $"{final.StatusCode} {final.ReasonPhrase}"));
        }
    }

    /// <summary>A retransmitted 2xx of an agent's or supervisor's INVITE gets its ACK again (RFC 3261 13.2.2.4).</summary>
    private async Task ResendAckAsync(ActiveCall call, SipResponse response)
    {
        var id = new SipDialogId(response.CallId ?? "", response.From?.Tag ?? "", response.To?.Tag ?? "");
        (SipDialog? Dialog, SipRequest Invite, SipRemote Destination)? leg =
            call.AgentLeg is { Dialog: { } a } agent && a.Id == id ? (a, agent.Invite, agent.Destination)
            : call.ConsultLeg is { Dialog: { } c } consulted && c.Id == id ? (c, consulted.Invite, consulted.Destination)
            : call.Monitor is { Dialog: { } m } monitor && m.Id == id ? (m, monitor.Invite, monitor.Destination)
            : null;
        if (leg is var (dialog, invite, destination) && dialog is not null)
        {
            await Layer.SendAckAsync(dialog.CreateAck(invite.CSeq!.Value.Number, invite), destination);
        }
    }

    /// <summary>Where <paramref name="extension"/>'s phone is reached now: its newest active registration, or null.</summary>
    private async Task<Telephony.Sip.Registrar.SipBinding?> FindPhoneAsync(string extension, DateTimeOffset now) =>
        (await sipRegistrar.GetActiveBindingsAsync(extension, now)).MaxBy(b => b.UpdatedAt);

    /// <summary>
    /// Media for a new outgoing leg of <paramref name="call"/> (its remote comes with the answer); null
    /// when no ports are free. A phone reached over TLS gets SRTP: a fresh key of ours now, its key with its answer.
    /// </summary>
    private RtpSession? OpenLegMedia(ActiveCall call, SipRemote destination) =>
        RtpSession.Open(
            ports,
            transport.PublicAddress,
            new IPEndPoint(IPAddress.Any, 0),
            call.Media.Format,
            rtpCounters,
            time,
            destination.Protocol == SipTransportProtocol.Tls ? SdesCrypto.Create(SdesNegotiation.OfferTag).Master : null);

    private async Task AgentAnsweredAsync(ActiveCall call, AgentLeg leg, SipResponse ok)
    {
        var (sdp, chosen) = CallSignalling.ReadAnswer(ok, leg.Media);
        var wanted = AgentLegPlanner.WantsAnswer(call.Ended, call.AgentLeg == leg, call.ConsultLeg == leg);
        var actions = await StepAsync(call, leg, LegLifecycle.Answered(leg.Phase, wanted, chosen is not null), ok);
        if ((actions & LegActions.Refused) != 0)
        {
            // Answered with no codec we speak: a miss like a refusal (OfferWithdrawn follows).
            leg.Outcome = "no-usable-codec";
            presence.Apply(leg.Extension, new AgentEvent.OfferRejected(call.Id, "no usable codec in the answer"));
        }

        // Answered too late (the caller left, the offer was withdrawn) or unusable: ACKed, BYEd and freed above.
        if ((actions & LegActions.Join) == 0)
        {
            return;
        }

        var dialog = leg.Dialog!;
        var now = time.GetUtcNow();
        leg.AnsweredAt = now;
        if (leg.IsConsult)
        {
            BridgeConsult(call, leg, sdp!, chosen!);
        }
        else
        {
            call.AnsweredAt ??= now;
            call.Agent = leg.Extension;
            call.RingSeconds += (now - leg.OfferedAt).TotalSeconds;
            Bridge(call, leg, sdp!, chosen!);
        }

        _calls.AddDialog(dialog, call);
        presence.Apply(leg.Extension, new AgentEvent.OfferAnswered(call.Id));
        _desk.Changed(call.Id, leg.Extension, DeskCallPhase.Talking, leg.IsConsult ? "consulted" : null);
        if (leg.IsConsult)
        {
            events.Write(EventKind.CallConsulting, call.Id, leg.Extension);
            return;
        }

        queues.Remove(call.Id); // with an agent: no more announcements
        events.Write(EventKind.CallBridged, call.Id, leg.Extension, new { recording = call.Recorder?.Path });
        LogBridged(logger, call.Id, call.CallId, leg.Extension);
    }

    /// <summary>Caller and agent hear each other through the relay; both directions are recorded. In the call's loop.</summary>
    private void Bridge(ActiveCall call, AgentLeg leg, SdpOffer answer, SdpAnswer chosen)
    {
        call.Ivr?.Dispose();
        call.Media.Events = null;
        call.Media.Player.Stop(call.Media.Player.Current);
        ApplyAnswer(leg.Media, answer, chosen);
        ConnectCaller(call, leg);

        // Left: what the agent hears (the caller); right: what the caller hears (the agent). One
        // recording per call: after a transfer the next agent's leg takes the left channel.
        var path = Path.Combine(recording.Directory, call.Id + ".wav");
        try
        {
            if (call.Recorder is { } recorder)
            {
                recorder.ReplaceLeft(leg.Media);
            }
            else
            {
                call.Recorder = StereoRecorder.Start(path, leg.Media, call.Media);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogRecordingFailed(logger, e, call.Id, call.CallId, path);
        }

        clock.Add(leg.Media);
    }

    /// <summary>An agent leg takes the codec, address and direction of the phone's SDP answer.</summary>
    private static void ApplyAnswer(RtpSession media, SdpOffer answer, SdpAnswer chosen)
    {
        media.ChangeFormat(chosen.ToMediaFormat());
        media.SetRemote(new IPEndPoint(answer.Address, answer.Port));
        media.Sending = chosen.Direction.Sends();
    }

    /// <summary>A fresh relay between the caller and <paramref name="leg"/>; the music stops. In the call's loop.</summary>
    private void ConnectCaller(ActiveCall call, AgentLeg leg)
    {
        call.Media.Player.SetBackground(null);
        var (toAgent, toCaller) = RtpSession.Join(call.Media, leg.Media);
        call.Relay = (toAgent, toCaller);
    }

    /// <summary>Adds a finished relay's counters to the totals on /health.</summary>
    private void AccountRelay((LiveAudio A, LiveAudio B)? relay)
    {
        if (relay is { } r)
        {
            relayTotals.Add(r.A);
            relayTotals.Add(r.B);
        }
    }

    /// <summary>A request in the agent's dialog: BYE ends the call; re-INVITE and UPDATE hold or resume it.</summary>
    private async Task HandleFromAgentAsync(Telephony.Sip.Transactions.SipServerTransaction transaction, SipRequest request, ActiveCall call, SipDialogId dialogId)
    {
        if (call.ConsultLeg is { Dialog: { } consultDialog } consulted && consultDialog.Id == dialogId)
        {
            await HandleFromConsultedAsync(transaction, request, call, consulted);
            return;
        }

        // Posted while the leg was live, handled after it left (a transfer): its dialog is gone.
        if (call.AgentLeg is not { Dialog: { } agentDialog } leg || agentDialog.Id != dialogId)
        {
            await transaction.SendResponseAsync(transaction.CreateResponse(481));
            return;
        }

        switch (request.Method)
        {
            case SipMethods.Bye when call.ConsultLeg is not null:
                // The transferring agent hangs up during the consultation: the transfer completes.
                await transaction.SendResponseAsync(transaction.CreateResponse(200));
                await CompleteConsultAsync(call, transferorHungUp: true);
                break;
            case SipMethods.Bye:
                await transaction.SendResponseAsync(transaction.CreateResponse(200));
                await HangUpAsync(call, CallDisposition.AgentHungUp, agentHungUp: true);
                break;
            case SipMethods.Invite or SipMethods.Update:
                await AnswerAgentSessionChangeAsync(transaction, request, call, leg);
                break;
            case SipMethods.Refer:
                await AnswerReferAsync(transaction, request, call, leg);
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
    private async Task AnswerAgentSessionChangeAsync(Telephony.Sip.Transactions.SipServerTransaction transaction, SipRequest request, ActiveCall call, AgentLeg leg)
    {
        if (!_signalling.TryReadSessionOffer(request, leg.Media, out var offer, out var answer, out var sdes))
        {
            await transaction.SendResponseAsync(CallSignalling.NotAcceptable(transaction, sdes));
            return;
        }

        var ok = transaction.CreateResponse(200);
        ok.Contacts.Add(new SipNameAddress { Uri = _signalling.ContactUri(leg.Destination.Protocol, call.Dialed, CallSignalling.IsSips(request.RequestUri)) });
        if (answer is not null && offer is not null)
        {
            var hold = HoldPlanner.IsHoldOffer(offer.Direction, offer.Address);
            CallSignalling.FollowOffer(leg.Media, offer);
            leg.Media.Sending = answer.Direction.Sends();

            SetHold(call, leg, hold);
            _signalling.WriteSessionAnswer(ok, answer, offer, sdes, leg.Media);
        }

        await transaction.SendResponseAsync(ok);
    }

    /// <summary>
    /// Holds or resumes the bridged call, from the phone's re-INVITE or the desk: on hold the caller hears
    /// music and the agent silence, and the time counts as hold time. False when it was so already.
    /// </summary>
    private bool SetHold(ActiveCall call, AgentLeg leg, bool hold)
    {
        var now = time.GetUtcNow();
        var plan = HoldPlanner.Plan(call.Ended, call.AgentLeg == leg, leg.OnHold, leg.HoldStartedAt, hold, now);
        if (!plan.Changed)
        {
            return false;
        }

        leg.OnHold = hold;
        if (hold)
        {
            leg.HoldStartedAt = now;
            call.Media.Player.SetLive(null);
            call.Media.Player.SetBackground(prompts.MusicOnHold);
            leg.Media.Player.SetLive(null);
        }
        else
        {
            call.HoldSeconds += plan.HoldSecondsAdded;
            leg.HoldStartedAt = null;
            call.Media.Player.SetBackground(null);
            call.Media.Player.SetLive(call.Relay?.ToCaller);
            leg.Media.Player.SetLive(call.Relay?.ToAgent);
        }

        events.Write(hold ? EventKind.CallHold : EventKind.CallResume, call.Id, leg.Extension);
        _desk.Changed(call.Id, leg.Extension, hold ? DeskCallPhase.Held : DeskCallPhase.Talking, null);
        return true;
    }

    private async Task WithdrawOfferAsync(ActiveCall call, string extension)
    {
        var withdrawn = AgentLegPlanner.Withdrawn(View(call.ConsultLeg), View(call.AgentLeg), extension);
        if (withdrawn == WithdrawnLeg.Consult)
        {
            // The consulted agent did not answer: the caller goes back to the call's agent.
            await EndConsultLegAsync(call, "no-answer");
            ReconnectCaller(call);
            return;
        }

        var now = time.GetUtcNow();
        if (withdrawn == WithdrawnLeg.Agent && call.AgentLeg is { } leg)
        {
            call.AgentLeg = null;
            call.RingSeconds += (now - leg.OfferedAt).TotalSeconds;
            call.Legs.Add(new CallLeg("agent", extension, leg.OfferedAt, null, now, leg.Outcome ?? "no-answer"));
            events.Write(EventKind.CallOfferFailed, call.Id, extension, new { outcome = leg.Outcome ?? "no-answer" });
            _desk.Changed(call.Id, extension, DeskCallPhase.Ended, leg.Outcome ?? "no-answer");
            LogOfferFailed(logger, call.Id, call.CallId, extension, leg.Outcome ?? "no-answer");
            await StopRingingAsync(call, leg);
        }

        if (AgentLegPlanner.Requeues(call.Ended, call.AgentLeg is not null, call.Waiting is not null))
        {
            queues.Requeue(call.Waiting!);
        }
    }

    private static LegView? View(AgentLeg? leg) => leg is null ? null : new LegView(leg.Extension, leg.Dialog is not null);

    /// <summary>
    /// A leg given up before it was answered: CANCEL while the INVITE is pending (RFC 3261 9.1; its
    /// 487 comes back as <see cref="CallEvent.AgentLegFinal"/>, which then frees the media), or free
    /// the media at once when the phone's final answer has already come.
    /// </summary>
    private async Task StopRingingAsync(ActiveCall call, AgentLeg leg)
    {
        await StepAsync(call, leg, LegLifecycle.GiveUp(leg.Phase));
    }

    /// <summary>The call ends (either side): CANCEL or BYE the agent's leg, stop relay and recording, tell presence.</summary>
    private async Task EndAgentLegAsync(ActiveCall call, bool agentHungUp)
    {
        await EndConsultLegAsync(call, "caller-hung-up");
        var leg = call.AgentLeg;
        call.AgentLeg = null;
        if (leg is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        var (outcome, sendBye) = AgentLegPlanner.Ending(answered: leg.Dialog is not null, agentHungUp);
        if (leg.Dialog is null)
        {
            // The caller hung up while the agent's phone rang: not the agent's miss.
            call.RingSeconds += (now - leg.OfferedAt).TotalSeconds;
            call.Legs.Add(new CallLeg("agent", leg.Extension, leg.OfferedAt, null, now, outcome));
            presence.Apply(leg.Extension, new AgentEvent.CallEnded(call.Id));
            events.Write(EventKind.CallOfferFailed, call.Id, leg.Extension, new { outcome });
            _desk.Changed(call.Id, leg.Extension, DeskCallPhase.Ended, outcome);
            await StopRingingAsync(call, leg);
            return;
        }

        CloseBridgedLeg(call, leg, outcome, now);
        await ReleaseBridgedLegAsync(call, leg, sendBye);
    }

    /// <summary>The bridged leg's part of the record and of the call's media.</summary>
    private void CloseBridgedLeg(ActiveCall call, AgentLeg leg, string outcome, DateTimeOffset now)
    {
        if (leg.OnHold && leg.HoldStartedAt is { } since)
        {
            call.HoldSeconds += (now - since).TotalSeconds;
        }

        call.Legs.Add(new CallLeg("agent", leg.Extension, leg.OfferedAt, leg.AnsweredAt, now, outcome));
        call.Media.Forward = null;
        call.Media.Player.SetLive(null);
    }

    /// <summary>Ends a bridged agent leg's signalling and media (the call may go on, as after a transfer) and tells presence.</summary>
    private async Task ReleaseBridgedLegAsync(ActiveCall call, AgentLeg leg, bool sendBye, bool accountCallRelay = true, Task? byeAfter = null)
    {
        await EndMonitorForAsync(call, leg, "agent-left");
        clock.Remove(leg.Media);
        _calls.RemoveDialog(leg.Dialog!.Id);
        presence.Apply(leg.Extension, new AgentEvent.CallEnded(call.Id));
        _desk.Changed(call.Id, leg.Extension, DeskCallPhase.Ended, null);
        await StepAsync(call, leg, sendBye ? LegLifecycle.GiveUp(leg.Phase) : LegLifecycle.HungUp(leg.Phase), byeAfter: byeAfter);
        if (accountCallRelay && call.Relay is not null)
        {
            AccountRelay(call.Relay);
            relayTotals.CountBridge();
            call.Relay = null;
        }
    }

    private async Task<(string? Path, string? Sha256)> CompleteRecordingAsync(ActiveCall call)
    {
        if (call.Recorder is not { } recorder)
        {
            return (null, null);
        }

        try
        {
            var (sha, _) = await recorder.CompleteAsync();
            return (recorder.Path, sha);
        }
        catch (IOException e)
        {
            LogRecordingFailed(logger, e, call.Id, call.CallId, recorder.Path);
            return (recorder.Path, null);
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

    [LoggerMessage(2115, LogLevel.Error, "Call {CallId} (SIP {SipCallId}): recording {Path} failed")]
    private static partial void LogRecordingFailed(ILogger logger, Exception exception, string callId, string sipCallId, string path);
}
