using System.Buffers.Binary;

namespace CallCenter.Telephony.Rtp;

/// <summary>
/// A validated view over one RTP datagram (RFC 3550 5.1). Parsing copies nothing and allocates
/// nothing; every accessor stays within the bounds <see cref="TryParse"/> checked.
/// </summary>
public readonly ref struct RtpPacket
{
    /// <summary>The fixed header: V, P, X, CC, M, PT, sequence, timestamp, SSRC (RFC 3550 5.1).</summary>
    public const int FixedHeaderLength = 12;

    /// <summary>The highest payload type the 7-bit field holds.</summary>
    public const int MaxPayloadType = 127;

    private readonly ReadOnlySpan<byte> _datagram;
    private readonly int _headerLength;
    private readonly int _paddingLength;

    private RtpPacket(ReadOnlySpan<byte> datagram, int headerLength, int paddingLength)
    {
        _datagram = datagram;
        _headerLength = headerLength;
        _paddingLength = paddingLength;
    }

    public int Version => _datagram[0] >> 6;

    public bool HasPadding => (_datagram[0] & 0x20) != 0;

    public bool HasExtension => (_datagram[0] & 0x10) != 0;

    public int CsrcCount => _datagram[0] & 0x0F;

    public bool Marker => (_datagram[1] & 0x80) != 0;

    public int PayloadType => _datagram[1] & 0x7F;

    public ushort SequenceNumber => BinaryPrimitives.ReadUInt16BigEndian(_datagram[2..]);

    public uint Timestamp => BinaryPrimitives.ReadUInt32BigEndian(_datagram[4..]);

    public uint Ssrc => BinaryPrimitives.ReadUInt32BigEndian(_datagram[8..]);

    /// <summary>Fixed header, CSRC list and header extension.</summary>
    public int HeaderLength => _headerLength;

    /// <summary>Padding octets at the end, including the count octet itself; 0 without the P bit.</summary>
    public int PaddingLength => _paddingLength;

    /// <summary>The whole datagram.</summary>
    public int Length => _datagram.Length;

    /// <summary>The payload without header and padding.</summary>
    public ReadOnlySpan<byte> Payload => _datagram[_headerLength..(_datagram.Length - _paddingLength)];

    /// <summary>The 16-bit profile-defined field of the header extension, or 0 without one (RFC 3550 5.3.1).</summary>
    public ushort ExtensionProfile =>
        HasExtension ? BinaryPrimitives.ReadUInt16BigEndian(_datagram[ExtensionStart..]) : (ushort)0;

    /// <summary>The header extension's data words, after its 4-octet header; empty without one.</summary>
    public ReadOnlySpan<byte> ExtensionData =>
        HasExtension ? _datagram[(ExtensionStart + 4).._headerLength] : [];

    private int ExtensionStart => FixedHeaderLength + (4 * CsrcCount);

    /// <summary>The contributing source at <paramref name="index"/> (0 ≤ index &lt; <see cref="CsrcCount"/>).</summary>
    public uint GetCsrc(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, CsrcCount);
        return BinaryPrimitives.ReadUInt32BigEndian(_datagram[(FixedHeaderLength + (4 * index))..]);
    }

    /// <summary>
    /// Parses and validates an RTP datagram. On failure <paramref name="packet"/> is default and
    /// <paramref name="error"/> names what is wrong; nothing here throws on hostile input.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out RtpPacket packet, out RtpParseError error)
    {
        packet = default;
        error = Validate(datagram, out var headerLength, out var paddingLength);
        if (error != RtpParseError.None)
        {
            return false;
        }

        packet = new RtpPacket(datagram, headerLength, paddingLength);
        return true;
    }

    private static RtpParseError Validate(ReadOnlySpan<byte> datagram, out int headerLength, out int paddingLength)
    {
        headerLength = 0;
        paddingLength = 0;
        if (datagram.Length < FixedHeaderLength)
        {
            return RtpParseError.TooShort;
        }

        var first = datagram[0];
        if (first >> 6 != 2)
        {
            return RtpParseError.BadVersion;
        }

        if (RtpDemultiplexer.IsRtcpSecondOctet(datagram[1]))
        {
            return RtpParseError.LooksLikeRtcp;
        }

        var length = FixedHeaderLength + (4 * (first & 0x0F));
        if (length > datagram.Length)
        {
            return RtpParseError.CsrcBeyondEnd;
        }

        if ((first & 0x10) != 0)
        {
            // RFC 3550 5.3.1: a 4-octet extension header whose length counts the 32-bit words after it.
            if (length + 4 > datagram.Length)
            {
                return RtpParseError.ExtensionBeyondEnd;
            }

            var words = BinaryPrimitives.ReadUInt16BigEndian(datagram[(length + 2)..]);
            length += 4 + (4 * words);
            if (length > datagram.Length)
            {
                return RtpParseError.ExtensionBeyondEnd;
            }
        }

        if ((first & 0x20) != 0)
        {
            // RFC 3550 5.1: the last octet counts the padding, itself included.
            if (length == datagram.Length)
            {
                return RtpParseError.PaddingOnEmptyPacket;
            }

            var count = datagram[^1];
            if (count == 0)
            {
                return RtpParseError.PaddingCountZero;
            }

            if (count > datagram.Length - length)
            {
                return RtpParseError.PaddingBeyondPayload;
            }

            paddingLength = count;
        }

        headerLength = length;
        return RtpParseError.None;
    }

    /// <summary>
    /// Writes a 12-octet header (version 2, no padding, extension or CSRC) for one of our packets;
    /// the payload goes right after it. Returns <see cref="FixedHeaderLength"/>.
    /// </summary>
    public static int WriteHeader(Span<byte> destination, int payloadType, bool marker, ushort sequenceNumber, uint timestamp, uint ssrc)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadType);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadType, MaxPayloadType);
        if (destination.Length < FixedHeaderLength)
        {
            throw new ArgumentException("The destination is shorter than an RTP header.", nameof(destination));
        }

        var second = (byte)((marker ? 0x80 : 0) | payloadType);
        if (RtpDemultiplexer.IsRtcpSecondOctet(second))
        {
            // RFC 5761 4: the peer would take it for RTCP.
            throw new ArgumentOutOfRangeException(nameof(payloadType), payloadType, "Payload types 64..95 with the marker bit collide with RTCP.");
        }

        destination[0] = 0x80;
        destination[1] = second;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], sequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], ssrc);
        return FixedHeaderLength;
    }

    /// <summary>Writes header and payload; returns the packet's length.</summary>
    public static int Write(Span<byte> destination, int payloadType, bool marker, ushort sequenceNumber, uint timestamp, uint ssrc, ReadOnlySpan<byte> payload)
    {
        if (destination.Length < FixedHeaderLength + payload.Length)
        {
            throw new ArgumentException("The destination is shorter than the packet.", nameof(destination));
        }

        var written = WriteHeader(destination, payloadType, marker, sequenceNumber, timestamp, ssrc);
        payload.CopyTo(destination[written..]);
        return written + payload.Length;
    }
}
