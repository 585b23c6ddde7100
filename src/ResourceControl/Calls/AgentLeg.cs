using CallCenter.Telephony.Rtp;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// The B2BUA's leg to an agent's phone (the call's agent, or one consulted in an attended transfer):
/// what every rung leg has (<see cref="OutgoingLeg"/>), and the agent's hold and consultation relay.
/// Changed only by its call's loop.
/// </summary>
internal sealed class AgentLeg(string extension, SipRequest invite, SipRemote destination, RtpSession media, DateTimeOffset offeredAt, bool consult = false)
    : OutgoingLeg(extension, invite, destination, media, offeredAt)
{
    /// <summary>The agent's phone holds the call (its re-INVITE was sendonly or inactive).</summary>
    public bool OnHold { get; private set; }

    public DateTimeOffset? HoldStartedAt { get; private set; }

    /// <summary>A consultation leg of an attended transfer: bridged to the transferring agent, not to the caller.</summary>
    public bool IsConsult { get; private set; } = consult;

    /// <summary>The relay between the transferring agent and this consulted one, while consulting.</summary>
    public (Telephony.Media.LiveAudio ToConsulted, Telephony.Media.LiveAudio ToTransferor)? ConsultRelay { get; private set; }

    /// <summary>Why the leg failed, when it did ("rejected 486"); null means no answer.</summary>
    public string? Outcome { get; private set; }

    /// <summary>The phone held (<paramref name="hold"/>) or resumed the call at <paramref name="now"/>: a resume forgets when the hold began.</summary>
    public void Hold(bool hold, DateTimeOffset now)
    {
        OnHold = hold;
        HoldStartedAt = hold ? now : null;
    }

    /// <summary>The consulted agent answered: the two agents hear each other through <paramref name="relay"/>.</summary>
    public void ConsultJoined((Telephony.Media.LiveAudio ToConsulted, Telephony.Media.LiveAudio ToTransferor) relay) => ConsultRelay = relay;

    /// <summary>The consultation's relay stops: handed back (to be accounted) and forgotten.</summary>
    public (Telephony.Media.LiveAudio ToConsulted, Telephony.Media.LiveAudio ToTransferor)? TakeConsultRelay()
    {
        var relay = ConsultRelay;
        ConsultRelay = null;
        return relay;
    }

    /// <summary>The consulted agent takes the call over: no longer a consultation.</summary>
    public void ConsultEnds() => IsConsult = false;

    /// <summary>The leg failed for <paramref name="outcome"/> ("rejected 486", "no-usable-codec", "media-failed").</summary>
    public void Failed(string outcome) => Outcome = outcome;

    public override string Describe() => $"agent {Extension}";
}
