using CallCenter.Telephony.Media;
using CallCenter.Telephony.Rtp;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// A supervisor's phone called into a bridged agent call (listen, whisper, barge): our INVITE (kept
/// for CANCEL), where it went, its media, the agent leg it joined and the relays that feed it and
/// that it feeds. Changed only by its call's loop.
/// </summary>
internal sealed class MonitorLeg(string extension, SipRequest invite, SipRemote destination, RtpSession media, AgentLeg agent, MonitorMix mode, DateTimeOffset offeredAt)
    : OutgoingLeg(extension, invite, destination, media, offeredAt)
{
    /// <summary>The agent leg bridged when monitoring began: when it leaves the call (a transfer), so does the supervisor.</summary>
    public AgentLeg Agent { get; } = agent;

    /// <summary>The mode asked for; applied to the media once the phone answers, and at once after.</summary>
    public MonitorMix Mode { get; set; } = mode;

    /// <summary>The caller's and the agent's audio on their way to the supervisor, while joined.</summary>
    public LiveAudio? FromCaller { get; set; }

    public LiveAudio? FromAgent { get; set; }

    /// <summary>The supervisor's audio on its way to the agent (whisper, barge) and to the caller (barge).</summary>
    public LiveAudio? ToAgent { get; set; }

    public LiveAudio? ToCaller { get; set; }

    public override string Describe() => $"supervisor {Extension}";
}
