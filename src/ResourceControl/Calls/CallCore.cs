using CallCenter.Data.Calls;
using CallCenter.Ivr.Flows;
using CallCenter.Telephony.Sip.Dialogs;
using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// What the call's loop reads of a call to decide what an event does: whether it has ended, which
/// dialog is whose, which legs are up, whether the caller waits in a queue, and what kind of
/// outbound attempt it is. Taken from the <see cref="ActiveCall"/> before each event (<see cref="Of"/>).
/// </summary>
internal readonly record struct CallView(
    bool Ended,
    SipDialogId? CallerDialog,
    SipDialogId? AgentDialog,
    SipDialogId? ConsultDialog,
    SipDialogId? MonitorDialog,
    SipDialogId? OutsideDialog,
    bool AgentLeg,
    bool ConsultLeg,
    bool OutsideLeg,
    bool Waiting,
    CallbackKind Callback,
    TrunkLeg? CallbackClient,
    bool Fax = false,
    bool ClientAsked = false,
    bool KeyingNumber = false,
    bool OutsideConsult = false)
{
    public static CallView Of(ActiveCall call) => new(
        call.Ended,
        call.Dialog?.Id,
        call.AgentLeg?.Dialog?.Id,
        call.ConsultLeg?.Dialog?.Id,
        call.Monitor?.Dialog?.Id,
        call.OutsideLeg?.Dialog?.Id,
        call.AgentLeg is not null,
        call.ConsultLeg is not null,
        call.OutsideLeg is not null,
        call.Waiting is not null,
        call.Callback switch
        {
            null => CallbackKind.None,
            { AgentOwned: false } => CallbackKind.Callback,
            { Dialled: false } => CallbackKind.ClickToDialRingingAgent,
            _ => CallbackKind.ClickToDial,
        },
        call.Callback?.Client,
        call.Fax is not null,
        call.Callback?.Question == ClientQuestion.Asked,
        call.CallbackNumber is not null,
        call.OutsideLeg is { IsConsult: true });
}

/// <summary>Whether a call is an outbound attempt, and which.</summary>
internal enum CallbackKind
{
    /// <summary>A call someone made to the platform.</summary>
    None,

    /// <summary>An attempt of a booked callback or a call-list entry any agent of its queue may take.</summary>
    Callback,

    /// <summary>The agent's own call (a click-to-dial, a preview list's dial) whose client has not been rung yet: the agent's phone rings first.</summary>
    ClickToDialRingingAgent,

    /// <summary>The agent's own call (a click-to-dial, a preview list's dial) once the client was rung.</summary>
    ClickToDial,
}

/// <summary>
/// One step of the call's loop, as <see cref="CallCore.Handle"/> decides it: the room that takes the
/// event and what it does there. <see cref="SipEndpoint"/> carries it out, and nothing else.
/// </summary>
internal abstract record CallStep
{
    /// <summary>Nothing changes (an IVR key on an ended call, a queue announcement after the hang-up).</summary>
    public sealed record Nothing : CallStep;

    /// <summary>Answer the request with <paramref name="Status"/> and nothing else (481 for a dialog that has gone, 200 for INFO); <paramref name="WithAllow"/> lists the methods the caller may use.</summary>
    public sealed record Respond(int Status, bool WithAllow = false) : CallStep;

    /// <summary>Refuse a desk command: there is no live call.</summary>
    public sealed record RefuseCommand : CallStep;

    /// <summary>Run a desk or supervisor command on the live call.</summary>
    public sealed record RunCommand : CallStep;

    /// <summary>The caller's leg moves (<see cref="CallerLeg"/>): ACK, the directory's answer, no ACK.</summary>
    public sealed record StepCaller(CallerInput Input) : CallStep;

    /// <summary>The caller CANCELled: end the call (if it has not ended) and answer the INVITE 487.</summary>
    public sealed record Cancelled : CallStep;

    /// <summary>A 2xx of ours came again: ACK it again (RFC 3261 13.2.2.4), whatever the call's state.</summary>
    public sealed record ResendAck : CallStep;

    /// <summary>An event for the call's IVR session (key, prompt end, timer, back-office answer).</summary>
    public sealed record Ivr(IvrEvent Event) : CallStep;

    /// <summary>The caller pressed 1 in a queue: book a callback where it can be kept.</summary>
    public sealed record RequestCallback : CallStep;

    /// <summary>The caller pressed 2 in a queue: they key in another number to be called back at, keeping their place meanwhile.</summary>
    public sealed record StartCallbackNumber : CallStep;

    /// <summary>A key of the number being keyed in (<see cref="CallbackNumberEntry"/>).</summary>
    public sealed record CallbackNumberKey(char Key) : CallStep;

    /// <summary>Silence while the number was keyed in (timer <paramref name="Timer"/>; a stale one changes nothing).</summary>
    public sealed record CallbackNumberTimedOut(int Timer) : CallStep;

