using System.Net;
using CallCenter.Data.Calls;
using CallCenter.Data.Events;
using CallCenter.FaxSms.Fax;
using CallCenter.ResourceControl.Routing;
using CallCenter.Telephony.Codecs;
using CallCenter.Telephony.Rtp;
using CallCenter.Telephony.Sdp;
using CallCenter.Telephony.Sip.Auth;
using CallCenter.Telephony.Sip.Dialogs;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// The dispatcher's part of fax calls (<see cref="FaxCallKind"/>, <see cref="FaxCalls"/>): an inbound
/// one starts its receiver instead of a flow; an outbound one (<see cref="SendFaxAsync"/>) is placed
/// here and becomes a call like any other once answered, so the remote's BYE and re-INVITEs reach it.
/// Either hangs up when T.30 is done.
/// </summary>
internal sealed partial class SipEndpoint
{
    /// <summary>How long an outbound fax call may ring before it is CANCELled (no answer).</summary>
    private static readonly TimeSpan _faxRingLimit = TimeSpan.FromSeconds(60);

    /// <summary>Instead of a flow: the T.30 receiver on the caller's leg. True when the call is a fax call.</summary>
    private bool StartFax(ActiveCall call)
    {
        if (faxes is null || call.Kind.Start(call) is not CallKindStart.ReceiveFax)
        {
            return false;
        }

        if (!call.Ended && call.Fax is null)
        {
            faxes.StartReceiving(call, e => Post(call, e));
        }

        return true;
    }

    /// <summary>
    /// A calling fax's CNG tone was heard on a hotline call (issue 16 part 4): while the caller is still
    /// the IVR's (in a menu, or waiting in a queue) and no agent or outside party is on the line, the
    /// flow stops, the caller leaves the queue, the prompt or music stops, and the call receives the fax
    /// exactly as a call to <c>Fax:Number</c> does (stored, counted, mailed, listed); it ends as
    /// <c>fax-received</c> or <c>fax-failed</c>. A tone heard any later is ignored.
    /// </summary>
    private Task SwitchToFaxAsync(ActiveCall call)
    {
        call.Media.DetectFaxTone = false;
        if (faxes is null || call.Ended || call.Fax is not null || call.Ivr is null
            || call.AgentLeg is not null || call.OutsideLeg is not null || call.ConsultLeg is not null || call.Callback is not null)
        {
            return Task.CompletedTask;
        }

        var queued = call.Waiting is not null;
        call.Ivr.Dispose();
        call.Media.Events = null;
        acd.Queues.Remove(call.Id);
        var player = call.Media.Player;
        player.Stop(player.Current);
        player.SetBackground(null);
        stores.Events.Write(EventKind.CallFaxToneDetected, call, null, new { dialed = call.Dialed, ivrPath = string.Join('>', call.IvrPath), queue = queued ? call.Queue : null });
        faxes.SwitchedToFax(call, queued);
        faxes.StartReceiving(call, e => Post(call, e));
        return Task.CompletedTask;
    }

    /// <summary>The ACD gave an agent to a caller that turned out to be a fax machine: the agent goes back to the router.</summary>
    private Task ReturnAssignmentOfFax(RoutingAssignment assignment)
    {
        acd.Presence.ReturnToRouter(assignment.Agent);
        return Task.CompletedTask;
    }

    /// <summary>T.30 ended (or ran out of time): the platform hangs up; <see cref="FaxEnding"/> settles the fax and the call's ending.</summary>
    private Task FaxEndedAsync(ActiveCall call, FaxResult result)
    {
        if (call.Fax is { } fax)
        {
            fax.Resulted(result);
        }

        return HangUpAsync(call, CallDisposition.FaxFailed);
    }

    /// <summary>
    /// A fax call is ending, whoever ended it (T.30 done, the far end's BYE mid-page, shutdown): the fax
    /// ends with it (<see cref="FaxCalls.End"/>: its T.30 result kept, received pages stored), the result
    /// goes in the call's event log, and the call ends as <c>fax-received</c>, <c>fax-sent</c> or
    /// <c>fax-failed</c> by that result instead of <paramref name="disposition"/>, so its record says
    /// what became of the fax. Any other call keeps <paramref name="disposition"/>.
    /// </summary>
    private CallDisposition FaxEnding(ActiveCall call, CallDisposition disposition)
    {
        faxes?.End(call);
        if (call.Fax is not { Result: { } result } fax)
        {
            return disposition;
        }

        // The T.30 result in the call's event log, tied to the fax's row by its id.
        stores.Events.Write(EventKind.CallFaxEnded, call, null, new
        {
            faxId = fax.Id,
            direction = fax.Sent is null ? FaxStatus.Inbound : FaxStatus.Outbound,
            succeeded = result.Succeeded,
            pages = result.Pages,
            bitRate = result.BitRate,
            ecm = result.Ecm,
            code = result.Code,
            text = result.Text,
            badRows = result.BadRows,
            refusedPages = result.Rejections,
            endedBy = disposition.Value,
        });
        return !result.Succeeded ? CallDisposition.FaxFailed
            : fax.Sent is null ? CallDisposition.FaxReceived : CallDisposition.FaxSent;
    }

