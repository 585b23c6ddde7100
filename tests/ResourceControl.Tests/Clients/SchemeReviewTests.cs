using CallCenter.Data.Catalog;
using CallCenter.Data.Clients;
using CallCenter.ResourceControl.Clients;
using CallCenter.TestSupport;

namespace CallCenter.ResourceControl.Tests.Clients;

/// <summary>
/// The quarterly review of a hotline with two businesses: the securities cards graded by their thresholds on assets or
/// commission (<see cref="SchemeReview"/>), the futures grades by the domain's rules, each client in their own
/// business's scheme, in one applied review.
/// </summary>
public sealed class SchemeReviewTests
{
    private static readonly Quarter _q2 = new(2026, 2);
    private static readonly IReadOnlyList<TierDefinition> _cards = TierSchemes.SecuritiesTiers();

    private static MonthlyFigures[] Months(decimal assets, decimal commission) =>
        [new(2026, 4, assets, commission), new(2026, 5, assets, commission), new(2026, 6, assets, commission)];

    [TestCase(6_000_000, 0, "PlatinumCard", "average monthly assets 6,000,000.00 ≥ 5,000,000")]
    [TestCase(1_000_000, 0, "GoldCard", "average monthly assets 1,000,000.00 ≥ 1,000,000")]
    [TestCase(50_000, 2_500, "SilverCard", "average monthly commission 2,500.00 ≥ 2,000 (assets 50,000.00)")]
    [TestCase(150_000, 100, "Ordinary", "reach no card's threshold")]
    public void ACardIsTheHighestWhoseAssetsOrCommissionThresholdIsReached(decimal assets, decimal commission, string card, string reason)
    {
        var (tier, why) = SchemeReview.Decide("Ordinary", Months(assets, commission), _q2, _cards);

        Assert.That(tier, Is.EqualTo(card));
        Assert.That(why, Does.StartWith(card + ": ").And.Contain(reason).And.Contain("2026Q2, 3 of 3 months"));
    }

    [Test]
    public void AClientWithoutFiguresForTheQuarterKeepsTheirCard()
    {
        var (tier, why) = SchemeReview.Decide("GoldCard", [new(2026, 1, 9_000_000m, 0m)], _q2, _cards);

        Assert.That(tier, Is.Null);
        Assert.That(why, Is.EqualTo("GoldCard kept: no monthly figures for 2026Q2"));
    }

    [Test]
    public async Task WithTwoBusinessesEachClientIsGradedInTheirOwnSchemeAndOneBusinessesFiguresNeverGiveTheOthersTier()
    {
        await using var db = await TierDatabase.CreateAsync();
        await db.SeedQuarterLiftingClient5Async(_q2);

        // Two securities clients with a futures Diamond's figures and with a silver card's commission.
        await db.Catalog.UpsertClientAsync(new ClientRecord("13900000301", "Card client", "****0301", "SilverCard", null, "zh", "b", Business: "securities"));
        await db.Catalog.UpsertClientAsync(new ClientRecord("13900000302", "Small card", "****0302", "GoldCard", null, "en", "b", Business: "securities"));
        await db.Figures.UpsertMonthsAsync([
            .. _q2.Months().Select(m => new ClientMonthFigures("13900000301", m, 15_000_000m, 0m)),
            .. _q2.Months().Select(m => new ClientMonthFigures("13900000302", m, 10_000m, 2_100m)),
        ]);
        var options = new TierOptions { Businesses = ["futures", "securities"] };
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 7, 1, 2, 0, 0, TimeSpan.Zero));

        var run = await db.Runner(time, options).RunAsync(_q2, TierReviewSources.Command, dryRun: false, CancellationToken.None);

        Assert.That(run.Applied, Is.True);
        Assert.That(run.Clients, Is.EqualTo(8));
        Assert.That(
            run.Changes.Select(c => (c.Phone, c.OldTier, c.NewTier)),
            Is.EquivalentTo(new[] { ("13800000005", "Effective", "Quality"), ("13900000301", "SilverCard", "PlatinumCard"), ("13900000302", "GoldCard", "SilverCard") }));
        Assert.That((await db.Catalog.FindClientAsync("13900000301"))!.Tier, Is.EqualTo("PlatinumCard"), "a card, never the futures grade Diamond");
        Assert.That((await db.Catalog.FindClientAsync("13900000301"))!.Business, Is.EqualTo("securities"));
        Assert.That((await db.Catalog.FindClientAsync("13800000001"))!.Tier, Is.EqualTo("Diamond"));
        var review = await db.Changes.FindReviewAsync("2026Q2");
        Assert.That(review!.TiersAfter!.Keys, Is.SupersetOf(new[] { "PlatinumCard", "SilverCard", "Diamond" }));
    }

    [Test]
    public async Task WithOneFuturesBusinessAClientOfAnotherBusinessIsLeftAsTheyAre()
    {
        await using var db = await TierDatabase.CreateAsync();
        await db.SeedQuarterLiftingClient5Async(_q2);
        await db.Catalog.UpsertClientAsync(new ClientRecord("13900000301", "Card client", "****0301", "SilverCard", null, "zh", "b", Business: "securities"));
        await db.Figures.UpsertMonthsAsync([.. _q2.Months().Select(m => new ClientMonthFigures("13900000301", m, 15_000_000m, 0m))]);
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 7, 1, 2, 0, 0, TimeSpan.Zero));

        var run = await db.Runner(time).RunAsync(_q2, TierReviewSources.Command, dryRun: true, CancellationToken.None);

        Assert.That(run.Changes.Select(c => c.Phone), Is.EqualTo(new[] { "13800000005" }));
        Assert.That(run.Clients, Is.EqualTo(6));
    }

    [Test]
    public async Task AHotlineOnTheSecuritiesSchemeAloneIsReviewedByTheCardsThresholds()
    {
        await using var db = await TierDatabase.CreateAsync();
        await db.SeedQuarterLiftingClient5Async(_q2);
        await db.Catalog.UpsertClientAsync(new ClientRecord("13900000301", "Card client", "****0301", "SilverCard", null, "zh", "b"));
        await db.Figures.UpsertMonthsAsync([.. _q2.Months().Select(m => new ClientMonthFigures("13900000301", m, 15_000_000m, 0m))]);
        var options = new TierOptions { Scheme = "securities" };
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 7, 1, 2, 0, 0, TimeSpan.Zero));

        Assert.That(options.ReviewGradesActiveScheme, Is.True);
        var run = await db.Runner(time, options).RunAsync(_q2, TierReviewSources.Command, dryRun: false, CancellationToken.None);

        // The card client is graded by the cards' thresholds; the seeded futures grades are no tier of this scheme and stay.
        Assert.That(run.Applied, Is.True);
        Assert.That(run.Changes.Select(c => (c.Phone, c.OldTier, c.NewTier)), Is.EqualTo(new[] { ("13900000301", "SilverCard", "PlatinumCard") }));
        Assert.That((await db.Catalog.FindClientAsync("13800000005"))!.Tier, Is.EqualTo("Effective"));
    }
}
