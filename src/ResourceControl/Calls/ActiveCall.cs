using CallCenter.Telephony.Rtp;
using CallCenter.Telephony.Sip.Dialogs;
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// A call to a hotline the platform has answered: its dialog, media and everything that happened on
/// it. Owned by the call's mailbox loop (<see cref="Mailbox"/>): only the handlers of its events read
/// or change it, one at a time, so nothing here is locked. Other threads post events instead.
/// </summary>
internal sealed class ActiveCall(string id, SipDialog? dialog, string sipCallId, string caller, string dialed, RtpSession media, SipRemote signalling, DateTimeOffset startedAt) : ICallFacts
{
    /// <summary>The platform's id of the call: the key of its record.</summary>
    public string Id { get; } = id;

    public DateTimeOffset StartedAt { get; } = startedAt;

    /// <summary>
    /// The caller's dialog: for an inbound call from our 200; for a callback, the client's, once the
    /// client answered (null while the agent and then the client are rung).
    /// </summary>
    public SipDialog? Dialog { get; private set; } = dialog;

    /// <summary>The SIP Call-ID of the caller's dialog, or of our INVITE to the client of a callback (agents' legs have their own).</summary>
    public string CallId { get; } = sipCallId;

    /// <summary>"inbound", or "outbound" for a call the platform placed (a callback).</summary>
    public string Direction { get; init; } = CallCenter.Data.Calls.CallDirections.Inbound;

    /// <summary>For a callback's attempt: the callback, and the client's leg through the trunk.</summary>
    public CallbackAttempt? Callback { get; init; }

    /// <summary>A placed call's attempt as its record names it: list, entry, attempt number (the row's attempts before it, plus one), outcome.</summary>
    public OutboundAttemptFacts? OutboundAttempt => Callback is { } a
        ? new(a.Callback?.ListId, a.Callback?.ListEntryId, a.Callback is { } row ? row.Attempts + 1 : null, a.Outcome, a.AgentOutcome)
        : null;

    /// <summary>Both ids as named fields of every log line the call's loop writes.</summary>
    public CallLogScope LogScope => field ??= new CallLogScope(Id, CallId);

    /// <summary>The caller's number: P-Asserted-Identity user, else the From user (design.md section 4).</summary>
    public string Caller { get; } = caller;

    public string Dialed { get; } = dialed;

    /// <summary>What kind of call this is: how it started and what it does first.</summary>
    public required ICallKind Kind { get; init; }

    public RtpSession Media { get; } = media;

    /// <summary>Where the caller's signalling comes from (their transport and address).</summary>
    public SipRemote Signalling { get; } = signalling;

    /// <summary>
    /// Where the call stands in its life: one immutable value, set when the call is made and from then on replaced only
    /// by its loop through the steps below (<see cref="Answer"/>, <see cref="StepCaller"/>, <see cref="TryEnd"/>), each
    /// a pure step of <see cref="CallLifecycle"/> or <see cref="CallerLeg"/>.
    /// </summary>
    public CallLifecycle Lifecycle { get => _lifecycle; init => _lifecycle = value; }

    /// <summary>The call counts against its source's share (<see cref="CallAdmission"/>) until it ends.</summary>
    public bool Admitted => Lifecycle.Admitted;

    /// <summary>The call came from a trusted peer (<c>Sip:TrustedPeers</c>), so its caller id was looked up; false: an unknown caller.</summary>
    public bool CallerVerified => Lifecycle.CallerVerified;

    /// <summary>The caller keyed an account's trading PIN and the back office verified it (self-service): <see cref="PinVerified"/>.</summary>
    public bool VerifiedByPin { get; private set; }

    /// <summary>The account whose PIN the caller keyed correctly (a statement goes only to it); never logged or shown.</summary>
    public string? VerifiedAccount { get; private set; }

    /// <summary>True once the caller's ACK for our 200 arrived (from the start for a call the platform placed).</summary>
    public bool Confirmed => Lifecycle.Confirmed;

    /// <summary>What the client directory says of the caller, as one immutable value its loop replaces (<see cref="Apply"/>, <see cref="ApplyBooked"/>).</summary>
    public CallerProfile Profile { get; private set; } = CallerProfile.Unknown;

    /// <summary>The caller's tier from the client directory; null for an unknown (ordinary) caller.</summary>
    public string? Tier => Profile.Tier;

