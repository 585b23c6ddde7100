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
}
