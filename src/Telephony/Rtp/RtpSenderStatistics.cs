namespace CallCenter.Telephony.Rtp;

/// <summary>
/// What we sent on one SSRC, for the sender info of our SRs (RFC 3550 6.4.1). Safe to update from
/// the media clock while the RTCP timer reads it.
/// </summary>
public sealed class RtpSenderStatistics
{
    private long _packets;
    private long _octets;

    public long PacketsSent => Interlocked.Read(ref _packets);

    /// <summary>Payload octets sent, excluding header and padding (RFC 3550 6.4.1).</summary>
    public long OctetsSent => Interlocked.Read(ref _octets);

    public void OnPacketSent(int payloadLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        Interlocked.Increment(ref _packets);
        Interlocked.Add(ref _octets, payloadLength);
    }

    /// <summary>
    /// The SR sender info for the instant <paramref name="wallClock"/>, whose RTP timestamp (same
    /// instant, in the media clock) the caller supplies. The counts wrap at 2^32 as the fields do.
    /// </summary>
    public RtcpSenderInfo CreateSenderInfo(DateTimeOffset wallClock, uint rtpTimestamp) =>
        new(NtpTimestamp.FromDateTimeOffset(wallClock), rtpTimestamp, unchecked((uint)PacketsSent), unchecked((uint)OctetsSent));

    /// <summary>Starts again at zero, as RFC 3550 6.4.1 asks when our SSRC changes.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _packets, 0);
        Interlocked.Exchange(ref _octets, 0);
    }
}
