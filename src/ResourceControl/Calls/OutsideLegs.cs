using CallCenter.Data.Calls;
using CallCenter.Data.Events;
using CallCenter.ResourceControl.Outbound;
using CallCenter.Telephony.Media;
using CallCenter.Telephony.Rtp;
using CallCenter.Telephony.Sip.Auth;
using CallCenter.Telephony.Sip.Dialogs;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Transactions;
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// Legs to outside numbers through a trunk (<see cref="TrunkLeg"/>): rung with the trunk's calling
/// number, the carrier's 401 or 407 answered once with the trunk's credentials (RFC 3261 22.2), on
/// answer bridged to the caller and recorded in the agent's place (or, consulted, to the agent, the two recorded in the
/// call's recording while the caller is on hold), hung up from either side. Today a
/// blind transfer to a number uses it (<see cref="CallTransfers"/>); callbacks and list calls will.
/// A number that does not answer puts the caller back in their queue.
/// </summary>
/// <remarks>Every method runs in the call's loop, on the call it is given.</remarks>
internal sealed partial class OutsideLegs(
    CallLegs legs,
    CallSignalling signalling,
    CallDirectory<ActiveCall> calls,
    CallRecording recording,
    Queues.AcdQueues queues,
    Trunks trunks,
    MediaClock clock,
    Records.EventLog events,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>
    /// Rings <paramref name="number"/> through <paramref name="trunk"/> for the call (for the agent to consult when
    /// <paramref name="consult"/>); false when no media port is free.
    /// </summary>
    public bool Ring(ActiveCall call, DialableNumber number, Trunk trunk, bool consult = false)
    {
        // A carrier gets plain RTP whatever the signalling's transport (no SRTP is offered on a TLS trunk).
        if (legs.OpenMedia(call, trunk.Remote with { Protocol = SipTransportProtocol.Udp }) is not { } media)
        {
            return false;
        }

        var invite = signalling.CreateTrunkInvite(call, trunk, number, media);
        var leg = new TrunkLeg(number, trunk, invite, media, time.GetUtcNow(), consult);
        call.OutsideRung(leg);
        events.Write(EventKind.CallOutsideRinging, call, null, new { number = number.E164, trunk = trunk.Name, consult });
        LogRinging(logger, call.Id, call.CallId, number.Dial, trunk.Name);
        RingLeg(call, leg);
        return true;
    }

    /// <summary>The trunk's final answer: a challenge answered once, a 2xx joined to the caller, a failure sends the caller back to their queue.</summary>
    public async Task FinalAsync(ActiveCall call, TrunkLeg leg, SipResponse final)
    {
        if (await AnswerChallengeAsync(call, leg, final))
        {
            return;
        }

        if (final.IsSuccess)
        {
            _ = await AnsweredAsync(call, leg, final);
            return;
        }

        if (call.OutsideLeg == leg && !call.Ended && (await FailOverAsync(call, leg, final)).Next is { } next)
        {
            call.OutsideRung(next);
            RingLeg(call, next);
            return;
        }

        if ((await legs.StepAsync(call, leg, LegLifecycle.Refused(leg.Phase)) & LegActions.Refused) != 0 && call.OutsideLeg == leg)
        {
            call.OutsideLegLeft();
            var outcome = $"rejected {final.StatusCode}";
            call.LegEnded(new CallLeg("outside", leg.Number.E164, leg.OfferedAt, null, time.GetUtcNow(), outcome));
            events.Write(EventKind.CallOutsideFailed, call, null, new { number = leg.Number.E164, outcome });
            LogFailed(logger, call.Id, call.CallId, leg.Number.Dial, outcome);
            RequeueCaller(call);
        }
    }

    /// <summary>
    /// A 401 or 407 from the trunk answered once with its credentials (the INVITE sent again, the same
    /// leg); true when <paramref name="final"/> was such a challenge and nothing else is to be done with it.
    /// </summary>
    public async Task<bool> AnswerChallengeAsync(ActiveCall call, TrunkLeg leg, SipResponse final)
    {
        if (!leg.Trunk.HasCredentials || leg.Authenticated
            || SipDigestClient.AnswerFinal(final, leg.Trunk.Username, leg.Trunk.Password, SipMethods.Invite, leg.Invite.RequestUri.ToString()) is not { } answer)
        {
            return false;
        }

        await legs.StepAsync(call, leg, LegLifecycle.Challenged(leg.Phase));
        if (leg.Phase == LegPhase.Ringing)
        {
            leg.ReinviteWithCredentials(signalling.CreateTrunkInvite(call, leg.Trunk, leg.Number, leg.Media, (leg.Invite, answer.Header, answer.Value)));
            RingLeg(call, leg);
        }

        return true;
    }

    /// <summary>
    /// When <paramref name="final"/> says the leg's trunk is down (<see cref="TrunkFailover"/>): the reason (remembered
    /// for the trunk's status), and while the leg still rings and a trunk is left, the same number's leg through the
    /// next trunk with the same media (not yet rung; this leg is done). Not down: both null.
    /// </summary>
    public async Task<(TrunkLeg? Next, string? Down)> FailOverAsync(ActiveCall call, TrunkLeg leg, SipResponse final)
    {
        if (!TrunkFailover.IsTrunkDown(final))
        {
            return (null, null);
        }

        var reason = trunks.Down(leg.Trunk, final, time.GetUtcNow());
        if (leg.Phase != LegPhase.Ringing || trunks.After(leg.Trunk) is not { } next)
        {
            LogTrunkDown(logger, call.Id, call.CallId, reason, "none");
            return (null, reason);
        }

        LogTrunkDown(logger, call.Id, call.CallId, reason, next.Name);
        await legs.StepAsync(call, leg, LegLifecycle.FailedOver(leg.Phase));
        if (final.Synthesized)
        {
            // Our own 408 or 503: the first trunk's INVITE may still be answered. Abandoned, its late 2xx is ACKed and
            // BYEd (LegLifecycle) and a late provisional CANCELled, so the client's phone is not rung or connected twice.
            leg.SilenceTimer?.Dispose();
            if (leg.Heard)
            {
                CancelAbandoned(call, leg);
            }
        }

        events.Write(EventKind.CallOutsideFailed, call, call.Agent, new { number = leg.Number.E164, outcome = "failed-over", why = reason, next = next.Name });
        var invite = signalling.CreateTrunkInvite(call, next, leg.Number, leg.Media);
        return (new TrunkLeg(leg.Number, next, invite, leg.Media, leg.OfferedAt, leg.IsConsult), reason);
    }

    /// <summary>A request in the outside party's dialog other than BYE: a session change is answered, the rest refused.</summary>
    public async Task HandleRequestAsync(SipServerTransaction transaction, SipRequest request, ActiveCall call, TrunkLeg leg)
    {
        switch (request.Method)
        {
            case SipMethods.Invite or SipMethods.Update:
                await signalling.AnswerSessionChangeAsync(transaction, request, leg.Media, leg.Destination.Protocol, call.Dialed);
                break;
            case SipMethods.Options or SipMethods.Info:
                await transaction.SendResponseAsync(DialogMethods.WithAllow(transaction, 200, DialogMethods.WithoutRefer));
                break;
            default:
                await transaction.SendResponseAsync(DialogMethods.WithAllow(transaction, 405, DialogMethods.WithoutRefer));
                break;
        }
    }

    /// <summary>
    /// The call ends, or the consultation of the number: CANCEL the ringing number or BYE the answered one (none when
    /// <paramref name="hungUp"/>: their BYE ended it); <paramref name="outcome"/> for the record's leg, else from how it ended.
    /// </summary>
    public async Task EndAsync(ActiveCall call, bool hungUp, string? outcome = null)
    {
        if (call.OutsideLeg is not { } leg)
        {
            return;
        }

        call.OutsideLegLeft();
        var now = time.GetUtcNow();
        outcome ??= leg.Dialog is null ? "caller-hung-up" : hungUp ? "outside-hung-up" : "ended";

        // An answered consultation leaves the recording's right channel to the caller again, and its leg names where it is.
        var recordedTo = leg.IsConsult && leg.RecordedFrom is not null ? CallRecording.EndConsult(call) : null;
        call.LegEnded(new CallLeg(leg.IsConsult ? "consult" : "outside", leg.Number.E164, leg.OfferedAt, leg.AnsweredAt, now, outcome, leg.IsConsult ? leg.RecordedFrom : null, recordedTo));
        if (leg.Dialog is null)
        {
            await legs.StepAsync(call, leg, LegLifecycle.GiveUp(leg.Phase));
            return;
        }

        call.Media.Forward = null;
        call.Media.Player.SetLive(null);
        clock.Remove(leg.Media);
        calls.RemoveDialog(leg.Dialog.Id);
        await legs.StepAsync(call, leg, hungUp ? LegLifecycle.HungUp(leg.Phase) : LegLifecycle.GiveUp(leg.Phase));
        legs.AccountRelay(leg.TakeRelay());
    }

    /// <summary>The number did not take the call: a live caller waits for an agent in their queue again, music on.</summary>
    private void RequeueCaller(ActiveCall call)
    {
        if (!call.Ended && call.Waiting is { } waiting)
        {
            queues.Enqueue(waiting, call.Language ?? "zh", list => legs.Post(call, new CallEvent.Announce(list)));
        }
    }

    /// <summary>Sends the leg's INVITE in the background; its final response comes back as <see cref="CallEvent.TrunkLegFinal"/>.</summary>
    /// <remarks>
    /// A trunk that says nothing at all (not even 100 Trying) for <see cref="Trunk.FailoverAfter"/> is down: a synthesized 408 is
    /// posted then, so a silent UDP trunk fails over in seconds rather than at the INVITE's 32 s timeout (RFC 3261 17.1.1.2).
    /// Any response from the trunk, a challenge included, marks it alive and voids that 408.
    /// </remarks>
    public void RingLeg(ActiveCall call, TrunkLeg leg)
    {
        var spoke = leg.Rings();
        legs.Ring(
            call,
            $"INVITE to {leg.Describe()}",
            leg.Invite,
            leg.Destination,
            leg.Media,
            final =>
            {
                if (!final.Synthesized)
                {
                    spoke.Mark();
                }

                return new CallEvent.TrunkLegFinal(leg, final);
            },
            e => LogLegError(logger, e, call.Id, call.CallId, leg.Number.Dial),
            _ =>
            {
                // Once per INVITE: the loop marks the leg heard (and CANCELs it if it was abandoned meanwhile). If the call's
                // mailbox has closed, the loop will not: an abandoned INVITE's provisional must still get its CANCEL (RFC 3261
                // 9.1). The leg's phase may still move from Abandoned to Gone as the INVITE's final lands; a CANCEL crossing
                // that final is answered and changes nothing.
                if (spoke.Mark() && legs.Post(call, new CallEvent.TrunkLegHeard(leg)) == PostOutcome.Closed && leg.Phase == LegPhase.Abandoned)
                {
                    CancelAbandoned(call, leg);
                }
            });
        if (leg.Trunk.FailoverAfter > TimeSpan.Zero)
        {
            leg.WatchesSilence(time.CreateTimer(
                static s =>
                {
                    // The loop voids it if the trunk spoke meanwhile, even if what it said is still queued behind it (CallCore.SilenceVoid).
                    var (post, call, leg, invite, spoke) = ((Func<ActiveCall, CallEvent, PostOutcome>, ActiveCall, TrunkLeg, SipRequest, TrunkSpoke))s!;
                    if (!spoke.Yet)
                    {
                        var silence = SipMessageBuilder.CreateResponse(invite, 408);
                        silence.Synthesized = true;
                        post(call, new CallEvent.TrunkLegFinal(leg, silence, spoke));
                    }
                },
                ((Func<ActiveCall, CallEvent, PostOutcome>)legs.Post, call, leg, leg.Invite, spoke),
                leg.Trunk.FailoverAfter,
                Timeout.InfiniteTimeSpan));
        }
    }

    /// <summary>The trunk spoke on <paramref name="leg"/> (a provisional): alive; abandoned meanwhile (failed over on our own silence), its INVITE is CANCELled now.</summary>
    public Task HeardAsync(ActiveCall call, TrunkLeg leg)
    {
        leg.HeardFrom();
        if (leg.Phase == LegPhase.Abandoned)
        {
            CancelAbandoned(call, leg);
        }

        return Task.CompletedTask;
    }

    /// <summary>The abandoned INVITE (failed over) is CANCELled once it has had a provisional; its 487 or a crossing 2xx come back as finals.</summary>
    private void CancelAbandoned(ActiveCall call, TrunkLeg leg)
    {
        if (leg.TakeCancel())
        {
            LogAbandonedCancelled(logger, call.Id, call.CallId, leg.Number.Dial, leg.Trunk.Name);
            legs.SendInBackground(call, $"CANCEL to {leg.Describe()} (failed over)", SipMessageBuilder.CreateCancel(leg.Invite), leg.Destination);
        }
    }

    /// <summary>
    /// The number answered: joined to the caller (a transfer), or to the call's agent while the caller waits on hold
    /// (a consultation); true when joined. An unusable answer sends a transfer's caller back to their queue.
    /// </summary>
    public async Task<bool> AnsweredAsync(ActiveCall call, TrunkLeg leg, SipResponse ok)
    {
        var (sdp, chosen) = CallSignalling.ReadAnswer(ok, leg.Media);
        var wanted = !call.Ended && call.OutsideLeg == leg;
        var abandoned = leg.Phase == LegPhase.Abandoned;
        var actions = await legs.StepAsync(call, leg, LegLifecycle.Answered(leg.Phase, wanted, chosen is not null), ok);
        if ((actions & LegActions.Join) == 0)
        {
            if (abandoned)
            {
                LogAbandonedAnswered(logger, call.Id, call.CallId, leg.Number.Dial, leg.Trunk.Name);
                events.Write(EventKind.CallOutsideFailed, call, call.Agent, new { number = leg.Number.E164, outcome = "answered-after-failover", trunk = leg.Trunk.Name });
            }

            if (call.OutsideLeg == leg && !leg.IsConsult)
            {
                // Answered without a codec we speak: as a failure, the caller waits in their queue again.
                call.OutsideLegLeft();
                call.LegEnded(new CallLeg("outside", leg.Number.E164, leg.OfferedAt, null, time.GetUtcNow(), "no-usable-codec"));
                RequeueCaller(call);
            }

            return false;
        }

        leg.Answered(time.GetUtcNow());
        CallLegs.ApplyAnswer(leg.Media, sdp!, chosen!);
        if (leg.IsConsult)
        {
            // The agent and the consulted number talk; the caller keeps their music until it completes or ends. The call's
            // recording takes the consultation: the agent's leg on the left sends the number's voice, the number's leg on the
            // right the agent's (every call to an outside number is recorded, a consultation too).
            if (call.AgentLeg is { } agent)
            {
                leg.Joined(RtpSession.Join(agent.Media, leg.Media), CallRecording.StartConsult(call, leg.Media));
            }
        }
        else
        {
            call.Media.Player.SetBackground(null);
            leg.Joined(RtpSession.Join(call.Media, leg.Media));

            // The outside party takes the agent's channel of the call's one recording.
            recording.Attach(call, leg.Media);
        }

        clock.Add(leg.Media);
        calls.AddDialog(leg.Dialog!, call);
        events.Write(EventKind.CallOutsideBridged, call, null, new { number = leg.Number.E164, trunk = leg.Trunk.Name, consult = leg.IsConsult });
        LogBridged(logger, call.Id, call.CallId, leg.Number.Dial);
        return true;
    }

    [LoggerMessage(2150, LogLevel.Information, "Call {CallId} (SIP {SipCallId}): ringing {Number} through trunk {Trunk}")]
    private static partial void LogRinging(ILogger logger, string callId, string sipCallId, string number, string trunk);

    [LoggerMessage(2151, LogLevel.Information, "Call {CallId} (SIP {SipCallId}): bridged to {Number}")]
    private static partial void LogBridged(ILogger logger, string callId, string sipCallId, string number);

    [LoggerMessage(2152, LogLevel.Information, "Call {CallId} (SIP {SipCallId}): {Number} did not take the call: {Outcome}")]
    private static partial void LogFailed(ILogger logger, string callId, string sipCallId, string number, string outcome);

    [LoggerMessage(4450, LogLevel.Warning, "Call {CallId} (SIP {SipCallId}): {Reason}; the next trunk: {Next}")]
    private static partial void LogTrunkDown(ILogger logger, string callId, string sipCallId, string reason, string next);

    [LoggerMessage(4117, LogLevel.Warning, "Call {CallId} (SIP {SipCallId}): trunk {Trunk} spoke after the call to {Number} went out through the next one; its INVITE is CANCELled")]
    private static partial void LogAbandonedCancelled(ILogger logger, string callId, string sipCallId, string number, string trunk);

    [LoggerMessage(4118, LogLevel.Warning, "Call {CallId} (SIP {SipCallId}): trunk {Trunk} answered {Number} after the call went out through the next one; ACKed and hung up")]
    private static partial void LogAbandonedAnswered(ILogger logger, string callId, string sipCallId, string number, string trunk);

    [LoggerMessage(2153, LogLevel.Error, "Call {CallId} (SIP {SipCallId}): the leg to {Number} failed")]
    private static partial void LogLegError(ILogger logger, Exception exception, string callId, string sipCallId, string number);
}
