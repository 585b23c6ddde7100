namespace CallCenter.Telephony.Rtp;

/// <summary>Why a datagram is not a well-formed compound RTCP packet (RFC 3550 6.1, 6.4-6.6, A.2).</summary>
public enum RtcpParseError
{
    /// <summary>The packet parsed.</summary>
    None,

    /// <summary>Fewer than the 4 octets of a common header where a packet should start.</summary>
    TooShort,

    /// <summary>A packet whose version field is not 2.</summary>
    BadVersion,

    /// <summary>A length field that runs past the end of the datagram.</summary>
    LengthBeyondDatagram,

    /// <summary>The first packet is not SR or RR (RFC 3550 6.1, A.2).</summary>
    FirstPacketNotReport,

    /// <summary>A packet other than the last has the P bit set (RFC 3550 6.4.1, A.2).</summary>
    PaddingNotLast,

    /// <summary>The padding count is 0; it counts itself, so it is at least 1.</summary>
    PaddingCountZero,

    /// <summary>The padding count is larger than the packet's body.</summary>
    PaddingBeyondPacket,

    /// <summary>An SR shorter than SSRC plus sender info, or an RR shorter than its SSRC.</summary>
    ReportTooShort,

    /// <summary>The report count names more report blocks than the packet's length holds.</summary>
    ReportBlocksBeyondLength,

    /// <summary>An SDES chunk or item runs past the packet, or a chunk lacks its null terminator (RFC 3550 6.5).</summary>
    SourceDescriptionBeyondLength,

    /// <summary>The BYE source count names more SSRCs than the packet holds (RFC 3550 6.6).</summary>
    GoodbyeSourcesBeyondLength,

    /// <summary>The BYE reason's length octet runs past the packet (RFC 3550 6.6).</summary>
    GoodbyeReasonBeyondLength,
}
