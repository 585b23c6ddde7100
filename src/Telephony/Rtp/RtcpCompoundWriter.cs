using System.Buffers.Binary;

namespace CallCenter.Telephony.Rtp;

/// <summary>
/// Builds one compound RTCP packet into a caller's buffer without allocating (RFC 3550 6.1):
/// first an SR or RR, then an SDES with our CNAME, optionally a BYE last. Misuse (a buffer too
/// small, too many blocks, SDES or BYE first) throws, since it is a bug on our side, not input.
/// </summary>
public ref struct RtcpCompoundWriter
{
    /// <summary>The report count field has 5 bits (RFC 3550 6.4.1).</summary>
    public const int MaxReportBlocks = 31;

    private readonly Span<byte> _destination;
    private int _length;
    private bool _hasCname;

    public RtcpCompoundWriter(Span<byte> destination)
    {
        _destination = destination;
    }

    /// <summary>Octets written so far.</summary>
    public readonly int Length => _length;

    /// <summary>The compound packet so far.</summary>
    public readonly ReadOnlySpan<byte> Written => _destination[.._length];

    /// <summary>Starts with a report and carries a CNAME, as RFC 3550 6.1 requires of every compound packet.</summary>
    public readonly bool IsComplete => _length > 0 && _hasCname;

    public void WriteSenderReport(uint ssrc, in RtcpSenderInfo info, scoped ReadOnlySpan<RtcpReportBlock> blocks)
    {
        var packet = Begin(RtcpPacketType.SenderReport, blocks.Length, RtcpPacket.SenderReportFixedLength + (RtcpReportBlock.Length * blocks.Length));
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(packet[8..], info.NtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet[16..], info.RtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet[20..], info.PacketCount);
        BinaryPrimitives.WriteUInt32BigEndian(packet[24..], info.OctetCount);
        WriteBlocks(packet[(RtcpPacket.HeaderLength + RtcpPacket.SenderReportFixedLength)..], blocks);
    }

    public void WriteReceiverReport(uint ssrc, scoped ReadOnlySpan<RtcpReportBlock> blocks)
    {
        var packet = Begin(RtcpPacketType.ReceiverReport, blocks.Length, 4 + (RtcpReportBlock.Length * blocks.Length));
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], ssrc);
        WriteBlocks(packet[8..], blocks);
    }

    /// <summary>An SDES with one chunk holding the CNAME item (RFC 3550 6.5.1), 1..255 octets of UTF-8.</summary>
    public void WriteSourceDescription(uint ssrc, scoped ReadOnlySpan<byte> cname)
    {
        ArgumentOutOfRangeException.ThrowIfZero(cname.Length, nameof(cname));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cname.Length, byte.MaxValue, nameof(cname));

        // SSRC, item type and length, text, then at least one null octet up to a 32-bit boundary.
        var body = (4 + 2 + cname.Length + 4) & ~3;
        var packet = Begin(RtcpPacketType.SourceDescription, 1, body);
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], ssrc);
        packet[8] = RtcpPacket.CnameItem;
        packet[9] = (byte)cname.Length;
        cname.CopyTo(packet[10..]);
        packet[(10 + cname.Length)..].Clear();
        _hasCname = true;
    }

    /// <summary>A BYE for <paramref name="sources"/> with an optional UTF-8 reason of at most 255 octets (RFC 3550 6.6).</summary>
    public void WriteGoodbye(scoped ReadOnlySpan<uint> sources, scoped ReadOnlySpan<byte> reason)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(reason.Length, byte.MaxValue, nameof(reason));
        var reasonLength = reason.IsEmpty ? 0 : (1 + reason.Length + 3) & ~3;
        var packet = Begin(RtcpPacketType.Goodbye, sources.Length, (4 * sources.Length) + reasonLength);
        var at = RtcpPacket.HeaderLength;
        foreach (var source in sources)
        {
            BinaryPrimitives.WriteUInt32BigEndian(packet[at..], source);
            at += 4;
        }

        if (!reason.IsEmpty)
        {
            packet[at] = (byte)reason.Length;
            reason.CopyTo(packet[(at + 1)..]);
            packet[(at + 1 + reason.Length)..].Clear();
        }
    }

    /// <summary>Reserves one packet with its common header written; returns the packet's span.</summary>
    private Span<byte> Begin(RtcpPacketType type, int count, int bodyLength)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxReportBlocks, nameof(count));
        if (_length == 0 && type is not (RtcpPacketType.SenderReport or RtcpPacketType.ReceiverReport))
        {
            throw new InvalidOperationException("RFC 3550 6.1: a compound RTCP packet starts with an SR or RR.");
        }

        var length = RtcpPacket.HeaderLength + bodyLength;
        if (_destination.Length - _length < length)
        {
            throw new InvalidOperationException("The RTCP buffer is too small for this packet.");
        }

        var packet = _destination.Slice(_length, length);
        packet[0] = (byte)(0x80 | count);
        packet[1] = (byte)type;
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], (ushort)((length / 4) - 1));
        _length += length;
        return packet;
    }

    private static void WriteBlocks(Span<byte> destination, ReadOnlySpan<RtcpReportBlock> blocks)
    {
        for (var i = 0; i < blocks.Length; i++)
        {
            blocks[i].Write(destination[(RtcpReportBlock.Length * i)..]);
        }
    }
}
