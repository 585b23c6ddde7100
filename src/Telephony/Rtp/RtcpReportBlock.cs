using System.Buffers.Binary;

namespace CallCenter.Telephony.Rtp;

/// <summary>
/// One reception report block of an SR or RR (RFC 3550 6.4.1). <see cref="CumulativeLost"/> is a
/// 24-bit signed field on the wire (duplicates can make it negative); <see cref="Jitter"/> is in
/// timestamp units; <see cref="LastSenderReport"/> is the middle 32 bits of the last SR's NTP
/// timestamp and <see cref="DelaySinceLastSenderReport"/> is in units of 1/65536 s.
/// </summary>
public readonly record struct RtcpReportBlock(
    uint Ssrc,
    byte FractionLost,
    int CumulativeLost,
    uint ExtendedHighestSequence,
    uint Jitter,
    uint LastSenderReport,
    uint DelaySinceLastSenderReport)
{
    public const int Length = 24;

    /// <summary>The 24-bit signed range of the cumulative-lost field (RFC 3550 A.3 clamps to it).</summary>
    public const int MinCumulativeLost = -0x800000;

    public const int MaxCumulativeLost = 0x7FFFFF;

    internal static RtcpReportBlock Read(ReadOnlySpan<byte> source)
    {
        var lossWord = BinaryPrimitives.ReadUInt32BigEndian(source[4..]);

        // Sign-extend the low 24 bits.
        var cumulative = (int)(lossWord << 8) >> 8;
        return new RtcpReportBlock(
            BinaryPrimitives.ReadUInt32BigEndian(source),
            (byte)(lossWord >> 24),
            cumulative,
            BinaryPrimitives.ReadUInt32BigEndian(source[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[16..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[20..]));
    }

    internal void Write(Span<byte> destination)
    {
        var cumulative = Math.Clamp(CumulativeLost, MinCumulativeLost, MaxCumulativeLost);
        BinaryPrimitives.WriteUInt32BigEndian(destination, Ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ((uint)FractionLost << 24) | ((uint)cumulative & 0xFFFFFF));
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], ExtendedHighestSequence);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], Jitter);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], LastSenderReport);
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], DelaySinceLastSenderReport);
    }
}
