using CallCenter.ResourceControl.Clients;

namespace CallCenter.ResourceControl.Tests.Clients;

public sealed class TierReviewTests
{
    private static readonly Quarter _q1 = new(2026, 1);
    private static readonly TierOptions _options = new();

    // Old enough, recently traded: only the equity and fee rules decide, unless a test says otherwise.
    private static TierReviewInput Client(decimal equity, decimal fees = 0m, string? tier = null, DateOnly? lastTrade = null) => new(
        "c1",
        tier is null ? null : Enum.Parse<ClientTier>(tier),
        [new(2026, 1, equity, fees), new(2026, 2, equity, fees), new(2026, 3, equity, fees)],
        new DateOnly(2015, 6, 1),
        lastTrade ?? new DateOnly(2026, 3, 2),
        HasPositions: false,
        YearEndEquity: equity);

    private static TierDecision Decide(TierReviewInput client) => TierReview.Review([client], _q1, _options).Decisions.Single();

    [TestCase(9_999_999.99, "Platinum")]
    [TestCase(10_000_000, "Diamond")]
    [TestCase(10_000_000.01, "Diamond")]
    [TestCase(4_999_999.99, "Gold")]
    [TestCase(5_000_000, "Platinum")]
    [TestCase(5_000_000.01, "Platinum")]
    [TestCase(999_999.99, "Quality")]
    [TestCase(1_000_000, "Gold")]
    [TestCase(1_000_000.01, "Gold")]
    [TestCase(499_999.99, "Effective")]
    [TestCase(500_000, "Quality")]
    [TestCase(500_000.01, "Quality")]
    public void EquityBoundariesGiveTheTierAtOrAboveTheThreshold(decimal equity, string expected)
    {
        // No trade for years: below Quality only the equity rule can make the client Effective.
        var decision = Decide(Client(equity, lastTrade: new DateOnly(2020, 1, 1)));

        Assert.That(decision.NewTier, Is.EqualTo(Enum.Parse<ClientTier>(expected)));
        Assert.That(decision.Reason, Does.StartWith(expected + ": average monthly equity"));
    }

    [TestCase(99_999.99, "Platinum")]
    [TestCase(100_000, "Diamond")]
    [TestCase(49_999.99, "Gold")]
    [TestCase(50_000, "Platinum")]
    [TestCase(9_999.99, "Effective")]
    [TestCase(10_000, "Gold")]
    [TestCase(10_000.01, "Gold")]
    public void FeesLiftAClientWithLittleEquity(decimal fees, string expected)
    {
        var decision = Decide(Client(equity: 20_000m, fees));

        Assert.That(decision.NewTier, Is.EqualTo(Enum.Parse<ClientTier>(expected)));
    }

    [Test]
    public void FeeRuleReasonNamesTheFeesAndTheThreshold()
    {
        var decision = Decide(Client(equity: 2_000_000m, fees: 60_000m));

        Assert.That(decision.NewTier, Is.EqualTo(ClientTier.Platinum));
        Assert.That(decision.Reason, Does.Contain("fees 60,000.00 ≥ 50,000").And.Contain("2026Q1"));
    }

    [Test]
    public void HighestTierWinsWhenEquityAndFeesPointToDifferentTiers()
    {
        var decision = Decide(Client(equity: 6_000_000m, fees: 150_000m));

        Assert.That(decision.NewTier, Is.EqualTo(ClientTier.Diamond));
    }

    [Test]
    public void EquityAndFeesAreAveragedOverTheMonthsOfTheQuarter()
    {
        var client = Client(0m) with
        {
            Months =
            [
                new(2025, 12, 90_000_000m, 0m), // outside Q1: ignored
                new(2026, 1, 800_000m, 0m),
                new(2026, 2, 1_000_000m, 0m),
                new(2026, 3, 1_300_000m, 0m),
            ],
        };

        var decision = Decide(client);

        Assert.That(decision.NewTier, Is.EqualTo(ClientTier.Gold));
        Assert.That(decision.Reason, Does.Contain("1,033,333.33"));
    }

    [Test]
    public void RecentTradeMakesASmallClientEffective()
    {
        var decision = Decide(Client(equity: 500m, lastTrade: new DateOnly(2025, 3, 31)));

        Assert.That(decision.NewTier, Is.EqualTo(ClientTier.Effective));
        Assert.That(decision.Reason, Does.Contain("last trade 2025-03-31"));
    }