    /// <summary>The client's account manager's extension from the directory, if any.</summary>
    public string? AccountManager => Profile.AccountManager;

    /// <summary>The client's language from the directory ("zh" or "en"), if known.</summary>
    public string? Language => Profile.Language;

    /// <summary>The IVR running on the call, once the caller's ACK arrived.</summary>
    public IvrCallRunner? Ivr { get; private set; }

    /// <summary>The call's one owner: every change to the call is an event handled by its loop.</summary>
    public CallMailbox Mailbox { get; init; } = new();

    /// <summary>The client-directory look-up, started when the call is answered; its result arrives as an event.</summary>
    public Task<CallerIdentity> Identification { get; private set; } = Task.FromResult(CallerIdentity.Unknown);

    /// <summary>True once the look-up's result was applied (tier, language, pop data).</summary>
    public bool Identified => Lifecycle.Identified;

    /// <summary>The IVR flow nodes passed, in order: a value the call replaces (<see cref="WalkedIvr"/>, <see cref="PassedThrough"/>), never changed in place.</summary>
    public IReadOnlyList<string> IvrPath { get; private set; } = [];

    /// <summary>The IVR nodes entered with the keys pressed (masked keys as '*'), for the agent's screen pop; replaced with <see cref="IvrPath"/>.</summary>
    public IReadOnlyList<CallCenter.Ivr.Flows.IvrTraceEntry> IvrTrace { get; private set; } = [];

    /// <summary>The caller's directory entry and their last calls, read when the call is answered, for the screen pop.</summary>
    public CallCenter.Data.Catalog.ClientRecord? Client => Profile.Client;

    public string? AccountManagerName => Profile.AccountManagerName;

    /// <summary>When the client denied the directory's account manager on a new-account call (routing then ignores that manager).</summary>
    public DateTimeOffset? ManagerDeniedAt => Profile.ManagerDeniedAt;

    public IReadOnlyList<CallCenter.Data.Calls.RecentCall> Recent => Profile.Recent;

    /// <summary>The queue the IVR handed the caller to, if any.</summary>
    public string? Queue { get; private set; }

    /// <summary>The call as the router knows it (for putting it back after a missed offer).</summary>
    public CallCenter.ResourceControl.Routing.WaitingCall? Waiting { get; private set; }

    /// <summary>
    /// The call's entry for the ACD: <see cref="Waiting"/>, else a new one in its queue from <paramref name="now"/> (a call that
    /// never queued: transferred, consulted, or back from a failed browser leg), naming both its ids. A consult offers the
    /// target agent alone, so it passes <paramref name="withAccountManager"/> false.
    /// </summary>
    public CallCenter.ResourceControl.Routing.WaitingCall WaitingOrNew(DateTimeOffset now, bool withAccountManager = true) =>
        Waiting ?? new(Id, Queue ?? "general", Tier, Language, [], now, withAccountManager ? AccountManager : null) { Caller = Caller, SipCallId = CallId };

    public string? ClientName => Profile.ClientName;

    /// <summary>The number the waiting caller is keying in to be called back at (queue key 2), while they do.</summary>
    public CallbackNumberEntry? CallbackNumber { get; private set; }

    /// <summary>The silence timer of <see cref="CallbackNumber"/> (one-shot; a key replaces it).</summary>
    public ITimer? CallbackNumberTimer { get; private set; }

    /// <summary>The agent leg ringing or bridged now, if any.</summary>
    public AgentLeg? AgentLeg { get; private set; }

    /// <summary>The agent consulted in an attended transfer, ringing or talking to the call's agent.</summary>
    public AgentLeg? ConsultLeg { get; private set; }

    /// <summary>An outside number the call was transferred to, ringing through a trunk or talking to the caller.</summary>
    public TrunkLeg? OutsideLeg { get; private set; }

    /// <summary>A consultation is on: with an agent (<see cref="ConsultLeg"/>) or an outside number (<see cref="OutsideLeg"/> as a consult).</summary>
    public bool Consulting => ConsultLeg is not null || OutsideLeg is { IsConsult: true };

    /// <summary>The supervisor's phone ringing or joined to listen, whisper or barge, if any.</summary>
    public MonitorLeg? Monitor { get; private set; }

