using System.Collections.Concurrent;
using CallCenter.Data.Calls;
using CallCenter.Data.Catalog;
using CallCenter.Data.Events;
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
/// The platform's SIP user agent (the transaction user of RFC 3261 17) and the owner of every call.
/// As a dispatcher it checks each request (RFC 3261 8.2), answers OPTIONS, hands REGISTER to the
/// registrar, answers INVITEs to a hotline with G.711 media, and posts everything else that
/// concerns a call (in-dialog requests, ACK, CANCEL, responses, digits, the ACD's and presence's
/// news, desk commands) to that call's mailbox. Each call's loop (<see cref="HandleAsync"/>) then
/// runs the hotline's IVR flow, queues the caller, rings and bridges agents, and ends the call on
/// BYE, CANCEL or the flow's hang-up, writing its record once. Nothing but that loop changes a call.
/// </summary>
internal sealed partial class SipEndpoint(
    SipEdge edge,
    CallMedia callMedia,
    CallRouting acd,
    OutboundCalling outbound,
    CallStores stores,
    IvrFlowSet flows,
    Contracts.Desk.IDeskEvents desk,
    BackgroundSends background,
    TimeProvider time,
    ILogger<SipEndpoint> logger,
    SelfServiceRequests? selfService = null,
    Hosting.PlatformReadiness? readiness = null,
    Clients.TierOptions? tierOptions = null,
    FaxCalls? faxes = null) : ISipRequestHandler, Contracts.Calls.ICallControl, Contracts.Calls.IMonitorControl
{
    // The dispatcher's indexes: which call a dialog (the caller's, an agent's, a supervisor's) or an id belongs to.
    private readonly CallDirectory<ActiveCall> _calls = new();
    private readonly CallSignalling _signalling = new(edge.Transport, time, edge.OutboundProxy);
    private readonly DeskNotices _desk = new(desk, time, tierOptions?.ActiveTiers());
    private readonly CallRecording _recording = new(callMedia.Recording, logger);
    private readonly ConcurrentDictionary<string, HotlineRecord> _hotlines = new();
    private ICallKind[] _kinds = [];
    private SipTransactionLayer? _layer;
    private long _eventsRefused;
    private long _untrustedCallerIds;
    private long _refusedInProgress;
    private long _refusedAttempts;
    private long _eventFailures;
    private volatile bool _stopping;

    public int ActiveCalls => _calls.Count;

    // The call's rooms, each a class of its own that runs in the call's loop on the call it is given:
    // the legs the platform rings, agent legs and bridging, transfer and consult, monitor.
    private CallLegs Legs => field ??= new(() => Layer, edge.Transport, edge.Bindings, callMedia.Ports, callMedia.RtpCounters, callMedia.RelayTotals, background, time, Post);

    private CallMonitor Monitor => field ??= new(Legs, _signalling, _calls, stores.Catalog, callMedia.Clock, stores.Events, acd.AgentOptions, background, time, logger);

    private AgentLegs Agents => field ??= new(Legs, _signalling, _calls, _recording, Monitor, _desk, callMedia.Prompts, acd.Queues, acd.Presence, callMedia.Clock, stores.Events, time, logger, acd.Claims);

    private OutsideLegs Outside => field ??= new(Legs, _signalling, _calls, _recording, acd.Queues, outbound.Trunks, callMedia.Clock, stores.Events, time, logger);

    private CallbackCalls CallbackLegs => field ??= new(Legs, _signalling, _calls, Outside, outbound.Trunks, outbound.Dialing, outbound.Callbacks, callMedia.Ports, callMedia.RtpCounters, edge.Transport.PublicAddress, stores.Events, callMedia.Prompts, time, logger);

    private CallTransfers Transfers => field ??= new(Agents, Outside, outbound.Trunks, outbound.Dialing, outbound.Rules, Legs, _signalling, _recording, _desk, callMedia.Prompts, acd.Queues, acd.Presence, acd.Routing, stores.Events, time, logger);

    /// <summary>Events a call's full mailbox refused (answered 503, or a digit dropped).</summary>
    public long EventsRefused => Interlocked.Read(ref _eventsRefused);

    /// <summary>Calls from peers outside <c>Sip:TrustedPeers</c>: their number was not looked up (an unknown caller).</summary>
    public long UntrustedCallerIds => Interlocked.Read(ref _untrustedCallerIds);

    /// <summary>New calls refused (503) because their source had its share in progress, or started its share this minute.</summary>
    public (long InProgress, long Attempts) RefusedPerSource => (Interlocked.Read(ref _refusedInProgress), Interlocked.Read(ref _refusedAttempts));

    /// <summary>Events whose handler threw: the call was ended as "internal-error".</summary>
    public long EventFailures => Interlocked.Read(ref _eventFailures);

    public SipTransactionLayer Layer => _layer ?? throw new InvalidOperationException("The SIP endpoint has not started.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Hotlines are reference data read on every INVITE: keep them in memory.
        foreach (var hotline in await stores.Catalog.ListHotlinesAsync(cancellationToken))
        {
            _hotlines[hotline.Number] = hotline;
        }

        // The kinds of call an INVITE may start, asked in order; a new inbound kind is one more entry.
        _kinds = faxes is null
            ? [new HotlineCallKind(_hotlines, flows.Contains)]
            : [faxes.Kind, new HotlineCallKind(_hotlines, flows.Contains)];

        _layer = new SipTransactionLayer(edge.Transport, this, time, logger: logger);
        WireAgents();

        // Callbacks a stopped process left open wait in their queues again (their place kept).
        await outbound.Rules.StartAsync(cancellationToken);
        await outbound.Callbacks.StartAsync(cancellationToken);
    }

    /// <summary>
    /// Shutdown: every call gets its BYE and its record ("interrupted"); the calls' loops and the
    /// BYEs on their way are waited for a few seconds at most.
    /// </summary>
    public async Task StopAsync()
    {
        // New INVITEs get 503 from now on; every live call ends (its Shutdown event is never refused).
        _stopping = true;
        var calls = _calls.Snapshot();
        foreach (var call in calls)
        {
            Post(call, new CallEvent.Shutdown());
        }

        try
        {
            await Task.WhenAll(calls.Select(c => c.Mailbox.Loop)).WaitAsync(TimeSpan.FromSeconds(3));
        }
        catch (TimeoutException)
        {
            LogShutdownSlow(logger, calls.Count(c => !c.Mailbox.Loop.IsCompleted));
        }

        await acd.WrapUps.FlushAsync();
        await background.DrainAsync(TimeSpan.FromSeconds(3));
        _layer?.Dispose();
    }

    public async ValueTask OnRequestAsync(SipServerTransaction transaction, SipRequest request, SipRemote source)
    {
        if (SipRequestValidator.Validate(request, SipUasPolicy.Default) is { } rejection)
        {
            await transaction.SendResponseAsync(rejection);
            return;
        }

        switch (request.Method)
        {
            case SipMethods.Options when request.To?.Tag is null:
                // A proxy's keep-alive (Kamailio's dispatcher): 503 while starting, stopping or drained, so it sends new calls elsewhere.
                await transaction.SendResponseAsync(_stopping || readiness is { AcceptsCalls: false }
                    ? Unavailable(transaction)
                    : SipOptionsResponder.CreateResponse(request, DialogMethods.OutOfDialog, transaction.LocalTag));
                break;
            case SipMethods.Register:
                if (await edge.Registrar.HandleAsync(request, source) is { } answer)
                {
                    await transaction.SendResponseAsync(answer);
                }
                else
                {
                    // A banned source: no answer at all (RegisterHandler says why).
                    transaction.Discard();
                }

                break;
            case SipMethods.Invite when request.To?.Tag is null:
                await AnswerNewCallAsync(transaction, request, source);
                break;
            default:
                await DispatchInDialogAsync(transaction, request);
                break;
        }
    }

    /// <summary>503 with Retry-After (RFC 3261 21.5.4): this node takes no new work now.</summary>
    private static SipResponse Unavailable(SipServerTransaction transaction)
    {
        var response = transaction.CreateResponse(503);
        response.Headers.Add(SipHeaderNames.RetryAfter, "30");
        return response;
    }

    /// <summary>RFC 3261 12.2.2: 481 for an unknown dialog, 500 when out of order, 491 on re-INVITE glare; else to the call.</summary>
    private async ValueTask DispatchInDialogAsync(SipServerTransaction transaction, SipRequest request)
    {
        var (dialog, reject) = _calls.Route(request);
        if (reject is not null || dialog is null || !_calls.TryGetByDialog(dialog.Id, out var call))
        {
            await transaction.SendResponseAsync(reject ?? transaction.CreateResponse(481));
            return;
        }

        if (request.Method == SipMethods.Invite)
        {
            // A re-INVITE refused (here or by the call: 488, 503, 481...) gets an ACK only the
            // transaction layer sees (RFC 3261 17.2.1): the dialog stops waiting for it before the
            // refusal goes out, or the peer's next re-INVITE could arrive first and get 500 (14.2).
            transaction.BeforeFinal = final =>
            {
                if (final.StatusCode >= 300)
                {
                    dialog.CompleteRemoteInvite();
                }
            };
        }

        // The caller's BYE (every call has one) is handled on this receive thread when the call is idle: no hop to
        // the thread pool. Other requests queue, so a flood of them fills the call's share and gets 503 below.
        var outcome = Post(call, new CallEvent.SipRequestArrived(transaction, request, dialog.Id), inline: InlineFromCaller(call, dialog.Id, request.Method, transaction.Remote));

        switch (outcome)
        {
            case PostOutcome.Full:
                // The call is swamped: the receive loop answers for it rather than wait (RFC 3261 21.5.4).
                var busy = transaction.CreateResponse(503);
                busy.Headers.Add(SipHeaderNames.RetryAfter, "1");
                await transaction.SendResponseAsync(busy);
                break;
            case PostOutcome.Closed:
                await transaction.SendResponseAsync(transaction.CreateResponse(481));
                break;
            default:
                break;
        }
    }

    public ValueTask OnAckAsync(SipRequest ack, SipRemote source)
    {
        if (_calls.FindDialog(ack) is not { } dialog)
        {
            return ValueTask.CompletedTask;
        }

        // Also the ACK of an agent's re-INVITE: the dialog may take the next one.
        dialog.CompleteRemoteInvite();
        if (_calls.TryGetByDialog(dialog.Id, out var call) && call.Dialog?.Id == dialog.Id)
        {
            Post(call, new CallEvent.CallerAcknowledged(), inline: InlineFromCaller(call, dialog.Id, SipMethods.Ack, source));
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask OnCancelAsync(SipRequest cancel, SipServerTransaction inviteTransaction)
    {
        // RFC 3261 9.2: the CANCEL was answered 200 by the layer; the INVITE gets 487 (from the call, once it has ended).
        if (FindByTransaction(inviteTransaction) is not { } call
            || Post(call, new CallEvent.CallerCancelled(inviteTransaction)) != PostOutcome.Posted)
        {
            await inviteTransaction.SendResponseAsync(inviteTransaction.CreateResponse(487));
        }
    }

    public ValueTask OnResponseAsync(SipResponse response, SipRemote source)
    {
        // RFC 3261 13.2.2.4: a retransmitted 2xx to our INVITE to an agent or supervisor gets its ACK again.
        if (response.IsSuccess && response.CSeq?.Method == SipMethods.Invite && response.CallId is { } callId
            && _calls.TryGetByDialog(new SipDialogId(callId, response.From?.Tag ?? "", response.To?.Tag ?? ""), out var call))
        {
            Post(call, new CallEvent.RetransmittedOk(response));
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask OnTransactionFailedAsync(SipServerTransaction transaction, SipTransactionFailure failure)
    {
        // No ACK for our 200 within 64*T1 (RFC 3261 13.3.1.4): the caller is gone; release the media.
        if (transaction.Request.Method == SipMethods.Invite && FindByTransaction(transaction) is { } call)
        {
            Post(call, new CallEvent.NotConfirmed(failure.ToString()));
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Posts to the call's mailbox without waiting; a refusal (an outsider's share full) is counted and its first one logged.</summary>
    private PostOutcome Post(ActiveCall call, CallEvent e) => Post(call, e, inline: false);

    /// <summary>
    /// Whether a request may run the call's step on the thread that received it: the caller's ACK or BYE over UDP,
    /// on a receive thread of the transport's own that holds no lock and carries no one else's context (a
    /// WebSocket's read loop runs inside its HTTP request, whose logging scope would follow the step). An agent's or
    /// a trunk's BYE ends more (a wrap-up, a transfer) and queues as before. What such a step does on the disk (the
    /// recording's file from the answer, a received fax's store) goes to the thread pool first.
    /// </summary>
    private static bool InlineFromCaller(ActiveCall call, SipDialogId dialog, string method, SipRemote source) =>
        method is SipMethods.Ack or SipMethods.Bye && source.Protocol == SipTransportProtocol.Udp && call.Dialog?.Id == dialog;

    /// <summary>As <see cref="Post(ActiveCall, CallEvent)"/>; <paramref name="inline"/> lets this thread run the step if the call is idle (see <see cref="CallMailbox.Post"/>).</summary>
    private PostOutcome Post(ActiveCall call, CallEvent e, bool inline)
    {
        var outcome = call.Mailbox.Post(e, inline);
        if (outcome == PostOutcome.Full)
        {
            Interlocked.Increment(ref _eventsRefused);
            if (call.Mailbox.Refused == 1)
            {
                LogMailboxFull(logger, call.Id, call.CallId, e.GetType().Name);
            }
        }

        return outcome;
    }

    /// <summary>
    /// Runs a desk, API or supervisor command in the call's loop and answers with its outcome; a call
    /// that has ended (or ends before its turn) answers that there is no live call.
    /// </summary>
    private async Task<Contracts.Calls.CallControlResult> RunOnCallAsync(string callId, string name, Func<ActiveCall, Task<Contracts.Calls.CallControlResult>> run)
    {
        if (!_calls.TryGet(callId, out var call))
        {
            return NoLiveCall(callId);
        }

        var done = new TaskCompletionSource<Contracts.Calls.CallControlResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        return Post(call, new CallEvent.Command(name, run, done)) switch
        {
            PostOutcome.Posted => await done.Task,
            PostOutcome.Full => new(Contracts.Calls.CallControlError.TargetUnavailable, $"call {callId} is busy; try again"),
            _ => NoLiveCall(callId),
        };
    }

    private static Contracts.Calls.CallControlResult NoLiveCall(string callId) => BridgeCheck.NoLiveCall(callId);

    /// <summary>Starts the call's loop; a failure that got past <see cref="HandleAsync"/> is logged and counted like one inside it.</summary>
    private void StartLoop(ActiveCall call) => call.Mailbox.Start(
        e => HandleAsync(call, e),
        (e, failure) =>
        {
            Interlocked.Increment(ref _eventFailures);
            LogEventFailed(logger, failure, call.Id, call.CallId, e.GetType().Name);
        });

    /// <summary>
    /// The call's loop: one event at a time, in order, under the call's logging scope. What the event
    /// does is decided by <see cref="CallCore"/> (pure); this carries the step out.
    /// </summary>
    private async Task HandleAsync(ActiveCall call, CallEvent e)
    {
        using var scope = logger.BeginScope(call.LogScope);
        try
        {
            if (e is CallEvent.TrunkLegFinal { Silence: null } final)
            {
                final.Leg.FinalArrived(final.Response.Synthesized);
            }

            await RunStepAsync(call, e, CallCore.Handle(CallView.Of(call), e));
            if (CallCore.After(CallView.Of(call)) is { } after)
            {
                await RunStepAsync(call, e, after);
            }

            NoteProgress(call);
        }
        catch (Exception exception)
        {
            // A handler's bug costs this call, never the loop or the other calls: the call ends cleanly.
            Interlocked.Increment(ref _eventFailures);
            LogEventFailed(logger, exception, call.Id, call.CallId, e.GetType().Name);
            await AnswerFailedEventAsync(call, e);
        }
    }

    /// <summary>Carries out one step <see cref="CallCore"/> decided for event <paramref name="e"/>.</summary>
    private Task RunStepAsync(ActiveCall call, CallEvent e, CallStep step) => (step, e) switch
    {
        (CallStep.Nothing, _) => Task.CompletedTask,
        (CallStep.Respond answer, CallEvent.SipRequestArrived r) => RespondAsync(r.Transaction, answer),
        (CallStep.RefuseCommand, CallEvent.Command c) => Refuse(c, call),
        (CallStep.RunCommand, CallEvent.Command c) => RunCommandAsync(call, c),
        (CallStep.StepCaller s, CallEvent.Identified i) => StepCallerAsync(call, s.Input, i.Identity),
        (CallStep.StepCaller s, CallEvent.NotConfirmed n) => StepCallerAsync(call, s.Input, failure: n.Failure),
        (CallStep.StepCaller s, _) => StepCallerAsync(call, s.Input),
        (CallStep.Cancelled, CallEvent.CallerCancelled c) => CallerCancelledAsync(call, c.InviteTransaction),
        (CallStep.ResendAck, CallEvent.RetransmittedOk ok) => Legs.ResendAckAsync(call, ok.Response),
        (CallStep.Ivr i, _) => IvrStepAsync(call, i.Event),
        (CallStep.RequestCallback, _) => RequestCallbackAsync(call),
        (CallStep.StartCallbackNumber, _) => StartCallbackNumber(call),
        (CallStep.CallbackNumberKey k, _) => CallbackNumberKeyAsync(call, k.Key),
        (CallStep.CallbackNumberTimedOut t, _) => CallbackNumberTimedOutAsync(call, t.Timer),
        (CallStep.Announce, CallEvent.Announce a) => Announce(call, a.Prompts),
        (CallStep.Offer, CallEvent.Assigned a) => OfferAgentAsync(call, a.Assignment),
        (CallStep.OfferCallback, CallEvent.CallbackOffered c) => OfferCallbackAsync(call, c.Overflow),
        (CallStep.WithdrawOffer, CallEvent.OfferWithdrawn w) => WithdrawOfferAsync(call, w.Extension),
        (CallStep.AgentLegFinal, CallEvent.AgentLegFinal f) => AgentLegFinalAsync(call, f),
        (CallStep.BrowserMediaFailed, CallEvent.BrowserMediaFailed m) => EndIfAsync(call, Agents.BrowserMediaFailedAsync(call, m.Leg, m.Reason)),
        (CallStep.CallbackClientFinal, CallEvent.TrunkLegFinal f) => EndIfAsync(call, CallbackLegs.FinalAsync(call, f.Leg, f.Response)),
        (CallStep.OutsideFinal, CallEvent.TrunkLegFinal f) => Outside.FinalAsync(call, f.Leg, f.Response),
        (CallStep.OutsideConsultFinal, CallEvent.TrunkLegFinal f) => Transfers.OutsideConsultFinalAsync(call, f.Leg, f.Response),
        (CallStep.TrunkLegHeard, CallEvent.TrunkLegHeard h) => Outside.HeardAsync(call, h.Leg),
        (CallStep.ClientRingTimedOut, CallEvent.ClientRingTimedOut t) => EndIfAsync(call, CallbackLegs.RingTimedOutAsync(call, t.Leg)),
        (CallStep.ClientAnswer a, CallEvent.ClientKey k) => CallbackLegs.ClientAnsweredAsync(call, a.Confirmed, k.Key),
        (CallStep.ClientQuestionTimedOut, CallEvent.ClientQuestionTimedOut t) => CallbackLegs.QuestionTimedOutAsync(call, t.Play),
        (CallStep.MonitorFinal, CallEvent.MonitorLegFinal f) => Monitor.LegFinalAsync(call, f.Leg, f.Response),
        (CallStep.MonitorRingTimedOut, CallEvent.MonitorRingTimedOut t) => Monitor.RingTimedOutAsync(call, t.Leg),
        (CallStep.FaxEnded, CallEvent.FaxEnded f) => FaxEndedAsync(call, f.Result),
        (CallStep.SwitchToFax, CallEvent.FaxToneDetected) => SwitchToFaxAsync(call),
        (CallStep.ReturnFaxAssignment, CallEvent.Assigned a) => ReturnAssignmentOfFax(a.Assignment),
        (CallStep.HangUp h, _) => HangUpAsync(call, h.Disposition, h.ByAgent),
        (CallStep.CallerHungUp, CallEvent.SipRequestArrived r) => CallerHungUpAsync(call, r.Transaction),
        (CallStep.CallerSessionChange, CallEvent.SipRequestArrived r) => AnswerSessionChangeAsync(r.Transaction, r.Request, call),
        (CallStep.ToMonitor, CallEvent.SipRequestArrived r) => Monitor.HandleRequestAsync(r.Transaction, r.Request, call, r.Dialog),
        (CallStep.ToConsulted, CallEvent.SipRequestArrived r) => Transfers.HandleFromConsultedAsync(r.Transaction, r.Request, call, call.ConsultLeg!),
        (CallStep.CompleteConsult, CallEvent.SipRequestArrived r) => ConsultorHungUpAsync(call, r.Transaction),
        (CallStep.AgentHungUp, CallEvent.SipRequestArrived r) => AgentHungUpAsync(call, r.Transaction),
        (CallStep.AgentRefer, CallEvent.SipRequestArrived r) => Transfers.AnswerReferAsync(r.Transaction, r.Request, call, call.AgentLeg!),
        (CallStep.ToAgentLeg, CallEvent.SipRequestArrived r) => Agents.HandleRequestAsync(r.Transaction, r.Request, call, call.AgentLeg!),
        (CallStep.OutsideHungUp, CallEvent.SipRequestArrived r) => OutsideHungUpAsync(call, r.Transaction),
        (CallStep.OutsideConsultHungUp, CallEvent.SipRequestArrived r) => Transfers.OutsideConsultHungUpAsync(call, r.Transaction),
        (CallStep.ToOutside, CallEvent.SipRequestArrived r) => Outside.HandleRequestAsync(r.Transaction, r.Request, call, call.OutsideLeg!),
        _ => throw new InvalidOperationException($"step {step.GetType().Name} does not fit event {e.GetType().Name}"),
    };

    private static Task RespondAsync(SipServerTransaction transaction, CallStep.Respond answer) =>
        transaction.SendResponseAsync(answer.WithAllow
            ? DialogMethods.WithAllow(transaction, answer.Status, DialogMethods.WithoutRefer)
            : transaction.CreateResponse(answer.Status)).AsTask();

    private static Task Refuse(CallEvent.Command command, ActiveCall call)
    {
        command.Done.TrySetResult(NoLiveCall(call.Id));
        return Task.CompletedTask;
    }

    private async Task CallerHungUpAsync(ActiveCall call, SipServerTransaction transaction)
    {
        // The caller's 200 first: ending the call (recording, records) may take a moment.
        await transaction.SendResponseAsync(transaction.CreateResponse(200));
        await EndCallAsync(call, CallDisposition.CallerHungUp);
        LogCallEnded(logger, call.Id, call.CallId, "caller hung up");
    }

    private async Task AgentHungUpAsync(ActiveCall call, SipServerTransaction transaction)
    {
        await transaction.SendResponseAsync(transaction.CreateResponse(200));
        await HangUpAsync(call, CallDisposition.AgentHungUp, agentHungUp: true);
    }

    // The transferring agent hangs up during the consultation: the transfer completes.
    private async Task ConsultorHungUpAsync(ActiveCall call, SipServerTransaction transaction)
    {
        await transaction.SendResponseAsync(transaction.CreateResponse(200));
        await Transfers.CompleteConsultAsync(call, transferorHungUp: true);
    }

    private async Task OutsideHungUpAsync(ActiveCall call, SipServerTransaction transaction)
    {
        await transaction.SendResponseAsync(transaction.CreateResponse(200));
        await Outside.EndAsync(call, hungUp: true);
        await HangUpAsync(call, CallDisposition.OutsideHungUp);
    }

    /// <summary>
    /// After each event: when something worth keeping changed (identified, queued, offered, bridged, a
    /// leg ended), the call's progress goes to the record writer, so a crash keeps it. Only enqueues.
    /// </summary>
    private void NoteProgress(ActiveCall call)
    {
        if (call.Ended)
        {
            return;
        }

        var recordingPath = call.Recorder?.Path;
        var live = call.AgentLeg is { } leg
            ? new CallLeg("agent", leg.Extension, leg.OfferedAt, leg.AnsweredAt, null, leg.AnsweredAt is null ? "ringing" : "answered")
            : null;
        var key = CallRecordBuilder.KeyOf(call, recordingPath, live);
        if (call.LastProgress == key)
        {
            return;
        }

        call.ProgressWritten(key);
        var now = time.GetUtcNow();
        stores.Records.Progress(CallRecordBuilder.Progress(call, now, recordingPath, live), now);
    }

    private async Task AnswerFailedEventAsync(ActiveCall call, CallEvent e)
    {
        try
        {
            switch (e)
            {
                case CallEvent.Command c:
                    c.Done.TrySetResult(new(Contracts.Calls.CallControlError.TargetUnavailable, $"call {call.Id}: {c.Name} failed; the call was ended"));
                    break;
                case CallEvent.SipRequestArrived r when r.Transaction.LastResponse is not { StatusCode: >= 200 }:
                    await r.Transaction.SendResponseAsync(r.Transaction.CreateResponse(500));
                    break;
                default:
                    break;
            }

            await HangUpAsync(call, CallDisposition.InternalError);
        }
        catch (Exception again)
        {
            LogEventFailed(logger, again, call.Id, call.CallId, "ending the call after a failure");
        }
    }

    private async Task RunCommandAsync(ActiveCall call, CallEvent.Command command)
    {
        try
        {
            command.Done.TrySetResult(await command.Run(call));
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or IOException)
        {
            // The database or a file is away: the command is refused, the customer's call goes on.
            LogCommandFailed(logger, e, call.Id, call.CallId, command.Name);
            command.Done.TrySetResult(new(Contracts.Calls.CallControlError.TargetUnavailable, $"{command.Name} cannot be done now ({e.Message}); try again"));
        }
    }

    private async Task AnswerNewCallAsync(SipServerTransaction transaction, SipRequest invite, SipRemote source)
    {
        // RFC 3264: an offer with a G.711 codec we can answer, in our media's address family, with SRTP only as we can do it.
        var dialed = outbound.Trunks.Dialed(invite, source);
        var (kind, line) = invite.RequestUri.IsSip ? KindFor(dialed) : (null, null);
        var offer = string.Equals(invite.ContentType, "application/sdp", StringComparison.OrdinalIgnoreCase)
            ? SdpOffer.TryParse(invite.Body.Span)
            : null;
        var answer = offer is null ? null : SdpAnswer.Choose(offer);
        var family = offer is null || answer is null ? null : SdpAddressFamily.Refusal(offer, edge.Transport.PublicAddress);
        var sdes = offer is null || answer is null || family is not null ? null : SdesNegotiation.ForNewSession(offer, source.Protocol == SipTransportProtocol.Tls);
        if (NewCallPlanner.Refusal(_stopping || readiness is { RefusesNewCalls: true }, kind is not null, answer is not null, family, sdes?.Refusal) is { } refusal)
        {
            await RefuseNewCallAsync(transaction, refusal);
            return;
        }

        // Past the planner the call's kind is known and the offer usable (hence the ! below).
        // One source's share of calls (RFC 3261 21.5.4: 503 with Retry-After); a trusted SBC carries everybody's.
        var trusted = edge.TrustedPeers.IsTrusted(source);
        var verdict = trusted ? AdmissionVerdict.Admitted : edge.Admission.TryAdmit(source.EndPoint.Address, time.GetUtcNow());
        if (NewCallPlanner.Admission(verdict) is { } overShare)
        {
            Interlocked.Increment(ref verdict == AdmissionVerdict.TooManyInProgress ? ref _refusedInProgress : ref _refusedAttempts);
            await RefuseNewCallAsync(transaction, overShare);
            return;
        }

        var media = RtpSession.Open(callMedia.Ports, edge.Transport.PublicAddress, new System.Net.IPEndPoint(offer!.Address, offer.Port), answer!.ToMediaFormat(), callMedia.RtpCounters, time, sdes!.Ours?.Master, sdes.Theirs);
        if (media is null)
        {
            if (!trusted)
            {
                edge.Admission.Release(source.EndPoint.Address);
            }

            await RefuseNewCallAsync(transaction, NewCallPlanner.NoMediaPorts);
            return;
        }

        var ok = transaction.CreateResponse(200);
        ok.Contacts.Add(new SipNameAddress { Uri = _signalling.ContactUri(source.Protocol, dialed, CallSignalling.IsSips(invite.RequestUri)) });
        ok.Headers.Add(SipHeaderNames.Allow, DialogMethods.Allow(DialogMethods.WithoutRefer)); // RFC 3261 13.3.1.4
        ok.ContentType = "application/sdp";
        ok.Body = answer.Write(edge.Transport.PublicAddress, media.LocalPort, time.GetUtcNow().ToUnixTimeSeconds(), 1, sdes.Ours, SdesNegotiation.AnswerProfile(offer));

        // RFC 3261 12.1.1: our 2xx creates the dialog; in-dialog requests find the call through it. Its
        // Record-Route is followed only from a trusted peer (the proxy in front): anyone else's could
        // send our BYE to any address, or have us open TCP connections for it.
        var dialog = SipDialog.CreateUas(invite, ok, followRecordRoute: trusted);
        var caller = CallSignalling.CallerNumber(invite);
        var call = new ActiveCall(NewCallId(), dialog, dialog.Id.CallId, caller, dialed, media, source, time.GetUtcNow())
        {
            Kind = kind!,
            Mailbox = new CallMailbox(edge.Admission.MailboxCapacity),
        };
        media.Sending = answer.Direction.Sends();

        // Identify the caller off the SIP path: the answer never waits for the database; the result is an event.
        // A number from outside the trusted peers is a claim anyone can make (RFC 3325): the caller is unknown. So is
        // one the trusted proxy in front marked as not from its carriers (anyone on the LAN may have sent it there).
        var marked = trusted && CallSignalling.MarkedUnverified(invite);
        call.Answer(trusted, marked);
        if (call.CallerVerified)
        {
            call.LooksUp(Task.Run(() => IdentifyAsync(caller)));
        }
        else
        {
            Interlocked.Increment(ref _untrustedCallerIds);
            if (marked)
            {
                LogCallerMarkedUnverified(logger, call.Id, call.CallId, caller, source.EndPoint.Address.ToString());
            }
            else
            {
                LogCallerNotTrusted(logger, call.Id, call.CallId, caller, source.EndPoint.Address.ToString());
            }
        }

        StartLoop(call);
        stores.Records.Open(call.Id, caller, dialed, call.StartedAt);
        stores.Events.Write(EventKind.CallAnswered, call, null, new { caller, dialed, codec = answer.Codec, srtp = sdes.Secure });
        callMedia.Clock.Add(media);
        LogCallAnswered(logger, call.Id, call.CallId, caller, dialed, line!, answer.Codec);

        // Listed last, just before the 200: a CANCEL found the call from here on, and the call's loop may end
        // it at once, so everything the tear-down undoes (the open record, the media clock) is done by now.
        _calls.Add(call.Id, dialog, call);
        await transaction.SendResponseAsync(ok);
        if (transaction.LastResponse is { StatusCode: >= 300 })
        {
            // The caller's CANCEL came before the call was listed: it got its 487 and our 200 went nowhere.
            // Without this the call would wait in its queue for an ACK that never comes (found by the race torture).
            Post(call, new CallEvent.CallerCancelled(transaction));
        }
        background.Run(
            call,
            "client look-up",
            async () => Post(call, new CallEvent.Identified(await call.Identification), inline: call.Signalling.Protocol == SipTransportProtocol.Udp),
            _ => Post(call, new CallEvent.Identified(CallerIdentity.Unknown)));
    }

    /// <summary>The first kind of call that answers an INVITE to <paramref name="dialed"/>, with the line's label; nulls for none (404).</summary>
    private (ICallKind? Kind, string? Line) KindFor(string dialed)
    {
        foreach (var kind in _kinds)
        {
            if (kind.Answers(dialed) is { } line)
            {
                return (kind, line);
            }
        }

        return (null, null);
    }

    private static async Task RefuseNewCallAsync(SipServerTransaction transaction, NewCallRefusal refusal)
    {
        var response = transaction.CreateResponse(refusal.Status);
        if (refusal.Warning is { } warning)
        {
            response.Headers.Add("Warning", warning);
        }

        if (refusal.RetryAfter is { } seconds)
        {
            response.Headers.Add(SipHeaderNames.RetryAfter, seconds);
        }

        await transaction.SendResponseAsync(response);
    }

    /// <summary>Reads the caller's directory entry and what the screen pop shows beyond it (one command); unknown when the database is away.</summary>
    private async Task<CallerIdentity> IdentifyAsync(string caller)
    {
        try
        {
            var found = await stores.Callers.FindAsync(caller, RecentInteractions);
            return new CallerIdentity(found.Client, found.ManagerName, found.Recent, found.ManagerDeniedAt);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
        {
            // Unknown client: the flow runs for an ordinary caller.
            return CallerIdentity.Unknown;
        }
    }

    /// <summary>Carries out a step of the caller's leg (<see cref="CallerLeg"/>) on the call.</summary>
    private async Task StepCallerAsync(ActiveCall call, CallerInput input, CallerIdentity? identity = null, string? failure = null)
    {
        var actions = call.StepCaller(input);
        if ((actions & CallerActions.ApplyIdentity) != 0)
        {
            call.Apply(identity ?? CallerIdentity.Unknown);
        }

        if ((actions & CallerActions.StartIvr) != 0)
        {
            await StartIvrAsync(call);
        }

        if ((actions & CallerActions.EndNotConfirmed) != 0)
        {
            // RFC 3261 13.3.1.4: no ACK for our 200 within 64*T1: the dialog stands but the session ends, with a BYE.
            LogCallNotConfirmed(logger, call.Id, call.CallId, failure ?? "no ACK");
            await HangUpAsync(call, CallDisposition.NotConfirmed);
        }
    }

    private async Task CallerCancelledAsync(ActiveCall call, SipServerTransaction inviteTransaction)
    {
        // RFC 3261 9.2: once our 200 is out the CANCEL changes nothing. The caller ACKs the 200 (which the
        // transaction retransmits until then, 13.3.1.4) and hangs up with BYE. The CANCEL got here because it
        // reached the transaction layer while the INVITE was still pending and the 200 left just behind it.
        if (inviteTransaction.LastResponse is { IsSuccess: true })
        {
            LogCancelAfterAnswer(logger, call.Id, call.CallId);
            return;
        }

        var bye = call.Dialog?.CreateBye();
        await EndCallAsync(call, CallDisposition.Cancelled);
        await inviteTransaction.SendResponseAsync(inviteTransaction.CreateResponse(487));
        if (inviteTransaction.LastResponse is { IsSuccess: true } && bye is not null)
        {
            // The receive loop's 200 beat our 487 (the transaction drops a final after a final): the caller
            // has a dialog the call no longer has, so it gets a BYE rather than being left talking to nobody.
            Legs.SendInBackground(call, "BYE to the caller", bye, call.Signalling);
        }
    }

    /// <summary>Presence withdrew an offer (ring timeout, the agent went away): a consulted agent's, or the call's agent's.</summary>
    private Task WithdrawOfferAsync(ActiveCall call, string extension)
    {
        var withdrawn = AgentLegs.Withdrawn(call, extension);
        return withdrawn == WithdrawnLeg.Consult
            ? Transfers.ConsultNotAnsweredAsync(call)
            : Agents.WithdrawOfferAsync(call, extension, withdrawn);
    }

    private Task AnswerSessionChangeAsync(SipServerTransaction transaction, SipRequest request, ActiveCall call) =>
        _signalling.AnswerSessionChangeAsync(transaction, request, call.Media, call.Signalling.Protocol, call.Dialed);

    private async Task StartIvrAsync(ActiveCall call)
    {
        if (StartFax(call))
        {
            return;
        }

        if (call.Ended || call.Ivr is not null || call.Kind.Start(call) is not CallKindStart.RunFlow run)
        {
            return;
        }

        // Self-service is on the record from the answer (Recording:FromAnswer), the first prompt included. Its file is
        // created here, so the step goes on on the thread pool first: it may have been run by a SIP receive thread (the
        // directory's answer for an untrusted caller comes at once, on the thread that took the INVITE).
        if (_recording.StartsAtAnswer)
        {
            await Task.Yield();
        }

        _recording.StartFromAnswer(call);
        IvrCallRunner runner;
        CallDisposition? hangUp;
        try
        {
            var session = new IvrSession(flows, run.FlowId, new IvrCallContext(call.Caller, call.Dialed, call.Tier, call.Language));
            runner = new IvrCallRunner(call, session, callMedia.Prompts, acd.Queues, time, e => Post(call, e), logger, selfService);
            call.RunsIvr(runner);
            hangUp = runner.Start();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or KeyNotFoundException)
        {
            // A flow that cannot run must not leave the caller in silence.
            LogIvrFailed(logger, e, call.Id, call.CallId, call.Dialed);
            await HangUpAsync(call, CallDisposition.IvrFailed);
            return;
        }

        // Keys and prompt ends reach the session only once it has started; the media threads only post them.
        call.Media.Events = runner;
        call.Media.DetectFaxTone = faxes?.DetectsTone == true;
        if (hangUp is not null)
        {
            await HangUpAsync(call, hangUp.Value);
        }
    }

    /// <summary>A key, a prompt's end or a timer for the IVR; the flow may end the call.</summary>
    private async Task IvrStepAsync(ActiveCall call, IvrEvent e)
    {
        if (!call.Ended && call.Ivr?.Handle(e) is { } hangUp)
        {
            await HangUpAsync(call, hangUp);
        }
    }

    /// <summary>The queue's position and wait announcement, or any platform prompt, on the caller's leg.</summary>
    private Task Announce(ActiveCall call, IReadOnlyList<Ivr.Prompts.IvrPrompt> list)
    {
        if (!call.Ended)
        {
            // Where a callback can be booked, the caller hears how to ask for one after their position.
            var clips = callMedia.Prompts.Get(list);
            if (outbound.Callbacks.Available && call.CallerVerified && CallCore.CallbackKeyApplies(CallView.Of(call)))
            {
                var language = list.Count > 0 ? list[0].Language : call.Language ?? "zh";
                clips = [.. clips, callMedia.Prompts.Get(language, "callback-press-1"), callMedia.Prompts.Get(language, "callback-press-2")];
            }

            call.Media.Player.Play(call.NextPlayback(), clips);
        }

        return Task.CompletedTask;
    }

    /// <summary>The platform ends the call (the flow hung up): BYE to the caller, then the record.</summary>
    private Task HangUpAsync(ActiveCall call, CallDisposition disposition) => HangUpAsync(call, disposition, agentHungUp: false);

    private async Task HangUpAsync(ActiveCall call, CallDisposition disposition, bool agentHungUp)
    {
        if (call.Ended)
        {
            return;
        }

        var bye = call.Dialog?.CreateBye();
        disposition = await EndCallAsync(call, disposition, agentHungUp);

        // Sent, not awaited: the caller's answer comes through the receive loops, and the call's loop
        // has nothing left to do with it. (A callback's client who never answered has no dialog.)
        // With a Record-Route the BYE goes to its first hop (the transaction layer), not to where the INVITE came from.
        if (bye is not null)
        {
            Legs.SendInBackground(call, "BYE to the caller", bye, call.Signalling);
        }
        LogCallEnded(logger, call.Id, call.CallId, disposition.Value);
    }

    private ActiveCall? FindByTransaction(SipServerTransaction transaction) =>
        transaction.Request.CallId is { } callId
        && _calls.TryGetByDialog(new SipDialogId(callId, transaction.LocalTag, transaction.Request.From?.Tag ?? ""), out var call)
            ? call
            : null;

    /// <summary>Ends the call and writes its record; answers the ending recorded (a fax call's is its fax's).</summary>
    private async Task<CallDisposition> EndCallAsync(ActiveCall call, CallDisposition disposition, bool agentHungUp = false)
    {
        if (!call.TryEnd())
        {
            return disposition;
        }

        if (call.Dialog is { } callerDialog)
        {
            _calls.RemoveDialog(callerDialog.Id);
        }

        string? recordingPath = null;
        string? recordingSha = null;
        try
        {
            call.Ivr?.CallerHungUp();
            disposition = FaxEnding(call, disposition);
            call.Media.Events = null;
            acd.Queues.Remove(call.Id);
            await Monitor.EndForAsync(call, agent: null, "call-ended");
            await Transfers.EndConsultLegAsync(call, ConsultEnding.CallEnded);
            await Outside.EndAsync(call, hungUp: false);
            await CallbackLegs.EndAsync(call);
            await Agents.EndAsync(call, agentHungUp);
            callMedia.Clock.Remove(call.Media);
            (recordingPath, recordingSha) = await _recording.CompleteAsync(call);
            await call.Media.DisposeAsync();
        }
        catch (Exception e)
        {
            // Whatever failed in the tidy-up, the call leaves the indexes and gets its one record.
            Interlocked.Increment(ref _eventFailures);
            LogEventFailed(logger, e, call.Id, call.CallId, "ending the call");
        }
        finally
        {
            _calls.Remove(call.Id);
            if (call.Admitted)
            {
                edge.Admission.Release(call.Signalling.EndPoint.Address);
            }

            // No more events: those already queued are handled as for an ended call (481, a refusal).
            call.Mailbox.Close();
        }

        if (!call.Identified)
        {
            try
            {
                call.Apply(await call.Identification.WaitAsync(TimeSpan.FromSeconds(2)));
            }
            catch (Exception e) when (e is TimeoutException or System.Data.Common.DbException)
            {
                // The directory is slow or away: the record goes without the tier rather than not at all.
            }
        }

        stores.Events.Write(EventKind.CallEnded, call, call.Agent, new { disposition = disposition.Value });
        var endedAt = time.GetUtcNow();
        CallbackCalls.Settle(call, disposition);
        var record = CallRecordBuilder.Build(call, disposition, endedAt, recordingPath, recordingSha);

        // The record may wait for the agent's wrap-up: a crash meanwhile keeps the call's real ending.
        stores.Records.Progress(record, endedAt);
        await acd.WrapUps.CallEndedAsync(record, call.CallId);

        // A callback's attempt: its outcome decides a retry (once; a reached client was reported on answer).
        await CallbackLegs.EndedAsync(call, disposition);
        return disposition;
    }

    /// <summary>
    /// Why a request that needs the call bridged to its agent (hold, consult, monitor) cannot be carried
    /// out now, or null when it can.
    /// </summary>
    private static Contracts.Calls.CallControlResult? NotBridgedRefusal(ActiveCall call) =>
        BridgeCheck.Refusal(call.Id, BridgeState.Of(call));

    private string NewCallId() => CallIds.New(time);

    [LoggerMessage(2100, LogLevel.Information, "Call {CallId} (SIP {SipCallId}) from {Caller} to {Dialed} ({Kind}) answered with {Codec}")]
    private static partial void LogCallAnswered(ILogger logger, string callId, string sipCallId, string caller, string dialed, string kind, string codec);

    [LoggerMessage(2101, LogLevel.Information, "Call {CallId} (SIP {SipCallId}) ended: {Reason}")]
    private static partial void LogCallEnded(ILogger logger, string callId, string sipCallId, string reason);

    [LoggerMessage(2103, LogLevel.Error, "Call {CallId} (SIP {SipCallId}) to {Dialed}: the IVR flow could not run; hanging up")]
    private static partial void LogIvrFailed(ILogger logger, Exception exception, string callId, string sipCallId, string dialed);

    [LoggerMessage(2102, LogLevel.Warning, "Call {CallId} (SIP {SipCallId}) ended before it was confirmed: {Failure}")]
    private static partial void LogCallNotConfirmed(ILogger logger, string callId, string sipCallId, string failure);

    [LoggerMessage(9056, LogLevel.Information, "Call {CallId} (SIP {SipCallId}): the caller's CANCEL crossed our 200; it changes nothing (RFC 3261 9.2), the caller's BYE ends the call")]
    private static partial void LogCancelAfterAnswer(ILogger logger, string callId, string sipCallId);

    [LoggerMessage(2104, LogLevel.Error, "Call {CallId} (SIP {SipCallId}): handling {Event} failed; ending the call")]
    private static partial void LogEventFailed(ILogger logger, Exception exception, string callId, string sipCallId, string @event);

    [LoggerMessage(2105, LogLevel.Warning, "Call {CallId} (SIP {SipCallId}): mailbox full, {Event} refused")]
    private static partial void LogMailboxFull(ILogger logger, string callId, string sipCallId, string @event);

    [LoggerMessage(2107, LogLevel.Warning, "Call {CallId} (SIP {SipCallId}): {Command} refused, it failed")]
    private static partial void LogCommandFailed(ILogger logger, Exception exception, string callId, string sipCallId, string command);

    [LoggerMessage(2108, LogLevel.Information, "Call {CallId} (SIP {SipCallId}): caller id {Caller} from {Source}, not a trusted peer; treated as an unknown caller")]
    private static partial void LogCallerNotTrusted(ILogger logger, string callId, string sipCallId, string caller, string source);

    [LoggerMessage(9007, LogLevel.Information, "Call {CallId} (SIP {SipCallId}): caller id {Caller} through the proxy at {Source}, which marked it unverified (not from one of its carriers); treated as an unknown caller")]
    private static partial void LogCallerMarkedUnverified(ILogger logger, string callId, string sipCallId, string caller, string source);

    [LoggerMessage(2106, LogLevel.Warning, "Shutdown: {Count} calls did not end within 3 s")]
    private static partial void LogShutdownSlow(ILogger logger, int count);
}