    /// <summary>Play the queue's announcement (position, wait, the callback key where offered).</summary>
    public sealed record Announce : CallStep;

    /// <summary>Ring the agent the ACD chose (the room itself puts an ended call's assignment back).</summary>
    public sealed record Offer : CallStep;

    /// <summary>The queue overflowed to a callback.</summary>
    public sealed record OfferCallback : CallStep;

    /// <summary>Presence withdrew an offer: a consulted agent's or the call's agent's.</summary>
    public sealed record WithdrawOffer : CallStep;

    /// <summary>The final answer of an agent's phone (the room handles late and unwanted answers on an ended call too).</summary>
    public sealed record AgentLegFinal : CallStep;

    /// <summary>A browser agent leg's media failed (DTLS never finished, SRTP kept failing): that leg alone ends.</summary>
    public sealed record BrowserMediaFailed : CallStep;

    /// <summary>The final answer of a callback's client through the trunk.</summary>
    public sealed record CallbackClientFinal : CallStep;

    /// <summary>The final answer of the outside number the call was transferred to.</summary>
    public sealed record OutsideFinal : CallStep;

    /// <summary>The final answer of the outside number the call's agent consults.</summary>
    public sealed record OutsideConsultFinal : CallStep;

    /// <summary>The client answered the platform's question with their own key: <paramref name="Confirmed"/> (1) or denied (2).</summary>
    public sealed record ClientAnswer(bool Confirmed) : CallStep;

    /// <summary>The client was silent after the question: it is put again, or ends with no key from them.</summary>
    public sealed record ClientQuestionTimedOut : CallStep;

    /// <summary>The callback's client rang too long.</summary>
    public sealed record ClientRingTimedOut : CallStep;

    /// <summary>The trunk spoke on an outside leg: it is alive; an abandoned INVITE now gets its CANCEL.</summary>
    public sealed record TrunkLegHeard : CallStep;

    /// <summary>The final answer of a supervisor's phone.</summary>
    public sealed record MonitorFinal : CallStep;

    /// <summary>A supervisor's phone rang too long.</summary>
    public sealed record MonitorRingTimedOut : CallStep;

    /// <summary>A fax call's T.30 session ended.</summary>
    public sealed record FaxEnded : CallStep;

    /// <summary>A calling fax's tone was heard on the hotline: the call receives the fax (the room checks it is still the IVR's).</summary>
    public sealed record SwitchToFax : CallStep;

    /// <summary>The ACD gave an agent to a call that is receiving a fax: the agent goes back to the router.</summary>
    public sealed record ReturnFaxAssignment : CallStep;

    /// <summary>The platform ends the call: BYE to the caller, then the record (<paramref name="ByAgent"/>: the agent ended it).</summary>
    public sealed record HangUp(CallDisposition Disposition, bool ByAgent = false) : CallStep;

    /// <summary>The caller hung up: 200 to their BYE, then the call ends (no BYE of ours).</summary>
    public sealed record CallerHungUp : CallStep;

    /// <summary>The caller changed the session (re-INVITE, UPDATE): answered on the caller's media.</summary>
    public sealed record CallerSessionChange : CallStep;

    /// <summary>A request in the supervisor's dialog.</summary>
    public sealed record ToMonitor : CallStep;

    /// <summary>A request in the consulted agent's dialog.</summary>
    public sealed record ToConsulted : CallStep;

    /// <summary>The transferring agent hung up during the consultation: 200, then the transfer completes.</summary>
    public sealed record CompleteConsult : CallStep;

    /// <summary>The agent hung up: 200 to their BYE, then the platform ends the call (BYE to the caller).</summary>
    public sealed record AgentHungUp : CallStep;

    /// <summary>The agent's phone transfers the call (REFER).</summary>
    public sealed record AgentRefer : CallStep;

    /// <summary>Any other request in the agent's dialog (hold by re-INVITE, INFO, OPTIONS).</summary>
    public sealed record ToAgentLeg : CallStep;

    /// <summary>The outside party hung up: 200, their leg ends, then the call.</summary>
    public sealed record OutsideHungUp : CallStep;

    /// <summary>The consulted outside number hung up: 200, the consultation ends, the caller is back with the agent.</summary>
    public sealed record OutsideConsultHungUp : CallStep;

    /// <summary>Any other request from the outside party.</summary>
    public sealed record ToOutside : CallStep;
}

