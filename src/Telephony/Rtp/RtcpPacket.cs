using System.Buffers.Binary;

namespace CallCenter.Telephony.Rtp;

/// <summary>
/// One packet of a compound RTCP packet, as <see cref="RtcpCompoundPacket"/> validated it
/// (RFC 3550 6.4-6.6). Accessors for a type other than this packet's throw
/// <see cref="InvalidOperationException"/>; unknown types expose only their header and body.
/// </summary>
public readonly ref struct RtcpPacket
{
    /// <summary>The common header: V, P, count, packet type, length (RFC 3550 6.4.1).</summary>
    public const int HeaderLength = 4;

    /// <summary>SSRC of sender plus the 20-octet sender info of an SR.</summary>
    internal const int SenderReportFixedLength = 24;

    internal const byte CnameItem = 1;

    private readonly ReadOnlySpan<byte> _packet;
    private readonly int _paddingLength;

    internal RtcpPacket(ReadOnlySpan<byte> packet, int paddingLength)
    {
        _packet = packet;
        _paddingLength = paddingLength;
    }

    public RtcpPacketType Type => (RtcpPacketType)_packet[1];

    /// <summary>The 5-bit count: report blocks (SR, RR) or sources (SDES chunks, BYE).</summary>
    public int Count => _packet[0] & 0x1F;

    public bool HasPadding => (_packet[0] & 0x20) != 0;

    /// <summary>The whole packet, header and padding included.</summary>
    public int Length => _packet.Length;

    /// <summary>What follows the common header, padding removed.</summary>
    public ReadOnlySpan<byte> Body => _packet[HeaderLength..(_packet.Length - _paddingLength)];

    /// <summary>The SSRC of the sender of an SR or RR.</summary>
    public uint SenderSsrc
    {
        get
        {
            Require(Type is RtcpPacketType.SenderReport or RtcpPacketType.ReceiverReport);
            return BinaryPrimitives.ReadUInt32BigEndian(Body);
        }
    }

    /// <summary>The sender info of an SR.</summary>
    public RtcpSenderInfo SenderInfo
    {
        get
        {
            Require(Type == RtcpPacketType.SenderReport);
            var body = Body;
            return new RtcpSenderInfo(
                BinaryPrimitives.ReadUInt64BigEndian(body[4..]),
                BinaryPrimitives.ReadUInt32BigEndian(body[12..]),
                BinaryPrimitives.ReadUInt32BigEndian(body[16..]),
                BinaryPrimitives.ReadUInt32BigEndian(body[20..]));
        }
    }

    /// <summary>The report block at <paramref name="index"/> of an SR or RR (0 ≤ index &lt; <see cref="Count"/>).</summary>
    public RtcpReportBlock GetReportBlock(int index)
    {
        var start = Type switch
        {
            RtcpPacketType.SenderReport => SenderReportFixedLength,
            RtcpPacketType.ReceiverReport => 4,
            _ => throw new InvalidOperationException("Only SR and RR carry report blocks."),
        };
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return RtcpReportBlock.Read(Body[(start + (RtcpReportBlock.Length * index))..]);
    }

    /// <summary>The source at <paramref name="index"/> that a BYE says goodbye for.</summary>
    public uint GetGoodbyeSource(int index)
    {
        Require(Type == RtcpPacketType.Goodbye);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return BinaryPrimitives.ReadUInt32BigEndian(Body[(4 * index)..]);
    }

    /// <summary>The reason text (UTF-8) of a BYE, empty when it has none (RFC 3550 6.6).</summary>
    public ReadOnlySpan<byte> GoodbyeReason
    {
        get
        {
            Require(Type == RtcpPacketType.Goodbye);
            var body = Body;
            var at = 4 * Count;
            return at < body.Length ? body.Slice(at + 1, body[at]) : [];
        }
    }

    /// <summary>The first CNAME item (RFC 3550 6.5.1) of an SDES, with the SSRC of its chunk.</summary>
    public bool TryGetCname(out uint ssrc, out ReadOnlySpan<byte> cname)
    {
        Require(Type == RtcpPacketType.SourceDescription);
        var body = Body;
        var at = 0;
        for (var chunk = 0; chunk < Count; chunk++)
        {
            var chunkSsrc = BinaryPrimitives.ReadUInt32BigEndian(body[at..]);
            at += 4;
            while (body[at] != 0)
            {
                var length = body[at + 1];
                if (body[at] == CnameItem)
                {
                    ssrc = chunkSsrc;
                    cname = body.Slice(at + 2, length);
                    return true;
                }

                at += 2 + length;
            }

            at = AlignAfterTerminator(at);
        }

        ssrc = 0;
        cname = [];
        return false;
    }

    /// <summary>The offset of the next chunk after the null octet at <paramref name="at"/> (RFC 3550 6.5: chunks are 32-bit aligned).</summary>
    internal static int AlignAfterTerminator(int at) => (at + 4) & ~3;

    private static void Require(bool condition)
    {
        if (!condition)
        {
            throw new InvalidOperationException("This accessor does not apply to this RTCP packet type.");
        }
    }
}
