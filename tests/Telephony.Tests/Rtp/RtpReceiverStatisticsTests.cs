using CallCenter.Telephony.Rtp;
using CallCenter.TestSupport;

namespace CallCenter.Telephony.Tests.Rtp;

/// <summary>
/// RFC 3550 appendix A scenarios computed by hand. Packets carry 20 ms of 8 kHz audio (160
/// timestamp units); unless a test says otherwise they arrive with a constant delay.
/// </summary>
public sealed class RtpReceiverStatisticsTests
{
    private const uint Source = 0x55667788;
    private const uint Delay = 1234;

    private readonly ManualTimeProvider _time = new();

    private RtpReceiverStatistics NewStatistics() => new(Source, _time);

    private static bool Feed(RtpReceiverStatistics stats, int sequence, uint delay = Delay)
    {
        var timestamp = unchecked((uint)sequence * 160);
        return stats.Update(unchecked((ushort)sequence), timestamp, unchecked(timestamp + delay));
    }

    private static List<bool> FeedAll(RtpReceiverStatistics stats, IEnumerable<int> sequences) =>
        sequences.Select(s => Feed(stats, s)).ToList();

    private static RtcpReportBlock Report(RtpReceiverStatistics stats)
    {
        Assert.That(stats.TryCreateReportBlock(out var block), Is.True);
        return block;
    }

    [Test]
    public void InOrderStreamHasNoLossAndTheFirstPacketServesProbation()
    {
        var stats = NewStatistics();

        var counted = FeedAll(stats, Enumerable.Range(1000, 100));
        var block = Report(stats);

        // A.1: packet 1000 starts probation, 1001 ends it and becomes the base: 99 received, 99 expected.
        Assert.That(counted[0], Is.False);
        Assert.That(counted.Skip(1), Is.All.True);
        Assert.That(stats.PacketsReceived, Is.EqualTo(99));
        Assert.That(stats.PacketsExpected, Is.EqualTo(99));
        Assert.That(block, Is.EqualTo(new RtcpReportBlock(Source, 0, 0, 1099, 0, 0, 0)));
    }

    [Test]
    public void NoReportBlockWhileTheSourceIsOnProbation()
    {
        var stats = NewStatistics();
        var before = stats.TryCreateReportBlock(out _);
        Feed(stats, 7);

        Assert.That(before, Is.False);
        Assert.That(stats.IsValid, Is.False);
        Assert.That(stats.TryCreateReportBlock(out _), Is.False);
    }

    [Test]
    public void ProbationRestartsWhenTheSecondPacketIsNotSequential()
    {
        var stats = NewStatistics();

        var counted = FeedAll(stats, [0, 5, 6, 7]);

        // 0 starts probation, 5 breaks it (one more needed), 6 completes it and is the base.
        Assert.That(counted, Is.EqualTo(new[] { false, false, true, true }));
        Assert.That(Report(stats), Is.EqualTo(new RtcpReportBlock(Source, 0, 0, 7, 0, 0, 0)));
    }

    [Test]
    public void LostPacketsShowInCumulativeLossAndInTheIntervalsFraction()
    {
        var stats = NewStatistics();

        // Interval 1: 0..99 without 10, 11, 12. Base 1, highest 99: expected 99, received 96, lost 3;
        // fraction = (3 << 8) / 99 = 768 / 99 = 7.
        FeedAll(stats, Enumerable.Range(0, 100).Where(s => s is < 10 or > 12));
        var first = Report(stats);

        // Interval 2: 100..149 all there: fraction 0, cumulative still 3.
        FeedAll(stats, Enumerable.Range(100, 50));
        var second = Report(stats);

        // Interval 3: 150..199 without five: fraction = (5 << 8) / 50 = 25, cumulative 8.
        FeedAll(stats, Enumerable.Range(150, 50).Where(s => s is not (160 or 170 or 180 or 190 or 195)));
        var third = Report(stats);

        Assert.That((first.FractionLost, first.CumulativeLost, first.ExtendedHighestSequence), Is.EqualTo(((byte)7, 3, 99u)));
        Assert.That((second.FractionLost, second.CumulativeLost, second.ExtendedHighestSequence), Is.EqualTo(((byte)0, 3, 149u)));
        Assert.That((third.FractionLost, third.CumulativeLost, third.ExtendedHighestSequence), Is.EqualTo(((byte)25, 8, 199u)));
    }

