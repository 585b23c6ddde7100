using CallCenter.Data.Catalog;
using CallCenter.Data.Desk;

namespace CallCenter.Data.Tests.Desk;

[TestFixtureSource(typeof(CallCenter.TestSupport.TestDatabases), nameof(CallCenter.TestSupport.TestDatabases.Providers))]
public sealed class DeskSessionRepositoryTests(string provider)
{
    private static readonly DateTimeOffset _now = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan _idle = TimeSpan.FromMinutes(60);
    private static readonly TimeSpan _touch = TimeSpan.FromMinutes(1);

    [Test]
    public async Task ASessionIsFoundUntilDeletedAndOnlyItGoes()
    {
        await using var db = await CreateAsync();
        var sessions = new DeskSessionRepository(db.Factory);
        await sessions.CreateAsync("s1", "1001", _now, _now - _idle);
        await sessions.CreateAsync("s2", "1001", _now, _now - _idle);

        var found = await sessions.FindAsync("s1", _now, _now - _idle, _touch);
        var deleted = await sessions.DeleteAsync("s1");
        var again = await sessions.DeleteAsync("s1");

        Assert.That(found, Is.EqualTo("1001"));
        Assert.That((deleted, again), Is.EqualTo((true, false)));
        Assert.That(await sessions.FindAsync("s1", _now, _now - _idle, _touch), Is.Null);
        Assert.That(await sessions.FindAsync("s2", _now, _now - _idle, _touch), Is.EqualTo("1001"));
        Assert.That(await sessions.FindAsync("never", _now, _now - _idle, _touch), Is.Null);
    }

    [Test]
    public async Task UseKeepsASessionAliveAndIdlenessEndsIt()
    {
        await using var db = await CreateAsync();
        var sessions = new DeskSessionRepository(db.Factory);
        await sessions.CreateAsync("s1", "1001", _now, _now - _idle);

        var at50 = _now.AddMinutes(50);
        await sessions.FindAsync("s1", at50, at50 - _idle, _touch);
        var at100 = _now.AddMinutes(100);
        var used = await sessions.FindAsync("s1", at100, at100 - _idle, _touch);
        var at200 = _now.AddMinutes(200);
        var idle = await sessions.FindAsync("s1", at200, at200 - _idle, _touch);

        Assert.That(used, Is.EqualTo("1001"), "last used at 50 minutes, so alive at 100");
        Assert.That(idle, Is.Null);
    }

    [Test]
    public async Task ANewSessionClearsAbandonedOnes()
    {
        await using var db = await CreateAsync();
        var sessions = new DeskSessionRepository(db.Factory);
        await sessions.CreateAsync("old", "super", _now, _now - _idle);

        var later = _now.AddHours(3);
        await sessions.CreateAsync("new", "1001", later, later - _idle);

        Assert.That(await sessions.DeleteAsync("old"), Is.False, "already cleared");
    }

    [Test]
    public async Task ANewPasswordAndADeletedAgentEndTheirLoginsSessionsOnly()
    {
        await using var db = await CreateAsync();
        var sessions = new DeskSessionRepository(db.Factory);
        var agents = new AdminAgentRepository(db.Factory);
        await sessions.CreateAsync("agent-1", "1001", _now, _now - _idle);
        await sessions.CreateAsync("agent-2", "1002", _now, _now - _idle);
        await sessions.CreateAsync("super-1", "super", _now, _now - _idle);

        await agents.SaveAsync("1001", "赵敏", ["zh"], new AgentCredentials("callcenter", "md5", "sha", "pbkdf2-new"));
        await agents.DeleteAsync("1002");

        Assert.That(await sessions.FindAsync("agent-1", _now, _now - _idle, _touch), Is.Null);
        Assert.That(await sessions.FindAsync("agent-2", _now, _now - _idle, _touch), Is.Null);
        Assert.That(await sessions.FindAsync("super-1", _now, _now - _idle, _touch), Is.EqualTo("super"));
        Assert.That(await sessions.DeleteForLoginAsync("super"), Is.EqualTo(1));
    }

    private async Task<TestDatabase> CreateAsync()
    {
        var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var catalog = new CatalogRepository(db.Factory);
        await catalog.UpsertAgentAsync(new AgentRecord("1001", "赵敏", "callcenter", "a", "b"));
        await catalog.UpsertAgentAsync(new AgentRecord("1002", "钱伟", "callcenter", "a", "b"));
        await catalog.UpsertDeskUserAsync(new DeskUserRecord("1001", "agent", "hash-1", "1001"));
        await catalog.UpsertDeskUserAsync(new DeskUserRecord("1002", "agent", "hash-2", "1002"));
        await catalog.UpsertDeskUserAsync(new DeskUserRecord("super", "supervisor", "hash-s", null));
        return db;
    }
}
