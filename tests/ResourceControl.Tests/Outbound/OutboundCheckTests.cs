using CallCenter.ResourceControl.Outbound;

namespace CallCenter.ResourceControl.Tests.Outbound;

/// <summary>The rules a placed call passes before its INVITE leaves: the do-not-call list, then the calling hours (08:00-21:00 Shanghai).</summary>
public sealed class OutboundCheckTests
{
    private static readonly OutboundOptions _options = new();
    private static readonly DialableNumber _number = DialPlan.Normalize("13900000021", new DialingOptions()).Number!;

    // 10:00 and 22:30 in Shanghai (UTC+8).
    private static readonly DateTimeOffset _day = new(2026, 12, 4, 2, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset _night = new(2026, 12, 4, 14, 30, 0, TimeSpan.Zero);

    [Test]
    public void ANumberOnTheDoNotCallListIsRefusedWithItsReasonEvenForARiskNotice()
    {
        var decision = OutboundCheck.Decide(_number, "client asked", _options.Quiet(), riskNotice: true, _day);
        Assert.Multiple(() =>
        {
            Assert.That(decision.Block, Is.EqualTo(OutboundBlock.DoNotCall));
            Assert.That(decision.Reason, Does.Contain("+8613900000021").And.Contain("client asked"));
        });
    }

    [Test]
    public void InTheCallingHoursTheCallGoes() =>
        Assert.That(OutboundCheck.Decide(_number, null, _options.Quiet(), riskNotice: false, _day), Is.EqualTo(new OutboundDecision(OutboundBlock.None, null, null, false)));

    [Test]
    public void AtNightTheCallWaitsUntilEightInTheMorningLocalTime()
    {
        var decision = OutboundCheck.Decide(_number, null, _options.Quiet(), riskNotice: false, _night);
        Assert.Multiple(() =>
        {
            Assert.That(decision.Block, Is.EqualTo(OutboundBlock.QuietHours));
            Assert.That(decision.NextAllowed, Is.EqualTo(new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.FromHours(8))));
            Assert.That(decision.Reason, Does.Contain("calling hours (08:00-21:00 Asia/Shanghai)"));
        });
    }

    [Test]
    public void ARiskNoticeOverridesTheQuietHoursAndSaysSo() =>
        Assert.That(OutboundCheck.Decide(_number, null, _options.Quiet(), riskNotice: true, _night), Is.EqualTo(new OutboundDecision(OutboundBlock.None, null, null, true)));

    [Test]
    public void TheSameStartAndEndMeansAnyHour() =>
        Assert.That(OutboundCheck.Decide(_number, null, new OutboundOptions { CallingHoursStart = "00:00", CallingHoursEnd = "00:00" }.Quiet(), riskNotice: false, _night).Allowed, Is.True);

    [Test]
    public void BadCallingHoursAndTimeZonesAreNamedByTheirKey()
    {
        var errors = new OutboundOptions { CallingHoursStart = "8am", TimeZone = "Mars/Olympus" }.Validate().ToList();
        Assert.That(errors, Has.Some.Contains("Outbound:CallingHoursStart").And.Some.Contains("Outbound:TimeZone"));
    }
}
