using CallCenter.Data.Catalog;

namespace CallCenter.Data.Tests;

[TestFixtureSource(typeof(CallCenter.TestSupport.TestDatabases), nameof(CallCenter.TestSupport.TestDatabases.Providers))]
public sealed class DeskUserRepositoryTests(string provider)
{
    [Test]
    public async Task ALoginIsFoundWithItsRoleHashAndAgentAndAnUnknownOneIsNot()
    {
        await using var db = await CreateAsync();
        var users = new DeskUserRepository(db.Factory);

        Assert.That(await users.FindAsync("super"), Is.EqualTo(new DeskUserRecord("super", "supervisor", "hash-s", null)));
        Assert.That(await users.FindAsync("1001"), Is.EqualTo(new DeskUserRecord("1001", "agent", "hash-1", "1001")));
        Assert.That(await users.FindAsync("nobody"), Is.Null);
    }

    private async Task<TestDatabase> CreateAsync()
    {
        var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var catalog = new CatalogRepository(db.Factory);
        await catalog.UpsertAgentAsync(new AgentRecord("1001", "赵敏", "callcenter", "a", "b"));
        await catalog.UpsertDeskUserAsync(new DeskUserRecord("1001", "agent", "hash-1", "1001"));
        await catalog.UpsertDeskUserAsync(new DeskUserRecord("super", "supervisor", "hash-s", null));
        return db;
    }
}
