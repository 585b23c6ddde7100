using System.Net;
using System.Net.Sockets;
using CallCenter.Telephony.Codecs;
using CallCenter.Telephony.Media;
using CallCenter.Telephony.Rtp;
using CallCenter.TestSupport;

namespace CallCenter.Telephony.Tests.Rtp;

/// <summary>The per-packet paths run 50 times a second per call; they must not allocate.</summary>
public sealed class RtpAllocationTests
{
    [Test]
    public void ParsingRtpAndUpdatingStatisticsDoesNotAllocate()
    {
        var stats = new RtpReceiverStatistics(0x01020304, new ManualTimeProvider());
        var sender = new RtpSenderStatistics();
        var buffer = new byte[172];
        var payload = new byte[160];

        var checksum = Run(1, 100);
        var before = GC.GetAllocatedBytesForCurrentThread();
        checksum += Run(101, 10_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero);
        Assert.That(stats.PacketsReceived, Is.EqualTo(10_099));
        // Every packet but the first, which serves probation.
        Assert.That(checksum, Is.EqualTo(10_099 * 160));

        long Run(int first, int count)
        {
            long sum = 0;
            for (var s = first; s < first + count; s++)
            {
                var length = RtpPacket.Write(buffer, 0, false, (ushort)s, (uint)s * 160, 0x01020304, payload);
                sender.OnPacketSent(payload.Length);
                if (RtpDemultiplexer.Classify(buffer.AsSpan(0, length)) == RtpPacketKind.Rtp
                    && RtpPacket.TryParse(buffer.AsSpan(0, length), out var packet, out _)
                    && stats.Update(packet, (uint)s * 160))
                {
                    sum += packet.Payload.Length;
                }
            }

            return sum;
        }
    }

    [Test]
    public void WritingAndParsingACompoundRtcpPacketDoesNotAllocate()
    {
        var buffer = new byte[256];
        var info = new RtcpSenderInfo(1, 2, 3, 4);
        var block = new RtcpReportBlock(5, 6, 7, 8, 9, 10, 11);

        var checksum = Run();
        var before = GC.GetAllocatedBytesForCurrentThread();
        checksum += Run();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero);
        Assert.That(checksum, Is.EqualTo(2 * 5 * 3));

        long Run()
        {
            var writer = new RtcpCompoundWriter(buffer);
            Span<RtcpReportBlock> blocks = [block];
            Span<uint> sources = [5u];
            writer.WriteSenderReport(5, info, blocks);
            writer.WriteSourceDescription(5, "callcenter@example"u8);
            writer.WriteGoodbye(sources, "hangup"u8);
            long sum = 0;
            if (RtcpCompoundPacket.TryParse(writer.Written, out var compound, out _))
            {
                foreach (var packet in compound)
                {
                    sum += packet.Type switch
                    {
                        RtcpPacketType.SenderReport => packet.GetReportBlock(0).Ssrc,
                        RtcpPacketType.SourceDescription => packet.TryGetCname(out var ssrc, out _) ? ssrc : 0,
                        RtcpPacketType.Goodbye => packet.GetGoodbyeSource(0),
                        _ => 0,
                    };
                }
            }

            return sum;
        }
    }

    [Test]
    public async Task AClockTickOfASessionOnHoldAllocatesNothingRtcpReportsIncluded()
    {
        // A caller waiting in the queue: a real session on loopback playing music on hold, ticked as the media
        // clock does (one frame every tick, an RTCP report every 2-6 s of ticks), its peer's RTCP port listening.
        var (peerRtp, peerRtcp) = BoundPair();
        using var rtp = peerRtp;
        using var rtcp = peerRtcp;
        var ports = new RtpPortAllocator(new RtpOptions { PortMin = 47900, PortMax = 47999 });
        await using var session = RtpSession.Open(ports, IPAddress.Loopback, (IPEndPoint)rtp.LocalEndPoint!, new RtpMediaFormat(8, G711Law.ALaw, null), new RtpCounters(), TimeProvider.System)!;
        session.Player.SetBackground(new AudioClip("moh", Enumerable.Range(0, 8000).Select(i => (short)(i % 200 * 50)).ToArray()));

        long tick = 0;
        for (; tick < 500; tick++)
        {
            session.OnTick(tick);
        }

        var reportsBefore = Drain(rtcp);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (; tick < 3500; tick++)
        {
            session.OnTick(tick);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        await Task.Delay(100);
        var reports = Drain(rtcp);

        Assert.That(reports, Is.GreaterThanOrEqualTo(5), $"a report every 2-6 s of the 60 s ticked (and {reportsBefore} before)");
        Assert.That(allocated, Is.Zero, $"3,000 ticks with {reports} RTCP reports");
    }

    /// <summary>Two UDP sockets on loopback ports P and P + 1 (the peer's RTP and RTCP).</summary>
    private static (Socket Rtp, Socket Rtcp) BoundPair()
    {
        for (var attempt = 0; ; attempt++)
        {
            var rtp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            rtp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var rtcp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                rtcp.Bind(new IPEndPoint(IPAddress.Loopback, ((IPEndPoint)rtp.LocalEndPoint!).Port + 1));
                return (rtp, rtcp);
            }
            catch (SocketException) when (attempt < 20)
            {
                rtp.Dispose();
                rtcp.Dispose();
            }
        }
    }

    private static int Drain(Socket socket)
    {
        var buffer = new byte[1500];
        var count = 0;
        while (socket.Available > 0)
        {
            socket.Receive(buffer);
            count++;
        }

        return count;
    }
}
