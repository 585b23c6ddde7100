namespace CallCenter.Telephony.Rtp;

/// <summary>What a datagram on an RTP/RTCP port is, by its first two octets.</summary>
public enum RtpPacketKind
{
    /// <summary>Not version 2 or too short: neither RTP nor RTCP (STUN, DTLS, junk).</summary>
    Unknown,

    /// <summary>An RTP data packet.</summary>
    Rtp,

    /// <summary>An RTCP packet (or compound packet).</summary>
    Rtcp,
}
