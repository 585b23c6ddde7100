namespace CallCenter.Telephony.Rtp;

/// <summary>Tells RTP from RTCP when both share one port (RFC 5761 4).</summary>
public static class RtpDemultiplexer
{
    /// <summary>
    /// RFC 5761 4: RTCP packet types 192..223 sit where RTP would carry payload types 64..95 with
    /// the marker bit set, a range RTP must not use when multiplexing; anything else of version 2
    /// is RTP. Both need at least 4 octets to be told apart (the RTCP common header).
    /// </summary>
    public static RtpPacketKind Classify(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length < 4 || datagram[0] >> 6 != 2)
        {
            return RtpPacketKind.Unknown;
        }

        return IsRtcpSecondOctet(datagram[1]) ? RtpPacketKind.Rtcp : RtpPacketKind.Rtp;
    }

    internal static bool IsRtcpSecondOctet(byte value) => value is >= 192 and <= 223;
}
