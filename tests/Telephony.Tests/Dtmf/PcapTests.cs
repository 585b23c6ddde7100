using System.Buffers.Binary;
using System.Net;
using CallCenter.TestSupport;

namespace CallCenter.Telephony.Tests.Dtmf;

public sealed class PcapTests
{
    private static readonly byte[] _payload = [0x80, 0x65, 0x00, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0x03, 0x0A, 0x00, 0xA0];

    [Test]
    public void ReadsSippsEthernetCaptureWithTimestampsAndAddresses()
    {
        var packets = Pcap.ReadUdp(SippDtmfCaptures.PathFor("0"));

        Assert.That(packets, Has.Count.EqualTo(10));
        Assert.That(packets[0].Source, Is.EqualTo(new IPEndPoint(IPAddress.Parse("192.168.0.3"), 49176)));
        Assert.That(packets[0].Destination, Is.EqualTo(new IPEndPoint(IPAddress.Parse("192.168.0.1"), 10000)));
        Assert.That(packets[0].Payload, Has.Length.EqualTo(16));
        var gap = packets[1].Timestamp - packets[0].Timestamp;
        Assert.That(gap.TotalMilliseconds, Is.EqualTo(20).Within(1), "updates every 20 ms");
    }

    [TestCase(113, false, false)]
    [TestCase(276, false, false)]
    [TestCase(101, false, false)]
    [TestCase(1, true, false)]
    [TestCase(1, false, true)]
    [TestCase(0, false, false)]
    public void ReadsEveryLinkTypeInEitherByteOrder(int linkType, bool bigEndian, bool nanoseconds)
    {
        var file = Capture(linkType, bigEndian, nanoseconds, LinkHeader(linkType, bigEndian), Ipv4Udp(_payload));

        var packets = Pcap.ReadUdp(file);

        Assert.That(packets, Has.Count.EqualTo(1));
        Assert.That(packets[0].Payload, Is.EqualTo(_payload));
        Assert.That(packets[0].Destination.Port, Is.EqualTo(4000));
        Assert.That(packets[0].Timestamp, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1_000_000).AddMilliseconds(250)));
    }

    [Test]
    public void ReadsThroughAVlanTag()
    {
        var header = new byte[18];
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(12), 0x8100);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(16), 0x0800);

        var packets = Pcap.ReadUdp(Capture(1, false, false, header, Ipv4Udp(_payload)));

        Assert.That(packets.Single().Payload, Is.EqualTo(_payload));
    }

    [Test]
    public void SkipsWhatIsNotIpv4UdpAndStopsAtACutOffRecord()
    {
        var tcp = Ipv4Udp(_payload);
        tcp[9] = 6;
        var file = Capture(101, false, false, [], tcp);
        var good = Capture(101, false, false, [], Ipv4Udp(_payload))[24..];
        var cutOff = good[..^3];

        var packets = Pcap.ReadUdp([.. file, .. good, .. cutOff]);

        Assert.That(packets, Has.Count.EqualTo(1));
    }

    [Test]
    public void RejectsFilesThatAreNotClassicPcap()
    {
        Assert.That(() => Pcap.ReadUdp((byte[])new byte[10]), Throws.TypeOf<InvalidDataException>());
        Assert.That(() => Pcap.ReadUdp((byte[])[0x0A, 0x0D, 0x0D, 0x0A, .. new byte[40]]), Throws.TypeOf<InvalidDataException>());
    }

    private static byte[] LinkHeader(int linkType, bool bigEndian)
    {
        switch (linkType)
        {
            case 1:
                var ethernet = new byte[14];
                BinaryPrimitives.WriteUInt16BigEndian(ethernet.AsSpan(12), 0x0800);
                return ethernet;
            case 113:
                var sll = new byte[16];
                BinaryPrimitives.WriteUInt16BigEndian(sll.AsSpan(14), 0x0800);
                return sll;
            case 276:
                var sll2 = new byte[20];
                BinaryPrimitives.WriteUInt16BigEndian(sll2, 0x0800);
                return sll2;
            case 0:
                var family = new byte[4];
                if (bigEndian)
                {
                    BinaryPrimitives.WriteUInt32BigEndian(family, 2);
                }
                else
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(family, 2);
                }

                return family;
            default:
                return [];
        }
    }

    private static byte[] Ipv4Udp(byte[] payload)
    {
        var packet = new byte[28 + payload.Length];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[8] = 64;
        packet[9] = 17;
        IPAddress.Loopback.TryWriteBytes(packet.AsSpan(12), out _);
        IPAddress.Loopback.TryWriteBytes(packet.AsSpan(16), out _);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(20), 3000);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(22), 4000);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(24), (ushort)(8 + payload.Length));
        payload.CopyTo(packet, 28);
        return packet;
    }

    private static byte[] Capture(int linkType, bool bigEndian, bool nanoseconds, byte[] linkHeader, byte[] ip)
    {
        var frame = linkHeader.Concat(ip).ToArray();
        var file = new byte[24 + 16 + frame.Length];
        void Write32(int at, uint value)
        {
            if (bigEndian)
            {
                BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(at), value);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(at), value);
            }
        }

        Write32(0, nanoseconds ? 0xA1B23C4D : 0xA1B2C3D4);
        file[bigEndian ? 5 : 4] = 2;
        file[bigEndian ? 7 : 6] = 4;
        Write32(16, 65535);
        Write32(20, (uint)linkType);
        Write32(24, 1_000_000);
        Write32(28, nanoseconds ? 250_000_000u : 250_000u);
        Write32(32, (uint)frame.Length);
        Write32(36, (uint)frame.Length);
        frame.CopyTo(file, 40);
        return file;
    }
}
