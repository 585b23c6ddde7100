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
    public MonitorMix Mode { get; private set; } = mode;

    /// <summary>The caller's and the agent's audio on their way to the supervisor, while joined.</summary>
    public LiveAudio? FromCaller { get; private set; }

    public LiveAudio? FromAgent { get; private set; }

    /// <summary>The supervisor's audio on its way to the agent (whisper, barge) and to the caller (barge).</summary>
    public LiveAudio? ToAgent { get; private set; }

    public LiveAudio? ToCaller { get; private set; }

    /// <summary>The supervisor asked for another mode (listen, whisper, barge).</summary>
    public void Switch(MonitorMix mode) => Mode = mode;

    /// <summary>
    /// The buffers for <see cref="Mode"/>: the caller's and the agent's audio to the supervisor are kept for the leg's life, the
    /// supervisor's voice gets fresh buffers for the parties the mode lets hear it, so a mode switched back never plays stale audio.
    /// </summary>
    public void Rewire()
    {
        FromCaller ??= new LiveAudio();
        FromAgent ??= new LiveAudio();
        ToAgent = MonitorRouting.Hears(Mode, MonitorParty.Agent, MonitorParty.Supervisor) ? new LiveAudio() : null;
        ToCaller = MonitorRouting.Hears(Mode, MonitorParty.Caller, MonitorParty.Supervisor) ? new LiveAudio() : null;
    }

    public override string Describe() => $"supervisor {Extension}";
}
