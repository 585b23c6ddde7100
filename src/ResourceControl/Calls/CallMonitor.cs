using CallCenter.Contracts.Calls;
using CallCenter.Data.Calls;
using CallCenter.Data.Catalog;
using CallCenter.Data.Events;
using CallCenter.Telephony.Media;
using CallCenter.Telephony.Sdp;
using CallCenter.Telephony.Sip.Dialogs;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Transactions;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// Listen, whisper and barge: a supervisor's own registered phone (an extension of kind
/// supervisor) is rung like an agent's (same INVITE, same binding look-up) and on answer joined to
/// a bridged call's media on the one media clock, as <see cref="MonitorRouting"/> says who hears
/// whom. The supervisor's BYE, a stop request, the call's end or its agent leaving (a transfer)
/// ends the supervisor's leg; the call goes on. One supervisor per call at a time. The recording
/// keeps the caller left and the agent right: a whisper is mixed into the agent's leg after the
/// recorder has seen it, a barge into the caller's leg before, so the right channel (what the
/// caller hears) holds the supervisor's words to the caller.
/// </summary>
/// <remarks>
/// Every method runs in the call's loop (the endpoint's <see cref="IMonitorControl"/> posts the desk's
/// commands there); what the supervisor's phone answers comes back as <see cref="CallEvent.MonitorLegFinal"/>.
/// </remarks>
internal sealed partial class CallMonitor(
    CallLegs legs,
    CallSignalling signalling,
    CallDirectory<ActiveCall> calls,
    CatalogRepository catalog,
    MediaClock clock,
    Records.EventLog events,
    Agents.AgentOptions agentOptions,
    BackgroundSends background,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>Rings <paramref name="supervisorExtension"/>'s phone into the call, or changes the mode of the supervisor already there.</summary>
    public async Task<CallControlResult> StartAsync(ActiveCall call, string supervisorExtension, MonitorMix mix)
    {
        var plan = MonitorPlanner.Plan(call.Id, BridgeState.Of(call), call.Monitor?.Extension, supervisorExtension);
        if (plan.Step == MonitorStep.Refused)
        {
            return plan.Refusal!;
        }

        if (plan.Step == MonitorStep.ChangeMode)
        {
            // Already ringing or joined: only the mode changes (at once, or when the phone answers).
            var current = call.Monitor!;
            current.Switch(mix);
            if (current.Dialog is not null)
            {
                ApplyMonitorMix(call, current);
            }

            events.Write(EventKind.CallMonitorMode, call, call.Agent, new { supervisor = supervisorExtension, mode = MonitorPlanner.ModeName(mix) });
            LogMonitorMode(logger, call.Id, call.CallId, supervisorExtension, MonitorPlanner.ModeName(mix));
            return new CallControlResult(CallControlError.None, $"{supervisorExtension} now {MonitorPlanner.ModeName(mix)}s");
        }

        var phone = await catalog.FindAgentAsync(supervisorExtension);
        if (phone is not { IsSupervisor: true })
        {
            return new CallControlResult(CallControlError.UnknownTarget, $"{supervisorExtension} is not a supervisor's phone");
        }

        var now = time.GetUtcNow();
        var binding = await legs.FindPhoneAsync(supervisorExtension, now);
        if (binding is null)
        {
            return new CallControlResult(CallControlError.TargetUnavailable, $"the phone of {supervisorExtension} is not registered");
        }

        // The call may have changed while the database answered (events wait, but this loop awaited it).
        if (MonitorPlanner.LateRefusal(call.Id, BridgeState.Of(call), call.Monitor?.Extension) is { } late)
        {
            return late;
        }

        if (legs.OpenMedia(call, binding.ToCallTarget()) is not { } media)
        {
            return new CallControlResult(CallControlError.TargetUnavailable, "no media ports are free");
        }

        var destination = binding.ToCallTarget();
        var invite = signalling.CreateAgentInvite(call, supervisorExtension, binding.ToContactUri(), destination, media, DialogMethods.WithoutRefer, binding.RouteSet());
        var leg = new MonitorLeg(supervisorExtension, invite, destination, media, call.AgentLeg!, mix, now);
        call.MonitorRung(leg);
        events.Write(EventKind.CallMonitorOffered, call, call.Agent, new { supervisor = supervisorExtension, mode = MonitorPlanner.ModeName(mix) });
        LogMonitorOffered(logger, call.Id, call.CallId, supervisorExtension, MonitorPlanner.ModeName(mix));
        legs.Ring(
            call,
            $"INVITE to supervisor {supervisorExtension}",
            invite,
            destination,
            media,
            final => new CallEvent.MonitorLegFinal(leg, final),
            e => LogMonitorLegFailed(logger, e, call.Id, call.CallId, supervisorExtension));
        background.Run(call, $"ring timeout of supervisor {supervisorExtension}", async () =>
        {
            // An unanswered supervisor's phone stops ringing after the agents' ring timeout.
            await Task.Delay(agentOptions.RingTimeout, time);
            legs.Post(call, new CallEvent.MonitorRingTimedOut(leg));
        });
        return new CallControlResult(CallControlError.None, $"ringing {supervisorExtension} to {MonitorPlanner.ModeName(mix)}");
    }

    /// <summary>The supervisor's desk stops monitoring: their leg leaves the call.</summary>
    public async Task<CallControlResult> StopAsync(ActiveCall call, string supervisorExtension)
    {
        if (call.Monitor is not { } leg || leg.Extension != supervisorExtension)
        {
            return new CallControlResult(CallControlError.UnknownTarget, $"{supervisorExtension} is not monitoring call {call.Id}");
        }

        await EndAsync(call, leg, "stopped", sendBye: true);
        return new CallControlResult(CallControlError.None, $"{supervisorExtension} left the call");
    }

    public async Task RingTimedOutAsync(ActiveCall call, MonitorLeg leg)
    {
        if (!leg.Final)
        {
            await EndAsync(call, leg, "no-answer", sendBye: true);
        }
    }

    /// <summary>The supervisor's phone answered, refused, or the ring was cancelled (487).</summary>
    public async Task LegFinalAsync(ActiveCall call, MonitorLeg leg, SipResponse final)
    {
        if (final.IsSuccess)
        {
            await SupervisorAnsweredAsync(call, leg, final);
            return;
        }

        if ((await legs.StepAsync(call, leg, LegLifecycle.Refused(leg.Phase)) & LegActions.Refused) != 0 && call.Monitor == leg)
        {
            call.MonitorLeft();
            call.LegEnded(new CallLeg("supervisor", leg.Extension, leg.OfferedAt, null, time.GetUtcNow(), $"rejected {final.StatusCode}"));
            events.Write(EventKind.CallMonitorFailed, call, call.Agent, new { supervisor = leg.Extension, outcome = $"rejected {final.StatusCode}" });
            LogMonitorEnded(logger, call.Id, call.CallId, leg.Extension, $"rejected {final.StatusCode}");
        }
    }

    private async Task SupervisorAnsweredAsync(ActiveCall call, MonitorLeg leg, SipResponse ok)
    {
        var (sdp, chosen) = CallSignalling.ReadAnswer(ok, leg.Media);
        var wanted = call.Monitor == leg && BridgeCheck.Refusal(call.Id, BridgeState.Of(call)) is null && call.AgentLeg == leg.Agent;
        var actions = await legs.StepAsync(call, leg, LegLifecycle.Answered(leg.Phase, wanted, chosen is not null), ok);

        // Answered too late (stopped, the call ended or changed agent) or with no usable codec: ACKed, BYEd and freed above.
        if ((actions & LegActions.Join) == 0)
        {
            if (call.Monitor == leg)
            {
                call.MonitorLeft();
                call.LegEnded(new CallLeg("supervisor", leg.Extension, leg.OfferedAt, null, time.GetUtcNow(), chosen is null ? "no-usable-codec" : "call-changed"));
            }

            return;
        }

        var dialog = leg.Dialog!;

        leg.Answered(time.GetUtcNow());
        CallLegs.ApplyAnswer(leg.Media, sdp!, chosen!);
        ApplyMonitorMix(call, leg);
        calls.AddDialog(dialog, call);
        clock.Add(leg.Media);
        events.Write(EventKind.CallMonitor, call, call.Agent, new { supervisor = leg.Extension, mode = MonitorPlanner.ModeName(leg.Mode) });
        LogMonitorJoined(logger, call.Id, call.CallId, leg.Extension, MonitorPlanner.ModeName(leg.Mode));
    }

    /// <summary>
    /// Wires the relays between the three legs for the leg's mode: fresh buffers for the
    /// supervisor's voice on every change, so a mode switched back never plays stale audio.
    /// </summary>
    private static void ApplyMonitorMix(ActiveCall call, MonitorLeg leg)
    {
        var caller = call.Media;
        var agent = leg.Agent.Media;
        var supervisor = leg.Media;
        var mode = leg.Mode;
        leg.Rewire();
        caller.ForwardAlso = MonitorRouting.Hears(mode, MonitorParty.Supervisor, MonitorParty.Caller) ? leg.FromCaller : null;
        agent.ForwardAlso = MonitorRouting.Hears(mode, MonitorParty.Supervisor, MonitorParty.Agent) ? leg.FromAgent : null;
        supervisor.Player.SetLive(leg.FromCaller);
        supervisor.SetMixIn(leg.FromAgent, recorded: false);
        supervisor.Forward = leg.ToAgent ?? leg.ToCaller;
        supervisor.ForwardAlso = leg.ToAgent is null ? null : leg.ToCaller;
        agent.SetMixIn(leg.ToAgent, recorded: false);
        caller.SetMixIn(leg.ToCaller, recorded: true);
    }

    /// <summary>The supervisor's leg leaves the call (CANCEL while ringing, BYE once joined unless they hung up); the call goes on.</summary>
    private async Task EndAsync(ActiveCall call, MonitorLeg leg, string outcome, bool sendBye)
    {
        if (call.Monitor != leg)
        {
            return;
        }

        call.MonitorLeft();
        var joined = leg.Dialog is not null;
        call.LegEnded(new CallLeg("supervisor", leg.Extension, leg.OfferedAt, leg.AnsweredAt, time.GetUtcNow(), outcome));
        events.Write(EventKind.CallMonitorEnded, call, call.Agent, new { supervisor = leg.Extension, outcome });
        LogMonitorEnded(logger, call.Id, call.CallId, leg.Extension, outcome);
        if (!joined)
        {
            // Ringing: the CANCEL's 487 comes back as MonitorLegFinal, which frees the media; an answer
            // on its way gets its BYE there.
            await legs.StepAsync(call, leg, LegLifecycle.GiveUp(leg.Phase));
            return;
        }

        call.Media.ForwardAlso = null;
        call.Media.SetMixIn(null, recorded: false);
        leg.Agent.Media.ForwardAlso = null;
        leg.Agent.Media.SetMixIn(null, recorded: false);
        clock.Remove(leg.Media);
        calls.RemoveDialog(leg.Dialog!.Id);
        await legs.StepAsync(call, leg, sendBye ? LegLifecycle.GiveUp(leg.Phase) : LegLifecycle.HungUp(leg.Phase));
        legs.AccountRelay((leg.FromCaller!, leg.FromAgent!));
    }

    /// <summary>The call is ending, or <paramref name="agent"/> (null: any) leaves it: so does its supervisor.</summary>
    public async Task EndForAsync(ActiveCall call, AgentLeg? agent, string outcome)
    {
        if (call.Monitor is { } leg && (agent is null || leg.Agent == agent))
        {
            await EndAsync(call, leg, outcome, sendBye: true);
        }
    }

    /// <summary>A request in the supervisor's dialog: BYE leaves the call; a re-INVITE gets our media again.</summary>
    public async Task HandleRequestAsync(SipServerTransaction transaction, SipRequest request, ActiveCall call, SipDialogId dialogId)
    {
        var leg = call.Monitor is { Dialog: { } d } current && d.Id == dialogId ? current : null;
        switch (request.Method)
        {
            case SipMethods.Bye:
                await transaction.SendResponseAsync(transaction.CreateResponse(200));
                if (leg is not null)
                {
                    await EndAsync(call, leg, "supervisor-hung-up", sendBye: false);
                }

                break;
            case SipMethods.Invite or SipMethods.Update when leg is not null:
                await signalling.AnswerSessionChangeAsync(transaction, request, leg.Media, leg.Destination.Protocol, call.Dialed);
                break;
            case SipMethods.Info:
                await transaction.SendResponseAsync(transaction.CreateResponse(200));
                break;
            case SipMethods.Options when leg is not null:
                await transaction.SendResponseAsync(DialogMethods.WithAllow(transaction, 200, DialogMethods.WithoutRefer));
                break;
            default:
                await transaction.SendResponseAsync(leg is null ? transaction.CreateResponse(481) : DialogMethods.WithAllow(transaction, 405, DialogMethods.WithoutRefer));
                break;
        }
    }

    [LoggerMessage(2130, LogLevel.Information, "Call {CallId} (SIP {SipCallId}): ringing supervisor {Supervisor} to {Mode}")]
    private static partial void LogMonitorOffered(ILogger logger, string callId, string sipCallId, string supervisor, string mode);

    [LoggerMessage(2131, LogLevel.Information, "Call {CallId} (SIP {SipCallId}): supervisor {Supervisor} joined to {Mode}")]
    private static partial void LogMonitorJoined(ILogger logger, string callId, string sipCallId, string supervisor, string mode);

    [LoggerMessage(2132, LogLevel.Information, "Call {CallId} (SIP {SipCallId}): supervisor {Supervisor} now set to {Mode}")]
    private static partial void LogMonitorMode(ILogger logger, string callId, string sipCallId, string supervisor, string mode);

    [LoggerMessage(2133, LogLevel.Information, "Call {CallId} (SIP {SipCallId}): supervisor {Supervisor} left: {Outcome}")]
    private static partial void LogMonitorEnded(ILogger logger, string callId, string sipCallId, string supervisor, string outcome);

    [LoggerMessage(2134, LogLevel.Error, "Call {CallId} (SIP {SipCallId}): the leg to supervisor {Supervisor} failed")]
    private static partial void LogMonitorLegFailed(ILogger logger, Exception exception, string callId, string sipCallId, string supervisor);
}
