namespace CallCenter.Telephony.Rtp;

/// <summary>
/// Sees the audio a leg sends: each 20 ms frame it produces on the media clock, or each packet it
/// relays at once (<see cref="RtpSession.RelayTo"/>), on the receiving thread, with silence for
/// the gaps in the sender's timestamps. Must not block.
/// </summary>
public interface IRtpFrameTap
{
    /// <summary><paramref name="payload"/> is in <paramref name="session"/>'s law (<see cref="RtpSession.Format"/>).</summary>
    void OnFrame(RtpSession session, ReadOnlySpan<byte> payload);
}
