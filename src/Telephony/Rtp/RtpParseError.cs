namespace CallCenter.Telephony.Rtp;

/// <summary>Why a datagram is not a well-formed RTP packet (RFC 3550 5.1, A.1).</summary>
public enum RtpParseError
{
    /// <summary>The packet parsed.</summary>
    None,

    /// <summary>Fewer than the 12 octets of the fixed header.</summary>
    TooShort,

    /// <summary>The version field is not 2.</summary>
    BadVersion,

    /// <summary>The CSRC count names more identifiers than the datagram holds.</summary>
    CsrcBeyondEnd,

    /// <summary>The X bit is set but the header extension (or its length) runs past the datagram.</summary>
    ExtensionBeyondEnd,

    /// <summary>The P bit is set but nothing follows the header to carry the padding count.</summary>
    PaddingOnEmptyPacket,

    /// <summary>The padding count is 0; it counts itself, so it is at least 1.</summary>
    PaddingCountZero,

    /// <summary>The padding count is larger than what follows the header.</summary>
    PaddingBeyondPayload,

    /// <summary>
    /// The second octet is 192..223 (payload type 64..95 with the marker), which RFC 5761 4 gives to
    /// RTCP on a shared port; classify with <see cref="RtpDemultiplexer"/> first.
    /// </summary>
    LooksLikeRtcp,
}
