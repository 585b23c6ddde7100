using CallCenter.Telephony.Rtp;
using CallCenter.Telephony.Sip.Dialogs;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Calls;

/// <summary>Where a leg the platform rings stands.</summary>
public enum LegPhase
{
    /// <summary>Our INVITE is out, no final response yet.</summary>
    Ringing,

    /// <summary>We gave up while it rang: CANCEL sent, the INVITE's final response still to come.</summary>
    Cancelling,

    /// <summary>Answered and joined to the call: its dialog is live.</summary>
    Up,

    /// <summary>Finished: nothing more is sent on it, its media is freed (or being freed).</summary>
    Gone,

    /// <summary>
    /// Given up for the same number through the next trunk (a silent or failed trunk), its INVITE's final response
    /// perhaps still to come: a late 2xx is ACKed and BYEd (RFC 3261 13.2.2.4, 15), a late provisional gets a CANCEL;
    /// its media is the next leg's, never freed from here.
    /// </summary>
    Abandoned,
}

/// <summary>What the shell does for one step of a leg, in this order: ACK, join, CANCEL, BYE, free the media, tell the owner it was refused.</summary>
[Flags]
public enum LegActions
{
    None = 0,

    /// <summary>ACK the 2xx (RFC 3261 13.2.2.4): every 2xx is ACKed, wanted or not.</summary>
    Ack = 1,

    /// <summary>Join the leg to the call: its dialog becomes the leg's, its media is bridged.</summary>
    Join = 2,

    /// <summary>CANCEL the pending INVITE (RFC 3261 9.1).</summary>
    Cancel = 4,

    /// <summary>BYE the dialog the 2xx made (a late or unusable answer) or the leg's live dialog.</summary>
    Bye = 8,

    FreeMedia = 16,

    /// <summary>The phone would not take the call (a failure response, or no codec we speak): its owner counts the miss.</summary>
    Refused = 32,
}

/// <summary>One step of a leg: its next phase and what to do.</summary>
public readonly record struct LegStep(LegPhase Phase, LegActions Actions);

/// <summary>
/// The life of a leg the platform rings, as a pure function of its phase and what happened: an
/// agent's phone, a consulted agent's, a supervisor's (and a client's, once calls go out through a
/// trunk). The races a B2BUA must get right live here and are tested as a table: a CANCEL crossing
/// the 2xx (ACK it, then BYE, RFC 3261 9.1 and 15), a 487 after our CANCEL, an answer the call no
/// longer wants, an answer without a codec we speak, giving up a leg that already failed.
/// </summary>
internal static class LegLifecycle
{
    /// <summary>A 2xx final response to our INVITE. <paramref name="wanted"/>: the call still waits for this leg.</summary>
    public static LegStep Answered(LegPhase phase, bool wanted, bool usableCodec) => phase switch
    {
        LegPhase.Ringing when !usableCodec => new(LegPhase.Gone, LegActions.Ack | LegActions.Bye | LegActions.FreeMedia | LegActions.Refused),
        LegPhase.Ringing when wanted => new(LegPhase.Up, LegActions.Ack | LegActions.Join),
        LegPhase.Ringing or LegPhase.Cancelling => new(LegPhase.Gone, LegActions.Ack | LegActions.Bye | LegActions.FreeMedia),

        // The first trunk answered after the number went out through the next: the client must not stay connected twice.
        LegPhase.Abandoned => new(LegPhase.Gone, LegActions.Ack | LegActions.Bye),

        // One final response per INVITE transaction; a retransmitted 2xx is ACKed by the dispatcher's path.
        _ => new(phase, LegActions.None),
    };

    /// <summary>A failure final response (busy, declined, unreachable, our CANCEL's 487, a timeout).</summary>
    public static LegStep Refused(LegPhase phase) => phase switch
    {
        LegPhase.Ringing => new(LegPhase.Gone, LegActions.FreeMedia | LegActions.Refused),
        LegPhase.Cancelling => new(LegPhase.Gone, LegActions.FreeMedia),
        LegPhase.Abandoned => new(LegPhase.Gone, LegActions.None),
        _ => new(phase, LegActions.None),
    };