    /// <summary>
    /// Places a fax call to <paramref name="target"/> at <paramref name="destination"/> (UDP, G.711
    /// offered) and sends <paramref name="tiffPath"/> from <paramref name="startPage"/> once answered.
    /// Answers when the call has ended: the INVITE's final status, and the T.30 result when it was up.
    /// </summary>
    public async Task<FaxAttempt> SendFaxAsync(string faxId, SipUri target, SipRemote destination, string tiffPath, int startPage, CancellationToken cancellationToken) =>
        (await PlaceFaxAsync(faxId, destination, target.User ?? target.Host, null, (media, _) => FaxInvite(target, destination, media), tiffPath, startPage, cancellationToken)).Attempt;

    /// <summary>
    /// As <see cref="SendFaxAsync"/> for a telephone number through the trunks, as a voice call to a
    /// number goes (<see cref="OutsideLegs.FailOverAsync"/>): first through <paramref name="first"/>, with
    /// the INVITE a transfer or callback to that number sends (the trunk's calling number,
    /// P-Asserted-Identity) and the trunk's 401 or 407 answered once with its credentials (RFC 3261 22.2);
    /// a trunk that is down (<see cref="Outbound.TrunkFailover"/>: its 500/502/503/504, no response at all
    /// within its <see cref="Outbound.Trunk.FailoverAfter"/>, or a transport that cannot reach it) is
    /// remembered as down for <c>GET /api/trunks</c> and the same attempt goes on through the next trunk.
    /// When every trunk was down the attempt's reason names each one's failure (a failure that may pass:
    /// tried again later). A busy, unanswered or refusing number is the number's answer, whatever the trunk.
    /// </summary>
    public async Task<FaxAttempt> SendFaxThroughTrunksAsync(string faxId, Outbound.Trunk first, Outbound.DialableNumber number, string tiffPath, int startPage, CancellationToken cancellationToken)
    {
        var down = new List<string>();
        for (var trunk = first; ;)
        {
            var through = trunk;
            var (attempt, final) = await PlaceFaxAsync(
                faxId, through.Remote, number.Dial, through,
                (media, again) => _signalling.CreateTrunkInvite(faxes!.Number, media.Format, through, number, media, again),
                tiffPath, startPage, cancellationToken);
            if (final is null || !Outbound.TrunkFailover.IsTrunkDown(final))
            {
                return attempt;
            }

            var reason = outbound.Trunks.Down(through, final, time.GetUtcNow());
            down.Add(reason);
            var next = cancellationToken.IsCancellationRequested ? null : outbound.Trunks.After(through);
            LogFaxTrunkDown(logger, faxId, number.Dial, reason, next?.Name ?? "none");
            if (next is null)
            {
                return attempt with { Reason = (down.Count > 1 ? "every trunk is down: " : "") + string.Join("; ", down) };
            }

            trunk = next;
        }
    }

    private SipRequest FaxInvite(SipUri target, SipRemote destination, RtpSession media)
    {
        var local = edge.Transport.LocalFor(destination.Protocol).EndPoint;
        var host = CallSignalling.UriHost(local.Address);
        var number = faxes!.Number;
        var from = new SipNameAddress { Uri = new SipUri { Scheme = "sip", User = number, Host = host } };
        from.Tag = SipMessageBuilder.NewTag();
        var invite = new SipRequest
        {
            Method = SipMethods.Invite,
            RequestUri = target,
            From = from,
            To = new SipNameAddress { Uri = target.Clone() },
            CallId = SipMessageBuilder.NewCallId(host),
            CSeq = new SipCSeq(1, SipMethods.Invite),
            MaxForwards = SipMessageBuilder.DefaultMaxForwards,
            ContentType = "application/sdp",
        };
        invite.Contacts.Add(new SipNameAddress { Uri = _signalling.ContactUri(destination.Protocol, number, sips: false) });
        invite.Headers.Add(SipHeaderNames.Allow, DialogMethods.Allow(DialogMethods.WithoutRefer));
        invite.Body = SdpOfferWriter.Write(edge.Transport.PublicAddress, media.LocalPort, [SdpAnswer.Pcmu, SdpAnswer.Pcma], time.GetUtcNow().ToUnixTimeSeconds(), 1);
        return invite;
    }

