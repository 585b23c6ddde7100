using CallCenter.Telephony.Rtp;

namespace CallCenter.Telephony.Tests.Rtp;

public sealed class RtcpTimingTests
{
    private static readonly DateTimeOffset _unixEpoch = new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void NtpTimestampCountsSecondsFrom1900WithABinaryFraction()
    {
        // 70 years with 17 leap days: (70 * 365 + 17) * 86400 = 2208988800 s.
        Assert.That(NtpTimestamp.FromDateTimeOffset(new DateTimeOffset(1900, 1, 1, 0, 0, 0, TimeSpan.Zero)), Is.Zero);
        Assert.That(NtpTimestamp.FromDateTimeOffset(_unixEpoch), Is.EqualTo(2208988800UL << 32));
        Assert.That(NtpTimestamp.FromDateTimeOffset(_unixEpoch.AddMilliseconds(500)), Is.EqualTo((2208988800UL << 32) | 0x80000000));
        Assert.That(NtpTimestamp.FromDateTimeOffset(_unixEpoch.AddMilliseconds(250)), Is.EqualTo((2208988800UL << 32) | 0x40000000));
    }

    [Test]
    public void NtpSecondsWrapIn2036()
    {
        // Era 1 starts at 2^32 s after 1900: 2036-02-07 06:28:16 UTC.
        var era1 = new DateTimeOffset(2036, 2, 7, 6, 28, 16, TimeSpan.Zero);

        Assert.That(NtpTimestamp.FromDateTimeOffset(era1.AddSeconds(3)), Is.EqualTo(3UL << 32));
    }

    [Test]
    public void RoundTripTimeFollowsTheRfc3550Example()
    {
        // RFC 3550 6.4.1, figure 2: A = 0xb710:8000, LSR = 0xb705:2000, DLSR = 0x0005:4000 -> 6.125 s.
        var block = new RtcpReportBlock(1, 0, 0, 0, 0, 0xB7052000, 0x00054000);
        var arrival = 0xB7108000UL << 16;

        Assert.That(NtpTimestamp.RoundTripTime(arrival, block), Is.EqualTo(TimeSpan.FromMilliseconds(6125)));
        Assert.That(NtpTimestamp.RoundTripTime(arrival, block with { LastSenderReport = 0 }), Is.Null);
    }

    [Test]
    public void DelayUnitsAreSixtyFifthThousandthsOfASecondAndSaturate()
    {
        Assert.That(NtpTimestamp.ToShortUnits(TimeSpan.FromSeconds(5.25)), Is.EqualTo(0x00054000));
        Assert.That(NtpTimestamp.ToShortUnits(TimeSpan.FromSeconds(-1)), Is.Zero);
        Assert.That(NtpTimestamp.ToShortUnits(TimeSpan.FromDays(2)), Is.EqualTo(uint.MaxValue));
    }

    [Test]
    public void SenderStatisticsCountPacketsAndPayloadOctetsForTheSr()
    {
        var stats = new RtpSenderStatistics();
        stats.OnPacketSent(160);
        stats.OnPacketSent(160);
        stats.OnPacketSent(80);

        var info = stats.CreateSenderInfo(_unixEpoch.AddMilliseconds(500), 0x1F40);
        stats.Reset();

        Assert.That(info, Is.EqualTo(new RtcpSenderInfo((2208988800UL << 32) | 0x80000000, 0x1F40, 3, 400)));
        Assert.That((stats.PacketsSent, stats.OctetsSent), Is.EqualTo((0L, 0L)));
    }

    [Test]
    public void TwoPartyCallUsesTheFiveSecondMinimumAndHalfOfItInitially()
    {
        // 64 kbit/s session -> 5 % = 400 octets/s; two members, both senders: 25 % rule does not apply
        // (2 > 0.5), so Td = 100 * 2 / 400 = 0.5 s, raised to the minimum.
        Assert.That(RtcpInterval.Deterministic(2, 2, 400, weSent: true, 100, initial: false), Is.EqualTo(TimeSpan.FromSeconds(5)));
        Assert.That(RtcpInterval.Deterministic(2, 2, 400, weSent: true, 100, initial: true), Is.EqualTo(TimeSpan.FromSeconds(2.5)));
    }

    [Test]
    public void LargeSessionSplitsBandwidthBetweenSendersAndReceivers()
    {
        // 1000 members, 1 sender. A receiver: 75 % of 400 = 300 octets/s over 999 members:
        // 100 * 999 / 300 = 333 s. The sender: 25 % = 100 octets/s for 1 sender: 1 s -> 5 s.
        Assert.That(RtcpInterval.Deterministic(1000, 1, 400, weSent: false, 100, initial: false), Is.EqualTo(TimeSpan.FromSeconds(333)));
        Assert.That(RtcpInterval.Deterministic(1000, 1, 400, weSent: true, 100, initial: false), Is.EqualTo(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public void RandomisationStaysWithinHalfAndOneAndAHalfTimes()
    {
        var td = TimeSpan.FromSeconds(5);
        var random = new Random(42);
        var samples = Enumerable.Range(0, 1000).Select(_ => RtcpInterval.Next(2, 2, 400, true, 100, false, random)).ToList();

        Assert.That(RtcpInterval.Randomize(td, 0), Is.EqualTo(TimeSpan.FromSeconds(2.5)));
        Assert.That(RtcpInterval.Randomize(td, 0.5), Is.EqualTo(td));
        Assert.That(() => RtcpInterval.Randomize(td, 1.0), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(samples, Is.All.InRange(TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(7.5)));
        Assert.That(samples.Distinct().Count(), Is.GreaterThan(900));
    }

    [Test]
    public void AverageRtcpSizeMovesASixteenthTowardsEachPacket()
    {
        Assert.That(RtcpInterval.UpdateAverageSize(100, 260), Is.EqualTo(110));
        Assert.That(RtcpInterval.UpdateAverageSize(100, 100), Is.EqualTo(100));
    }
}
