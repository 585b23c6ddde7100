using CallCenter.ResourceControl.Outbound;
using CallCenter.Telephony.Rtp;
using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// A leg to an outside number through a trunk (a blind transfer to a number, and later callbacks and
/// list calls): what every rung leg has (<see cref="OutgoingLeg"/>), the number as dialled and the
/// trunk, and whether the trunk's challenge was answered already (once per leg). Changed only by its call's loop
/// (the INVITE's transaction and the silence timer post events: <see cref="OutsideLegs.RingLeg"/>).
/// </summary>
internal sealed class TrunkLeg(DialableNumber number, Trunk trunk, SipRequest invite, RtpSession media, DateTimeOffset offeredAt, bool consult = false)
    : OutgoingLeg(number.Dial, invite, trunk.Remote, media, offeredAt)
{
    public DialableNumber Number { get; } = number;

    public Trunk Trunk { get; } = trunk;

    /// <summary>The INVITE was sent again with credentials: a second challenge is a refusal (wrong credentials).</summary>
    public bool Authenticated { get; private set; }

    /// <summary>
    /// The trunk sent a provisional response or a final of its own to the INVITE (<see cref="CallEvent.TrunkLegHeard"/>,
    /// <see cref="CallEvent.TrunkLegFinal"/>): it is alive, so a ring timer that runs out is the client's no-answer.
    /// </summary>
    public bool Heard { get; private set; }

    // The one CANCEL of an abandoned INVITE: sent by the loop when it abandons a heard leg or hears an abandoned one,
    // or, once the call's mailbox has closed, by the transaction that brought the provisional.
    private int _cancelTaken;

    /// <summary>True once: the caller sends the abandoned INVITE's CANCEL (RFC 3261 9.1: none before a provisional).</summary>
    public bool TakeCancel() => Interlocked.Exchange(ref _cancelTaken, 1) == 0;

    /// <summary>Whether the trunk said anything yet to the INVITE now out, as its transaction knows it (ahead of the events it posted).</summary>
    public TrunkSpoke? Spoke { get; private set; }

    /// <summary>Posts the trunk's silence (<see cref="CallEvent.TrunkLegFinal.Silence"/>) if nothing came back in time; one per INVITE sent.</summary>
    public ITimer? SilenceTimer { get; private set; }

    /// <summary>
    /// The agent consults this number (the caller on hold): answered, it talks with the agent, not the caller, until the
    /// consultation completes (then it is the caller's, as a transfer's leg) or ends.
    /// </summary>
    public bool IsConsult { get; private set; } = consult;

    /// <summary>An answered consultation: where it starts in the call's recording, in seconds (<see cref="CallRecording.StartConsult"/>).</summary>
    public double? RecordedFrom { get; private set; }

    /// <summary>The relay between the caller and the outside party, once joined.</summary>
    public (Telephony.Media.LiveAudio ToOutside, Telephony.Media.LiveAudio ToCaller)? Relay { get; private set; }

    /// <summary>The INVITE goes again with the trunk's credentials (RFC 3261 22.2), once per leg.</summary>
    public void ReinviteWithCredentials(SipRequest invite)
    {
        Reinvite(invite);
        Authenticated = true;
    }

    /// <summary>The INVITE now out is sent: what its transaction learns of the trunk starts afresh, and an earlier silence timer stops.</summary>
    public TrunkSpoke Rings()
    {
        SilenceTimer?.Dispose();
        SilenceTimer = null;
        Spoke = new TrunkSpoke();
        return Spoke;
    }

    /// <summary>The timer that posts the trunk's silence for the INVITE now out; an earlier one stops.</summary>
    public void WatchesSilence(ITimer timer)
    {
        SilenceTimer?.Dispose();
        SilenceTimer = timer;
    }

    /// <summary>The trunk said something (a provisional): it is alive.</summary>
    public void HeardFrom() => Heard = true;

    /// <summary>
    /// The INVITE's final came to the loop: a final of the trunk's own (not our synthesized 408 or 503) says it is alive;
    /// the silence timer is done either way.
    /// </summary>
    public void FinalArrived(bool synthesized)
    {
        Heard |= !synthesized;
        SilenceTimer?.Dispose();
    }

    /// <summary>
    /// Answered, it hears its party through <paramref name="relay"/>: the caller (a transfer) or the agent (a consultation, recorded from
    /// <paramref name="recordedFrom"/> seconds into the call's recording).
    /// </summary>
    public void Joined((Telephony.Media.LiveAudio ToOutside, Telephony.Media.LiveAudio ToCaller) relay, double? recordedFrom = null)
    {
        Relay = relay;
        RecordedFrom = recordedFrom;
    }

    /// <summary>The relay stops: handed back (to be accounted) and forgotten.</summary>
    public (Telephony.Media.LiveAudio ToOutside, Telephony.Media.LiveAudio ToCaller)? TakeRelay()
    {
        var relay = Relay;
        Relay = null;
        return relay;
    }

    /// <summary>The consultation completes: the number is the caller's now, not a consultation; returns where it was recorded from.</summary>
    public double? ConsultEnds()
    {
        var recordedFrom = RecordedFrom;
        IsConsult = false;
        RecordedFrom = null;
        return recordedFrom;
    }

    public override string Describe() => $"{Number.Dial} through trunk {Trunk.Name}";
}

/// <summary>
/// Whether the trunk has said anything (a provisional, or a final of its own) to one INVITE: the INVITE's transaction's
/// own knowledge, not the call's state, so the silence timer need not post our 408 and the loop can void one already
/// queued when the trunk's word is still behind it in the mailbox (<see cref="CallCore.SilenceVoid"/>).
/// </summary>
internal sealed class TrunkSpoke
{
    private int _spoke;

    public bool Yet => Volatile.Read(ref _spoke) == 1;

    /// <summary>Marks it; true the first time.</summary>
    public bool Mark() => Interlocked.Exchange(ref _spoke, 1) == 0;
}