    /// <summary>
    /// One fax call: the attempt, and the INVITE's final response (a synthesized one when the far end said
    /// nothing or could not be reached; null when none was sent or awaited), from which the caller judges a trunk.
    /// </summary>
    private async Task<(FaxAttempt Attempt, SipResponse? Final)> PlaceFaxAsync(
        string faxId,
        SipRemote destination,
        string dialed,
        Outbound.Trunk? trunk,
        Func<RtpSession, (SipRequest Challenged, string Header, string Credentials)?, SipRequest> createInvite,
        string tiffPath,
        int startPage,
        CancellationToken cancellationToken)
    {
        if (faxes is null || _stopping)
        {
            return (new FaxAttempt(0, null, "the platform is not taking fax calls"), null);
        }

        // The document is looked at before a call is spent on it: one that is gone or broken is the
        // fax's own fault, which no other attempt mends (not dialled, so not tried again).
        try
        {
            TiffCheck.ThrowIfNotTiff(tiffPath);
        }
        catch (Exception e) when (e is FaxDocumentException or IOException or UnauthorizedAccessException)
        {
            return (new FaxAttempt(0, null, "the document cannot be sent: " + e.Message, Refused: true), null);
        }

        var media = RtpSession.Open(callMedia.Ports, edge.Transport.PublicAddress, new IPEndPoint(IPAddress.Any, 0), new RtpMediaFormat(SdpAnswer.Pcmu, G711Law.MuLaw, null), callMedia.RtpCounters, time);
        if (media is null)
        {
            return (new FaxAttempt(0, null, "no RTP port free"), null);
        }

        var number = faxes.Number;
        var invite = createInvite(media, null);
        var silence = trunk?.FailoverAfter ?? TimeSpan.Zero;
        var (final, failure) = await RingFaxAsync(invite, destination, silence, cancellationToken);

        // RFC 3261 22.2: the trunk's challenge answered once, the same Call-ID and From tag, the next CSeq.
        if (final is not null && trunk is { HasCredentials: true }
            && SipDigestClient.AnswerFinal(final, trunk.Username, trunk.Password, SipMethods.Invite, invite.RequestUri.ToString()) is { } answer)
        {
            invite = createInvite(media, (invite, answer.Header, answer.Value));
            (final, failure) = await RingFaxAsync(invite, destination, silence, cancellationToken);
        }

        if (final is null)
        {
            await media.DisposeAsync();
            return (new FaxAttempt(0, null, failure ?? "no answer"), null);
        }

        if (!final.IsSuccess)
        {
            await media.DisposeAsync();
            return (new FaxAttempt(final.StatusCode, null, final.ReasonPhrase ?? SipMessageBuilder.ReasonPhrase(final.StatusCode)), final);
        }

        // RFC 3261 13.2.2.4: every 2xx gets its ACK; the dialog is ours (UAC) from here.
        var dialog = SipDialog.CreateUac(invite, final);
        await Layer.SendAckAsync(dialog.CreateAck(invite.CSeq!.Value.Number, invite), destination);
        var (sdp, chosen) = CallSignalling.ReadAnswer(final, media);
        if (sdp is null || chosen is null || cancellationToken.IsCancellationRequested)
        {
            await Layer.SendRequestAsync(dialog.CreateBye(), destination);
            await media.DisposeAsync();
            return (new FaxAttempt(final.StatusCode, null, "the answer offered no G.711 audio"), final);
        }

        ActiveCall call;
        var sent = new TaskCompletionSource<FaxResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            CallLegs.ApplyAnswer(media, sdp, chosen);
            call = new ActiveCall(NewCallId(), dialog, dialog.Id.CallId, number, dialed, media, destination, time.GetUtcNow())
            {
                Kind = faxes.Kind,
                Direction = CallDirections.Outbound,
                Lifecycle = CallLifecycle.Placed(identified: true),
            };

            // The sender is on the media before the call's loop starts: nothing else can touch the call yet.
            faxes.StartSending(call, faxId, tiffPath, startPage, sent, e => Post(call, e));
        }
        catch (Exception e)
        {
            // Answered but not started (the document went between the check and the answer, spandsp
            // refused it): the far end is not left holding an open call, nor the platform an RTP port.
            await Layer.SendRequestAsync(dialog.CreateBye(), destination);
            await media.DisposeAsync();
            LogFaxNotStarted(logger, faxId, dialed, e.Message);
            if (e is FaxDocumentException)
            {
                return (new FaxAttempt(final.StatusCode, null, "answered, then the document could not be sent: " + e.Message, Refused: true), final);
            }

            throw;
        }