/// <summary>
/// The call's loop as a pure function: for a call as it stands (<see cref="CallView"/>) and one event
/// from its mailbox, which room takes the event and what it does (<see cref="CallStep"/>); and, after
/// each step, whether the call must end (<see cref="After"/>). The rules that used to be spread over
/// the dispatcher's handlers are here, in one table with tests of its own: an ended call answers 481
/// and refuses commands, a request goes to the party whose dialog it is in, key 1 books a callback
/// only for a caller waiting in a queue, a callback's client and an outside number are told apart.
/// The rooms (<see cref="AgentLegs"/>, <see cref="CallTransfers"/>, <see cref="CallMonitor"/>, …)
/// carry the step out around their own planners.
/// </summary>
internal static class CallCore
{
    public static CallStep Handle(in CallView call, CallEvent e) => e switch
    {
        CallEvent.SipRequestArrived r => InDialog(call, r.Request.Method, r.Dialog),
        CallEvent.Command when call.Ended => new CallStep.RefuseCommand(),
        CallEvent.Command => new CallStep.RunCommand(),
        CallEvent.CallerAcknowledged => new CallStep.StepCaller(CallerInput.Acknowledged),
        CallEvent.Identified => new CallStep.StepCaller(CallerInput.Identified),
        CallEvent.NotConfirmed => new CallStep.StepCaller(CallerInput.NotConfirmed),
        CallEvent.CallerCancelled => new CallStep.Cancelled(),
        CallEvent.RetransmittedOk => new CallStep.ResendAck(),

        // A call receiving a fax has no caller to hear keys, announcements or a callback offer, nor an agent to ring.
        CallEvent.Digit or CallEvent.Announce or CallEvent.CallbackOffered when call.Fax => new CallStep.Nothing(),
        CallEvent.Assigned when call.Fax => new CallStep.ReturnFaxAssignment(),
        CallEvent.FaxToneDetected => new CallStep.SwitchToFax(),
        CallEvent.Digit { Key: '1' } when CallbackKeyApplies(call) => new CallStep.RequestCallback(),
        CallEvent.Digit { Key: '2' } when CallbackKeyApplies(call) => new CallStep.StartCallbackNumber(),
        CallEvent.Digit d when KeyingNumber(call) => new CallStep.CallbackNumberKey(d.Key),
        CallEvent.CallbackNumberTimedOut t when KeyingNumber(call) => new CallStep.CallbackNumberTimedOut(t.Timer),
        CallEvent.CallbackNumberTimedOut => new CallStep.Nothing(),

        // The queue's announcements wait while the caller keys in a number (they would talk over the prompt).
        CallEvent.Announce when call.KeyingNumber => new CallStep.Nothing(),
        CallEvent.Digit or CallEvent.PlaybackFinished or CallEvent.IvrTimerFired or CallEvent.IvrAnswered when call.Ended => new CallStep.Nothing(),
        CallEvent.Digit d => new CallStep.Ivr(new IvrEvent.Digit(d.Key)),
        CallEvent.PlaybackFinished p => new CallStep.Ivr(new IvrEvent.PlaybackFinished(p.PlaybackId)),
        CallEvent.IvrTimerFired t => new CallStep.Ivr(new IvrEvent.TimerFired(t.TimerId)),
        CallEvent.IvrAnswered a => new CallStep.Ivr(a.Answer),
        CallEvent.Announce when call.Ended => new CallStep.Nothing(),
        CallEvent.Announce => new CallStep.Announce(),
        CallEvent.Assigned => new CallStep.Offer(),
        CallEvent.CallbackOffered => new CallStep.OfferCallback(),
        CallEvent.OfferWithdrawn => new CallStep.WithdrawOffer(),
        CallEvent.AgentLegFinal => new CallStep.AgentLegFinal(),
        CallEvent.BrowserMediaFailed => new CallStep.BrowserMediaFailed(),
        CallEvent.TrunkLegHeard => new CallStep.TrunkLegHeard(),

        // The trunk's silence timer: void once the trunk answered anything or the leg is no longer ringing.
        CallEvent.TrunkLegFinal { Silence: not null } f when SilenceVoid(f) => new CallStep.Nothing(),
        CallEvent.TrunkLegFinal f when call.CallbackClient is not null && ReferenceEquals(call.CallbackClient, f.Leg) => new CallStep.CallbackClientFinal(),
        CallEvent.TrunkLegFinal { Leg.IsConsult: true } => new CallStep.OutsideConsultFinal(),
        CallEvent.TrunkLegFinal => new CallStep.OutsideFinal(),
        CallEvent.ClientRingTimedOut => new CallStep.ClientRingTimedOut(),

        // The new-account question: only 1 or 2, only once, only while the question stands on a live call.
        CallEvent.ClientKey { Key: '1' or '2' } k when call is { Ended: false, ClientAsked: true } => new CallStep.ClientAnswer(k.Key == '1'),
        CallEvent.ClientKey => new CallStep.Nothing(),
        CallEvent.ClientQuestionTimedOut when call is { Ended: false, ClientAsked: true } => new CallStep.ClientQuestionTimedOut(),
        CallEvent.MonitorLegFinal => new CallStep.MonitorFinal(),
        CallEvent.MonitorRingTimedOut => new CallStep.MonitorRingTimedOut(),
        CallEvent.FaxEnded => new CallStep.FaxEnded(),
        CallEvent.CallbackMessagePlayed or CallEvent.BackgroundFailed or CallEvent.Shutdown when call.Ended => new CallStep.Nothing(),
        CallEvent.CallbackMessagePlayed played => new CallStep.HangUp(played.Disposition),
        CallEvent.BackgroundFailed => new CallStep.HangUp(CallDisposition.InternalError),
        CallEvent.Shutdown => new CallStep.HangUp(CallDisposition.Interrupted),
        _ => new CallStep.Nothing(),
    };

