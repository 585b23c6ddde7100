using System.Buffers.Binary;
using CallCenter.TestSupport;

namespace CallCenter.Telephony.Tests.Dtmf;

/// <summary>The RFC 4733 captures sipp ships (package sip-tester), read as RTP packets.</summary>
internal static class SippDtmfCaptures
{
    public const string Folder = "/usr/share/sip-tester";

    public static string PathFor(string name)
    {
        var path = Path.Combine(Folder, $"dtmf_2833_{name}.pcap");
        if (!File.Exists(path))
        {
            Assert.Fail($"{path} is missing: install sipp's captures with `apt-get install -y sip-tester`.");
        }

        return path;
    }

    public static IReadOnlyList<RtpView> Read(string name) =>
        [.. Pcap.ReadUdp(PathFor(name)).Select(p => RtpView.Parse(p.Payload))];
}

/// <summary>Just enough of an RTP header (RFC 3550 5.1) for the tests; the real parser is elsewhere.</summary>
internal sealed record RtpView(bool Marker, int PayloadType, ushort SequenceNumber, uint Timestamp, byte[] Payload)
{
    public static RtpView Parse(byte[] datagram)
    {
        Assert.That(datagram.Length, Is.GreaterThanOrEqualTo(12));
        Assert.That(datagram[0] >> 6, Is.EqualTo(2), "RTP version");
        var headerLength = 12 + ((datagram[0] & 0x0F) * 4);
        if ((datagram[0] & 0x10) != 0)
        {
            headerLength += 4 + (BinaryPrimitives.ReadUInt16BigEndian(datagram.AsSpan(headerLength + 2)) * 4);
        }

        var end = datagram.Length;
        if ((datagram[0] & 0x20) != 0)
        {
            end -= datagram[^1];
        }

        return new RtpView(
            (datagram[1] & 0x80) != 0,
            datagram[1] & 0x7F,
            BinaryPrimitives.ReadUInt16BigEndian(datagram.AsSpan(2)),
            BinaryPrimitives.ReadUInt32BigEndian(datagram.AsSpan(4)),
            datagram[headerLength..end]);
    }
}
