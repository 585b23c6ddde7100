using CallCenter.Data.Callbacks;
using CallCenter.Data.Calls;
using CallCenter.Data.Events;
using CallCenter.ResourceControl.Outbound;
using CallCenter.Telephony.Media;
using CallCenter.Telephony.Rtp;
using CallCenter.Telephony.Sdp;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// One attempt of a callback (or an agent's click-to-dial), as its call knows it: the callback's row, the client's leg through the
/// trunk (its media is the call's own: the client takes the caller's side of everything), whether the
/// client was rung, and what became of it. Changed only by its call's loop.
/// </summary>
internal sealed class CallbackAttempt(CallbackRow? callback, TrunkLeg client, bool agentOwned)
{
    /// <summary>The callback this call is an attempt of; null for an agent's click-to-dial.</summary>
    public CallbackRow? Callback { get; } = callback;

    /// <summary>The client's leg: through the next trunk once one was down.</summary>
    public TrunkLeg Client { get; private set; } = client;

    /// <summary>
    /// The agent's own call (a click-to-dial, a preview list's dial): when the agent's phone does not take
    /// it, it ends; it never waits in a queue for another agent.
    /// </summary>
    public bool AgentOwned { get; } = agentOwned;

    /// <summary>The client's number was rung (it counts as an attempt).</summary>
    public bool Dialled { get; private set; }

    /// <summary>The attempt's outcome once known; reported once, when the call ends (or at once when reached).</summary>
    public string? Outcome { get; private set; }

    /// <summary>
    /// An agent who transferred the call away wrapped it up as a wrong number or a refusal while it went on: the record's
    /// outcome once the client's side answered (the first such word stays).
    /// </summary>
    public string? AgentOutcome { get; private set; }

    /// <summary>The outcome went to <see cref="Callbacks"/> already.</summary>
    public bool Reported { get; private set; }

    /// <summary>Gives up ringing the client after <see cref="CallbackOptions.RingSeconds"/>.</summary>
    public ITimer? RingTimer { get; private set; }

    /// <summary>A new-account call's question to the client (confirm the account manager by key).</summary>
    public ClientQuestion Question { get; private set; }

    /// <summary>How many times the question has been played; the language it is played in.</summary>
    public int QuestionPlays { get; private set; }

    public string QuestionLanguage { get; private set; } = "zh";

    /// <summary>Fires when the question has played and the client has been silent for the set time.</summary>
    public ITimer? QuestionTimer { get; private set; }

    /// <summary>The client's number is rung (it counts as an attempt).</summary>
    public void Dial() => Dialled = true;

    /// <summary>The client is rung again through the next trunk, on <paramref name="leg"/>.</summary>
    public void NextTrunk(TrunkLeg leg) => Client = leg;

    /// <summary>The ring timer of the client's leg now out; an earlier one stops.</summary>
    public void RingsFor(ITimer timer)
    {
        RingTimer?.Dispose();
        RingTimer = timer;
    }

    /// <summary>The attempt's outcome is <paramref name="outcome"/> (reached, refused, no answer).</summary>
    public void Resolve(string outcome) => Outcome = outcome;

    /// <summary>The attempt's outcome is <paramref name="outcome"/> unless one is known already (the agent left, the platform stopped).</summary>
    public void ResolveUnlessKnown(string outcome) => Outcome ??= outcome;

    /// <summary>An agent who transferred the call away wrapped it up as <paramref name="outcome"/>; the first such word stays.</summary>
    public void AgentWrappedUpAs(string outcome) => AgentOutcome ??= outcome;

    /// <summary>The outcome went to the callbacks.</summary>
    public void MarkReported() => Reported = true;

    /// <summary>The client is asked the new-account question, in <paramref name="language"/>.</summary>
    public void Ask(string language)
    {
        Question = ClientQuestion.Asked;
        QuestionLanguage = language;
    }

    /// <summary>The question plays once more; returns which play it is, for its timer.</summary>
    public int PlayQuestion() => ++QuestionPlays;

    /// <summary>The silence timer after the question's play now out; an earlier one stops.</summary>
    public void WaitsForKey(ITimer timer)
    {
        QuestionTimer?.Dispose();
        QuestionTimer = timer;
    }

