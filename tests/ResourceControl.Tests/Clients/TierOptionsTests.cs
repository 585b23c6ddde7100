using CallCenter.ResourceControl.Clients;
using CallCenter.ResourceControl.Hosting;
using Microsoft.Extensions.Configuration;

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

    [TestCase(0, 2, "Tiers:ReviewDay")]
    [TestCase(29, 2, "Tiers:ReviewDay")]
    [TestCase(1, 24, "Tiers:ReviewHour")]
    [TestCase(1, -1, "Tiers:ReviewHour")]
    public void AReviewDayOrHourOutOfRangeIsNamed(int day, int hour, string key)
    {
        Assert.That(new TierOptions { ReviewDay = day, ReviewHour = hour }.Validate(), Has.One.Contains(key));
    }

    [Test]
    public void TheTiersSectionIsKnownAndAnUnknownKeyInItIsNamed()
    {
        var file = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Tiers:ReviewJob"] = "false", ["Tiers:GoldFees"] = "20000" }).Build();
        var commandLine = new ConfigurationBuilder().AddCommandLine(["--Tiers:ReviewHours=3"]).Build();
        var merged = new ConfigurationBuilder().AddConfiguration(file).AddConfiguration(commandLine).Build();

        var errors = ConfigurationChecker.UnknownKeys(file, commandLine, merged).ToList();

        Assert.That(errors, Is.EqualTo(new[] { "Unknown configuration key \"Tiers:ReviewHours\"." }));
    }
}
