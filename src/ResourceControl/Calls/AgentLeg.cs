using CallCenter.Telephony.Rtp;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// The B2BUA's leg to an agent's phone (the call's agent, or one consulted in an attended transfer):
/// what every rung leg has (<see cref="OutgoingLeg"/>), and the agent's hold and consultation relay.
/// Changed only by its call's loop.
/// </summary>
internal sealed class AgentLeg(string extension, SipRequest invite, SipRemote destination, RtpSession media, DateTimeOffset offeredAt)
    : OutgoingLeg(extension, invite, destination, media, offeredAt)
{
    /// <summary>The agent's phone holds the call (its re-INVITE was sendonly or inactive).</summary>
    public bool OnHold { get; set; }

    public DateTimeOffset? HoldStartedAt { get; set; }

    /// <summary>A consultation leg of an attended transfer: bridged to the transferring agent, not to the caller.</summary>
    public bool IsConsult { get; set; }

    /// <summary>The relay between the transferring agent and this consulted one, while consulting.</summary>
    public (Telephony.Media.LiveAudio ToConsulted, Telephony.Media.LiveAudio ToTransferor)? ConsultRelay { get; set; }

    /// <summary>Why the leg failed, when it did ("rejected 486"); null means no answer.</summary>
    public string? Outcome { get; set; }

    public override string Describe() => $"agent {Extension}";
}