    /// <summary>The question no longer stands (<paramref name="how"/>: answered, or no key after its repeats); its timer stops.</summary>
    public void QuestionEnds(ClientQuestion how)
    {
        Question = how;
        QuestionTimer?.Dispose();
        QuestionTimer = null;
    }
}

/// <summary>
/// A callback's call, the platform's first outbound call kind. The ACD gives the callback's entry to an
/// agent like any waiting caller; this room makes the call (<see cref="Create"/>): no caller leg yet,
/// only the media the client will use. The agent's phone rings with the pop (<see cref="AgentLegs"/>,
/// unchanged); once the agent answers, the client is rung through the trunk (<see cref="DialClient"/>)
/// with the call's own media, so on the client's answer they talk through the bridge already made,
/// recorded, held, transferred and monitored as any call. A client who does not answer (busy, refused,
/// no answer in <see cref="CallbackOptions.RingSeconds"/>) ends the attempt; <see cref="Callbacks"/>
/// decides on a retry.
/// </summary>
/// <remarks>Every method but <see cref="Create"/> runs in the call's loop, on the call it is given.</remarks>
internal sealed partial class CallbackCalls(
    CallLegs legs,
    CallSignalling signalling,
    CallDirectory<ActiveCall> calls,
    OutsideLegs outside,
    Trunks trunks,
    DialingOptions dialing,
    Callbacks callbacks,
    RtpPortAllocator ports,
    RtpCounters counters,
    System.Net.IPAddress publicAddress,
    Records.EventLog events,
    PromptLibrary prompts,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>The new-account question's prompt and the thanks after a key (scripts/generate-prompts.sh).</summary>
    public const string QuestionPrompt = "manager-confirm-question";

    public const string ThanksPrompt = "manager-confirm-thanks";

    // The call has no IVR session once it is an outbound attempt: these ids are the question's own.
    private const long QuestionPlayback = long.MaxValue - 1;
    private const long ThanksPlayback = long.MaxValue - 2;

    /// <summary>The kind of a callback's call (never answers an INVITE: the platform places it).</summary>
    public static ICallKind Kind { get; } = new CallbackCallKind();

    /// <summary>
    /// The call of a callback the ACD gave an agent (<paramref name="callback"/>), or of an agent's
    /// click-to-dial (null), to <paramref name="number"/>, its client's INVITE prepared but not sent;
    /// <paramref name="entry"/> is its place in a queue (the call's id is the entry's). Null when it cannot be
    /// made now (no trunk any more, the number not dialable, no media port), with the reason.
    /// <paramref name="agentOwned"/>: a preview list's dial, the agent's own call like a click-to-dial (see <see cref="CallbackAttempt.AgentOwned"/>).
    /// </summary>
    public (ActiveCall? Call, string? Failure) Create(Routing.WaitingCall entry, string number, CallbackRow? callback, CallerIdentity identity, bool agentOwned = false)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(identity);
        if (trunks.First is not { } trunk)
        {
            return (null, "no trunk is configured");
        }

        var (dialable, refusal) = DialPlan.Normalize(number, dialing);
        if (dialable is null)
        {
            return (null, refusal!.Reason);
        }

        var media = RtpSession.Open(ports, publicAddress, new System.Net.IPEndPoint(System.Net.IPAddress.Any, 0), new RtpMediaFormat(SdpAnswer.Pcmu, Telephony.Codecs.G711Law.MuLaw, null), counters, time);
        if (media is null)
        {
            return (null, "no RTP port is free");
        }

        // Nothing is sent until the client's answer says where to.
        media.Sending = false;
        var now = time.GetUtcNow();
        var invite = signalling.CreateTrunkInvite(dialable.Dial, media.Format, trunk, dialable, media);
        var client = new TrunkLeg(dialable, trunk, invite, media, now);
        var call = new ActiveCall(entry.Id, null, invite.CallId!, dialable.Dial, dialable.Dial, media, trunk.Remote, now)
        {
            Kind = Kind,
            Direction = CallDirections.Outbound,
            Callback = new CallbackAttempt(callback, client, agentOwned || callback is null),
            Lifecycle = CallLifecycle.Placed(identified: false), // there is no caller's ACK to wait for: the platform is the caller
        };
        if (callback is not null)
        {
            call.Enqueued(entry.Queue, agentOwned ? null : entry);
        }

        call.Apply(identity);

        // What the callback was booked with stands where the directory is silent (or was away).
        call.ApplyBooked(callback?.Tier, callback?.Language, callback?.AccountManager);
        call.PassedThrough(callback is null ? "click-to-dial" : "callback:" + callback.Id);

        // A list call's record names its entry and which attempt it is (the entry names its list).
        if (callback?.ListEntryId is { } entryId)
        {
            call.PassedThrough(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"list-entry:{entryId}:attempt-{callback.Attempts + 1}"));
        }
        return (call, null);
    }

    /// <summary>The agent answered: the client's phone rings now, through the trunk, with the call's media.</summary>
    public void DialClient(ActiveCall call)
    {
        if (call.Ended || call.Callback is not { Dialled: false } attempt || call.Agent is null)
        {
            return;
        }

        attempt.Dial();
        var leg = attempt.Client;
        events.Write(EventKind.CallClientRinging, call, call.Agent, new { callback = Label(attempt), number = leg.Number.E164, trunk = leg.Trunk.Name });
        LogRinging(logger, call.Id, call.CallId, Label(attempt), leg.Number.Dial, call.Agent);
        Ring(call, attempt, leg);
    }

    /// <summary>Sends the client's INVITE and starts its ring timer (again for the next trunk's leg).</summary>
    private void Ring(ActiveCall call, CallbackAttempt attempt, TrunkLeg leg)
    {
        outside.RingLeg(call, leg);
        attempt.RingsFor(time.CreateTimer(
            static s => { var (post, call, leg) = ((Func<ActiveCall, CallEvent, PostOutcome>, ActiveCall, TrunkLeg))s!; post(call, new CallEvent.ClientRingTimedOut(leg)); },
            ((Func<ActiveCall, CallEvent, PostOutcome>)legs.Post, call, leg),
            TimeSpan.FromSeconds(callbacks.Options.RingSeconds),
            Timeout.InfiniteTimeSpan));
    }

    /// <summary>The trunk's final answer for the client's leg: a challenge answered once, a 2xx joins the agent, a failure ends the attempt.</summary>
    public async Task<CallDisposition?> FinalAsync(ActiveCall call, TrunkLeg leg, SipResponse final)
    {
        var attempt = call.Callback!;
        if (await outside.AnswerChallengeAsync(call, leg, final))
        {
            return null;
        }

        // A trunk that is down: the client is rung through the next one; every one down is no answer of the client's.
        if (!final.IsSuccess && !call.Ended && attempt.Client == leg)
        {
            var (next, down) = await outside.FailOverAsync(call, leg, final);
            if (next is not null)
            {
                attempt.NextTrunk(next);
                Ring(call, attempt, next);
                return null;
            }

            if (down is not null)
            {
                attempt.RingTimer?.Dispose();
                return await NotReachedAsync(call, attempt, leg, LegLifecycle.Refused(leg.Phase), CallbackPlanner.OutcomeOfTrunksDown(final.Synthesized), "every trunk is down, the last: " + down);
            }
        }

        attempt.RingTimer?.Dispose();
        if (final.IsSuccess)
        {
            var (sdp, chosen) = CallSignalling.ReadAnswer(final, leg.Media);
            var wanted = !call.Ended;
            var actions = await legs.StepAsync(call, leg, LegLifecycle.Answered(leg.Phase, wanted, chosen is not null), final);
            if ((actions & LegActions.Join) == 0)
            {
                attempt.ResolveUnlessKnown(CallbackOutcomes.NoUsableCodec);
                return call.Ended ? null : CallDisposition.CallbackNotReached;
            }

            leg.Answered(time.GetUtcNow());
            CallLegs.ApplyAnswer(call.Media, sdp!, chosen!);
            call.ClientAnswered(leg.Dialog!);
            calls.AddDialog(leg.Dialog!, call);
            attempt.Resolve(CallbackOutcomes.Reached);
            events.Write(EventKind.CallClientAnswered, call, call.Agent, new { callback = Label(attempt), number = leg.Number.E164 });
            LogAnswered(logger, call.Id, call.CallId, Label(attempt), leg.Number.Dial);

            // Reached is final: written now, so a crash during the talk never calls the client again.
            await ReportAsync(call, attempt);
            if (!call.Ended && attempt.Callback is { ListEntryId: not null } row && await AsksClientAsync(call, row))
            {
                Ask(call, attempt);
            }

            return null;
        }

        var outcome = CallbackPlanner.OutcomeOf(final.StatusCode, ringTimedOut: false);
        return await NotReachedAsync(call, attempt, leg, LegLifecycle.Refused(leg.Phase), outcome, $"{final.StatusCode} {final.ReasonPhrase}");
    }

    /// <summary>
    /// A new-account call's client is on the line (the entry is reached, this call its evidence): the platform, not
    /// the agent, asks them to confirm their account manager with 1 or deny with 2. The question plays on the
    /// client's side only (a playback comes before the agent's voice there), and keys are read from the client's
    /// own RTP session (<see cref="ClientKeys"/>), so the agent can neither answer for them nor be heard over it.
    /// </summary>
    private void Ask(ActiveCall call, CallbackAttempt attempt)
    {
        attempt.Ask(ClientQuestionRules.Language(call.Client?.Language, attempt.Callback?.Language));
        call.Media.Events = new ClientKeys(call, legs.Post);
        PlayQuestion(call, attempt);
        events.Write(EventKind.ListClientAsked, call, call.Agent, new { callback = Label(attempt), entry = attempt.Callback?.ListEntryId, language = attempt.QuestionLanguage });
    }

    /// <summary>
    /// Plays the question (again) and waits for the client: once it has played and they were silent for
    /// <see cref="Callbacks.QuestionTiming"/>'s silence, <see cref="CallEvent.ClientQuestionTimedOut"/> comes back for this play.
    /// </summary>
    private void PlayQuestion(ActiveCall call, CallbackAttempt attempt)
    {
        var question = prompts.Get(attempt.QuestionLanguage, QuestionPrompt);
        var play = attempt.PlayQuestion();
        call.Media.Player.Play(QuestionPlayback, [question]);
        attempt.WaitsForKey(time.CreateTimer(
            static s => { var (post, call, play) = ((Func<ActiveCall, CallEvent, PostOutcome>, ActiveCall, int))s!; post(call, new CallEvent.ClientQuestionTimedOut(play)); },
            ((Func<ActiveCall, CallEvent, PostOutcome>)legs.Post, call, play),
            ClientQuestionRules.Wait(question.Duration, callbacks.QuestionTiming.Silence),
            Timeout.InfiniteTimeSpan));
        LogAsked(logger, call.Id, call.CallId, attempt.Callback?.ListEntryId ?? "-", attempt.QuestionLanguage, play, callbacks.QuestionTiming.Repeats + 1);
    }

    /// <summary>
    /// The question played and the client pressed no key in the silence after it: it is put again while it has repeats
    /// left, else it ends with no key from the client (the lists write that to the audit log; the agent's wrap-up code
    /// may then record the answer). A timer of an earlier play, or one that fires after an answer, changes nothing.
    /// </summary>
    public async Task QuestionTimedOutAsync(ActiveCall call, int play)
    {
        if (call.Ended || call.Callback is not { Question: ClientQuestion.Asked, Callback: { ListEntryId: { } entryId } } attempt || attempt.QuestionPlays != play)
        {
            return;
        }

        if (ClientQuestionRules.AskAgain(attempt.QuestionPlays, callbacks.QuestionTiming.Repeats))
        {
            PlayQuestion(call, attempt);
            return;
        }

        attempt.QuestionEnds(ClientQuestion.NoKey);
        events.Write(EventKind.ListClientNoKey, call, call.Agent, new { callback = Label(attempt), entry = entryId, asked = attempt.QuestionPlays });
        LogNoKey(logger, call.Id, call.CallId, entryId, attempt.QuestionPlays);
        var by = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Outbound.CallLists.ClientKeyPrefix}{attempt.Client.Number.E164} (no key, asked {attempt.QuestionPlays} times)");
        await callbacks.ReportAnswerAsync(new CallAnswer(call.Id, entryId, CallAnswer.ClientNoKeyCode, by));
    }

    /// <summary>
    /// The client's key (<see cref="CallCore"/> took only a first 1 or 2 while the question stood): their answer goes
    /// to the lists as theirs, with this call as the evidence; they hear thanks, then the agent.
    /// </summary>
    public async Task ClientAnsweredAsync(ActiveCall call, bool confirmed, char key)
    {
        if (call.Callback is not { Question: ClientQuestion.Asked, Callback: { ListEntryId: { } entryId } } attempt)
        {
            return;
        }

        attempt.QuestionEnds(ClientQuestion.Answered);
        call.Media.Player.Stop(QuestionPlayback);
        call.Media.Player.Play(ThanksPlayback, [prompts.Get(attempt.QuestionLanguage, ThanksPrompt)]);
        var by = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Outbound.CallLists.ClientKeyPrefix}{attempt.Client.Number.E164} (key {key})");
        LogClientAnswered(logger, call.Id, call.CallId, entryId, confirmed ? "confirmed" : "denied");
        await callbacks.ReportAnswerAsync(new CallAnswer(call.Id, entryId, confirmed ? "client-confirmed" : "client-denied", by, Agent: null, Confirmed: confirmed));
    }

    /// <summary>Whether the lists want this reached call's client asked (a new-account entry); a database away asks nothing.</summary>
    private async Task<bool> AsksClientAsync(ActiveCall call, CallbackRow row)
    {
        try
        {
            return callbacks.AsksClient is { } asks && await asks(row);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
        {
            LogAskFailed(logger, e, call.Id, call.CallId, row.ListEntryId ?? "-");
            return false;
        }
    }

    /// <summary>The client's phone rang for <see cref="CallbackOptions.RingSeconds"/>: CANCELled, the attempt is a no-answer.</summary>
    public Task<CallDisposition?> RingTimedOutAsync(ActiveCall call, TrunkLeg leg)
    {
        if (call.Ended || call.Callback is not { } attempt || attempt.Client != leg || leg.Phase != LegPhase.Ringing)
        {
            return Task.FromResult<CallDisposition?>(null);
        }

        // The trunk spoke if the loop heard it, or its word is still queued behind this timer.
        return leg.Heard || leg.Spoke is { Yet: true }
            ? NotReachedAsync(call, attempt, leg, LegLifecycle.GiveUp(leg.Phase), CallbackOutcomes.NoAnswer, $"no answer in {callbacks.Options.RingSeconds} s")
            : TrunkSilentAsync(call, attempt, leg);
    }

    /// <summary>
    /// The ring time ran out and the trunk never said even 100 Trying (a silent UDP trunk, before its INVITE times
    /// out): the trunk is down, not the client unanswering; the next trunk is tried, or the attempt is trunk-down.
    /// </summary>
    private async Task<CallDisposition?> TrunkSilentAsync(ActiveCall call, CallbackAttempt attempt, TrunkLeg leg)
    {
        var silence = SipMessageBuilder.CreateResponse(leg.Invite, 408);
        silence.Synthesized = true;
        var (next, down) = await outside.FailOverAsync(call, leg, silence);
        if (next is not null)
        {
            attempt.NextTrunk(next);
            Ring(call, attempt, next);
            return null;
        }

        return await NotReachedAsync(call, attempt, leg, LegLifecycle.GiveUp(leg.Phase), CallbackOutcomes.TrunkDown, "every trunk is down, the last: " + down);
    }

    /// <summary>The call ends: a client still ringing is CANCELled; an answered client gets the caller's BYE from the endpoint.</summary>
    public async Task EndAsync(ActiveCall call)
    {
        if (call.Callback is not { } attempt)
        {
            return;
        }

        attempt.RingTimer?.Dispose();
        attempt.QuestionTimer?.Dispose();
        if (attempt.Dialled && attempt.Client.Phase == LegPhase.Ringing)
        {
            attempt.ResolveUnlessKnown(CallbackOutcomes.AgentLeft);
            await legs.StepAsync(call, attempt.Client, LegLifecycle.GiveUp(attempt.Client.Phase));
        }
    }

    /// <summary>Before the call's record: an attempt that ended without an outcome (the agent left, the platform stopped) gets one.</summary>
    public static void Settle(ActiveCall call, CallDisposition disposition)
    {
        if (call.Callback is { Outcome: null } attempt)
        {
            attempt.Resolve(disposition == CallDisposition.Interrupted ? CallbackOutcomes.Interrupted : CallbackOutcomes.AgentLeft);
        }
    }

    /// <summary>After the call's record: the attempt's outcome goes to <see cref="Callbacks"/> (once), which decides what follows.</summary>
    public async Task EndedAsync(ActiveCall call, CallDisposition disposition)
    {
        if (call.Callback is not { } attempt || attempt.Reported)
        {
            return;
        }

        attempt.ResolveUnlessKnown(disposition == CallDisposition.Interrupted ? CallbackOutcomes.Interrupted : CallbackOutcomes.AgentLeft);
        await ReportAsync(call, attempt);
    }

    private async Task<CallDisposition?> NotReachedAsync(ActiveCall call, CallbackAttempt attempt, TrunkLeg leg, LegStep step, string outcome, string why)
    {
        await legs.StepAsync(call, leg, step);
        if (call.Ended)
        {
            return null;
        }

        attempt.Resolve(outcome);
        call.LegEnded(new CallLeg("client", leg.Number.E164, leg.OfferedAt, null, time.GetUtcNow(), outcome));
        events.Write(EventKind.CallClientFailed, call, call.Agent, new { callback = Label(attempt), number = leg.Number.E164, outcome, why });
        LogNotReached(logger, call.Id, call.CallId, Label(attempt), leg.Number.Dial, outcome, why);
        return CallDisposition.CallbackNotReached;
    }

    /// <summary>How logs and events name the attempt: the callback's id, or "click-to-dial".</summary>
    private static string Label(CallbackAttempt attempt) => attempt.Callback?.Id ?? "click-to-dial";

    private async Task ReportAsync(ActiveCall call, CallbackAttempt attempt)
    {
        attempt.MarkReported();
        if (attempt.Callback is not { } callback)
        {
            return;
        }

        try
        {
            await callbacks.AttemptEndedAsync(callback, call.Id, attempt.Outcome!, attempt.Dialled);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
        {
            LogReportFailed(logger, e, call.Id, call.CallId, Label(attempt));
        }
    }

    /// <summary>The platform places these calls: no INVITE starts one, and there is no flow to run.</summary>
    private sealed class CallbackCallKind : ICallKind
    {
        public string Name => "callback";

        public string? Answers(string dialed) => null;

        public CallKindStart Start(ICallFacts call) => new CallKindStart.Wait();
    }

    [LoggerMessage(2170, LogLevel.Information, "Call {CallId} (SIP {SipCallId}): callback {CallbackId}, agent {Agent} answered; ringing the client {Number}")]
    private static partial void LogRinging(ILogger logger, string callId, string sipCallId, string callbackId, string number, string agent);

    [LoggerMessage(2171, LogLevel.Information, "Call {CallId} (SIP {SipCallId}): callback {CallbackId}, the client {Number} answered")]
    private static partial void LogAnswered(ILogger logger, string callId, string sipCallId, string callbackId, string number);

    [LoggerMessage(2172, LogLevel.Information, "Call {CallId} (SIP {SipCallId}): callback {CallbackId}, the client {Number} was not reached: {Outcome} ({Why})")]
    private static partial void LogNotReached(ILogger logger, string callId, string sipCallId, string callbackId, string number, string outcome, string why);

    [LoggerMessage(4300, LogLevel.Information, "Call {CallId} (SIP {SipCallId}): list entry {EntryId}, the client is asked to confirm their account manager by key (in {Language}, {Play} of {Plays})")]
    private static partial void LogAsked(ILogger logger, string callId, string sipCallId, string entryId, string language, int play, int plays);

    [LoggerMessage(4402, LogLevel.Information, "Call {CallId} (SIP {SipCallId}): list entry {EntryId}, no key from the client after the question was put {Plays} times; the agent's wrap-up code records the answer")]
    private static partial void LogNoKey(ILogger logger, string callId, string sipCallId, string entryId, int plays);

    [LoggerMessage(4301, LogLevel.Information, "Call {CallId} (SIP {SipCallId}): list entry {EntryId}, the client {Answer} their account manager by key")]
    private static partial void LogClientAnswered(ILogger logger, string callId, string sipCallId, string entryId, string answer);

    [LoggerMessage(4302, LogLevel.Warning, "Call {CallId} (SIP {SipCallId}): list entry {EntryId}, whether to ask the client could not be read; the agent's wrap-up code still records an answer")]
    private static partial void LogAskFailed(ILogger logger, Exception exception, string callId, string sipCallId, string entryId);

    [LoggerMessage(2173, LogLevel.Error, "Call {CallId} (SIP {SipCallId}): callback {CallbackId}'s outcome could not be written; it is tried again at the next start")]
    private static partial void LogReportFailed(ILogger logger, Exception exception, string callId, string sipCallId, string callbackId);
}
