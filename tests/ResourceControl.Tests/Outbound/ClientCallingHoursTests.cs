using CallCenter.Data.Catalog;
using CallCenter.ResourceControl.Outbound;

namespace CallCenter.ResourceControl.Tests.Outbound;

/// <summary>
/// The client's own calling hours on top of the platform's (08:00-21:00 Shanghai, a zone without daylight saving): a call
/// goes only when both allow, and otherwise waits for the first moment they both do.
/// </summary>
public sealed class ClientCallingHoursTests
{
    private static readonly TimeSpan _shanghai = TimeSpan.FromHours(8);
    private static readonly DialableNumber _number = DialPlan.Normalize("13900000021", new DialingOptions()).Number!;
    private static readonly FaxSms.Broadcasts.QuietHours _platform = new OutboundOptions().Quiet();

    private static DateTimeOffset At(int day, int hour, int minute = 0) => new(2026, 12, day, hour, minute, 0, _shanghai);

    private static ClientCallHours Hours(string text) => ClientCallHours.Parse(text).Hours!;

    // A client window inside the platform's: 14:00-16:00.
    [TestCase("14:00-16:00", 4, 10, 0, 4, 14, 0, TestName = "Inside: before it, the same day's start")]
    [TestCase("14:00-16:00", 4, 15, 59, 4, 15, 59, TestName = "Inside: within it, at once")]
    [TestCase("14:00-16:00", 4, 16, 0, 5, 14, 0, TestName = "Inside: at its end, the next day's start")]
    [TestCase("14:00-16:00", 4, 22, 30, 5, 14, 0, TestName = "Inside: at night, the client's start, not the platform's 08:00")]
    [TestCase("14:00-16:00", 4, 3, 0, 4, 14, 0, TestName = "Inside: after midnight, that day's start")]

    // A client window across midnight overlapping both ends of the platform's: 20:00-09:00 meets it at 08:00-09:00 and 20:00-21:00.
    [TestCase("20:00-09:00", 4, 10, 0, 4, 20, 0, TestName = "Across midnight: mid-morning, the evening's overlap")]
    [TestCase("20:00-09:00", 4, 8, 30, 4, 8, 30, TestName = "Across midnight: in the morning overlap, at once")]
    [TestCase("20:00-09:00", 4, 20, 30, 4, 20, 30, TestName = "Across midnight: in the evening overlap, at once")]
    [TestCase("20:00-09:00", 4, 21, 30, 5, 8, 0, TestName = "Across midnight: after 21:00, the platform's 08:00")]
    [TestCase("20:00-09:00", 4, 2, 0, 4, 8, 0, TestName = "Across midnight: at 02:00, the platform's 08:00 the same day")]

    // A client window overlapping the platform's start: 06:00-10:00 meets it at 08:00-10:00.
    [TestCase("06:00-10:00", 4, 6, 30, 4, 8, 0, TestName = "Overlapping: in the client's hours before the platform's, the platform's start")]
    [TestCase("06:00-10:00", 4, 11, 0, 5, 8, 0, TestName = "Overlapping: after it, the next morning's platform start")]

    // A client window overlapping the platform's end, across midnight: 19:00-01:00 meets it at 19:00-21:00.
    [TestCase("19:00-01:00", 4, 22, 0, 5, 19, 0, TestName = "Overlapping the end: after 21:00 within the client's, the next evening")]
    [TestCase("19:00-01:00", 4, 19, 0, 4, 19, 0, TestName = "Overlapping the end: at its start, at once")]
    public void TheCallWaitsForTheFirstMomentBothAllow(string client, int day, int hour, int minute, int nextDay, int nextHour, int nextMinute)
    {
        var next = OutboundCheck.NextAllowed(_platform, Hours(client), At(day, hour, minute));

        Assert.That(next, Is.EqualTo(At(nextDay, nextHour, nextMinute)));
        Assert.That(next!.Value.Offset, Is.EqualTo(_shanghai), "in the platform's zone, for the reason's words");
    }

    [TestCase("22:00-07:00")]
    [TestCase("06:00-08:00")] // touches the platform's start, never inside it (the hours end before their end time)
    [TestCase("21:00-08:00")]
    public void HoursThatNeverMeetThePlatformsHaveNoNextMoment(string client) =>
        Assert.That(OutboundCheck.NextAllowed(_platform, Hours(client), At(4, 10)), Is.Null);

    [Test]
    public void WithThePlatformCallingAtAnyHourTheClientsHoursAloneDecide()
    {
        var anyHour = new OutboundOptions { CallingHoursStart = "00:00", CallingHoursEnd = "00:00" }.Quiet();

        Assert.That(OutboundCheck.NextAllowed(anyHour, Hours("22:00-07:00"), At(4, 10)), Is.EqualTo(At(4, 22)));
        Assert.That(OutboundCheck.NextAllowed(anyHour, Hours("22:00-07:00"), At(4, 3)), Is.EqualTo(At(4, 3)));
    }

