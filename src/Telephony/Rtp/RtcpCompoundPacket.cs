using System.Buffers.Binary;

namespace CallCenter.Telephony.Rtp;

/// <summary>
/// A validated compound RTCP packet (RFC 3550 6.1): one or more packets back to back, the first an
/// SR or RR. <see cref="TryParse"/> checks every length, count and padding so that enumeration and
/// the <see cref="RtcpPacket"/> accessors stay in bounds; it allocates nothing. Unknown packet
/// types (APP, feedback, XR) are kept and can be skipped (RFC 3550 6: ignore what you do not know).
/// A missing SDES CNAME is not rejected, since the A.2 validity check does not require it and SR
/// timing is still useful; <see cref="HasCname"/> says whether it was there.
/// </summary>
public readonly ref struct RtcpCompoundPacket
{
    private readonly ReadOnlySpan<byte> _datagram;

    private RtcpCompoundPacket(ReadOnlySpan<byte> datagram, int packetCount, bool hasCname)
    {
        _datagram = datagram;
        PacketCount = packetCount;
        HasCname = hasCname;
    }

    public int PacketCount { get; }

    /// <summary>Whether an SDES packet carries a CNAME item (RFC 3550 6.1 asks every compound packet to).</summary>
    public bool HasCname { get; }

    public Enumerator GetEnumerator() => new(_datagram);

    public static bool TryParse(ReadOnlySpan<byte> datagram, out RtcpCompoundPacket packet, out RtcpParseError error)
    {
        packet = default;
        var at = 0;
        var count = 0;
        var hasCname = false;
        while (at < datagram.Length)
        {
            var rest = datagram[at..];
            if (rest.Length < RtcpPacket.HeaderLength)
            {
                error = RtcpParseError.TooShort;
                return false;
            }

            if (rest[0] >> 6 != 2)
            {
                error = RtcpParseError.BadVersion;
                return false;
            }

            // RFC 3550 6.4.1: the length is in 32-bit words minus one, header and padding included.
            var length = 4 * (BinaryPrimitives.ReadUInt16BigEndian(rest[2..]) + 1);
            if (length > rest.Length)
            {
                error = RtcpParseError.LengthBeyondDatagram;
                return false;
            }

            if (count == 0 && rest[1] is not ((byte)RtcpPacketType.SenderReport or (byte)RtcpPacketType.ReceiverReport))
            {
                error = RtcpParseError.FirstPacketNotReport;
                return false;
            }

            error = ValidateOne(rest[..length], isLast: length == rest.Length, out var paddingLength);
            if (error != RtcpParseError.None)
            {
                return false;
            }

            var one = new RtcpPacket(rest[..length], paddingLength);
            if (one.Type == RtcpPacketType.SourceDescription && !hasCname)
            {
                hasCname = one.TryGetCname(out _, out _);
            }

            at += length;
            count++;
        }

        if (count == 0)
        {
            error = RtcpParseError.TooShort;
            return false;
        }

        packet = new RtcpCompoundPacket(datagram, count, hasCname);
        error = RtcpParseError.None;
        return true;
    }

    private static RtcpParseError ValidateOne(ReadOnlySpan<byte> packet, bool isLast, out int paddingLength)
    {
        paddingLength = 0;
        if ((packet[0] & 0x20) != 0)
        {
            // RFC 3550 6.4.1: only the last packet of a compound packet may be padded.
            if (!isLast)
            {
                return RtcpParseError.PaddingNotLast;
            }

            paddingLength = packet[^1];
            if (paddingLength == 0)
            {
                return RtcpParseError.PaddingCountZero;
            }

            if (paddingLength > packet.Length - RtcpPacket.HeaderLength)
            {
                return RtcpParseError.PaddingBeyondPacket;
            }
        }

        var body = packet[RtcpPacket.HeaderLength..^paddingLength];
        var count = packet[0] & 0x1F;
        return packet[1] switch
        {
            (byte)RtcpPacketType.SenderReport => ValidateReport(body, RtcpPacket.SenderReportFixedLength, count),
            (byte)RtcpPacketType.ReceiverReport => ValidateReport(body, 4, count),
            (byte)RtcpPacketType.SourceDescription => ValidateSourceDescription(body, count),
            (byte)RtcpPacketType.Goodbye => ValidateGoodbye(body, count),
            _ => RtcpParseError.None,
        };
    }

    private static RtcpParseError ValidateReport(ReadOnlySpan<byte> body, int fixedLength, int blocks)
    {
        if (body.Length < fixedLength)
        {
            return RtcpParseError.ReportTooShort;
        }

        // RFC 3550 6.4.1: profile-specific extensions may follow the blocks, so longer is fine.
        return fixedLength + (RtcpReportBlock.Length * blocks) > body.Length
            ? RtcpParseError.ReportBlocksBeyondLength
            : RtcpParseError.None;
    }

    private static RtcpParseError ValidateSourceDescription(ReadOnlySpan<byte> body, int chunks)
    {
        // RFC 3550 6.5: each chunk is an SSRC/CSRC, items (type, length, text), then one or more
        // null octets up to the next 32-bit boundary.
        var at = 0;
        for (var chunk = 0; chunk < chunks; chunk++)
        {
            at += 4;
            while (true)
            {
                if (at >= body.Length)
                {
                    return RtcpParseError.SourceDescriptionBeyondLength;
                }

                if (body[at] == 0)
                {
                    break;
                }

                if (at + 2 > body.Length || at + 2 + body[at + 1] > body.Length)
                {
                    return RtcpParseError.SourceDescriptionBeyondLength;
                }

                at += 2 + body[at + 1];
            }

            at = RtcpPacket.AlignAfterTerminator(at);
            if (at > body.Length)
            {
                return RtcpParseError.SourceDescriptionBeyondLength;
            }
        }

        return RtcpParseError.None;
    }

    private static RtcpParseError ValidateGoodbye(ReadOnlySpan<byte> body, int sources)
    {
        var at = 4 * sources;
        if (at > body.Length)
        {
            return RtcpParseError.GoodbyeSourcesBeyondLength;
        }

        // RFC 3550 6.6: an optional length-prefixed reason follows the sources.
        return at < body.Length && at + 1 + body[at] > body.Length
            ? RtcpParseError.GoodbyeReasonBeyondLength
            : RtcpParseError.None;
    }

    /// <summary>Walks the packets <see cref="TryParse"/> validated.</summary>
    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> _datagram;
        private int _next;
        private RtcpPacket _current;

        internal Enumerator(ReadOnlySpan<byte> datagram)
        {
            _datagram = datagram;
        }

        public readonly RtcpPacket Current => _current;

        public bool MoveNext()
        {
            if (_next >= _datagram.Length)
            {
                return false;
            }

            var rest = _datagram[_next..];
            var length = 4 * (BinaryPrimitives.ReadUInt16BigEndian(rest[2..]) + 1);
            var padding = (rest[0] & 0x20) != 0 ? rest[length - 1] : 0;
            _current = new RtcpPacket(rest[..length], padding);
            _next += length;
            return true;
        }
    }
}
