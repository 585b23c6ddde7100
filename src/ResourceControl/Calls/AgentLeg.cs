using CallCenter.Telephony.Rtp;
using CallCenter.Telephony.Sip.Dialogs;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// The B2BUA's leg to an agent's phone: our INVITE (kept for CANCEL), where it went, its media,
/// and once answered its dialog. Changed under the call's lock.
/// </summary>
internal sealed class AgentLeg(string extension, SipRequest invite, SipRemote destination, RtpSession media, DateTimeOffset offeredAt)
{
    public string Extension { get; } = extension;

    public SipRequest Invite { get; } = invite;

    public SipRemote Destination { get; } = destination;

    public RtpSession Media { get; } = media;

    public DateTimeOffset OfferedAt { get; } = offeredAt;

    /// <summary>Set when the agent's 2xx arrived.</summary>
    public SipDialog? Dialog { get; set; }

    public DateTimeOffset? AnsweredAt { get; set; }

    /// <summary>The INVITE got its final response (no CANCEL may follow).</summary>
    public bool Final { get; set; }

    /// <summary>We gave up on this leg (CANCEL sent, or BYE): its late responses only get tidied up.</summary>
    public bool Abandoned { get; set; }

    /// <summary>The agent's phone holds the call (its re-INVITE was sendonly or inactive).</summary>
    public bool OnHold { get; set; }

    public DateTimeOffset? HoldStartedAt { get; set; }

    /// <summary>A consultation leg of an attended transfer: bridged to the transferring agent, not to the caller.</summary>
    public bool IsConsult { get; set; }

    /// <summary>The relay between the transferring agent and this consulted one, while consulting.</summary>
    public (Telephony.Media.LiveAudio ToConsulted, Telephony.Media.LiveAudio ToTransferor)? ConsultRelay { get; set; }

    /// <summary>Why the leg failed, when it did ("rejected 486"); null means no answer.</summary>
    public string? Outcome { get; set; }
}
