using CallCenter.Data.Catalog;
using CallCenter.Data.Desk;

namespace CallCenter.Data.Tests.Desk;

[TestFixtureSource(typeof(CallCenter.TestSupport.TestDatabases), nameof(CallCenter.TestSupport.TestDatabases.Providers))]
public sealed class ClientImportRepositoryTests(string provider)
{
    [Test]
    public async Task NewClientsAreInsertedAndKnownOnesReplacedAndCounted()
    {
        await using var db = await CreateAsync();
        var import = new ClientImportRepository(db.Factory);

        var counts = await import.UpsertAsync(
        [
            new ClientRecord("13800000001", "王建国 (new name)", "****0001", "Platinum", null, "en", "北京"),
            new ClientRecord("13900000001", "Emily Chen", "62**", "Gold", "1001", "en", ""),
        ]);

        Assert.That(counts, Is.EqualTo(new ClientImportCounts(Imported: 1, Updated: 1)));
        var catalog = new CatalogRepository(db.Factory);
        Assert.That(await catalog.FindClientAsync("13800000001"), Is.EqualTo(new ClientRecord("13800000001", "王建国 (new name)", "****0001", "Platinum", null, "en", "北京")));
        Assert.That(await catalog.FindClientAsync("13900000001"), Is.EqualTo(new ClientRecord("13900000001", "Emily Chen", "62**", "Gold", "1001", "en", "")));
    }

    [Test]
    public async Task AManagerOutsideTheHotlineIsKeptAndAnImportWithoutOneClearsIt()
    {
        await using var db = await CreateAsync();
        var import = new ClientImportRepository(db.Factory);
        var catalog = new CatalogRepository(db.Factory);
        var outside = new ClientRecord("13900000002", "陈静", "****0002", "Gold", null, "zh", "杭州", "吴敏 Wu Min", "+8657188886666");

        await import.UpsertAsync([outside, new ClientRecord("13900000003", "Bo", "****0003", "Gold", "1001", "en", "")]);
        var kept = await catalog.FindClientAsync("13900000002");
        await import.UpsertAsync([outside with { ManagerName = null, ManagerPhone = null, ManagerExtension = "1001" }]);

        Assert.That(kept, Is.EqualTo(outside));
        Assert.That(await catalog.FindClientAsync("13900000002"), Is.EqualTo(outside with { ManagerName = null, ManagerPhone = null, ManagerExtension = "1001" }));
    }

    [Test]
    public async Task AClientsBusinessIsStoredAndAnImportWithoutOneMovesThemBackToTheDefault()
    {
        await using var db = await CreateAsync();
        var import = new ClientImportRepository(db.Factory);
        var catalog = new CatalogRepository(db.Factory);
        var card = new ClientRecord("13900000201", "Card", "****0201", "GoldCard", null, "zh", "b", Business: "securities");

        await import.UpsertAsync([card, new ClientRecord("13900000202", "Grade", "****0202", "Gold", null, "zh", "b")]);
        var stored = await catalog.FindClientAsync("13900000201");
        var grade = await catalog.FindClientAsync("13900000202");
        await import.UpsertAsync([card with { Tier = "Gold", Business = null }]);

        Assert.That(stored, Is.EqualTo(card));
        Assert.That(grade!.Business, Is.Null);
        Assert.That(await catalog.FindClientAsync("13900000201"), Is.EqualTo(card with { Tier = "Gold", Business = null }));
    }

    [Test]
    public async Task AClientsCallHoursAreStoredClearedByAFileWithTheColumnAndKeptByOneWithout()
    {
        await using var db = await CreateAsync();
        var import = new ClientImportRepository(db.Factory);
        var catalog = new CatalogRepository(db.Factory);
        var hours = new ClientHoursRepository(db.Factory);
        var client = new ClientRecord("13900000301", "Hours", "****0301", "Gold", null, "zh", "b", CallHours: "14:00-16:00");

        await import.UpsertAsync([client, new ClientRecord("13900000302", "None", "****0302", "Gold", null, "zh", "b")], keepCallHours: false);
        var stored = await catalog.FindClientAsync("13900000301");
        var listed = await hours.ListAsync();
        await import.UpsertAsync([client with { Name = "Renamed", CallHours = null }], keepCallHours: true);
        var kept = await hours.FindAsync("13900000301");
        await import.UpsertAsync([client with { Name = "Renamed", CallHours = null }], keepCallHours: false);

        Assert.That(stored, Is.EqualTo(client));
        Assert.That(listed, Is.EqualTo(new[] { new ClientHoursRow("13900000301", "14:00-16:00") }), "only the clients that have hours");
        Assert.That(kept, Is.EqualTo("14:00-16:00"), "a file without the column keeps them");
        Assert.That((await catalog.FindClientAsync("13900000301"))!.Name, Is.EqualTo("Renamed"));
        Assert.That(await hours.FindAsync("13900000301"), Is.Null, "a file with the column, the cell empty, clears them");
        Assert.That(await hours.FindAsync("13900000302"), Is.Null);
        Assert.That(await hours.FindAsync("13000000000"), Is.Null, "no such client");
    }

