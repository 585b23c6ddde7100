using CallCenter.Data.Catalog;
using CallCenter.Data.Clients;

namespace CallCenter.Data.Tests.Clients;

[TestFixtureSource(typeof(CallCenter.TestSupport.TestDatabases), nameof(CallCenter.TestSupport.TestDatabases.Providers))]
public sealed class ClientFiguresRepositoryTests(string provider)
{
    internal static async Task AddClientAsync(CatalogRepository catalog, string phone, string tier) =>
        await catalog.UpsertClientAsync(new ClientRecord(phone, "Client " + phone, "6225****" + phone[^4..], tier, null, "zh", "上海"));

    [Test]
    public async Task FiguresComeBackExactlyForTheMonthsAskedOnly()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var catalog = new CatalogRepository(db.Factory);
        await AddClientAsync(catalog, "13800000001", "Diamond");
        var figures = new ClientFiguresRepository(db.Factory);

        await figures.UpsertMonthsAsync(
        [
            new("13800000001", "2026-04", 12_345_678.91m, 0.05m, 12_000_000m),
            new("13800000001", "2026-05", 10_000_000m, 150_000.5m),
            new("13800000001", "2026-07", 1m, 1m),
        ]);
        var data = await figures.LoadReviewDataAsync(["2026-04", "2026-05", "2026-06"]);

        Assert.That(data, Has.Count.EqualTo(1));
        Assert.That(data[0].Tier, Is.EqualTo("Diamond"));
        Assert.That(data[0].Months, Is.EqualTo(new ClientMonthFigures[]
        {
            new("13800000001", "2026-04", 12_345_678.91m, 0.05m, 12_000_000m),
            new("13800000001", "2026-05", 10_000_000m, 150_000.5m, null),
        }));
    }

    [Test]
    public async Task UpsertReplacesAMonthsFigures()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        await AddClientAsync(new CatalogRepository(db.Factory), "13800000002", "Gold");
        var figures = new ClientFiguresRepository(db.Factory);

        await figures.UpsertMonthsAsync([new("13800000002", "2026-01", 100m, 1m)]);
        await figures.UpsertMonthsAsync([new("13800000002", "2026-01", 2_000_000m, 20_000m, 2_100_000m)]);

        var months = (await figures.LoadReviewDataAsync(["2026-01"]))[0].Months;
        Assert.That(months, Is.EqualTo(new ClientMonthFigures[] { new("13800000002", "2026-01", 2_000_000m, 20_000m, 2_100_000m) }));
    }

    [Test]
    public async Task ClientsWithoutAccountFactsOrFiguresAreStillListed()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var catalog = new CatalogRepository(db.Factory);
        await AddClientAsync(catalog, "13800000005", "Effective");
        await AddClientAsync(catalog, "13800000006", "Dormant");
        var figures = new ClientFiguresRepository(db.Factory);
        await figures.UpsertAccountAsync(new ClientAccountRecord("13800000006", new DateOnly(2019, 3, 1), new DateOnly(2024, 2, 29), HasPositions: false));
        await figures.UpsertAccountAsync(new ClientAccountRecord("13800000006", new DateOnly(2019, 3, 1), new DateOnly(2024, 3, 1), HasPositions: true));

        var data = await figures.LoadReviewDataAsync(["2026-04"]);

        Assert.That(data.Select(d => d.Phone), Is.EqualTo(new[] { "13800000005", "13800000006" }));
        Assert.That(data[0].Account, Is.Null);
        Assert.That(data[0].Months, Is.Empty);
        Assert.That(data[1].Account, Is.EqualTo(new ClientAccountRecord("13800000006", new DateOnly(2019, 3, 1), new DateOnly(2024, 3, 1), true)));
    }

    [Test]
    public void AMonthThatIsNotYearDashMonthIsRejected()
    {
        var figures = new ClientFiguresRepository(new DbConnectionFactory(new DatabaseOptions { ConnectionString = "Data Source=:memory:" }));

        Assert.That(async () => await figures.LoadReviewDataAsync(["2026-13"]), Throws.ArgumentException.With.Message.Contains("2026-13"));
    }
}
