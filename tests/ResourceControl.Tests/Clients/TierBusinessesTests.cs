using CallCenter.ResourceControl.Clients;
using CallCenter.ResourceControl.Hosting;
using CallCenter.ResourceControl.Routing;
using CallCenter.Telephony;
using Microsoft.Extensions.Configuration;

namespace CallCenter.ResourceControl.Tests.Clients;

/// <summary>
/// Both schemes at once for two businesses (<c>Tiers:Businesses</c>): the shipped securities cards and futures grades
/// served together, each client's tier chosen from their business's scheme, both schemes' routing weights on one scale
/// with the business named in the explanation; names that collide across the businesses, thresholds that overlap, and
/// businesses that are no scheme refused at start with the key named.
/// </summary>
public sealed class TierBusinessesTests
{
    private static readonly (string, string)[] _both = [("Tiers:Businesses:0", "futures"), ("Tiers:Businesses:1", "securities")];

    private static IConfiguration Shipped(params (string Key, string Value)[] overrides) =>
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(CallCenter.TestSupport.Fixtures.RepositoryRoot, "config", "callcenter.json"))
            .AddInMemoryCollection(overrides.Select(o => new KeyValuePair<string, string?>(o.Key, o.Value)))
            .Build();

    private static (TierOptions Tiers, RoutingOptions Routing, List<string> Errors) Load(params (string Key, string Value)[] overrides)
    {
        var configuration = Shipped(overrides);
        var tiers = configuration.GetSection(TierOptions.Section).Get<TierOptions>() ?? new TierOptions();
        var routing = configuration.GetSection(RoutingOptions.Section).Get<RoutingOptions>() ?? new RoutingOptions();
        var errors = tiers.Validate().Concat(routing.Validate()).ToList();
        errors.AddRange(TierRouting.Apply(routing, tiers, configuration.GetSection("Routing:TierBonusSeconds").GetChildren().Select(c => c.Key)));
        return (tiers, routing, errors);
    }

    [Test]
    public void TheShippedFileServesOneBusinessTheFuturesGradesAsBefore()
    {
        var (tiers, routing, errors) = Load();

        Assert.That(errors, Is.Empty);
        Assert.That(tiers.ActiveBusinesses(), Is.EqualTo(new[] { "futures" }));
        Assert.That(tiers.ServesSeveralBusinesses, Is.False);
        Assert.That(routing.BusinessOf("Diamond"), Is.Null, "one business: the explanation reads as before");
        Assert.That(tiers.TiersOf(null).Select(t => t.Name), Is.EqualTo(new[] { "Diamond", "Platinum", "Gold", "Quality", "Effective", "Ordinary", "Dormant" }));
    }

    [Test]
    public void BothShippedSchemesServeTogetherEachBusinessWithItsOwnTiersAndOneScaleOfWeights()
    {
        var (tiers, routing, errors) = Load(_both);

        Assert.That(errors, Is.Empty);
        Assert.That(tiers.ActiveBusinesses(), Is.EqualTo(new[] { "futures", "securities" }));
        Assert.That(tiers.TiersOf("securities").Select(t => t.Name), Is.EqualTo(new[] { "PlatinumCard", "GoldCard", "SilverCard", "Ordinary" }));
        Assert.That(tiers.TiersOf(null).Select(t => t.Name), Is.EqualTo(new[] { "Diamond", "Platinum", "Gold", "Quality", "Effective", "Ordinary", "Dormant" }), "no business: Tiers:Scheme's");
        Assert.That(tiers.TiersOf("banking"), Is.Empty);
        Assert.That(
            tiers.ActiveTiers().Select(t => t.Name),
            Is.EqualTo(new[] { "Diamond", "PlatinumCard", "Platinum", "GoldCard", "Gold", "SilverCard", "Quality", "Effective", "Ordinary", "Dormant" }),
            "both schemes' tiers by weight, Ordinary (alike in both) once");
        Assert.That(new[] { "Diamond", "PlatinumCard", "GoldCard", "Gold", "SilverCard", "Ordinary" }.Select(routing.BonusFor), Is.EqualTo(new[] { 600, 600, 400, 240, 120, 0 }));
        Assert.That(routing.BusinessOf("GoldCard"), Is.EqualTo("securities"));
        Assert.That(routing.BusinessOf("gold"), Is.EqualTo("futures"));
        Assert.That(routing.BusinessOf("Ordinary"), Is.EqualTo("futures/securities"));
        Assert.That(routing.BusinessOf(null), Is.Null);
        Assert.That(tiers.ReviewGradesActiveScheme, Is.True);
        Assert.That(tiers.ActiveTiers().Single(t => t.Name == "GoldCard").Zh, Is.EqualTo("金卡"));
        Assert.That(tiers.ActiveTiers().Single(t => t.Name == "Diamond").Colour, Is.EqualTo("#6f42c1"));

        var admin = AdminSettingsFactory.Create(new SipOptions(), routing, tiers);
        Assert.That(admin.Tiers.Businesses.Keys, Is.EquivalentTo(new[] { "futures", "securities" }));
        Assert.That(admin.Tiers.Businesses["securities"], Is.EqualTo(new[] { "PlatinumCard", "GoldCard", "SilverCard", "Ordinary" }));
        Assert.That(admin.Tiers.Names, Has.Member("GoldCard").And.Member("Diamond"));
    }

    [Test]
    public void TheAgentsPopNamesAndColoursACardAndAGradeEachByItsOwnScheme()
    {
        var (tiers, _, _) = Load(_both);
        var card = new CallCenter.ResourceControl.Tests.Calls.TestCallFacts { Client = new("13900000201", "赵敏", "****0201", "GoldCard", null, "zh", "b", Business: "securities") };
        var grade = new CallCenter.ResourceControl.Tests.Calls.TestCallFacts { Client = new("13800000003", "张伟", "****0003", "Gold", "1004", "zh", "b") };

        var cardPop = CallCenter.ResourceControl.Calls.ScreenPop.Build(card, "1002", CallCenter.ResourceControl.Tests.Calls.TestCallFacts.T0, tiers.ActiveTiers());
        var gradePop = CallCenter.ResourceControl.Calls.ScreenPop.Build(grade, "1002", CallCenter.ResourceControl.Tests.Calls.TestCallFacts.T0, tiers.ActiveTiers());

        Assert.That((cardPop.TierZh, cardPop.TierEn, cardPop.TierColour), Is.EqualTo(("金卡", "Gold card", "#c99a06")));
        Assert.That((gradePop.TierZh, gradePop.TierEn, gradePop.TierColour), Is.EqualTo(("黄金", "Gold", "#c99a06")));
    }

    [Test]
    public void TheDefaultBusinessComesFirstWhereverTiersSchemeIsListed()
    {
        var (tiers, _, errors) = Load(("Tiers:Scheme", "securities"), ("Tiers:Businesses:0", "futures"), ("Tiers:Businesses:1", "securities"));

        Assert.That(errors, Is.Empty);
        Assert.That(tiers.ActiveBusinesses(), Is.EqualTo(new[] { "securities", "futures" }));
        Assert.That(tiers.TiersOf(null)[0].Name, Is.EqualTo("PlatinumCard"));
    }

    [Test]
    public void ATierNameCollidingAcrossTheBusinessesIsRefusedWithItsKeyButIsFineInOneBusiness()
    {
        (string, string) platinum = ("Tiers:Schemes:securities:0:Name", "Platinum");

        var (_, _, both) = Load([.. _both, platinum]);
        var (_, _, alone) = Load(("Tiers:Scheme", "securities"), platinum);

        Assert.That(both, Has.One.StartsWith("Tiers:Schemes:securities:0:Name \"Platinum\" collides with Tiers:Schemes:futures:1:Name"));
        Assert.That(both, Has.Count.EqualTo(1), string.Join('\n', both));
        Assert.That(alone, Is.Empty);
    }

    [Test]
    public void AnOrdinaryTierListedDifferentlyInTheTwoSchemesCollides()
    {
        var (_, _, errors) = Load([.. _both, ("Tiers:Schemes:securities:3:Zh", "普通卡")]);

        Assert.That(errors, Has.One.StartsWith("Tiers:Schemes:securities:3:Name \"Ordinary\" collides with Tiers:Schemes:futures:5:Name"));
    }

    [Test]
    public void OverlappingThresholdsOfEitherBusinessAreRefusedWithTheKey()
    {
        var (_, _, securities) = Load([.. _both, ("Tiers:Schemes:securities:2:MinFees", "9000")]);
        var (_, _, futures) = Load([.. _both, ("Tiers:GoldEquity", "6000000")]);

        Assert.That(securities, Has.One.StartsWith("Tiers:Schemes:securities:2:MinFees (9,000) overlaps the higher tier's Tiers:Schemes:securities:1:MinFees (8,000)"));
        Assert.That(futures, Has.One.StartsWith("Tiers:PlatinumEquity (5,000,000) must be above Tiers:GoldEquity (6,000,000)"));
    }

    [Test]
    public void BusinessesMustBeSchemesListedOnceAndIncludeTiersScheme()
    {
        var (_, _, errors) = Load(("Tiers:Businesses:0", "futures"), ("Tiers:Businesses:1", "banking"), ("Tiers:Businesses:2", "futures"));
        var (_, _, withoutDefault) = Load(("Tiers:Businesses:0", "securities"));

        Assert.That(errors, Has.One.StartsWith("Tiers:Businesses:1 \"banking\" is not a scheme (one of futures, securities)"));
        Assert.That(errors, Has.One.StartsWith("Tiers:Businesses:2 \"futures\" is listed twice"));
        Assert.That(withoutDefault, Has.One.StartsWith("Tiers:Scheme \"futures\" must be one of Tiers:Businesses (securities)"));
    }

    [Test]
    public void AWeightOverrideMayNameATierOfEitherBusinessAndAnUnknownOneIsRefusedNamingTheBusinesses()
    {
        var (_, routing, errors) = Load([.. _both, ("Routing:TierBonusSeconds:SilverCard", "200"), ("Routing:TierBonusSeconds:Gold", "300"), ("Routing:TierBonusSeconds:Bronze", "5")]);

        Assert.That((routing.BonusFor("SilverCard"), routing.BonusFor("Gold")), Is.EqualTo((200, 300)));
        Assert.That(errors, Has.One.StartsWith("Routing:TierBonusSeconds:Bronze names no tier of Tiers:Businesses (futures, securities;"));
        Assert.That(errors, Has.Count.EqualTo(1));
    }

    [Test]
    public void ASecuritiesCardAndAFuturesGradeAreOrderedOnOneScaleAndEachExplainedByItsBusiness()
    {
        var (_, routing, _) = Load(_both);
        var router = new AcdRouter(routing);
        var t0 = new DateTimeOffset(2026, 1, 5, 9, 30, 0, TimeSpan.Zero);
        router.LogIn("1001", []);

        // The GoldCard caller waited 100 s longer, but a Diamond's 600 s head start is more than GoldCard's 400 + 100.
        router.Enqueue(new WaitingCall("card", "main", "GoldCard", null, [], t0, null), t0);
        router.Enqueue(new WaitingCall("grade", "main", "Diamond", null, [], t0.AddSeconds(100), null), t0.AddSeconds(100));
        var first = router.AgentAvailable("1001", t0.AddSeconds(110));
        router.AgentUnavailable("1001");
        var second = router.AgentAvailable("1001", t0.AddSeconds(120));

        Assert.That((first?.Call.Id, second?.Call.Id), Is.EqualTo(("grade", "card")));
        Assert.That(first!.Explanation.ToString(), Does.StartWith("call grade (Diamond of futures, queue main)").And.Contain("+ tier 600 s"));
        Assert.That(second!.Explanation.ToString(), Does.StartWith("call card (GoldCard of securities, queue main)").And.Contain("= waited 120.0 s + tier 400 s"));
    }

    [Test]
    public void AClientWhoseTierIsNotOfTheirBusinesssSchemeIsLeftOutOfTheReview()
    {
        var (tiers, _, errors) = Load([.. _both, ("Tiers:Scheme", "securities")]);
        Assert.That(errors, Is.Empty);

        // No business on file: the default is now securities, but the tier is a futures grade (a directory from before).
        var older = new CallCenter.Data.Clients.ClientReviewData("13800000001", "n", "Diamond", null, []);
        var card = older with { Phone = "13900000001", Tier = "GoldCard" };
        var futures = older with { Business = "futures" };

        Assert.That(TierReviewRunner.BusinessOf(older, tiers), Is.EqualTo(""), "not regraded into cards");
        Assert.That(TierReviewRunner.BusinessOf(card, tiers), Is.EqualTo("securities"));
        Assert.That(TierReviewRunner.BusinessOf(futures, tiers), Is.EqualTo("futures"));
    }
}