    /// <summary>
    /// After each step: a click-to-dial or a preview dial is the agent's own call, so while its client has not been rung
    /// and the agent's phone is no longer ringing (it refused, it timed out), the call ends.
    /// </summary>
    public static CallStep? After(in CallView call) =>
        call is { Ended: false, Callback: CallbackKind.ClickToDialRingingAgent, AgentLeg: false }
            ? new CallStep.HangUp(CallDisposition.AgentMissed)
            : null;

    /// <summary>
    /// The trunk's silence (our 408) no longer stands: the loop heard the trunk, the INVITE's transaction did (its word may
    /// still be queued behind the 408), or the leg stopped ringing.
    /// </summary>
    public static bool SilenceVoid(CallEvent.TrunkLegFinal silence) =>
        silence.Leg.Heard || silence.Silence is { Yet: true } || silence.Leg.Phase != LegPhase.Ringing;

    /// <summary>
    /// Key 1 in a queue asks for a callback: a live caller waiting (not yet rung to an agent, not
    /// consulting, not transferred out) on a call that is not itself an outbound attempt.
    /// </summary>
    public static bool CallbackKeyApplies(in CallView call) =>
        call is { Ended: false, Callback: CallbackKind.None, Waiting: true, AgentLeg: false, ConsultLeg: false, OutsideLeg: false, KeyingNumber: false };

    /// <summary>
    /// The caller is keying in a number to be called back at: still waiting, no agent rung yet (once one rings, keys
    /// are the IVR's again and the entry is dropped).
    /// </summary>
    public static bool KeyingNumber(in CallView call) =>
        call is { Ended: false, KeyingNumber: true, Callback: CallbackKind.None, Waiting: true, AgentLeg: false, ConsultLeg: false, OutsideLeg: false };

    /// <summary>A request in one of the call's dialogs: whose dialog it is decides who answers it.</summary>
    public static CallStep InDialog(in CallView call, string method, SipDialogId dialog)
    {
        if (call.Ended)
        {
            // Posted before the call ended, handled after: the dialog is gone (RFC 3261 12.2.2).
            return new CallStep.Respond(481);
        }

        if (call.MonitorDialog == dialog)
        {
            return new CallStep.ToMonitor();
        }

        if (call.OutsideDialog == dialog)
        {
            // The consulted number hanging up ends the consultation only; the caller is back with the agent.
            return method != SipMethods.Bye ? new CallStep.ToOutside()
                : call.OutsideConsult ? new CallStep.OutsideConsultHungUp()
                : new CallStep.OutsideHungUp();
        }

        if (call.CallerDialog != dialog)
        {
            return FromAgent(call, method, dialog);
        }

        return method switch
        {
            SipMethods.Bye => new CallStep.CallerHungUp(),
            SipMethods.Invite or SipMethods.Update => new CallStep.CallerSessionChange(),
            SipMethods.Info => new CallStep.Respond(200),
            SipMethods.Options => new CallStep.Respond(200, WithAllow: true),

            // REFER too: a caller cannot transfer the hotline (RFC 3261 8.2.1: 405 with Allow).
            _ => new CallStep.Respond(405, WithAllow: true),
        };
    }

    /// <summary>
    /// A request in an agent's dialog: the consulted agent's goes to the consultation; on the call's
    /// agent leg BYE ends the call (or completes a consultation), REFER transfers it, the rest is the
    /// agent leg's. A dialog that is no longer the call's (the agent left by a transfer) gets 481.
    /// </summary>
    private static CallStep FromAgent(in CallView call, string method, SipDialogId dialog)
    {
        if (call.ConsultDialog == dialog)
        {
            return new CallStep.ToConsulted();
        }

        if (call.AgentDialog != dialog)
        {
            return new CallStep.Respond(481);
        }

        return method switch
        {
            SipMethods.Bye when call.ConsultLeg || call.OutsideConsult => new CallStep.CompleteConsult(),
            SipMethods.Bye => new CallStep.AgentHungUp(),
            SipMethods.Refer => new CallStep.AgentRefer(),
            _ => new CallStep.ToAgentLeg(),
        };
    }
}
