using CallCenter.ResourceControl.Clients;

namespace CallCenter.ResourceControl.Tests.Clients;

public sealed class TierNoticesTests
{
    private static readonly IReadOnlyList<TierDefinition> _futures = TierSchemes.FuturesTiers(new TierOptions());

    [Test]
    public void AClientHearsInTheirLanguageWithTheSchemesNamesAndTheirManager()
    {
        var (notices, skipped) = TierNotices.Compose(
            "2026Q3",
            [
                new("13800000005", "王五", "zh", "Effective", "Quality", "李经理"),
                new("13800000004", "Ann", "en", "Quality", "Gold", null),
            ],
            _futures);

        Assert.That(skipped, Is.Empty);
        Assert.That(notices.Select(n => (n.Id, n.Recipient, n.Kind)), Is.EqualTo(new[]
        {
            ("msg-tier-2026Q3-8613800000005", "+8613800000005", "tier-notice"),
            ("msg-tier-2026Q3-8613800000004", "+8613800000004", "tier-notice"),
        }));
        Assert.That(notices[0].Body, Is.EqualTo("【客服中心】王五您好，根据2026Q3季度考核，您的客户等级由有效调整为优质。详询您的客户经理李经理。退订回TD"));
        Assert.That(notices[1].Body, Does.Contain("your client grade is now Gold (was Quality)").And.Contain("Call 95500").And.EndWith("Reply STOP to opt out"));
    }

    [Test]
    public void ANumberThatCannotTakeAnSmsIsSkippedWithTheReason()
    {
        var (notices, skipped) = TierNotices.Compose("2026Q3", [new("01088886666", "Fixed", "zh", "Gold", "Quality", null), new("12", "Short", "zh", "Gold", "Quality", null)], _futures);

        Assert.That(notices, Is.Empty);
        Assert.That(skipped.Select(s => s.Phone), Is.EqualTo(new[] { "01088886666", "12" }));
        Assert.That(skipped[0].Reason, Does.Contain("not a mobile number"));
    }

    [Test]
    public void ATierTheSchemeDoesNotKnowIsShownAsStoredAndCountsAreByName()
    {
        Assert.That(TierNotices.NameOf("Legacy", english: false, _futures), Is.EqualTo("Legacy"));
        Assert.That(TierNotices.NameOf("diamond", english: true, _futures), Is.EqualTo("Diamond"));
        Assert.That(TierNotices.Counts(["Gold", "Gold", "Dormant"]), Is.EquivalentTo(new Dictionary<string, int> { ["Gold"] = 2, ["Dormant"] = 1 }));
    }
}
