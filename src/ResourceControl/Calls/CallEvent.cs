using CallCenter.Ivr.Prompts;
using CallCenter.ResourceControl.Routing;
using CallCenter.Telephony.Sip.Dialogs;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Transactions;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// Everything that can change a call, as it arrives in the call's mailbox (<see cref="CallMailbox"/>).
/// Receive loops, media threads, timers, the ACD, agent presence and the desk only post these; the
/// call's one loop handles them in order, so no two threads ever change a call at once.
/// </summary>
internal abstract record CallEvent
{
    /// <summary>A request in one of the call's dialogs (the caller's, an agent's, the consulted agent's or a supervisor's).</summary>
    public sealed record SipRequestArrived(SipServerTransaction Transaction, SipRequest Request, SipDialogId Dialog) : CallEvent;

    /// <summary>The caller's ACK for our 200: the three-way handshake is done.</summary>
    public sealed record CallerAcknowledged : CallEvent;

    /// <summary>The caller CANCELled before our 200 reached them; the INVITE still needs its 487.</summary>
    public sealed record CallerCancelled(SipServerTransaction InviteTransaction) : CallEvent;

    /// <summary>No ACK for our 200 within 64*T1 (RFC 3261 13.3.1.4).</summary>
    public sealed record NotConfirmed(string Failure) : CallEvent;

    /// <summary>A 2xx to one of our INVITEs that came again after its transaction ended (RFC 3261 13.2.2.4).</summary>
    public sealed record RetransmittedOk(SipResponse Response) : CallEvent;

    /// <summary>The client-directory look-up of the caller finished (null fields when unknown or failed).</summary>
    public sealed record Identified(CallerIdentity Identity) : CallEvent;

    /// <summary>A key the caller pressed (from the RTP receive threads).</summary>
    public sealed record Digit(char Key) : CallEvent;

    /// <summary>
    /// A key an outbound call's client pressed, read from the client's own RTP session (RFC 4733) and from
    /// nowhere else: the agent's leg cannot make one (<see cref="ClientKeys"/>).
    /// </summary>
    public sealed record ClientKey(char Key) : CallEvent;

    /// <summary>A new-account call's question (its play <paramref name="Play"/>) was followed by the set silence from the client.</summary>
    public sealed record ClientQuestionTimedOut(int Play) : CallEvent;

    /// <summary>A prompt played to its end (from the media side).</summary>
    public sealed record PlaybackFinished(long PlaybackId) : CallEvent;

    /// <summary>An IVR timer (digit timeout, menu repeat) fired.</summary>
    public sealed record IvrTimerFired(long TimerId) : CallEvent;

    /// <summary>The back office answered one of the IVR's requests (from the request's background task).</summary>
    public sealed record IvrAnswered(Ivr.Flows.IvrEvent.Answered Answer) : CallEvent;

    /// <summary>Silence while the waiting caller keyed in a number to be called back at (<see cref="CallbackNumberEntry.Timer"/>).</summary>
    public sealed record CallbackNumberTimedOut(int Timer) : CallEvent;

    /// <summary>The queue tells the waiting caller their position and wait.</summary>
    public sealed record Announce(IReadOnlyList<IvrPrompt> Prompts) : CallEvent;

    /// <summary>The ACD gave the call an agent.</summary>
    public sealed record Assigned(RoutingAssignment Assignment) : CallEvent;

    /// <summary>The queue overflowed to a callback: one is booked where it can be kept, the caller hears which, then the call ends.</summary>
    public sealed record CallbackOffered(OverflowDecision Overflow) : CallEvent;

    /// <summary>The message that ends the call (a callback booked, or call again later) has played: hang up as <paramref name="Disposition"/>.</summary>
    public sealed record CallbackMessagePlayed(Data.Calls.CallDisposition Disposition) : CallEvent;

    /// <summary>Agent presence withdrew the offer to <paramref name="Extension"/> (ring timeout, the agent went away).</summary>
    public sealed record OfferWithdrawn(string Extension) : CallEvent;

    /// <summary>The final response to our INVITE to an agent's phone (the call's agent or a consulted one).</summary>
    public sealed record AgentLegFinal(AgentLeg Leg, SipResponse Response) : CallEvent;

    /// <summary>A browser's WebRTC media failed for good on <paramref name="Leg"/> (DTLS never finished, its SRTP kept failing): the leg ends alone.</summary>
    public sealed record BrowserMediaFailed(AgentLeg Leg, string Reason) : CallEvent;

    /// <summary>
    /// The final response to our INVITE to an outside number through a trunk (a 401/407 included). With <paramref name="Silence"/>:
    /// not the trunk's, but our 408 after <see cref="Outbound.Trunk.FailoverAfter"/> without a word from it (void once it spoke,
    /// which the INVITE's <see cref="TrunkSpoke"/> tells even before the trunk's word is handled).
    /// </summary>
    public sealed record TrunkLegFinal(TrunkLeg Leg, SipResponse Response, TrunkSpoke? Silence = null) : CallEvent;

    /// <summary>The trunk answered the leg's INVITE with a provisional (100 Trying at least): it is alive (from the INVITE's transaction).</summary>
    public sealed record TrunkLegHeard(TrunkLeg Leg) : CallEvent;

    /// <summary>A callback's client rang for <c>Callbacks:RingSeconds</c> without an answer.</summary>
    public sealed record ClientRingTimedOut(TrunkLeg Leg) : CallEvent;

    /// <summary>The final response to our INVITE to a supervisor's phone.</summary>
    public sealed record MonitorLegFinal(MonitorLeg Leg, SipResponse Response) : CallEvent;

    /// <summary>The supervisor's phone rang for the agents' ring timeout without an answer.</summary>
    public sealed record MonitorRingTimedOut(MonitorLeg Leg) : CallEvent;

    /// <summary>
    /// A command from the desk, the REST API or a supervisor, run in the call's loop; its answer goes
    /// back through <paramref name="Done"/>. An ended call answers it with a refusal and runs nothing.
    /// </summary>
    public sealed record Command(string Name, Func<ActiveCall, Task<Contracts.Calls.CallControlResult>> Run, TaskCompletionSource<Contracts.Calls.CallControlResult> Done) : CallEvent;

    /// <summary>A background send of the call failed: the call is ended rather than left half-done.</summary>
    public sealed record BackgroundFailed(string What, Exception Exception) : CallEvent;

    /// <summary>The platform is stopping: the call ends as interrupted.</summary>
    public sealed record Shutdown : CallEvent;

    /// <summary>The fax call's T.30 session ended (from the media clock, through <see cref="FaxTerminal"/>).</summary>
    public sealed record FaxEnded(FaxSms.Fax.FaxResult Result) : CallEvent;

    /// <summary>A calling fax's CNG tone was heard on the caller's leg during the IVR (from the RTP receive threads).</summary>
    public sealed record FaxToneDetected : CallEvent;
}

/// <summary>
/// What the client directory says of a caller, read off the SIP path when the call is answered; <paramref name="ManagerDeniedAt"/>:
/// the client denied the directory's account manager on a new-account call (the relationship is flagged for removal).
/// </summary>
internal sealed record CallerIdentity(
    Data.Catalog.ClientRecord? Client,
    string? AccountManagerName,
    IReadOnlyList<Data.Calls.RecentCall> Recent,
    DateTimeOffset? ManagerDeniedAt = null)
{
    public static CallerIdentity Unknown { get; } = new(null, null, []);
}