    [Test]
    public void EquityJustAboveOneThousandMakesAClientWithoutTradesEffective()
    {
        var decision = Decide(Client(equity: 1_000.01m, lastTrade: new DateOnly(2020, 1, 1)));

        Assert.That(decision.NewTier, Is.EqualTo(ClientTier.Effective));
        Assert.That(decision.Reason, Does.Contain("1,000.01 > 1,000"));
    }

    [Test]
    public void OldIdleEmptyAccountIsDormant()
    {
        var client = Client(equity: 1_000m, lastTrade: new DateOnly(2025, 3, 30)) with { YearEndEquity = 1_000m };

        var decision = Decide(client);

        Assert.That(decision.NewTier, Is.EqualTo(ClientTier.Dormant));
        Assert.That(decision.Reason, Does.Contain("last trade 2025-03-30").And.Contain("1,000.00 ≤ 1,000"));
    }

    [Test]
    public void NeverTradedOldEmptyAccountIsDormant()
    {
        var client = Client(equity: 0m) with { LastTrade = null, YearEndEquity = 0m };

        Assert.That(Decide(client).NewTier, Is.EqualTo(ClientTier.Dormant));
    }

    [Test]
    public void PositionsKeepAnIdleAccountFromBeingDormant()
    {
        var client = Client(equity: 0m, lastTrade: new DateOnly(2024, 1, 1)) with { HasPositions = true, YearEndEquity = 0m };

        var decision = Decide(client);

        Assert.That(decision.NewTier, Is.EqualTo(ClientTier.Ordinary));
        Assert.That(decision.Reason, Does.Contain("holds positions"));
    }

    [Test]
    public void YearEndEquityAboveOneThousandKeepsAnIdleAccountFromBeingDormant()
    {
        var client = Client(equity: 0m, lastTrade: new DateOnly(2024, 1, 1)) with { YearEndEquity = 1_000.01m };

        var decision = Decide(client);

        Assert.That(decision.NewTier, Is.EqualTo(ClientTier.Ordinary));
        Assert.That(decision.Reason, Does.Contain("year-end equity 1,000.01 > 1,000"));
    }

    [Test]
    public void AccountYoungerThanAYearIsNotDormant()
    {
        var client = Client(equity: 0m) with { LastTrade = null, AccountOpened = new DateOnly(2025, 3, 31), YearEndEquity = 0m };

        var decision = Decide(client);

        Assert.That(decision.NewTier, Is.EqualTo(ClientTier.Ordinary));
        Assert.That(decision.Reason, Does.Contain("account opened 2025-03-31"));
    }

    [Test]
    public void AccountOpenedJustOverAYearAgoCanBeDormant()
    {
        var client = Client(equity: 0m) with { LastTrade = null, AccountOpened = new DateOnly(2025, 3, 30), YearEndEquity = 0m };

        Assert.That(Decide(client).NewTier, Is.EqualTo(ClientTier.Dormant));
    }

    [Test]
    public void ClientWithoutFiguresForTheQuarterKeepsTheTierAndSaysWhy()
    {
        var client = Client(0m, tier: "Gold") with { Months = [new(2025, 12, 20_000_000m, 0m)] };

        var result = TierReview.Review([client], _q1, _options);

        Assert.That(result.Decisions.Single().NewTier, Is.EqualTo(ClientTier.Gold));
        Assert.That(result.Decisions.Single().Reason, Does.Contain("no monthly equity or fee figures for 2026Q1"));
        Assert.That(result.Changes, Is.Empty);
    }

    [Test]
    public void OnlyChangedClientsProduceChangeRecords()
    {
        var same = Client(2_000_000m, tier: "Gold") with { ClientId = "same" };
        var up = Client(6_000_000m, tier: "Gold") with { ClientId = "up" };
        var down = Client(600_000m, tier: "Gold") with { ClientId = "down" };

        var result = TierReview.Review([same, up, down], _q1, _options);

        Assert.That(result.Decisions, Has.Count.EqualTo(3));
        Assert.That(result.Changes.Select(c => (c.ClientId, c.OldTier, c.NewTier, c.IsUpgrade)), Is.EqualTo(new[]
        {
            ("up", (ClientTier?)ClientTier.Gold, (ClientTier?)ClientTier.Platinum, true),
            ("down", ClientTier.Gold, ClientTier.Quality, false),
        }));
    }

    [Test]
    public void ThresholdsComeFromTheOptions()
    {
        var options = new TierOptions { GoldEquity = 2_000_000m };

        var decision = TierReview.Review([Client(1_500_000m)], _q1, options).Decisions.Single();

        Assert.That(decision.NewTier, Is.EqualTo(ClientTier.Quality));
    }
}
