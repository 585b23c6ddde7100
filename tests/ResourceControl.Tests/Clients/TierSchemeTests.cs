using CallCenter.ResourceControl.Clients;
using CallCenter.ResourceControl.Hosting;
using CallCenter.ResourceControl.Routing;
using CallCenter.Telephony;
using Microsoft.Extensions.Configuration;

namespace CallCenter.ResourceControl.Tests.Clients;

/// <summary>
/// The tier schemes as configuration: the shipped file's futures grades and securities cards, each valid and each
/// giving the routing weights, the import's names and the admin page's tiers; bad schemes refused with the key named.
/// </summary>
public sealed class TierSchemeTests
{
    private static IConfiguration Shipped(params (string Key, string Value)[] overrides) =>
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(CallCenter.TestSupport.Fixtures.RepositoryRoot, "config", "callcenter.json"))
            .AddInMemoryCollection(overrides.Select(o => new KeyValuePair<string, string?>(o.Key, o.Value)))
            .Build();

    private static (TierOptions Tiers, RoutingOptions Routing, List<string> Errors) Load(IConfiguration configuration)
    {
        var tiers = configuration.GetSection(TierOptions.Section).Get<TierOptions>() ?? new TierOptions();
        var routing = configuration.GetSection(RoutingOptions.Section).Get<RoutingOptions>() ?? new RoutingOptions();
        var errors = tiers.Validate().Concat(routing.Validate()).ToList();
        errors.AddRange(TierRouting.Apply(routing, tiers, configuration.GetSection("Routing:TierBonusSeconds").GetChildren().Select(c => c.Key)));
        return (tiers, routing, errors);
    }

    [TestCase(TierSchemes.Futures, new[] { "Diamond", "Platinum", "Gold", "Quality", "Effective", "Ordinary", "Dormant" }, new[] { 600, 400, 240, 60, 0, 0, 0 })]
    [TestCase(TierSchemes.Securities, new[] { "PlatinumCard", "GoldCard", "SilverCard", "Ordinary" }, new[] { 600, 400, 120, 0 })]
    public void EachShippedSchemeIsValidAndGivesItsNamesAndRoutingWeights(string scheme, string[] names, int[] weights)
    {
        var (tiers, routing, errors) = Load(Shipped(("Tiers:Scheme", scheme)));

        Assert.That(errors, Is.Empty);
        Assert.That(tiers.ActiveTiers().Select(t => t.Name), Is.EqualTo(names));
        Assert.That(names.Select(routing.BonusFor), Is.EqualTo(weights));
        Assert.That(tiers.ActiveTiers().All(t => t.Zh.Length > 0 && t.En.Length > 0 && t.Colour.StartsWith('#')), Is.True);
        var admin = AdminSettingsFactory.Create(new SipOptions(), routing, tiers);
        Assert.That(admin.Tiers.Names, Is.EqualTo(names), "the client import accepts exactly the scheme's tiers");
        Assert.That(admin.Tiers.Scheme, Is.EqualTo(scheme));
        Assert.That(admin.Tiers.Definitions.Select(d => d.RoutingWeight), Is.EqualTo(weights));
    }

    [Test]
    public void TheShippedSecuritiesCardsHaveChineseNamesAndThresholdsRisingToPlatinum()
    {
        var (tiers, _, _) = Load(Shipped(("Tiers:Scheme", "securities")));

        Assert.That(tiers.ActiveTiers().Select(t => t.Zh), Is.EqualTo(new[] { "白金卡", "金卡", "银卡", "普通" }));
        Assert.That(tiers.ActiveTiers().Select(t => t.MinEquity), Is.EqualTo(new decimal?[] { 5_000_000m, 1_000_000m, 200_000m, null }));
    }

    [Test]
    public void FuturesThresholdsAreTheReviewsOwnKeys()
    {
        var (tiers, _, errors) = Load(Shipped(("Tiers:GoldEquity", "2000000")));

        Assert.That(errors, Is.Empty);
        Assert.That(tiers.ActiveTiers().Single(t => t.Name == "Gold").MinEquity, Is.EqualTo(2_000_000m));
        Assert.That(tiers.ReviewGradesActiveScheme, Is.True);
    }

    [Test]
    public void AConfiguredWeightOverridesTheSchemesAndAnUnknownTierIsRefusedByItsKey()
    {
        var (_, routing, errors) = Load(Shipped(("Tiers:Scheme", "securities"), ("Routing:TierBonusSeconds:SilverCard", "200"), ("Routing:TierBonusSeconds:Diamond", "600")));

        Assert.That(routing.BonusFor("SilverCard"), Is.EqualTo(200));
        Assert.That(errors, Has.One.StartsWith("Routing:TierBonusSeconds:Diamond names no tier of Tiers:Scheme \"securities\""));
        Assert.That(errors, Has.Count.EqualTo(1));
    }

    [Test]
    public void AnUnknownSchemeIsRefusedByItsKey()
    {
        var (tiers, _, errors) = Load(Shipped(("Tiers:Scheme", "banking")));

        Assert.That(errors, Has.One.StartsWith("Tiers:Scheme \"banking\" is not one of futures, securities"));
        Assert.That(tiers.ReviewGradesActiveScheme, Is.False);
    }

    [Test]
    public void OverlappingThresholdsAndBadEntriesAreRefusedWithTheirKeys()
    {
        var (_, _, errors) = Load(Shipped(
            ("Tiers:Schemes:securities:1:MinEquity", "5000000"),
            ("Tiers:Schemes:securities:2:MinFees", "9000"),
            ("Tiers:Schemes:securities:2:Colour", "silver"),
            ("Tiers:Schemes:securities:3:Name", "GoldCard"),
            ("Tiers:Schemes:securities:3:RoutingWeight", "700")));

        Assert.That(errors, Has.One.StartsWith("Tiers:Schemes:securities:1:MinEquity (5,000,000) overlaps the higher tier's Tiers:Schemes:securities:0:MinEquity"));
        Assert.That(errors, Has.One.StartsWith("Tiers:Schemes:securities:2:MinFees (9,000) overlaps the higher tier's Tiers:Schemes:securities:1:MinFees (8,000)"));
        Assert.That(errors, Has.One.StartsWith("Tiers:Schemes:securities:2:Colour \"silver\" is not #rrggbb"));
        Assert.That(errors, Has.One.StartsWith("Tiers:Schemes:securities:3:Name \"GoldCard\" names a tier twice"));
        Assert.That(errors, Has.One.StartsWith("Tiers:Schemes:securities:3:RoutingWeight (700) must not be above"));
        Assert.That(errors, Has.Count.EqualTo(5), string.Join('\n', errors));
    }

    [Test]
    public void AReplacedFuturesSchemeMustKeepTheReviewsGrades()
    {
        var (_, _, errors) = Load(Shipped(
            ("Tiers:Schemes:futures:0:Name", "Diamond"), ("Tiers:Schemes:futures:0:Zh", "钻石"), ("Tiers:Schemes:futures:0:En", "Diamond"),
            ("Tiers:Schemes:futures:1:Name", "Bronze"), ("Tiers:Schemes:futures:1:Zh", "青铜"), ("Tiers:Schemes:futures:1:En", "Bronze")));

        Assert.That(errors, Has.One.StartsWith("Tiers:Schemes:futures must list the review's grades").And.Contains("unknown: Bronze"));
    }
}
