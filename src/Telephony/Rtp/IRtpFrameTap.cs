namespace CallCenter.Telephony.Rtp;

/// <summary>
/// Sees each 20 ms frame a leg produces on the media clock (also while its peer's packets are sent
/// on as they arrive, <see cref="RtpSession.RelayTo"/>). Called on the clock's thread: must not block.
/// </summary>
public interface IRtpFrameTap
{
    /// <summary><paramref name="payload"/> is in <paramref name="session"/>'s law (<see cref="RtpSession.Format"/>).</summary>
    void OnFrame(RtpSession session, ReadOnlySpan<byte> payload);
}