        StartLoop(call);
        _calls.Add(call.Id, dialog, call);
        stores.Records.Open(call.Id, number, dialed, call.StartedAt);
        stores.Events.Write(EventKind.CallAnswered, call, null, new { caller = number, dialed, codec = chosen.Codec, srtp = false });
        callMedia.Clock.Add(media);
        LogCallAnswered(logger, call.Id, call.CallId, number, dialed, "fax out", chosen.Codec);
        // The worker stopping (the platform shutting down) ends the call as interrupted; the fax is tried
        // again at the next start from the first page the far end has not confirmed.
        await using var stopping = cancellationToken.Register(() => Post(call, new CallEvent.Shutdown()));
        var result = await sent.Task;
        return (new FaxAttempt(final.StatusCode, result, result.Summary, call.Id), final);
    }

    /// <summary>
    /// Sends a fax call's INVITE and waits for its final answer: CANCELled after <see cref="_faxRingLimit"/> (no answer) or when the platform stops.
    /// A trunk that says nothing at all (not even 100 Trying) for <paramref name="silence"/> (not zero) is down: a synthesized 408 is
    /// answered then, as for a voice call (<see cref="OutsideLegs.RingLeg"/>), and the INVITE is left to its own timeout (RFC 3261 9.1:
    /// no CANCEL before a provisional response), a late 2xx acknowledged and hung up at once.
    /// </summary>
    private async Task<(SipResponse? Final, string? Failure)> RingFaxAsync(SipRequest invite, SipRemote destination, TimeSpan silence, CancellationToken cancellationToken)
    {
        var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ringing = Layer.SendRequestAsync(invite, destination, _ => heard.TrySetResult(), CancellationToken.None);
        var waited = TimeSpan.Zero;
        try
        {
            if (silence > TimeSpan.Zero)
            {
                using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var timer = Task.Delay(silence, time, quiet.Token);
                await Task.WhenAny(ringing, heard.Task, timer);
                await quiet.CancelAsync();
                if (!ringing.IsCompleted && !heard.Task.IsCompleted && !cancellationToken.IsCancellationRequested)
                {
                    _ = HangUpLateFaxAsync(ringing, invite, destination);
                    var nothing = SipMessageBuilder.CreateResponse(invite, 408);
                    nothing.Synthesized = true;
                    return (nothing, null);
                }

                waited = silence;
            }

            return (await ringing.WaitAsync(_faxRingLimit - waited, cancellationToken), null);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // RFC 3261 9.1: no answer in time (or the platform stops): CANCEL, then the INVITE's own final answer.
            await Layer.SendRequestAsync(SipMessageBuilder.CreateCancel(invite), destination);
            return (await ringing.WaitAsync(TimeSpan.FromSeconds(40), CancellationToken.None), null);
        }
        catch (InvalidOperationException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>A silent trunk's INVITE given up on: should it still be answered, the call is acknowledged and hung up (RFC 3261 13.2.2.4).</summary>
    private async Task HangUpLateFaxAsync(Task<SipResponse> ringing, SipRequest invite, SipRemote destination)
    {
        try
        {
            var final = await ringing;
            if (final.IsSuccess)
            {
                var dialog = SipDialog.CreateUac(invite, final);
                await Layer.SendAckAsync(dialog.CreateAck(invite.CSeq!.Value.Number, invite), destination);
                await Layer.SendRequestAsync(dialog.CreateBye(), destination);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.Net.Sockets.SocketException)
        {
            LogFaxLateAnswerError(logger, invite.CallId ?? "", e.Message);
        }
    }

    [LoggerMessage(4100, LogLevel.Warning, "Fax {FaxId} to {Dialed}: the call was answered but the fax could not start; hung up: {Reason}")]
    private static partial void LogFaxNotStarted(ILogger logger, string faxId, string dialed, string reason);

    [LoggerMessage(4131, LogLevel.Warning, "Fax {FaxId} to {Dialed}: {Reason}; the next trunk: {Next}")]
    private static partial void LogFaxTrunkDown(ILogger logger, string faxId, string dialed, string reason, string next);

    [LoggerMessage(4132, LogLevel.Warning, "Fax call {SipCallId}: the silent trunk's late answer could not be hung up: {Reason}")]
    private static partial void LogFaxLateAnswerError(ILogger logger, string sipCallId, string reason);
}
