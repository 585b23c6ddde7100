using CallCenter.ResourceControl.Metrics;

namespace CallCenter.ResourceControl.Tests.Metrics;

public sealed class LocalDayTests
{
    private static readonly TimeZoneInfo _shanghai = TimeZoneInfo.CreateCustomTimeZone("UTC+8", TimeSpan.FromHours(8), "UTC+8", "UTC+8");

    [Test]
    public void ADayStartsAtLocalMidnight()
    {
        var start = LocalDay.Start(new DateOnly(2026, 11, 22), _shanghai);

        Assert.That(start, Is.EqualTo(new DateTimeOffset(2026, 11, 21, 16, 0, 0, TimeSpan.Zero)));
        Assert.That(start.Offset, Is.EqualTo(TimeSpan.FromHours(8)));
    }

    [Test]
    public void TodayIsTheLocalDateNotTheUtcDate()
    {
        var now = new DateTimeOffset(2026, 11, 21, 17, 0, 0, TimeSpan.Zero);

        Assert.That(LocalDay.Of(now, _shanghai), Is.EqualTo(new DateOnly(2026, 11, 22)));
    }

    [Test]
    public void ADayWithAClockChangeIsShorter()
    {
        // A zone that moves clocks from 00:00 to 01:00 on 2026-03-29: that day starts at 01:00 and has 23 hours.
        var rule = TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(
            new DateTime(2026, 1, 1),
            new DateTime(2026, 12, 31),
            TimeSpan.FromHours(1),
            TimeZoneInfo.TransitionTime.CreateFixedDateRule(new DateTime(1, 1, 1, 0, 0, 0), 3, 29),
            TimeZoneInfo.TransitionTime.CreateFixedDateRule(new DateTime(1, 1, 1, 3, 0, 0), 10, 25));
        var zone = TimeZoneInfo.CreateCustomTimeZone("test", TimeSpan.Zero, "test", "test", "test-summer", [rule]);

        var start = LocalDay.Start(new DateOnly(2026, 3, 29), zone);
        var next = LocalDay.Start(new DateOnly(2026, 3, 30), zone);

        Assert.That(start, Is.EqualTo(new DateTimeOffset(2026, 3, 29, 0, 0, 0, TimeSpan.Zero)));
        Assert.That(next - start, Is.EqualTo(TimeSpan.FromHours(23)));
    }
}
