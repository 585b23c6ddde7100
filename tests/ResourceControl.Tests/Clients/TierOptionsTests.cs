using CallCenter.ResourceControl.Clients;

namespace CallCenter.ResourceControl.Tests.Clients;

public sealed class TierOptionsTests
{
    [Test]
    public void DefaultsAreValid() => Assert.That(new TierOptions().Validate(), Is.Empty);

    [Test]
    public void PlatinumEquityAboveDiamondEquityIsNamed()
    {
        var errors = new TierOptions { PlatinumEquity = 12_000_000m }.Validate().ToList();

        Assert.That(errors, Has.One.Contains("Tiers:DiamondEquity").And.Contains("Tiers:PlatinumEquity"));
    }

    [Test]
    public void EqualThresholdsAreRejected()
    {
        var errors = new TierOptions { QualityEquity = 1_000_000m }.Validate().ToList();

        Assert.That(errors, Has.One.Contains("Tiers:GoldEquity").And.Contains("Tiers:QualityEquity"));
    }

    [Test]
    public void GoldFeesAbovePlatinumFeesIsNamed()
    {
        var errors = new TierOptions { GoldFees = 60_000m }.Validate().ToList();

        Assert.That(errors, Has.One.Contains("Tiers:PlatinumFees").And.Contains("Tiers:GoldFees"));
    }

    [Test]
    public void NegativeDormantEquityIsNamed()
    {
        Assert.That(new TierOptions { DormantYearEndEquity = -1m }.Validate(), Has.One.Contains("Tiers:DormantYearEndEquity"));
    }

    [Test]
    public void ZeroActivityMonthsIsNamed()
    {
        Assert.That(new TierOptions { ActivityMonths = 0 }.Validate(), Has.One.Contains("Tiers:ActivityMonths"));
    }
}
