using CallCenter.Data.Calls;

namespace CallCenter.Data.Tests;

[TestFixtureSource(typeof(CallCenter.TestSupport.TestDatabases), nameof(CallCenter.TestSupport.TestDatabases.Providers))]
public sealed class CallRecordRepositoryTests(string provider)
{
    private static CallRecord Record(string id, int minute, string disposition = "caller-hung-up") => new()
    {
        Id = id,
        Caller = "13800000001",
        Dialed = "95500",
        Tier = "Diamond",
        IvrPath = ["95500.language", "95500.menu", "95500.agent"],
        Queue = "general",
        StartedAt = new DateTimeOffset(2026, 11, 22, 9, minute, 0, TimeSpan.Zero),
        EndedAt = new DateTimeOffset(2026, 11, 22, 9, minute, 30, TimeSpan.Zero),
        WaitSeconds = 1.5,
        Disposition = disposition,
    };

    [Test]
    public async Task RecordsAreWrittenOnceAndListedNewestFirst()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var calls = new CallRecordRepository(db.Factory);

        Assert.That(await calls.InsertOnceAsync(Record("a", 1)), Is.True);
        Assert.That(await calls.InsertOnceAsync(Record("b", 2)), Is.True);
        Assert.That(await calls.InsertOnceAsync(Record("a", 1, "changed")), Is.False);
        var newest = await calls.ListNewestAsync(10);

        Assert.That(newest.Select(c => c.Id), Is.EqualTo(new[] { "b", "a" }));
        var a = newest[1];
        Assert.That(a.Disposition, Is.EqualTo("caller-hung-up"));
        Assert.That(a.IvrPath, Is.EqualTo(new[] { "95500.language", "95500.menu", "95500.agent" }));
        Assert.That(a with { IvrPath = [] }, Is.EqualTo(Record("a", 1) with { IvrPath = [] }));
        Assert.That(await calls.ListNewestAsync(1), Has.Count.EqualTo(1));
    }
}
