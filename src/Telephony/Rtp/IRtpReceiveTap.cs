namespace CallCenter.Telephony.Rtp;

/// <summary>
/// Sees the audio a leg receives while it is not bridged (the caller's voice in the IVR, which goes
/// nowhere else): each packet's payload as it arrives, never an RFC 4733 event. Called on a receive
/// thread: must not block.
/// </summary>
public interface IRtpReceiveTap
{
    /// <summary><paramref name="payload"/> is in <paramref name="session"/>'s law (<see cref="RtpSession.Format"/>).</summary>
    void OnReceived(RtpSession session, ReadOnlySpan<byte> payload);
}
