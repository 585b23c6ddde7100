using CallCenter.Data.Catalog;

namespace CallCenter.Data.Tests;

[TestFixtureSource(typeof(CallCenter.TestSupport.TestDatabases), nameof(CallCenter.TestSupport.TestDatabases.Providers))]
public sealed class DeskUserRepositoryTests(string provider)
{
    private static readonly DateTimeOffset _now = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task ANewLoginHasNoFailuresAndNoLock()
    {
        await using var db = await CreateAsync();
        var users = new DeskUserRepository(db.Factory);

        var found = await users.FindAsync("super");

        Assert.That(found, Is.Not.Null);
        Assert.That(found!.User, Is.EqualTo(new DeskUserRecord("super", "supervisor", "hash-s", null)));
        Assert.That((found.FailedSignIns, found.LockedUntil), Is.EqualTo((0, (DateTimeOffset?)null)));
        Assert.That(await users.FindAsync("nobody"), Is.Null);
    }

    [Test]
    public async Task FailuresCountUpAndTheLastOneLocksAndStartsTheCountAgain()
    {
        await using var db = await CreateAsync();
        var users = new DeskUserRepository(db.Factory);
        var until = _now.AddMinutes(15);

        var first = await users.RecordFailureAsync("1001", 3, until);
        var second = await users.RecordFailureAsync("1001", 3, until);
        var afterTwo = await users.FindAsync("1001");
        var third = await users.RecordFailureAsync("1001", 3, until);
        var afterThree = await users.FindAsync("1001");

        Assert.That((first, second), Is.EqualTo(((DateTimeOffset?)null, (DateTimeOffset?)null)));
        Assert.That(afterTwo!.FailedSignIns, Is.EqualTo(2));
        Assert.That(afterTwo.IsLockedAt(_now), Is.False);
        Assert.That(third, Is.EqualTo(until));
        Assert.That(afterThree!.FailedSignIns, Is.Zero);
        Assert.That(afterThree.LockedUntil, Is.EqualTo(until));
        Assert.That(afterThree.IsLockedAt(_now), Is.True);
        Assert.That(afterThree.IsLockedAt(until), Is.False);
        Assert.That((await users.FindAsync("super"))!.FailedSignIns, Is.Zero, "another login is not touched");
    }

    [Test]
    public async Task ASuccessClearsTheCountAndTheLock()
    {
        await using var db = await CreateAsync();
        var users = new DeskUserRepository(db.Factory);
        await users.RecordFailureAsync("1001", 1, _now.AddMinutes(15));
        await users.RecordFailureAsync("super", 5, _now.AddMinutes(15));

        await users.RecordSuccessAsync("1001");
        await users.RecordSuccessAsync("super");

        var agent = await users.FindAsync("1001");
        var super = await users.FindAsync("super");
        Assert.That((agent!.FailedSignIns, agent.LockedUntil), Is.EqualTo((0, (DateTimeOffset?)null)));
        Assert.That(super!.FailedSignIns, Is.Zero);
    }

    [Test]
    public async Task AFailureForAnUnknownLoginChangesNothing()
    {
        await using var db = await CreateAsync();
        var users = new DeskUserRepository(db.Factory);

        var locked = await users.RecordFailureAsync("nobody", 1, _now);

        Assert.That(locked, Is.Null);
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