    [Test]
    public void WithinThePlatformsHoursButOutsideTheClientsTheCallIsBlockedNamingTheClientsHours()
    {
        var decision = OutboundCheck.Decide(_number, null, _platform, riskNotice: false, At(4, 10), Hours("14:00-16:00"));

        Assert.Multiple(() =>
        {
            Assert.That(decision.Block, Is.EqualTo(OutboundBlock.ClientHours));
            Assert.That(decision.Waits, Is.True);
            Assert.That(decision.NextAllowed, Is.EqualTo(At(4, 14)));
            Assert.That(decision.Reason, Does.Contain("outside the client's calling hours (14:00-16:00 Asia/Shanghai)").And.Contain("2026-12-04 14:00"));
        });
    }

    [Test]
    public void OutsideBothTheCallWaitsForTheClientsStartNotThePlatformsMorning()
    {
        var decision = OutboundCheck.Decide(_number, null, _platform, riskNotice: false, At(4, 22, 30), Hours("14:00-16:00"));

        Assert.Multiple(() =>
        {
            Assert.That(decision.Block, Is.EqualTo(OutboundBlock.QuietHours));
            Assert.That(decision.NextAllowed, Is.EqualTo(At(5, 14)));
            Assert.That(decision.Reason, Does.Contain("08:00-21:00 Asia/Shanghai, and the client's own 14:00-16:00"));
        });
    }

    [Test]
    public void InsideBothTheCallGoes() =>
        Assert.That(OutboundCheck.Decide(_number, null, _platform, riskNotice: false, At(4, 15), Hours("14:00-16:00")), Is.EqualTo(new OutboundDecision(OutboundBlock.None, null, null, false)));

    [Test]
    public void ARiskNoticeGoesOutsideTheClientsHoursAndSaysWhoseItOverrode()
    {
        var day = OutboundCheck.Decide(_number, null, _platform, riskNotice: true, At(4, 10), Hours("14:00-16:00"));
        var night = OutboundCheck.Decide(_number, null, _platform, riskNotice: true, At(4, 23), Hours("14:00-16:00"));

        Assert.That((day.Allowed, day.QuietHoursOverridden, day.ClientHoursOverridden), Is.EqualTo((true, false, true)));
        Assert.That((night.Allowed, night.QuietHoursOverridden, night.ClientHoursOverridden), Is.EqualTo((true, true, true)));
    }

    [Test]
    public void TheDoNotCallListStillComesFirst() =>
        Assert.That(OutboundCheck.Decide(_number, "asked", _platform, riskNotice: true, At(4, 15), Hours("14:00-16:00")).Block, Is.EqualTo(OutboundBlock.DoNotCall));

    [Test]
    public void HoursThatNeverMeetThePlatformsAreSetAsideForThePlatformsAloneAndTheDecisionSaysSo()
    {
        var day = OutboundCheck.Decide(_number, null, _platform, riskNotice: false, At(4, 10), Hours("22:00-07:00"));
        var night = OutboundCheck.Decide(_number, null, _platform, riskNotice: false, At(4, 23), Hours("22:00-07:00"));

        Assert.Multiple(() =>
        {
            Assert.That((day.Allowed, day.ClientHoursIgnored), Is.EqualTo((true, true)), "never waiting for ever");
            Assert.That((night.Block, night.NextAllowed, night.ClientHoursIgnored), Is.EqualTo((OutboundBlock.QuietHours, (DateTimeOffset?)At(5, 8), true)));
        });
    }

    [TestCase("14:00-16:00", 14, 0, 16, 0)]
    [TestCase(" 20:00 - 09:00 ", 20, 0, 9, 0)]
    public void HoursAreReadAsHHmmDashHHmm(string text, int startHour, int startMinute, int endHour, int endMinute) =>
        Assert.That(ClientCallHours.Parse(text), Is.EqualTo(((ClientCallHours?)new ClientCallHours(new TimeOnly(startHour, startMinute), new TimeOnly(endHour, endMinute)), (string?)null)));

    [TestCase("14:00", "must be HH:mm-HH:mm")]
    [TestCase("14:00-16:00-18:00", "must be HH:mm-HH:mm")]
    [TestCase("2pm-4pm", "must be HH:mm-HH:mm")]
    [TestCase("24:00-08:00", "must be HH:mm-HH:mm")]
    [TestCase("09:00-09:00", "different times")]
    public void AnythingElseIsRefusedWithTheReason(string text, string reason)
    {
        var (hours, error) = ClientCallHours.Parse(text);

        Assert.That(hours, Is.Null);
        Assert.That(error, Does.Contain(reason));
    }

    [TestCase("")]
    [TestCase("  ")]
    [TestCase(null)]
    public void EmptyIsNoHours(string? text) => Assert.That(ClientCallHours.Parse(text), Is.EqualTo(((ClientCallHours?)null, (string?)null)));
}