    /// <summary>
    /// The call's finished legs (agents', consulted, outside, supervisors', a callback's client) with their outcome, for
    /// the record: a value the call replaces as each leg ends (<see cref="LegEnded"/>), so whoever was handed it (a
    /// wrap-up, a progress write) holds a list that no longer changes.
    /// </summary>
    public IReadOnlyList<CallCenter.Data.Calls.CallLeg> Legs { get; private set; } = [];

    public DateTimeOffset? QueuedAt => Waiting?.EnteredAt;

    CallCenter.Data.Calls.CallFax? ICallFacts.Fax => Fax is { Result: { } r } fax
        ? new(fax.Id, fax.Sent is null ? CallCenter.Data.Calls.CallDirections.Inbound : CallCenter.Data.Calls.CallDirections.Outbound, r.Succeeded, r.Pages, r.BitRate, r.Ecm, r.Code, r.Text, r.BadRows)
        : null;

    /// <summary>
    /// How agents handled the call (who answered, when, why, ring and hold time): one immutable value its loop replaces
    /// through the steps of <see cref="CallHandling"/> (<see cref="Offered"/>, <see cref="AgentAnswered"/>, <see cref="RingEnded"/>,
    /// <see cref="Held"/>, <see cref="TakenOverBy"/>).
    /// </summary>
    public CallHandling Handling { get; private set; }

    /// <summary>The extension of the agent who answered.</summary>
    public string? Agent => Handling.Agent;

    public DateTimeOffset? AnsweredAt => Handling.AnsweredAt;

    /// <summary>Why the answering agent was chosen.</summary>
    public string? RoutingReason => Handling.RoutingReason;

    /// <summary>The relay's two directions while bridged (for its counters).</summary>
    public (Telephony.Media.LiveAudio ToAgent, Telephony.Media.LiveAudio ToCaller)? Relay { get; private set; }

    public double RingSeconds => Handling.RingSeconds;

    public double HoldSeconds => Handling.HoldSeconds;

    /// <summary>The call's one recording, once it started (see <see cref="CallRecording"/>).</summary>
    public Telephony.Media.StereoRecorder? Recorder { get; private set; }

    /// <summary>What the last progress write was taken for (see <see cref="CallRecordBuilder.KeyOf"/>).</summary>
    public ProgressKey? LastProgress { get; private set; }

    /// <summary>True once the call has ended (records and agent effects done once).</summary>
    public bool Ended => Lifecycle.Ended;

    /// <summary>The fax a fax call receives (<see cref="FaxCalls"/>); null for every other call.</summary>
    public FaxCall? Fax { get; private set; }

    // Playback ids for queue announcements and other platform prompts, far above the IVR session's: the last one given.
    private long _lastPlaybackId = 1L << 40;

    private CallLifecycle _lifecycle;

    /// <summary>The id of the next platform prompt (a queue announcement, a callback's words), far above the IVR session's.</summary>
    public long NextPlayback() => ++_lastPlaybackId;

    /// <summary>The back office verified the PIN the caller keyed for <paramref name="account"/>.</summary>
    public void PinVerified(string? account)
    {
        VerifiedByPin = true;
        VerifiedAccount = account;
    }

    /// <summary>
    /// The call is for <paramref name="queue"/> (the IVR handed the caller there, a callback was booked for it) and
    /// waits there as <paramref name="waiting"/>, if it waits (a callback an agent placed themselves does not).
    /// </summary>
    public void Enqueued(string queue, CallCenter.ResourceControl.Routing.WaitingCall? waiting)
    {
        Queue = queue;
        Waiting = waiting;
    }

    /// <summary>
    /// The call waits for an agent as <paramref name="entry"/>, or (null) for none: after a transfer (to an agent, a
    /// queue, or out of the platform) or a failed browser leg. The queue the IVR chose stays the call's
    /// <see cref="Queue"/> for its record.
    /// </summary>
    public void WaitsAs(CallCenter.ResourceControl.Routing.WaitingCall? entry) => Waiting = entry;

    /// <summary>
    /// An agent's phone rings for the call: a consulted agent's (<see cref="AgentLeg.IsConsult"/>) as the
    /// <see cref="ConsultLeg"/>, else as the call's <see cref="AgentLeg"/>, offered for <paramref name="reason"/>.
    /// </summary>
    public void AgentRung(AgentLeg leg, string? reason)
    {
        ArgumentNullException.ThrowIfNull(leg);
        if (leg.IsConsult)
        {
            ConsultLeg = leg;
            return;
        }

        AgentLeg = leg;
        Offered(reason);
    }