    /// <summary>
    /// The trunk is down (<see cref="Outbound.TrunkFailover"/>) and the number is rung through the next one: a ringing
    /// leg is abandoned (its media kept for the next leg, its INVITE's late answer still to be ACKed and BYEd); one the
    /// call gave up meanwhile only frees its media.
    /// </summary>
    public static LegStep FailedOver(LegPhase phase) => phase switch
    {
        LegPhase.Ringing => new(LegPhase.Abandoned, LegActions.None),
        LegPhase.Cancelling => new(LegPhase.Gone, LegActions.FreeMedia),
        _ => new(phase, LegActions.None),
    };

    /// <summary>The call gives the leg up (the caller left, the offer was withdrawn, the consultation or monitoring ended).</summary>
    public static LegStep GiveUp(LegPhase phase) => phase switch
    {
        // The media stays until the INVITE's final response: a 2xx crossing the CANCEL still needs its ACK and BYE.
        LegPhase.Ringing => new(LegPhase.Cancelling, LegActions.Cancel),
        LegPhase.Up => new(LegPhase.Gone, LegActions.Bye | LegActions.FreeMedia),
        _ => new(phase, LegActions.None),
    };

    /// <summary>
    /// A 401 or 407 the leg may answer with credentials (a trunk's challenge): still ringing, the owner
    /// sends the INVITE again with them (<see cref="OutgoingLeg.Reinvite"/>); given up meanwhile, the leg is done.
    /// </summary>
    public static LegStep Challenged(LegPhase phase) => phase switch
    {
        LegPhase.Ringing => new(LegPhase.Ringing, LegActions.None),
        LegPhase.Cancelling => new(LegPhase.Gone, LegActions.FreeMedia),
        LegPhase.Abandoned => new(LegPhase.Gone, LegActions.None),
        _ => new(phase, LegActions.None),
    };

    /// <summary>The phone hung up its live leg (its BYE, already answered): nothing to send.</summary>
    public static LegStep HungUp(LegPhase phase) => phase switch
    {
        LegPhase.Up => new(LegPhase.Gone, LegActions.FreeMedia),
        _ => new(phase, LegActions.None),
    };
}

/// <summary>
/// What every leg the platform rings has: our INVITE (kept for CANCEL and the ACK), where it went,
/// its media, when it was offered and answered, its dialog once joined, and its phase. Changed only
/// by its call's loop, and its phase only through <see cref="LegLifecycle"/>.
/// </summary>
internal abstract class OutgoingLeg(string extension, SipRequest invite, SipRemote destination, RtpSession media, DateTimeOffset offeredAt)
{
    public string Extension { get; } = extension;

    /// <summary>Our INVITE now: a challenged leg's second INVITE, with credentials, replaces the first.</summary>
    public SipRequest Invite { get; private set; } = invite;

    public SipRemote Destination { get; } = destination;

    public RtpSession Media { get; } = media;

    public DateTimeOffset OfferedAt { get; } = offeredAt;

    /// <summary>Set when the leg joined the call (its 2xx arrived and the call wanted it).</summary>
    public SipDialog? Dialog { get; private set; }

    public DateTimeOffset? AnsweredAt { get; private set; }

    public LegPhase Phase { get; private set; } = LegPhase.Ringing;

    /// <summary>The INVITE got its final response (no CANCEL may follow): a leg given up while ringing is Cancelling (or Abandoned) until then.</summary>
    public bool Final => Phase is LegPhase.Up or LegPhase.Gone;

    /// <summary>Who the leg rings, for logs and sends: "agent 1001", "supervisor 1900".</summary>
    public abstract string Describe();

    /// <summary>The INVITE sent again with credentials (RFC 3261 22.2): CANCEL and ACK now go with it.</summary>
    public void Reinvite(SipRequest invite)
    {
        if (Phase != LegPhase.Ringing)
        {
            throw new InvalidOperationException($"{Describe()} is {Phase}: only a ringing leg is invited again");
        }

        Invite = invite;
    }

    /// <summary>The leg's 2xx made <paramref name="dialog"/> and the call wanted it: only a leg the step made <see cref="LegPhase.Up"/> joins.</summary>
    public void Joined(SipDialog dialog)
    {
        if (Phase != LegPhase.Up)
        {
            throw new InvalidOperationException($"{Describe()} is {Phase}: only a leg that is up joins the call");
        }

        Dialog = dialog;
    }

    /// <summary>The party answered: talk time counts from <paramref name="at"/>.</summary>
    public void Answered(DateTimeOffset at) => AnsweredAt = at;

    /// <summary>Takes the step's phase and returns what to do.</summary>
    public LegActions Take(LegStep step)
    {
        Phase = step.Phase;
        return step.Actions;
    }
}
