using System.Collections.Concurrent;
using CallCenter.Data.Calls;
using CallCenter.Data.Catalog;
using CallCenter.Ivr.Flows;
using CallCenter.ResourceControl.Routing;
using CallCenter.Telephony;
using CallCenter.Telephony.Media;
using CallCenter.Telephony.Rtp;
using CallCenter.Telephony.Sdp;
using CallCenter.Telephony.Sip.Dialogs;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Parsing;
using CallCenter.Telephony.Sip.Transactions;
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// The platform's SIP user agent (the transaction user of RFC 3261 17): checks each request
/// (RFC 3261 8.2), answers OPTIONS, hands REGISTER to the registrar, answers INVITEs to a hotline
/// with G.711 media and runs the hotline's IVR flow on the call (queueing the caller when the flow
/// says so), and ends the call on BYE, CANCEL or the flow's hang-up, writing its record once.
/// </summary>
internal sealed partial class SipEndpoint(
    SipTransport transport,
    CatalogRepository catalog,
    RegisterHandler registrar,
    Records.CallRecordWriter records,
    IvrFlowSet flows,
    PromptLibrary prompts,
    Queues.AcdQueues queues,
    Agents.AgentPresence presence,
    Telephony.Sip.Registrar.SipRegistrar sipRegistrar,
    Records.EventLog events,
    Hosting.RecordingOptions recording,
    RelayTotals relayTotals,
    RoutingOptions routing,
    Agents.AgentOptions agentOptions,
    MediaClock clock,
    RtpPortAllocator ports,
    RtpCounters rtpCounters,
    CallRecordRepository callRecords,
    Data.Desk.DispositionCodeRepository dispositions,
    Contracts.Desk.IDeskEvents desk,
    TimeProvider time,
    ILogger<SipEndpoint> logger) : ISipInbound, ISipRequestHandler, Contracts.Calls.ICallControl
{
    private readonly ConcurrentDictionary<SipDialogId, ActiveCall> _calls = new();
    private readonly SipDialogTable _dialogs = new();
    private readonly ConcurrentDictionary<string, HotlineRecord> _hotlines = new();
    private SipTransactionLayer? _layer;

    public int ActiveCalls => _calls.Count;

    public SipTransactionLayer Layer => _layer ?? throw new InvalidOperationException("The SIP endpoint has not started.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Hotlines are reference data read on every INVITE: keep them in memory.
        foreach (var hotline in await catalog.ListHotlinesAsync(cancellationToken))
        {
            _hotlines[hotline.Number] = hotline;
        }

        _layer = new SipTransactionLayer(transport, this, time, logger: logger);
        WireAgents();
    }

    /// <summary>
    /// Shutdown: every call gets its BYE and its record ("interrupted"); the answers to the BYEs are
    /// waited for a few seconds at most.
    /// </summary>
    public async Task StopAsync()
    {
        var hangUps = _calls.Values.Select(call => HangUpAsync(call, "interrupted")).ToList();
        try
        {
            await Task.WhenAll(hangUps).WaitAsync(TimeSpan.FromSeconds(3));
        }
        catch (TimeoutException)
        {
            // Callers that did not answer their BYE: their records are written all the same.
        }

        await FlushWrapUpsAsync();

        _layer?.Dispose();
    }

    public ValueTask OnMessageAsync(SipMessage message, SipRemote source) => Layer.OnReceivedAsync(message, source);

    public async ValueTask OnRequestAsync(SipServerTransaction transaction, SipRequest request, SipRemote source)
    {
        if (SipRequestValidator.Validate(request, SipUasPolicy.Default) is { } rejection)
        {
            await transaction.SendResponseAsync(rejection);
            return;
        }

        switch (request.Method)
        {
            case SipMethods.Options:
                await transaction.SendResponseAsync(SipOptionsResponder.CreateResponse(request, SipUasPolicy.Default, transaction.LocalTag));
                break;
            case SipMethods.Register:
                await transaction.SendResponseAsync(await registrar.HandleAsync(request, source));
                break;
            case SipMethods.Invite when request.To?.Tag is null:
                await AnswerNewCallAsync(transaction, request, source);
                break;
            default:
                await HandleInDialogAsync(transaction, request);
                break;
        }
    }

    public ValueTask OnAckAsync(SipRequest ack, SipRemote source)
    {
        if (_dialogs.FindForRequest(ack) is not { } dialog)
        {
            return ValueTask.CompletedTask;
        }

        // Also the ACK of an agent's re-INVITE: the dialog may take the next one.
        dialog.CompleteRemoteInvite();
        if (_calls.TryGetValue(dialog.Id, out var call))
        {
            if (!call.Confirmed)
            {
                // The three-way handshake is done: the caller hears the flow from now on.
                call.Confirmed = true;
                _ = StartIvrAsync(call);
            }
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask OnCancelAsync(SipRequest cancel, SipServerTransaction inviteTransaction)
    {
        // RFC 3261 9.2: the CANCEL was answered 200 by the layer; the INVITE gets 487.
        if (FindByTransaction(inviteTransaction) is { } call)
        {
            await EndCallAsync(call, "cancelled");
        }

        await inviteTransaction.SendResponseAsync(inviteTransaction.CreateResponse(487));
    }

    public async ValueTask OnResponseAsync(SipResponse response, SipRemote source)
    {
        // RFC 3261 13.2.2.4: a retransmitted 2xx to our INVITE to an agent gets its ACK again.
        if (response.IsSuccess && response.CSeq?.Method == SipMethods.Invite && response.CallId is { } callId
            && _byAgentDialog.TryGetValue(new SipDialogId(callId, response.From?.Tag ?? "", response.To?.Tag ?? ""), out var call)
            && call.AgentLeg is { Dialog: { } dialog } leg)
        {
            await Layer.SendAckAsync(dialog.CreateAck(leg.Invite.CSeq!.Value.Number, leg.Invite), leg.Destination);
        }
        else if (response.IsSuccess && response.CSeq?.Method == SipMethods.Invite && response.CallId is { } monitorCallId
            && _byMonitorDialog.TryGetValue(new SipDialogId(monitorCallId, response.From?.Tag ?? "", response.To?.Tag ?? ""), out var monitored)
            && monitored.Monitor is { Dialog: { } monitorDialog } monitor)
        {
            await Layer.SendAckAsync(monitorDialog.CreateAck(monitor.Invite.CSeq!.Value.Number, monitor.Invite), monitor.Destination);
        }
    }

    public async ValueTask OnTransactionFailedAsync(SipServerTransaction transaction, SipTransactionFailure failure)
    {
        // No ACK for our 200 within 64*T1 (RFC 3261 13.3.1.4): the caller is gone; release the media.
        if (transaction.Request.Method == SipMethods.Invite
            && FindByTransaction(transaction) is { Confirmed: false } call)
        {
            LogCallNotConfirmed(logger, call.CallId, failure.ToString());
            await EndCallAsync(call, "not-confirmed");
        }
    }

    private async Task AnswerNewCallAsync(SipServerTransaction transaction, SipRequest invite, SipRemote source)
    {
        var dialed = invite.RequestUri.User ?? "";
        if (!invite.RequestUri.IsSip || !_hotlines.TryGetValue(dialed, out var hotline))
        {
            await transaction.SendResponseAsync(transaction.CreateResponse(404));
            return;
        }

        // RFC 3264: an offer with a G.711 codec we can answer; anything else is 488.
        var offer = string.Equals(invite.ContentType, "application/sdp", StringComparison.OrdinalIgnoreCase)
            ? SdpOffer.TryParse(invite.Body.Span)
            : null;
        var answer = offer is null ? null : SdpAnswer.Choose(offer);
        if (offer is null || answer is null)
        {
            var notAcceptable = transaction.CreateResponse(488);
            notAcceptable.Headers.Add("Warning", "304 callcenter \"offer PCMU or PCMA in application/sdp\"");
            await transaction.SendResponseAsync(notAcceptable);
            return;
        }

        var media = RtpSession.Open(ports, transport.PublicAddress, new System.Net.IPEndPoint(offer.Address, offer.Port), answer.ToMediaFormat(), rtpCounters, time);
        if (media is null)
        {
            var busy = transaction.CreateResponse(503);
            busy.Headers.Add(SipHeaderNames.RetryAfter, "5");
            await transaction.SendResponseAsync(busy);
            return;
        }

        var ok = transaction.CreateResponse(200);
        ok.Contacts.Add(new SipNameAddress { Uri = ContactUri(source.Protocol, dialed) });
        ok.ContentType = "application/sdp";
        ok.Body = answer.Write(transport.PublicAddress, media.LocalPort, time.GetUtcNow().ToUnixTimeSeconds(), 1);

        // RFC 3261 12.1.1: our 2xx creates the dialog; in-dialog requests find the call through it.
        var dialog = SipDialog.CreateUas(invite, ok);
        var caller = CallerNumber(invite);
        var call = new ActiveCall(NewCallId(), dialog, caller, dialed, media, source, time.GetUtcNow());
        media.Sending = answer.Direction is "sendrecv" or "sendonly";
        _calls[dialog.Id] = call;
        _byId[call.Id] = call;
        _dialogs.TryAdd(dialog);
        records.Open(call.Id, caller, dialed, call.StartedAt);
        events.Write("call.answered", call.Id, null, new { caller, dialed, codec = answer.Codec });
        clock.Add(media);
        LogCallAnswered(logger, call.CallId, caller, dialed, hotline.Kind, answer.Codec);
        await transaction.SendResponseAsync(ok);

        // Identify the caller off the SIP path: the answer above never waits for the database.
        call.Identification = Task.Run(async () =>
        {
            var client = await catalog.FindClientAsync(caller);
            call.Tier = client?.Tier;
            call.ClientName = client?.Name;
            call.Language = client?.Language;
            call.AccountManager = client?.ManagerExtension;
            await LoadPopDataAsync(call, client);
        });
    }

    private async Task HandleInDialogAsync(SipServerTransaction transaction, SipRequest request)
    {
        // RFC 3261 12.2.2: 481 for an unknown dialog, 500 when out of order, 491 on re-INVITE glare.
        var (dialog, reject) = _dialogs.Route(request);
        if (reject is null && dialog is not null && _byMonitorDialog.TryGetValue(dialog.Id, out var monitored))
        {
            await HandleFromSupervisorAsync(transaction, request, monitored, dialog.Id);
            return;
        }

        if (reject is null && dialog is not null && _byAgentDialog.TryGetValue(dialog.Id, out var bridged))
        {
            await HandleFromAgentAsync(transaction, request, bridged, dialog.Id);
            return;
        }

        if (reject is not null || dialog is null || !_calls.TryGetValue(dialog.Id, out var call))
        {
            await transaction.SendResponseAsync(reject ?? transaction.CreateResponse(481));
            return;
        }

        switch (request.Method)
        {
            case SipMethods.Bye:
                await EndCallAsync(call, "caller-hung-up");
                await transaction.SendResponseAsync(transaction.CreateResponse(200));
                LogCallEnded(logger, call.CallId, "caller hung up");
                break;
            case SipMethods.Invite:
            case SipMethods.Update:
                await AnswerSessionChangeAsync(transaction, request, call);
                break;
            case SipMethods.Info:
                await transaction.SendResponseAsync(transaction.CreateResponse(200));
                break;
            default:
                await transaction.SendResponseAsync(transaction.CreateResponse(405));
                break;
        }
    }

    private Task AnswerSessionChangeAsync(SipServerTransaction transaction, SipRequest request, ActiveCall call) =>
        AnswerSessionChangeAsync(transaction, request, call.Media, call.Signalling.Protocol, call.Dialed);

    /// <summary>
    /// A re-INVITE or UPDATE on a leg whose media we keep as it is (hold, resume, refresh): answer with
    /// our media, direction mirrored (RFC 3264 8.4), and send only while the peer receives.
    /// </summary>
    private async Task AnswerSessionChangeAsync(SipServerTransaction transaction, SipRequest request, RtpSession media, SipTransportProtocol protocol, string contactUser)
    {
        if (!TryReadSessionOffer(request, out _, out var answer))
        {
            await transaction.SendResponseAsync(transaction.CreateResponse(488));
            return;
        }

        var ok = transaction.CreateResponse(200);
        ok.Contacts.Add(new SipNameAddress { Uri = ContactUri(protocol, contactUser) });
        if (answer is not null)
        {
            media.Sending = answer.Direction is "sendrecv" or "sendonly";
            ok.ContentType = "application/sdp";
            ok.Body = answer.Write(transport.PublicAddress, media.LocalPort, time.GetUtcNow().ToUnixTimeSeconds(), 2);
        }

        await transaction.SendResponseAsync(ok);
    }

    /// <summary>
    /// Reads the offer of a re-INVITE or UPDATE and our answer to it; both null without a body
    /// (RFC 3264 allows an offerless re-INVITE). False when an offer has no codec we speak (488).
    /// </summary>
    private static bool TryReadSessionOffer(SipRequest request, out SdpOffer? offer, out SdpAnswer? answer)
    {
        offer = request.Body.IsEmpty ? null : SdpOffer.TryParse(request.Body.Span);
        answer = offer is null ? null : SdpAnswer.Choose(offer);
        return offer is null || answer is not null;
    }

    private async Task StartIvrAsync(ActiveCall call)
    {
        try
        {
            await call.Identification;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
        {
            // Unknown client: the flow runs for an ordinary caller.
        }

        if (!flows.Contains(call.Dialed) || !_calls.ContainsKey(call.Dialog.Id))
        {
            return;
        }

        IvrCallRunner runner;
        try
        {
            var session = new IvrSession(flows, call.Dialed, new IvrCallContext(call.Caller, call.Dialed, call.Tier, call.Language));
            runner = new IvrCallRunner(call, session, prompts, queues, time, HangUpAsync, logger);
            call.Ivr = runner;
            runner.Start();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or KeyNotFoundException)
        {
            // A flow that cannot run must not leave the caller in silence.
            LogIvrFailed(logger, e, call.CallId, call.Dialed);
            await HangUpAsync(call, "ivr-failed");
            return;
        }

        // Keys and prompt ends reach the session only once it has started.
        call.Media.Events = runner;

        // The caller may have hung up while the session was starting: then nothing may outlive the call.
        if (!_calls.ContainsKey(call.Dialog.Id))
        {
            runner.CallerHungUp();
            queues.Remove(call.Id);
        }
    }

    /// <summary>The platform ends the call (the flow hung up): BYE to the caller, then the record.</summary>
    private async Task HangUpAsync(ActiveCall call, string disposition) => await HangUpAsync(call, disposition, agentHungUp: false);

    private async Task HangUpAsync(ActiveCall call, string disposition, bool agentHungUp)
    {
        if (!_calls.ContainsKey(call.Dialog.Id))
        {
            return;
        }

        var bye = call.Dialog.CreateBye();
        await EndCallAsync(call, disposition, agentHungUp);
        // Sent, not awaited (as the agent leg's BYE is): an agent's BYE brings us here on a SIP receive
        // loop, and the caller's answer can only come in through those same loops. Awaiting it, a few
        // agents hanging up at once held every loop until timer F (RFC 3261 17.1.2.2, 32 s) and the
        // platform answered nothing meanwhile.
        _ = Layer.SendRequestAsync(bye, call.Signalling);
        LogCallEnded(logger, call.CallId, disposition);
    }

    private ActiveCall? FindByTransaction(SipServerTransaction transaction) =>
        transaction.Request.CallId is { } callId
        && _calls.TryGetValue(new SipDialogId(callId, transaction.LocalTag, transaction.Request.From?.Tag ?? ""), out var call)
            ? call
            : null;

    private async Task EndCallAsync(ActiveCall call, string disposition, bool agentHungUp = false)
    {
        if (_calls.TryRemove(call.Dialog.Id, out _))
        {
            _dialogs.Remove(call.Dialog.Id);
            call.Ivr?.CallerHungUp();
            queues.Remove(call.Id);
            await EndMonitorForAsync(call, agent: null, "call-ended");
            await EndAgentLegAsync(call, agentHungUp);
            clock.Remove(call.Media);
            var (recordingPath, recordingSha) = await CompleteRecordingAsync(call);
            await call.Media.DisposeAsync();
            _byId.TryRemove(call.Id, out _);
            try
            {
                await call.Identification;
            }
            catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
            {
                // The directory was unavailable: the record goes without the tier rather than not at all.
            }

            var endedAt = time.GetUtcNow();
            var queuedAt = call.Waiting?.EnteredAt;
            events.Write("call.ended", call.Id, call.Agent, new { disposition });
            await WriteRecordAsync(call, new CallRecord
            {
                Id = call.Id,
                Caller = call.Caller,
                Dialed = call.Dialed,
                Tier = call.Tier,
                IvrPath = [.. call.IvrPath],
                Queue = call.Queue,
                Agent = call.Agent,
                StartedAt = call.StartedAt,
                EndedAt = endedAt,
                QueuedAt = queuedAt,
                AnsweredAt = call.AnsweredAt,
                WaitSeconds = queuedAt is { } q ? Math.Max(0, ((call.AnsweredAt ?? endedAt) - q).TotalSeconds) : 0,
                TalkSeconds = call.AnsweredAt is { } a ? Math.Max(0, (endedAt - a).TotalSeconds - call.HoldSeconds) : 0,
                RingSeconds = call.RingSeconds,
                HoldSeconds = call.HoldSeconds,
                Legs = [new CallLeg("caller", call.Caller, call.StartedAt, call.StartedAt, endedAt, disposition), .. call.Legs],
                Routing = call.RoutingReason,
                Disposition = disposition,
                Recording = recordingPath,
                RecordingSha256 = recordingSha,
            });
        }
    }

    // Sortable by start and unique without coordination: milliseconds since the epoch plus random bits.
    /// <summary>
    /// Why a request that needs the call bridged to its agent (hold, consult, monitor) cannot be carried
    /// out now, or null when it can. Read under the call's lock.
    /// </summary>
    private static Contracts.Calls.CallControlResult? NotBridgedRefusal(ActiveCall call, string callId) =>
        call.Ended ? new(Contracts.Calls.CallControlError.UnknownCall, $"there is no live call {callId}")
        : call.AgentLeg is not { Dialog: not null } ? new(Contracts.Calls.CallControlError.NotBridged, $"call {callId} is not bridged to an agent")
        : call.ConsultLeg is not null ? new(Contracts.Calls.CallControlError.NotBridged, $"call {callId} is in a consultation")
        : null;

    private string NewCallId() =>
        time.GetUtcNow().ToUnixTimeMilliseconds().ToString("x11", System.Globalization.CultureInfo.InvariantCulture)
        + "-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(5));

    private SipUri ContactUri(SipTransportProtocol protocol, string user)
    {
        var local = transport.LocalFor(protocol);
        var uri = new SipUri { Scheme = "sip", User = user, Host = local.EndPoint.Address.ToString(), Port = local.EndPoint.Port };
        if (protocol == SipTransportProtocol.Tcp)
        {
            uri.Parameters.Add(new("transport", "tcp"));
        }

        return uri;
    }

    private static string CallerNumber(SipRequest invite)
    {
        var asserted = invite.Headers.Get(SipHeaderNames.PAssertedIdentity);
        var position = 0;
        if (asserted is not null
            && SipNameAddressParser.TryRead(asserted, ref position, inList: true, SipParserLimits.Default, out var identity, out _)
            && identity.Uri.User is { Length: > 0 } user)
        {
            return user;
        }

        return invite.From?.Uri.User ?? "";
    }

    [LoggerMessage(2100, LogLevel.Information, "Call {CallId} from {Caller} to {Dialed} ({Kind}) answered with {Codec}")]
    private static partial void LogCallAnswered(ILogger logger, string callId, string caller, string dialed, string kind, string codec);

    [LoggerMessage(2101, LogLevel.Information, "Call {CallId} ended: {Reason}")]
    private static partial void LogCallEnded(ILogger logger, string callId, string reason);

    [LoggerMessage(2103, LogLevel.Error, "Call {CallId} to {Dialed}: the IVR flow could not run; hanging up")]
    private static partial void LogIvrFailed(ILogger logger, Exception exception, string callId, string dialed);

    [LoggerMessage(2102, LogLevel.Warning, "Call {CallId} ended before it was confirmed: {Failure}")]
    private static partial void LogCallNotConfirmed(ILogger logger, string callId, string failure);
}
