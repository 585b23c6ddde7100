using CallCenter.Telephony.Media;
using CallCenter.Telephony.Rtp;
using CallCenter.Telephony.Sip.Dialogs;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// A supervisor's phone called into a bridged agent call (listen, whisper, barge): our INVITE (kept
/// for CANCEL), where it went, its media, the agent leg it joined and the relays that feed it and
/// that it feeds. Changed under the call's lock.
/// </summary>
internal sealed class MonitorLeg(string extension, SipRequest invite, SipRemote destination, RtpSession media, AgentLeg agent, MonitorMix mode, DateTimeOffset offeredAt)
{
    public string Extension { get; } = extension;

    public SipRequest Invite { get; } = invite;

    public SipRemote Destination { get; } = destination;

    public RtpSession Media { get; } = media;

    /// <summary>The agent leg bridged when monitoring began: when it leaves the call (a transfer), so does the supervisor.</summary>
    public AgentLeg Agent { get; } = agent;

    public DateTimeOffset OfferedAt { get; } = offeredAt;

    /// <summary>The mode asked for; applied to the media once the phone answers, and at once after.</summary>
    public MonitorMix Mode { get; set; } = mode;

    /// <summary>Set when the supervisor's 2xx arrived.</summary>
    public SipDialog? Dialog { get; set; }

    public DateTimeOffset? AnsweredAt { get; set; }

    /// <summary>The INVITE got its final response (no CANCEL may follow).</summary>
    public bool Final { get; set; }

    /// <summary>We gave up on this leg (CANCEL or BYE sent): a late answer only gets its BYE.</summary>
    public bool Abandoned { get; set; }

    /// <summary>The caller's and the agent's audio on their way to the supervisor, while joined.</summary>
    public LiveAudio? FromCaller { get; set; }

    public LiveAudio? FromAgent { get; set; }

    /// <summary>The supervisor's audio on its way to the agent (whisper, barge) and to the caller (barge).</summary>
    public LiveAudio? ToAgent { get; set; }

    public LiveAudio? ToCaller { get; set; }
}