    [Test]
    public void ReorderedPacketIsCountedLateAndTheLossItLeftDisappears()
    {
        var stats = NewStatistics();
        FeedAll(stats, [0, 1, 2, 3, 5]);

        // Before 4 arrives: base 1, highest 5 -> expected 5, received 4.
        var lostBefore = stats.CumulativeLost;
        var late = Feed(stats, 4);
        FeedAll(stats, [6, 7]);

        Assert.That(lostBefore, Is.EqualTo(1));
        Assert.That(late, Is.True);
        Assert.That(stats.CumulativeLost, Is.Zero);
        Assert.That(stats.ExtendedHighestSequence, Is.EqualTo(7));
        Assert.That(stats.PacketsReceived, Is.EqualTo(7));
    }

    [Test]
    public void DuplicatesMakeCumulativeLossNegativeAndFractionZero()
    {
        var stats = NewStatistics();

        // 1..9 counted (9), then 5 twice more: received 11, expected 9 -> lost -2.
        FeedAll(stats, [.. Enumerable.Range(0, 10), 5, 5]);
        var block = Report(stats);

        Assert.That(block.CumulativeLost, Is.EqualTo(-2));
        Assert.That(block.FractionLost, Is.Zero);
        Assert.That(block.ExtendedHighestSequence, Is.EqualTo(9));
    }

    [Test]
    public void SequenceWrapAt65535AddsACycle()
    {
        var stats = NewStatistics();

        // 65530 probation, base 65531; then 65532..65535, 0..9 without 65535 and 0.
        FeedAll(stats, Enumerable.Range(65530, 16).Select(s => s % 65536).Where(s => s is not (65535 or 0)));
        var block = Report(stats);

        // Highest 9 in cycle 1: 65536 + 9 = 65545; expected 65545 - 65531 + 1 = 15; received 13.
        Assert.That(block.ExtendedHighestSequence, Is.EqualTo(65545));
        Assert.That(stats.PacketsExpected, Is.EqualTo(15));
        Assert.That(block.CumulativeLost, Is.EqualTo(2));
    }

    [Test]
    public void LargeJumpIsIgnoredOnceAndResynchronisesOnTheNextSequentialPacket()
    {
        var stats = NewStatistics();
        FeedAll(stats, Enumerable.Range(0, 50));
        Report(stats);

        // The source restarts at 40000 (a jump of 39951 > MAX_DROPOUT): 40000 is held back,
        // 40001 confirms it and becomes the new base; counts start again.
        var counted = FeedAll(stats, Enumerable.Range(40000, 11));
        var block = Report(stats);

        Assert.That(counted[0], Is.False);
        Assert.That(counted.Skip(1), Is.All.True);
        Assert.That(stats.PacketsReceived, Is.EqualTo(10));
        Assert.That(block.ExtendedHighestSequence, Is.EqualTo(40010));
        Assert.That(block.CumulativeLost, Is.Zero);
        Assert.That(block.FractionLost, Is.Zero);
    }

    [Test]
    public void StrayPacketFarAwayIsIgnoredAndTheStreamContinues()
    {
        var stats = NewStatistics();
        FeedAll(stats, Enumerable.Range(0, 50));

        var counted = FeedAll(stats, [40000, 30000, 50, 51]);

        // Neither jump is confirmed by its successor, so the old stream's numbering stands.
        Assert.That(counted, Is.EqualTo(new[] { false, false, true, true }));
        Assert.That(stats.ExtendedHighestSequence, Is.EqualTo(51));
        Assert.That(stats.PacketsReceived, Is.EqualTo(51));
        Assert.That(stats.CumulativeLost, Is.Zero);
    }