    [Test]
    public async Task ANewClientOfAFileWithoutTheColumnHasNoHoursAndManyRowsKeepTheirs()
    {
        await using var db = await CreateAsync();
        var import = new ClientImportRepository(db.Factory);
        var rows = Enumerable.Range(0, ClientImportRepository.PostgresBatchSize + 3)
            .Select(i => new ClientRecord("139" + i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture), "C", "****", "Gold", null, "zh", "b", CallHours: i % 2 == 0 ? "20:00-09:00" : null))
            .ToList();

        await import.UpsertAsync(rows, keepCallHours: false);
        await import.UpsertAsync([.. rows.Select(r => r with { CallHours = null }), new ClientRecord("13700000001", "New", "****", "Gold", null, "zh", "b", CallHours: "10:00-11:00")], keepCallHours: true);

        var hours = new ClientHoursRepository(db.Factory);
        Assert.That((await hours.ListAsync()).Count, Is.EqualTo((ClientImportRepository.PostgresBatchSize / 2) + 2));
        Assert.That(await hours.FindAsync("13900010002"), Is.EqualTo("20:00-09:00"));
        Assert.That(await hours.FindAsync("13700000001"), Is.Null, "a file without the column sets no hours, even for a new client");
    }

    [Test]
    public async Task ManyRowsAreAllWrittenAndCounted()
    {
        await using var db = await CreateAsync();
        var import = new ClientImportRepository(db.Factory);
        var rows = Enumerable.Range(0, (ClientImportRepository.PostgresBatchSize * 2) + 7)
            .Select(i => new ClientRecord((13900000000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture), "C" + i, "****", "Gold", i % 2 == 0 ? "1001" : null, "zh", "b"))
            .Append(new ClientRecord("13800000001", "王建国", "****0001", "Diamond", "1001", "zh", "b"))
            .ToList();

        var counts = await import.UpsertAsync(rows);

        Assert.That(counts, Is.EqualTo(new ClientImportCounts(rows.Count - 1, 1)));
        Assert.That((await new CatalogRepository(db.Factory).FindClientAsync("13900020006"))!.Name, Is.EqualTo("C20006"));
    }

    [Test]
    public async Task AFailingRowLeavesTheWholeImportUnwritten()
    {
        await using var db = await CreateAsync();
        var import = new ClientImportRepository(db.Factory);
        var rows = Enumerable.Range(0, ClientImportRepository.PostgresBatchSize + 1)
            .Select(i => new ClientRecord("139" + i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture), "C", "****", "Gold", null, "zh", "b"))
            .Append(new ClientRecord("13700000000", "Bad manager", "****", "Gold", "9999", "zh", "b"))
            .ToList();

        Assert.That(async () => await import.UpsertAsync(rows), Throws.InstanceOf<System.Data.Common.DbException>());

        Assert.That(await new CatalogRepository(db.Factory).FindClientAsync("13900000000"), Is.Null, "the first batch is rolled back");
    }

    [Test]
    public void ThePhoneTwiceIsRefusedBeforeAnythingIsWritten()
    {
        var import = new ClientImportRepository(new DbConnectionFactory(new DatabaseOptions { ConnectionString = "Data Source=:memory:" }));
        var row = new ClientRecord("13900000001", "A", "****", "Gold", null, "zh", "b");

        Assert.That(async () => await import.UpsertAsync([row, row with { Name = "B" }]), Throws.ArgumentException);
    }

    private async Task<TestDatabase> CreateAsync()
    {
        var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var catalog = new CatalogRepository(db.Factory);
        await catalog.UpsertAgentAsync(new AgentRecord("1001", "赵敏", "callcenter", "a", "b"));
        await catalog.UpsertClientAsync(new ClientRecord("13800000001", "王建国", "****0001", "Diamond", "1001", "zh", "上海"));
        return db;
    }
}
