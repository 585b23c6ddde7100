namespace CallCenter.Telephony.Rtp;

/// <summary>Sees each 20 ms frame a leg produces. Called on the media clock's thread: must not block.</summary>
public interface IRtpFrameTap
{
    /// <summary><paramref name="payload"/> is in <paramref name="session"/>'s law (<see cref="RtpSession.Format"/>).</summary>
    void OnFrame(RtpSession session, ReadOnlySpan<byte> payload);
}
