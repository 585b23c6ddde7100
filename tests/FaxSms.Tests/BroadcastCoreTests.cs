using CallCenter.FaxSms.Broadcasts;
using CallCenter.FaxSms.Outbox;

namespace CallCenter.FaxSms.Tests;

public sealed class BroadcastCoreTests
{
    private static readonly TimeZoneInfo _shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly QuietHours _quiet = new(_shanghai, new TimeOnly(21, 0), new TimeOnly(8, 0));

    private static DateTimeOffset Shanghai(int day, int hour, int minute = 0) => new(2026, 12, day, hour, minute, 0, TimeSpan.FromHours(8));

    [Test]
    public void ATemplateRendersEachPlaceholderAndKeepsTheRest()
    {
        var template = MessageTemplate.Parse("{{name}}您好，{{ tier }}客户 {{account}}，经理{{manager}}，{{date}}。{单括号}").Template!;
        var text = template.Render(new Dictionary<string, string?> { ["name"] = "王建国", ["tier"] = "钻石", ["account"] = "6225****0001", ["manager"] = null, ["date"] = "12月4日" });
        Assert.That(text, Is.EqualTo("王建国您好，钻石客户 6225****0001，经理，12月4日。{单括号}"));
        Assert.That(template.Uses, Is.EqualTo(new[] { "name", "tier", "account", "manager", "date" }));
    }

    [Test]
    public void HoldingsAreSaidPerPositionInTheClientsLanguageAndNoneIsSaidAsNone()
    {
        Contracts.BackOffice.Position[] positions =
        [
            new("600036", "招商银行", 200, 200, 35.20m, 7040m),
            new("601318", "中国平安", 0, 0, 48.30m, 0m),
            new("600000", "浦发银行", 12000, 11000, 10.50m, 126000m),
        ];
        Assert.That(BroadcastExpansion.Holdings(positions, english: false), Is.EqualTo("600000 浦发银行 12,000股；600036 招商银行 200股"));
        Assert.That(BroadcastExpansion.Holdings(positions, english: true), Is.EqualTo("600000 12,000 shares; 600036 200 shares"));
        Assert.That(BroadcastExpansion.Holdings([], english: false), Is.EqualTo("无持仓"));
        Assert.That(BroadcastExpansion.Holdings([positions[1]], english: true), Is.EqualTo("no holdings"));
        Assert.That(MessageTemplate.Parse("您持有{{ holdings }}").Template!.Uses, Is.EqualTo(new[] { "holdings" }));
    }

    [TestCase("Dear {{nmae}}", "unknown placeholder \"{{nmae}}\" at character 6")]
    [TestCase("持仓 {{positions}}", "unknown placeholder \"{{positions}}\"")]
    [TestCase("Dear {{name", "never closed")]
    [TestCase("   ", "empty")]
    [TestCase(null, "empty")]
    public void ATemplateWithAnUnknownPlaceholderOrAnOpenBraceIsRefusedWithWhere(string? text, string reason)
    {
        var (template, error) = MessageTemplate.Parse(text);
        Assert.That(template, Is.Null);
        Assert.That(error, Does.Contain(reason));
    }

    [TestCase(20, 59, false)]
    [TestCase(21, 0, true)]
    [TestCase(23, 30, true)]
    [TestCase(3, 0, true)]
    [TestCase(7, 59, true)]
    [TestCase(8, 0, false)]
    [TestCase(12, 0, false)]
    public void QuietHoursRunFromNineInTheEveningToEightInTheMorningShanghaiTime(int hour, int minute, bool quiet) =>
        Assert.That(_quiet.IsQuiet(Shanghai(4, hour, minute)), Is.EqualTo(quiet));

    [Test]
    public void AMessageDueInQuietHoursWaitsForTheirEnd()
    {
        Assert.That(_quiet.NextAllowed(Shanghai(4, 22, 15)), Is.EqualTo(Shanghai(5, 8, 0)));
        Assert.That(_quiet.NextAllowed(Shanghai(5, 6, 0)), Is.EqualTo(Shanghai(5, 8, 0)));
        Assert.That(_quiet.NextAllowed(Shanghai(5, 9, 0)), Is.EqualTo(Shanghai(5, 9, 0)));
    }

    [Test]
    public void ABroadcastIsSpacedByTheRateLimitAndWhatRunsIntoQuietHoursWaitsButARiskNoticeDoesNot()
    {
        var start = Shanghai(4, 20, 59).AddSeconds(58);
        var times = BroadcastPlan.SendTimes(5, start, 1, _quiet, ignoreQuietHours: false);
        Assert.That(times, Is.EqualTo(new[] { start, start.AddSeconds(1), Shanghai(5, 8, 0), Shanghai(5, 8, 0).AddSeconds(1), Shanghai(5, 8, 0).AddSeconds(2) }));

        var risk = BroadcastPlan.SendTimes(3, Shanghai(4, 23, 0), 10, _quiet, ignoreQuietHours: true);
        Assert.That(risk, Is.EqualTo(new[] { Shanghai(4, 23, 0), Shanghai(4, 23, 0).AddMilliseconds(100), Shanghai(4, 23, 0).AddMilliseconds(200) }));
    }

