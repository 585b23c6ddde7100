using System.Buffers.Binary;
using System.Net;

namespace CallCenter.TestSupport;

/// <summary>One UDP datagram found in a capture.</summary>
public sealed record PcapUdpPacket(DateTimeOffset Timestamp, IPEndPoint Source, IPEndPoint Destination, byte[] Payload);

/// <summary>
/// A small reader for classic libpcap files (not pcapng): either byte order, microsecond or
/// nanosecond timestamps; link types Ethernet (with 802.1Q tags), BSD loopback, Linux cooked
/// (SLL and SLL2) and raw IP. Yields the IPv4 UDP payloads; everything else (IPv6, TCP,
/// fragments, truncated captures) is skipped.
/// </summary>
public static class Pcap
{
    private const uint MagicMicroseconds = 0xA1B2C3D4;
    private const uint MagicNanoseconds = 0xA1B23C4D;
    private const int FileHeaderSize = 24;
    private const int RecordHeaderSize = 16;

    private const int LinkNull = 0;
    private const int LinkEthernet = 1;
    private const int LinkRawOpenBsd = 12;
    private const int LinkRawLinux = 14;
    private const int LinkRaw = 101;
    private const int LinkLinuxSll = 113;
    private const int LinkIpv4 = 228;
    private const int LinkLinuxSll2 = 276;

    public static IReadOnlyList<PcapUdpPacket> ReadUdp(string path) => ReadUdp(File.ReadAllBytes(path));

    public static IReadOnlyList<PcapUdpPacket> ReadUdp(ReadOnlySpan<byte> file)
    {
        if (file.Length < FileHeaderSize)
        {
            throw new InvalidDataException("Not a pcap file: shorter than the 24-byte file header.");
        }

        var magic = BinaryPrimitives.ReadUInt32LittleEndian(file);
        bool bigEndian;
        bool nanoseconds;
        switch (magic)
        {
            case MagicMicroseconds: bigEndian = false; nanoseconds = false; break;
            case MagicNanoseconds: bigEndian = false; nanoseconds = true; break;
            default:
                var swapped = BinaryPrimitives.ReverseEndianness(magic);
                bigEndian = true;
                nanoseconds = swapped == MagicNanoseconds;
                if (swapped is not MagicMicroseconds and not MagicNanoseconds)
                {
                    throw new InvalidDataException($"Not a classic pcap file (magic 0x{magic:X8}; pcapng is not supported).");
                }

                break;
        }

        var linkType = (int)(ReadUInt32(file[20..], bigEndian) & 0x0FFFFFFF);
        var packets = new List<PcapUdpPacket>();
        var offset = FileHeaderSize;
        while (offset + RecordHeaderSize <= file.Length)
        {
            var record = file[offset..];
            var seconds = ReadUInt32(record, bigEndian);
            var fraction = ReadUInt32(record[4..], bigEndian);
            var included = ReadUInt32(record[8..], bigEndian);
            offset += RecordHeaderSize;
            if (included > file.Length - offset)
            {
                break; // the capture was cut off mid-record
            }

            var frame = file.Slice(offset, (int)included);
            offset += (int)included;

            var timestamp = DateTimeOffset.FromUnixTimeSeconds(seconds)
                .AddTicks(nanoseconds ? fraction / 100 : fraction * 10L);
            if (TryGetIpv4(frame, linkType, bigEndian, out var ip) && TryReadUdp(ip, timestamp, out var packet))
            {
                packets.Add(packet);
            }
        }

        return packets;
    }

    private static uint ReadUInt32(ReadOnlySpan<byte> data, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(data) : BinaryPrimitives.ReadUInt32LittleEndian(data);

    private static bool TryGetIpv4(ReadOnlySpan<byte> frame, int linkType, bool bigEndian, out ReadOnlySpan<byte> ip)
    {
        ip = default;
        int etherType;
        switch (linkType)
        {
            case LinkEthernet:
                if (frame.Length < 14)
                {
                    return false;
                }

                var at = 12;
                etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[at..]);
                while (etherType is 0x8100 or 0x88A8 && frame.Length >= at + 6)
                {
                    at += 4; // 802.1Q / 802.1ad tag
                    etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[at..]);
                }

                ip = frame[(at + 2)..];
                break;
            case LinkLinuxSll:
                if (frame.Length < 16)
                {
                    return false;
                }

                etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[14..]);
                ip = frame[16..];
                break;
            case LinkLinuxSll2:
                if (frame.Length < 20)
                {
                    return false;
                }

                etherType = BinaryPrimitives.ReadUInt16BigEndian(frame);
                ip = frame[20..];
                break;
            case LinkNull:
                if (frame.Length < 4)
                {
                    return false;
                }

                // The address family is in the capturing host's byte order; AF_INET is 2 everywhere.
                var family = ReadUInt32(frame, bigEndian);
                etherType = family == 2 ? 0x0800 : 0;
                ip = frame[4..];
                break;
            case LinkRaw or LinkRawOpenBsd or LinkRawLinux or LinkIpv4:
                etherType = frame.Length > 0 && frame[0] >> 4 == 4 ? 0x0800 : 0;
                ip = frame;
                break;
            default:
                throw new InvalidDataException($"pcap link type {linkType} is not supported.");
        }

        return etherType == 0x0800;
    }

    private static bool TryReadUdp(ReadOnlySpan<byte> ip, DateTimeOffset timestamp, out PcapUdpPacket packet)
    {
        packet = null!;
        if (ip.Length < 20 || ip[0] >> 4 != 4)
        {
            return false;
        }

        var headerLength = (ip[0] & 0x0F) * 4;
        var totalLength = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
        var fragment = BinaryPrimitives.ReadUInt16BigEndian(ip[6..]);
        var moreFragments = (fragment & 0x2000) != 0;
        if (headerLength < 20 || totalLength < headerLength || totalLength > ip.Length
            || ip[9] != 17 || moreFragments || (fragment & 0x1FFF) != 0)
        {
            return false;
        }

        var udp = ip[headerLength..totalLength];
        if (udp.Length < 8)
        {
            return false;
        }

        var udpLength = BinaryPrimitives.ReadUInt16BigEndian(udp[4..]);
        if (udpLength < 8 || udpLength > udp.Length)
        {
            return false;
        }

        var source = new IPEndPoint(new IPAddress(ip.Slice(12, 4)), BinaryPrimitives.ReadUInt16BigEndian(udp));
        var destination = new IPEndPoint(new IPAddress(ip.Slice(16, 4)), BinaryPrimitives.ReadUInt16BigEndian(udp[2..]));
        packet = new PcapUdpPacket(timestamp, source, destination, udp[8..udpLength].ToArray());
        return true;
    }
}