    [Test]
    public void PacketWithinMisorderBehindTheHighestIsLateNotARestart()
    {
        var stats = NewStatistics();
        FeedAll(stats, Enumerable.Range(0, 300).Where(s => s != 150));

        // 150 is 149 behind: more than MAX_MISORDER (100), so it is a "bad" jump, not counted.
        var farBehind = Feed(stats, 150);
        var nearBehind = Feed(stats, 250);

        Assert.That(farBehind, Is.False);
        Assert.That(nearBehind, Is.True);
    }

    [Test]
    public void ConstantDelayGivesZeroJitter()
    {
        var stats = NewStatistics();

        // Arrival times near the top of the 32-bit range wrap, which must not look like a delay change.
        foreach (var s in Enumerable.Range(0, 200))
        {
            stats.Update((ushort)s, (uint)s * 160, unchecked(((uint)s * 160) + 0xFFFFFF00));
        }

        Assert.That(stats.Jitter, Is.Zero);
        Assert.That(Report(stats).Jitter, Is.Zero);
    }

    [Test]
    public void AlternatingTenMillisecondDelayConvergesToTwentyMillisecondsOfJitter()
    {
        var stats = NewStatistics();
        var seen = new List<uint>();

        // Delay 1000 ± 80 units (±10 ms at 8 kHz): every transit differs from the last by |D| = 160.
        // Packet 0 is probation, packet 1 sets the first transit, then J_n = 160 (1 - (15/16)^n):
        // J_1 = 10, J_2 = 19.375, J_99 = 159.73.
        for (var s = 0; s < 101; s++)
        {
            Feed(stats, s, s % 2 == 0 ? 1080u : 920u);
            seen.Add(stats.Jitter);
        }

        Assert.That(seen[2], Is.EqualTo(10));
        Assert.That(seen[3], Is.EqualTo(19));
        Assert.That(seen[100], Is.EqualTo(160));
        Assert.That(seen.Skip(2).Zip(seen.Skip(3)).All(p => p.First <= p.Second), Is.True, "monotone approach");
    }

    [Test]
    public void LastSenderReportAndDelaySinceItComeFromTheSourcesSr()
    {
        var stats = NewStatistics();
        FeedAll(stats, Enumerable.Range(0, 10));
        var beforeSr = Report(stats);

        stats.OnSenderReport(0x12345678_9ABCDEF0);
        _time.Advance(TimeSpan.FromMilliseconds(1500));
        var afterSr = Report(stats);

        Assert.That((beforeSr.LastSenderReport, beforeSr.DelaySinceLastSenderReport), Is.EqualTo((0u, 0u)));

        // Middle 32 bits of the NTP timestamp; 1.5 s in 1/65536 s is 98304.
        Assert.That(afterSr.LastSenderReport, Is.EqualTo(0x56789ABC));
        Assert.That(afterSr.DelaySinceLastSenderReport, Is.EqualTo(98304));
    }

    [Test]
    public void ArrivalTimeConvertsToTimestampUnitsAndWraps()
    {
        Assert.That(RtpReceiverStatistics.ToTimestampUnits(TimeSpan.FromMilliseconds(20), 8000), Is.EqualTo(160));
        Assert.That(RtpReceiverStatistics.ToTimestampUnits(TimeSpan.FromSeconds(1), 48000), Is.EqualTo(48000));

        // 2^32 / 8000 s = 536870.912 s: one unit past it wraps to 1.
        Assert.That(RtpReceiverStatistics.ToTimestampUnits(TimeSpan.FromTicks(536870_912_0000 + 1250), 8000), Is.EqualTo(1));
    }
}