    /// <summary>The call's agent leg is no longer the call's (it ended, was withdrawn, transferred away, its media failed).</summary>
    public void AgentLegLeft() => AgentLeg = null;

    /// <summary>The consultation's agent leg ended without taking the call over.</summary>
    public void ConsultLegLeft() => ConsultLeg = null;

    /// <summary>
    /// An attended transfer completed: the consulted agent's leg is the call's agent leg now, no longer a consultation,
    /// and no relay runs yet.
    /// </summary>
    public void ConsultedTakesOver(AgentLeg consulted)
    {
        ArgumentNullException.ThrowIfNull(consulted);
        consulted.ConsultEnds();
        Relay = null;
        ConsultLeg = null;
        AgentLeg = consulted;
    }

    /// <summary>The caller and the call's agent hear each other through these two directions.</summary>
    public void Bridged(Telephony.Media.LiveAudio toAgent, Telephony.Media.LiveAudio toCaller) => Relay = (toAgent, toCaller);

    /// <summary>The relay between the caller and the agent stopped (its counters were taken).</summary>
    public void Unbridged() => Relay = null;

    /// <summary>An outside number rings for the call through a trunk (a transfer out, a consultation, the next route's try).</summary>
    public void OutsideRung(TrunkLeg leg) => OutsideLeg = leg;

    /// <summary>The outside leg ended or was given up.</summary>
    public void OutsideLegLeft() => OutsideLeg = null;

    /// <summary>A supervisor's phone rings to listen, whisper or barge.</summary>
    public void MonitorRung(MonitorLeg leg) => Monitor = leg;

    /// <summary>The supervisor's leg ended or was refused.</summary>
    public void MonitorLeft() => Monitor = null;

    /// <summary>A callback's client answered: their dialog is the call's caller dialog from now on.</summary>
    public void ClientAnswered(SipDialog dialog) => Dialog = dialog;

    /// <summary>The number the waiting caller keys in to be called back at moved on; null: the entry ended (kept, cancelled, given up).</summary>
    public void KeysNumber(CallbackNumberEntry? entry)
    {
        CallbackNumber = entry;
        if (entry is null)
        {
            CallbackNumberTimer?.Dispose();
            CallbackNumberTimer = null;
        }
    }

    /// <summary>The silence timer of the number being keyed in; an earlier one stops (a key replaces it).</summary>
    public void NumberTimerStarts(ITimer timer)
    {
        CallbackNumberTimer?.Dispose();
        CallbackNumberTimer = timer;
    }

    /// <summary>The client-directory look-up started for the caller; its result is applied on the loop.</summary>
    public void LooksUp(Task<CallerIdentity> identification) => Identification = identification;

    /// <summary>The caller's IVR flow runs on the call from now on.</summary>
    public void RunsIvr(IvrCallRunner runner) => Ivr = runner;

    /// <summary>
    /// The call's recording starts (<paramref name="start"/> creates its file and taps the media): one file a call, so a
    /// second start is a bug, refused before it could overwrite the first file or tap the media twice.
    /// </summary>
    public void Records(Func<Telephony.Media.StereoRecorder> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        if (Recorder is not null)
        {
            throw new InvalidOperationException($"call {Id} is recorded already");
        }

        Recorder = start();
    }

    /// <summary>A progress write for <paramref name="key"/> was queued: the same facts are not written again.</summary>
    public void ProgressWritten(ProgressKey key) => LastProgress = key;

    /// <summary>The call carries a fax from now on (received on the hotline, or sent), and nothing else.</summary>
    public void CarriesFax(FaxCall fax) => Fax = fax;

    /// <summary>A leg of the call ended: it joins the finished ones.</summary>
    public void LegEnded(CallCenter.Data.Calls.CallLeg leg) => Legs = [.. Legs, leg];

    /// <summary>The IVR moved: its trace so far, and the nodes it passed, replace what the call held.</summary>
    public void WalkedIvr(IReadOnlyList<CallCenter.Ivr.Flows.IvrTraceEntry> trace)
    {
        IvrPath = Array.AsReadOnly(CallCenter.Ivr.Flows.IvrTraceEntry.Nodes(trace));
        IvrTrace = [.. trace];
    }

