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
        stores.Events.Write(EventKind.CallDeskHangUp, call, leg.Extension);
        await HangUpAsync(call, CallDisposition.AgentHungUp);
        return new CallControlResult(CallControlError.None, "the call has ended");
    });

    public async Task<CallControlResult> WrapUpAsync(string agent, string callId, string code, string? notes)
    {
        if (await acd.WrapUps.CheckCodeAsync(code) is { } refused)
        {
            return refused;
        }

        if (_calls.Contains(callId))
        {
            var onLiveCall = await RunOnCallAsync(callId, "wrap-up", call =>
            {
                if (call.AgentLeg?.Extension == agent || call.ConsultLeg?.Extension == agent)
                {
                    return Task.FromResult(new CallControlResult(CallControlError.NotBridged, $"call {callId} is still going on; hang up first"));
                }

                // An agent who transferred a placed call away may say it reached a wrong number: the call keeps it for its record.
                var (result, outcome) = acd.WrapUps.WrapUpLeftCall(agent, callId, code, notes, call.Legs);
                if (outcome is not null && call.Callback is { } attempt)
                {
                    attempt.AgentWrappedUpAs(outcome);
                }

                return Task.FromResult(result);
            });

            // A call that ended meanwhile is wrapped up on its record below.
            if (onLiveCall.Error != CallControlError.UnknownCall)
            {
                return WrappedUp(onLiveCall, agent, callId, code);
            }
        }

        return WrappedUp(await acd.WrapUps.WrapUpEndedCallAsync(agent, callId, code, notes), agent, callId, code);
    }

    /// <summary>A list call's wrap-up code may be the client's answer (a new-account confirmation): the lists hear it, off this path.</summary>
    private CallControlResult WrappedUp(CallControlResult result, string agent, string callId, string code)
    {
        if (result.Error == CallControlError.None)
        {
            // Tracked like the call's other background work (shutdown waits for it); the lists log their own refusals.
            background.Run(callId, "-", "the wrap-up answer to the call lists", () => outbound.Callbacks.ReportAnswerAsync(new Outbound.CallAnswer(callId, null, code, $"agent {agent} (wrap-up {code})", agent)), onFailure: null);
        }

        return result;
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
        acd.Queues.Assigned += assignment =>
        {
            if (_calls.TryGet(assignment.Call.Id, out var call))
            {
                if (Post(call, new CallEvent.Assigned(assignment)) != PostOutcome.Posted)
                {
                    acd.Presence.ReturnToRouter(assignment.Agent);
                }
            }
            else if (outbound.Callbacks.TryClaim(assignment) is { } claim)
            {
                StartCallbackCall(claim, assignment);
            }
            else
            {
                acd.Presence.ReturnToRouter(assignment.Agent);
            }
        };
        acd.Queues.CallbackOffered += overflow =>
        {
            if (outbound.Callbacks.IsEntry(overflow.Call.Id))
            {
                outbound.Callbacks.Overflowed(overflow.Call.Id);
            }
            else
            {
                PostTo(overflow.Call.Id, new CallEvent.CallbackOffered(overflow));
            }
        };
        acd.Presence.OfferWithdrawn += (callId, extension) => PostTo(callId, new CallEvent.OfferWithdrawn(extension));
        acd.Presence.WrapUpEnded += (callId, agent, seconds) =>
            background.Run(callId, acd.WrapUps.SipCallIdOf(callId) ?? "", "record after the wrap-up", () => Task.Run(() => acd.WrapUps.WrapUpEndedAsync(callId, seconds)));
    }

    private void PostTo(string callId, CallEvent e)
    {
        if (_calls.TryGet(callId, out var call))
        {
            Post(call, e);
        }
    }

    /// <summary>
    /// A callback's entry reached an agent: the client is looked up (for the pop), the attempt's call is
    /// made and its loop started, and the assignment goes to it as to any waiting caller: the agent's
    /// phone rings first, the client once the agent answers.
    /// </summary>
    private void StartCallbackCall(Outbound.CallbackClaim claim, RoutingAssignment assignment) =>
        background.Run(claim.Entry.Id, "", $"callback {claim.Callback.Id}", async () =>
        {
            // The claim's conditional write first: a callback cancelled, or claimed by another node, is never dialled twice.
            if (!await outbound.Callbacks.ConfirmClaimAsync(claim))
            {
                acd.Presence.ReturnToRouter(assignment.Agent);
                return;
            }

            // The last word before the client's INVITE: the do-not-call list (as the database has it now: another node may
            // have listed the number since this node's last read) and the calling hours, the platform's and the client's own
            // (as the database has them now).
            if (Outbound.DialPlan.Normalize(claim.Callback.Number, outbound.Dialing).Number is { } number
                && await outbound.Rules.CheckAsync(number, claim.Callback.RiskNotice, claim.Callback.ListEntryId is null ? "callback" : "list call", claim.Callback.Id) is { Allowed: false } blocked)
            {
                acd.Presence.ReturnToRouter(assignment.Agent);
                if (blocked.Waits)
                {
                    outbound.Callbacks.Defer(claim.Callback, blocked.NextAllowed!.Value, blocked.Block);
                }
                else
                {
                    await outbound.Callbacks.AttemptEndedAsync(claim.Callback, claim.Entry.Id, Outbound.CallbackOutcomes.DoNotCall, dialled: false);
                }

                return;
            }

            var (call, failure) = CallbackLegs.Create(claim.Entry, claim.Callback.Number, claim.Callback, await IdentifyAsync(claim.Callback.Number));
            if (call is null)
            {
                acd.Presence.ReturnToRouter(assignment.Agent);
                LogCallbackNotStarted(logger, claim.Callback.Id, failure!);
                await outbound.Callbacks.AttemptEndedAsync(claim.Callback, claim.Entry.Id, Outbound.CallbackOutcomes.Failed, dialled: true);
                return;
            }

            StartPlacedCall(call, null, new { caller = call.Caller, dialed = call.Dialed, direction = call.Direction, callback = claim.Callback.Id });
            if (Post(call, new CallEvent.Assigned(assignment)) != PostOutcome.Posted)
            {
                acd.Presence.ReturnToRouter(assignment.Agent);
            }
        });

    /// <summary>
    /// A call the platform placed (a callback's attempt, a click-to-dial) joins the calls: its loop, the
    /// dispatcher's index (no dialog yet), its open record, the event log, and the media clock.
    /// </summary>
    private void StartPlacedCall(ActiveCall call, string? agent, object detail)
    {
        StartLoop(call);
        _calls.Add(call.Id, call);
        stores.Records.Open(call.Id, call.Caller, call.Dialed, call.StartedAt);
        stores.Events.Write(EventKind.CallAnswered, call, agent, detail);
        callMedia.Clock.Add(call.Media);
    }

    /// <summary>
    /// Click-to-dial (<see cref="IDeskCalls.DialAsync"/>): the number through the dial plan, the client looked
    /// up for the pop, the call made as a callback's is (<see cref="CallbackCalls.Create"/>), then the agent's
    /// phone rung in the call's loop. The client is rung once the agent answers.
    /// </summary>
    public async Task<CallControlResult> DialAsync(string agent, string number)
    {
        if (outbound.Trunks.First is null)
        {
            return new(CallControlError.UnknownTarget, "no trunk is configured (Trunks:0:Address): the platform cannot call outside numbers");
        }

        var (dialable, refusal) = Outbound.DialPlan.Normalize(number, outbound.Dialing);
        if (dialable is null)
        {
            return new(CallControlError.UnknownTarget, refusal!.Reason);
        }

        if (await outbound.Rules.CheckAsync(dialable, riskNotice: false, "click-to-dial", agent) is { Allowed: false } blocked)
        {
            return new(CallControlError.UnknownTarget, blocked.Reason!);
        }

        if (acd.Presence.List().FirstOrDefault(a => a.Id == agent) is not { State: "available" })
        {
            return new(CallControlError.TargetUnavailable, $"agent {agent} is not available: click-to-dial rings the agent's own phone first");
        }

        var entry = new WaitingCall(NewCallId(), "click-to-dial", null, null, [], time.GetUtcNow());
        var (call, failure) = CallbackLegs.Create(entry, dialable.Dial, null, await IdentifyAsync(dialable.Dial));
        if (call is null)
        {
            return new(CallControlError.TargetUnavailable, failure!);
        }

        StartPlacedCall(call, agent, new { caller = call.Caller, dialed = call.Dialed, direction = call.Direction, clickToDial = agent });
        var result = await RunOnCallAsync(call.Id, "dial", async c =>
        {
            await Agents.OfferAsync(c, entry, agent, $"click-to-dial by {agent}");
            return c.AgentLeg is null
                ? new(CallControlError.TargetUnavailable, $"agent {agent} cannot take a call now")
                : new(CallControlError.None, $"ringing agent {agent}, then {dialable.Dial}", c.Id);
        });
        return result with { CallId = call.Id };
    }

    /// <summary>An agent's phone answered or refused; a callback's agent who answered has the client rung now.</summary>
    private async Task AgentLegFinalAsync(ActiveCall call, CallEvent.AgentLegFinal final)
    {
        await Agents.FinalAsync(call, final.Leg, final.Response);
        if (call.Callback is not null && call.AgentLeg == final.Leg && final.Leg.AnsweredAt is not null)
        {
            CallbackLegs.DialClient(call);
        }
    }

    /// <summary>Ends the call when a step says so (a callback's client not reached).</summary>
    private async Task EndIfAsync(ActiveCall call, Task<CallDisposition?> step)
    {
        if (await step is { } disposition)
        {
            await HangUpAsync(call, disposition);
        }
    }

    /// <summary>
    /// The caller pressed 1 in the queue: a callback to their number is booked with their place and
    /// tier, they hear that it is booked and the call ends. Booked only where it can be kept: a trunk to
    /// call through, a caller id from a trusted peer (anyone else's number is only a claim) that the
    /// dial plan allows. Otherwise the caller hears that no callback can be booked and keeps waiting.
    /// </summary>
    private async Task RequestCallbackAsync(ActiveCall call)
    {
        var waiting = call.Waiting!;
        var language = call.Language ?? waiting.Language ?? "zh";
        var booked = await TryBookCallbackAsync(call, new Outbound.CallbackRequest(
            call.Caller, waiting.Queue, "queue-key", waiting.EnteredAt, null, call.Tier, language, call.AccountManager, waiting.RequiredSkills, call.Id, RequestedBy: call.Caller));
        if (booked.Callback is null)
        {
            call.Media.Player.Play(call.NextPlayback(), [callMedia.Prompts.Get(language, booked.Limited ? "callback-limit" : "callback-unavailable")]);
            return;
        }

        // The callback holds the caller's place now (or the one already booked for this number does): the call
        // leaves the queue and ends after the message (no more keys: the message stops the IVR's and the queue's hold on the media).
        acd.Queues.Remove(call.Id);
        WriteBooked(call, booked.Callback);
        PlayThenHangUp(call, callMedia.Prompts.Get(language, booked.Existing ? "callback-already-booked" : "callback-booked"), CallDisposition.CallbackRequested);
    }

    /// <summary>
    /// The queue overflowed: a callback is booked where it can be kept and the caller hears so; where it
    /// cannot (no trunk, an untrusted or undialable number, the database away) the caller hears to call
    /// again later. Either way the call then ends.
    /// </summary>
    private async Task OfferCallbackAsync(ActiveCall call, OverflowDecision overflow)
    {
        if (call.Ended)
        {
            return;
        }

        var language = overflow.Call.Language ?? call.Language ?? "zh";
        var result = await TryBookCallbackAsync(call, new Outbound.CallbackRequest(
            call.Caller, overflow.FromQueue, "overflow", overflow.Call.EnteredAt, null, call.Tier, language, call.AccountManager, overflow.Call.RequiredSkills, call.Id, RequestedBy: call.Caller));
        var (booked, refusal) = result;
        stores.Events.Write(EventKind.CallCallbackOffered, call, null, new { queue = overflow.FromQueue, reason = overflow.ToString(), callback = booked?.Id, refusal });
        if (booked is null)
        {
            PlayThenHangUp(call, callMedia.Prompts.Get(language, "overflow-call-later"), CallDisposition.OverflowNoCallback);
            return;
        }

        WriteBooked(call, booked);
        PlayThenHangUp(call, callMedia.Prompts.Get(language, result.Existing ? "callback-already-booked" : "callback-offer"), CallDisposition.OverflowCallback);
    }

    /// <summary>
    /// Books the caller's callback where it can be kept: only for a caller id from a trusted peer (anyone
    /// else's number is a claim), through <see cref="Outbound.Callbacks.BookAsync"/>'s checks, and not when
    /// the database is away. A refusal is logged with its reason.
    /// </summary>
    private async Task<Outbound.CallbackBooked> TryBookCallbackAsync(ActiveCall call, Outbound.CallbackRequest request)
    {
        var booked = new Outbound.CallbackBooked(null, "the caller id is not from a trusted peer");
        if (call.CallerVerified)
        {
            try
            {
                booked = await outbound.Callbacks.BookAsync(request);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
            {
                booked = new(null, "the database is unavailable");
                LogCallbackFailed(logger, e, call.Id, call.CallId);
            }
        }

        if (booked.Callback is null)
        {
            LogCallbackRefused(logger, call.Id, call.CallId, booked.Refusal!);
        }

        return booked;
    }

    private void WriteBooked(ActiveCall call, Data.Callbacks.CallbackRow booked) =>
        stores.Events.Write(EventKind.CallCallbackBooked, call, null, new { callback = booked.Id, number = booked.Number, queue = booked.Queue, source = booked.Source });

    /// <summary>The IVR and the music stop, the message plays, then the platform hangs up as <paramref name="disposition"/>.</summary>
    private void PlayThenHangUp(ActiveCall call, CallCenter.Telephony.Media.AudioClip message, CallDisposition disposition) =>
        PlayThenHangUp(call, [message], disposition);

    private void PlayThenHangUp(ActiveCall call, IReadOnlyList<CallCenter.Telephony.Media.AudioClip> message, CallDisposition disposition)
    {
        call.Ivr?.Dispose();
        call.Media.Events = null;
        call.Media.Player.SetBackground(null);
        call.Media.Player.Play(call.NextPlayback(), message);
        background.Run(call, "closing message", async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(Seconds(message) + 0.5), time);
            Post(call, new CallEvent.CallbackMessagePlayed(disposition));
        });
    }

    [LoggerMessage(2164, LogLevel.Information, "Call {CallId} (SIP {SipCallId}): no callback booked: {Reason}")]
    private static partial void LogCallbackRefused(ILogger logger, string callId, string sipCallId, string reason);

    [LoggerMessage(2165, LogLevel.Error, "Call {CallId} (SIP {SipCallId}): booking a callback failed")]
    private static partial void LogCallbackFailed(ILogger logger, Exception exception, string callId, string sipCallId);

    [LoggerMessage(2166, LogLevel.Warning, "Callback {CallbackId} could not start its attempt: {Failure}")]
    private static partial void LogCallbackNotStarted(ILogger logger, string callbackId, string failure);
}
