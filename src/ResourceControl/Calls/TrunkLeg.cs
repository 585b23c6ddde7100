using CallCenter.ResourceControl.Outbound;
using CallCenter.Telephony.Rtp;
using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// A leg to an outside number through a trunk (a blind transfer to a number, and later callbacks and
/// list calls): what every rung leg has (<see cref="OutgoingLeg"/>), the number as dialled and the
/// trunk, and whether the trunk's challenge was answered already (once per leg). Changed only by its call's loop.
/// </summary>
internal sealed class TrunkLeg(DialableNumber number, Trunk trunk, SipRequest invite, RtpSession media, DateTimeOffset offeredAt)
    : OutgoingLeg(number.Dial, invite, trunk.Remote, media, offeredAt)
{
    public DialableNumber Number { get; } = number;

    public Trunk Trunk { get; } = trunk;

    /// <summary>The INVITE was sent again with credentials: a second challenge is a refusal (wrong credentials).</summary>
    public bool Authenticated { get; set; }

    /// <summary>
    /// The trunk sent a provisional response (100 Trying at least): it is alive, so a ring timer that runs out
    /// is the client's no-answer. Set by the INVITE's transaction (a flag, read by the call's loop).
    /// </summary>
    public bool Heard
    {
        get => Volatile.Read(ref _heard);
        set
        {
            Volatile.Write(ref _heard, value);

            // A full fence: the transaction then reads IsAbandoned, while the loop marks the leg abandoned and then
            // reads Heard. Without it each store may sit behind the other's load and both miss: no CANCEL at all.
            Interlocked.MemoryBarrier();
        }
    }

    private bool _heard;

    // Set once by the call's loop when the leg is failed over with its INVITE still pending; read by the INVITE's transaction.
    private int _abandoned;

    // The one CANCEL of an abandoned INVITE: sent by whichever of the loop and the provisional's arrival takes it first.
    private int _cancelTaken;

    /// <summary>
    /// Given up for the next trunk while its INVITE had no answer at all (<see cref="LegPhase.Abandoned"/>): a provisional
    /// that comes after gets the CANCEL it could not get before (RFC 3261 9.1: none before a provisional).
    /// </summary>
    public bool IsAbandoned => Volatile.Read(ref _abandoned) == 1;

    public void MarkAbandoned() => Interlocked.Exchange(ref _abandoned, 1); // a full fence, as Heard's setter

    /// <summary>True once: the caller sends the abandoned INVITE's CANCEL.</summary>
    public bool TakeCancel() => Interlocked.Exchange(ref _cancelTaken, 1) == 0;

    /// <summary>Posts the trunk's silence (<see cref="CallEvent.TrunkLegFinal.Silence"/>) if nothing came back in time; one per INVITE sent.</summary>
    public ITimer? SilenceTimer { get; set; }

    /// <summary>
    /// The agent consults this number (the caller on hold): answered, it talks with the agent, not the caller, until the
    /// consultation completes (then it is the caller's, as a transfer's leg) or ends.
    /// </summary>
    public bool IsConsult { get; set; }

    /// <summary>An answered consultation: where it starts in the call's recording, in seconds (<see cref="CallRecording.StartConsult"/>).</summary>
    public double? RecordedFrom { get; set; }

    /// <summary>The relay between the caller and the outside party, once joined.</summary>
    public (Telephony.Media.LiveAudio ToOutside, Telephony.Media.LiveAudio ToCaller)? Relay { get; set; }

    public override string Describe() => $"{Number.Dial} through trunk {Trunk.Name}";
}
