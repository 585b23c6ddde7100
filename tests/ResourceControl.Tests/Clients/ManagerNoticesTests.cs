using CallCenter.ResourceControl.Clients;

namespace CallCenter.ResourceControl.Tests.Clients;

public sealed class ManagerNoticesTests
{
    private static readonly IReadOnlyList<TierDefinition> _tiers = new TierOptions().ActiveTiers();

    private static ManagerNotices.Client Client(int n, string from = "Effective", string to = "Quality") =>
        new($"1380000{n:0000}", $"客户{n}", from, to);

    [Test]
    public void AnSmsListNamesAtMostFiveClientsMaskedAndSaysHowManyInAll()
    {
        var manager = new ManagerNotices.Manager("1004", "赵六", "13900001004", null);
        var (notices, skipped) = ManagerNotices.Compose("2026Q2", [(manager, [.. Enumerable.Range(1, 7).Select(i => Client(i))])], ManagerNotices.Sms, _tiers);

        var sms = notices.Single();
        Assert.That((sms.Channel, sms.Recipient, sms.Kind), Is.EqualTo(("sms", "+8613900001004", "manager-list")));
        Assert.That(sms.Id, Does.Match("^msg-tier-2026Q2-manager-[0-9a-f]{20}$"));
        Assert.That(sms.Body, Does.Contain("7位客户").And.Contain("客户5（138****0005）有效→优质").And.Not.Contain("客户6").And.Contain("等7位"));
        Assert.That(skipped, Is.Empty);
    }

    [Test]
    public void ManagersWhoseKeysDifferOnlyInPunctuationGetTheirOwnIdsSoNeitherRollsBackTheReview()
    {
        var withPlus = new ManagerNotices.Manager("+8613700000001", "孙经理", "+8613700000001", null);
        var without = new ManagerNotices.Manager("8613700000001", "孙经理", "8613700000001", null);
        var (notices, _) = ManagerNotices.Compose("2026Q2", [(withPlus, [Client(1)]), (without, [Client(2)])], ManagerNotices.Sms, _tiers);
        var again = ManagerNotices.Compose("2026Q2", [(withPlus, [Client(1)])], ManagerNotices.Sms, _tiers).Notices;

        Assert.That(notices.Select(n => n.Id).Distinct().Count(), Is.EqualTo(2));
        Assert.That(again.Single().Id, Is.EqualTo(notices[0].Id), "the same manager and quarter: the same id (written once)");
    }

    [Test]
    public void TheConfiguredChannelIsUsedWhenTheManagerHasItAndTheOtherOneOtherwise()
    {
        var both = new ManagerNotices.Manager("1004", "赵六", "13900001004", "zhao@broker.example");
        var phoneOnly = new ManagerNotices.Manager("13700000001", "孙经理", "13700000001", null);
        var mailOnly = new ManagerNotices.Manager("1003", "王五", null, "wang@broker.example");
        var none = new ManagerNotices.Manager("1002", "李四", "010", null);
        (ManagerNotices.Manager, IReadOnlyList<ManagerNotices.Client>)[] lists =
            [(both, [Client(1, "Diamond", "Platinum")]), (phoneOnly, [Client(2)]), (mailOnly, [Client(3)]), (none, [Client(4)])];

        var (byEmail, skipped) = ManagerNotices.Compose("2026Q2", lists, ManagerNotices.Email, _tiers);
        var (bySms, _) = ManagerNotices.Compose("2026Q2", lists, ManagerNotices.Sms, _tiers);
        var (off, offSkipped) = ManagerNotices.Compose("2026Q2", lists, ManagerNotices.None, _tiers);

        Assert.That(byEmail.Select(m => (m.Channel, m.Recipient)), Is.EqualTo(new[] { ("email", "zhao@broker.example"), ("sms", "+8613700000001"), ("email", "wang@broker.example") }));
        Assert.That(bySms.Select(m => (m.Channel, m.Recipient)), Is.EqualTo(new[] { ("sms", "+8613900001004"), ("sms", "+8613700000001"), ("email", "wang@broker.example") }));
        Assert.That(byEmail[0].Subject, Is.EqualTo("2026Q2季度客户分级考核：您的1位客户等级变化"));
        Assert.That(byEmail[0].Body, Does.Contain("- 客户1（138****0001）钻石→白金"));
        Assert.That(skipped.Single().Manager, Is.EqualTo("1002"));
        Assert.That(off, Is.Empty);
        Assert.That(offSkipped, Is.Empty);
    }
}