    [Test]
    public void TheMorningNoteRunsAtHalfPastEightOnTradingDaysOnly()
    {
        var cron = ScheduleClock.Parse("30 8 * * *").Cron!;
        var holidays = new HashSet<DateOnly> { new(2026, 12, 7) };

        // Friday 4 December after 08:30 → Monday 7 December is a holiday → Tuesday 8 December 08:30.
        var next = ScheduleClock.Next(cron, Shanghai(4, 9, 0), _shanghai, tradingDaysOnly: true, holidays);
        Assert.That(next, Is.EqualTo(Shanghai(8, 8, 30)));
        Assert.That(ScheduleClock.Next(cron, Shanghai(4, 9, 0), _shanghai, tradingDaysOnly: false, holidays), Is.EqualTo(Shanghai(5, 8, 30)));
        Assert.That(ScheduleClock.Parse("*/5 * * * * *").Cron, Is.Not.Null, "six fields: seconds first");
        Assert.That(ScheduleClock.Parse("every morning").Error, Does.Contain("not a cron expression"));
    }

    [Test]
    public void AnAudienceIsExpandedPerLanguageWithOptOutsAndBadNumbersSkippedUnlessARiskNotice()
    {
        var zh = MessageTemplate.Parse("{{name}}您好，您是{{tier}}客户").Template!;
        var en = MessageTemplate.Parse("Dear {{name}}, you are a {{tier}} client").Template!;
        AudienceMember[] members =
        [
            new("13800000001", "王建国", "Diamond", "6225****0001", "zh", "赵敏"),
            new("13800000004", "Emily Chen", "Quality", "6225****0004", "en", null),
            new("13800000005", "刘洋", "Effective", "6225****0005", "zh", null),
            new("01088888888", "座机", "Gold", "x", "zh", null),
            new("+8613800000001", "重复", "Diamond", "x", "zh", null),
        ];
        var optedOut = new HashSet<string> { "+8613800000005" };

        var (messages, skipped) = BroadcastExpansion.Expand(members, BroadcastContent.Sms(zh, en), optedOut, riskNotice: false, new DateOnly(2026, 12, 4));
        Assert.That(messages, Is.EqualTo(new[]
        {
            new BroadcastSms("+8613800000001", "王建国您好，您是钻石客户"),
            new BroadcastSms("+8613800000004", "Dear Emily Chen, you are a Quality client"),
        }));
        Assert.That(skipped, Is.EqualTo(new Dictionary<string, int> { ["not a mobile number"] = 1, ["number already in this broadcast"] = 1, ["opted out of SMS"] = 1 }));

        var (risk, _) = BroadcastExpansion.Expand(members, BroadcastContent.Sms(zh, null), optedOut, riskNotice: true, new DateOnly(2026, 12, 4));
        Assert.That(risk.Select(m => m.Recipient), Does.Contain("+8613800000005"));
        Assert.That(risk.Single(m => m.Recipient == "+8613800000004").Body, Is.EqualTo("Emily Chen您好，您是优质客户"), "no English text: Mandarin");
    }

    [Test]
    public void AnEmailBroadcastGoesToTheAddressOnFileWithASubjectAndIgnoresSmsOptOuts()
    {
        var content = new BroadcastContent(
            MessageChannel.Email,
            MessageTemplate.Parse("{{name}}您好").Template!,
            MessageTemplate.Parse("Dear {{name}}").Template!,
            MessageTemplate.Parse("【月报】{{name}}的{{date}}月报").Template!,
            MessageTemplate.Parse("Monthly report for {{name}}").Template!);
        AudienceMember[] members =
        [
            new("13800000001", "王建国", "Diamond", "x", "zh", null, "client1@example.com"),
            new("13800000004", "Emily Chen", "Quality", "x", "en", null, "client4@example.com"),
            new("13800000005", "刘洋", "Effective", "x", "zh", null, null),
            new("13800000006", "陈静", "Dormant", "x", "zh", null, "not-an-address"),
            new("13800000007", "重复", "Gold", "x", "zh", null, "CLIENT1@example.com"),
        ];

        var (messages, skipped) = BroadcastExpansion.Expand(members, content, new HashSet<string> { "+8613800000001" }, riskNotice: false, new DateOnly(2026, 12, 4));

        Assert.That(messages, Is.EqualTo(new[]
        {
            new BroadcastSms("client1@example.com", "王建国您好", "【月报】王建国的2026年12月4日月报"),
            new BroadcastSms("client4@example.com", "Dear Emily Chen", "Monthly report for Emily Chen"),
        }));
        Assert.That(skipped, Is.EqualTo(new Dictionary<string, int> { ["address already in this broadcast"] = 1, ["no e-mail address on file"] = 1, ["not an e-mail address"] = 1 }));
    }

    [Test]
    public void AnEmptyAudienceIsRefusedRatherThanMeaningEveryone()
    {
        Assert.That(new Audience().Validate(), Does.Contain("\"all\": true"));
        Assert.That(new Audience { Tiers = [] }.Validate(), Is.Not.Null);
        Assert.That(new Audience { All = true }.Validate(), Is.Null);
        Assert.That(new Audience { Tiers = ["Diamond"] }.Validate(), Is.Null);
        Assert.That(new Audience { BirthdayToday = true }.Validate(), Is.Null);
        Assert.That(new Audience { Holding = "600000" }.Validate(), Is.Null);
        Assert.That(new Audience { NoBankLink = true }.Validate(), Is.Null);
        Assert.That(new Audience { Holding = "60000" }.Validate(), Does.Contain("six-digit stock code").And.Contain("\"60000\""));
        Assert.That(new Audience { Holding = "60000A" }.Validate(), Does.Contain("six-digit"));
        Assert.That(new Audience { Holding = "６００００0" }.Validate(), Does.Contain("six-digit"), "full-width digits are not a code");
        Assert.That(new Audience { Holding = "600000" }.NeedsBackOffice && new Audience { NoBankLink = true }.NeedsBackOffice && !new Audience { All = true }.NeedsBackOffice, Is.True);
    }
}
