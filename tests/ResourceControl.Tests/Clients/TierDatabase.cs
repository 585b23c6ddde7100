using CallCenter.Data;
using CallCenter.Data.Catalog;
using CallCenter.Data.Clients;
using CallCenter.ResourceControl.Clients;
using CallCenter.ResourceControl.Hosting;
using CallCenter.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallCenter.ResourceControl.Tests.Clients;

/// <summary>A migrated SQLite file with the demo clients, and the tier review's repositories over it.</summary>
internal sealed class TierDatabase : IAsyncDisposable
{
    private TierDatabase(string file)
    {
        File = file;
        Factory = new DbConnectionFactory(new DatabaseOptions { Provider = "sqlite", ConnectionString = "Data Source=" + file });
        Catalog = new CatalogRepository(Factory);
        Figures = new ClientFiguresRepository(Factory);
        Changes = new TierChangeRepository(Factory);
    }

    public string File { get; }

    public DbConnectionFactory Factory { get; }

    public CatalogRepository Catalog { get; }

    public ClientFiguresRepository Figures { get; }

    public TierChangeRepository Changes { get; }

    public static async Task<TierDatabase> CreateAsync()
    {
        var db = new TierDatabase(TestDatabases.NewSqliteFile());
        await new Migrator(db.Factory).MigrateAsync();
        await DemoData.SeedAsync(db.Catalog, "callcenter", CancellationToken.None);
        return db;
    }

    public TierReviewRunner Runner(TimeProvider time, TierOptions? options = null, FaxSms.Broadcasts.BroadcastOptions? broadcasts = null) =>
        new(Figures, Changes, options ?? new TierOptions(), time, NullLogger<TierReviewRunner>.Instance, broadcasts);

    /// <summary>Every demo client's figures for the quarter at their tier's level, except 13800000005 at Quality's.</summary>
    public async Task SeedQuarterLiftingClient5Async(Quarter quarter)
    {
        decimal[] equities = [15_000_000m, 7_000_000m, 2_000_000m, 700_000m, 800_000m, 800m];
        await Figures.UpsertMonthsAsync(DemoData.Clients.SelectMany((c, i) => quarter.Months().Select(m => new ClientMonthFigures(c.Phone, m, equities[i], 0m))));

        // The Dormant client stays so only with an old account, no position, no recent trade and a small year-end.
        await Figures.UpsertAccountAsync(new ClientAccountRecord("13800000006", new DateOnly(2016, 1, 4), new DateOnly(2020, 5, 6), HasPositions: false));
        await Figures.UpsertMonthsAsync([new ClientMonthFigures("13800000006", TierReviewRunner.YearEndMonth(quarter), 800m, 0m, 800m)]);
    }

    public async ValueTask DisposeAsync()
    {
        await Task.CompletedTask;
        CallCenter.TestSupport.TestDatabases.DeleteSqliteFile(File);
    }
}