    /// <summary>A step of a call that runs no flow (a callback, a list entry's attempt) joins its path.</summary>
    public void PassedThrough(string step) => IvrPath = [.. IvrPath, step];

    /// <summary>What the client directory says of the caller (tier, language, manager, pop data); the call is identified from now on.</summary>
    public void Apply(CallerIdentity identity)
    {
        Profile = CallerProfile.From(identity);
        _lifecycle = CallLifecycle.Identify(_lifecycle);
    }

    /// <summary>What a callback was booked with stands where the directory is silent (<see cref="CallerProfile.OrBooked"/>).</summary>
    public void ApplyBooked(string? tier, string? language, string? accountManager) =>
        Profile = Profile.OrBooked(tier, language, accountManager);

    /// <summary>Our 200 went to the caller: the call is answered, from a trusted peer or not, its caller id marked unverified or not.</summary>
    public void Answer(bool trusted, bool marked) => _lifecycle = CallLifecycle.Answered(trusted, marked);

    /// <summary>One step of the caller's leg: the call's life moves on, and what the shell must do is answered.</summary>
    public CallerActions StepCaller(CallerInput input)
    {
        (_lifecycle, var actions) = CallerLeg.Handle(_lifecycle, input);
        return actions;
    }

    /// <summary>The call ends: true the first time only (records and agent effects are done once).</summary>
    public bool TryEnd()
    {
        (_lifecycle, var first) = CallLifecycle.End(_lifecycle);
        return first;
    }

    /// <summary>The call's agent leg was offered, for <paramref name="reason"/> (<see cref="CallHandling.Offered"/>).</summary>
    public void Offered(string? reason) => Handling = Handling.Offered(reason);

    /// <summary>An agent answered a leg offered at <paramref name="offeredAt"/> (<see cref="CallHandling.AgentAnswered"/>).</summary>
    public void AgentAnswered(string extension, DateTimeOffset offeredAt, DateTimeOffset now) => Handling = Handling.AgentAnswered(extension, offeredAt, now);

    /// <summary>An agent's phone stopped ringing unanswered (<see cref="CallHandling.RingEnded"/>).</summary>
    public void RingEnded(DateTimeOffset offeredAt, DateTimeOffset now) => Handling = Handling.RingEnded(offeredAt, now);

    /// <summary>A hold of <paramref name="seconds"/> ended (<see cref="CallHandling.Held"/>).</summary>
    public void Held(double seconds) => Handling = Handling.Held(seconds);

    /// <summary>The consulted agent took the call over (<see cref="CallHandling.TakenOverBy"/>).</summary>
    public void TakenOverBy(string extension) => Handling = Handling.TakenOverBy(extension);
}

/// <summary>
/// What the client directory says of a call's caller, for routing, the screen pop and the record: one immutable
/// value (<see cref="ActiveCall.Profile"/>), made from the look-up's answer (<see cref="From"/>), and filled in
/// where the directory is silent by what a callback was booked with (<see cref="OrBooked"/>).
/// </summary>
internal sealed record CallerProfile(
    Data.Catalog.ClientRecord? Client,
    string? ClientName,
    string? Tier,
    string? Language,
    string? AccountManager,
    string? AccountManagerName,
    DateTimeOffset? ManagerDeniedAt,
    IReadOnlyList<Data.Calls.RecentCall> Recent)
{
    /// <summary>An unknown (ordinary) caller: no tier, no language, no manager.</summary>
    public static CallerProfile Unknown { get; } = new(null, null, null, null, null, null, null, []);

    public static CallerProfile From(CallerIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return new(
            identity.Client,
            identity.Client?.Name,
            identity.Client?.Tier,
            identity.Client?.Language,

            // A manager the client denied on a new-account call is not the one to take their calls: no wait held for them.
            identity.ManagerDeniedAt is null ? identity.Client?.ManagerExtension : null,
            identity.AccountManagerName,
            identity.ManagerDeniedAt,
            identity.Recent);
    }

    /// <summary>
    /// What a callback was booked with stands where the directory is silent (or was away); but a manager the client
    /// denied stays away, whoever booked the call with them.
    /// </summary>
    public CallerProfile OrBooked(string? tier, string? language, string? accountManager) =>
        this with
        {
            Tier = Tier ?? tier,
            Language = Language ?? language,
            AccountManager = AccountManager ?? (ManagerDeniedAt is null ? accountManager : null),
        };
}
