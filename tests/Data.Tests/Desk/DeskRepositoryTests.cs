using CallCenter.Data.Desk;

namespace CallCenter.Data.Tests.Desk;

[TestFixtureSource(typeof(CallCenter.TestSupport.TestDatabases), nameof(CallCenter.TestSupport.TestDatabases.Providers))]
public sealed class DeskRepositoryTests(string provider)
{
    private static readonly DateTimeOffset _now = new(2026, 12, 1, 9, 30, 0, TimeSpan.Zero);

    [Test]
    public async Task TheShippedDispositionCodesComeInTheirSortOrder()
    {
        await using var db = await CreateAsync();
        var codes = await new DispositionCodeRepository(db.Factory).ListAsync(activeOnly: true);

        Assert.That(codes.Select(c => c.Code), Is.EqualTo(new[] { "resolved", "account-query", "order-help", "transfer-help", "complaint", "callback-needed", "wrong-number", "refused", "manager-confirmed", "manager-denied" }));
        Assert.That(codes[0], Is.EqualTo(new DispositionCode("resolved", "已解决", "Resolved", true, 10)));
    }

    [Test]
    public async Task AnUpsertAddsOrChangesACodeAndAnInactiveCodeIsListedOnlyWhenAskedFor()
    {
        await using var db = await CreateAsync();
        var codes = new DispositionCodeRepository(db.Factory);

        await codes.UpsertAsync(new DispositionCode("appointment", "预约开户", "Appointment", true, 5));
        await codes.UpsertAsync(new DispositionCode("wrong-number", "打错电话", "Wrong number", false, 70));

        var active = await codes.ListAsync(activeOnly: true);
        var all = await codes.ListAsync(activeOnly: false);
        Assert.That(active[0].Code, Is.EqualTo("appointment"));
        Assert.That(active.Select(c => c.Code), Does.Not.Contain("wrong-number"));
        Assert.That(all.Single(c => c.Code == "wrong-number").Active, Is.False);
        Assert.That(all, Has.Count.EqualTo(11));
    }

    [Test]
    public async Task TheAuditLogKeepsEveryEntryNewestFirst()
    {
        await using var db = await CreateAsync();
        var audit = new AuditRepository(db.Factory);

        await audit.AppendAsync(new AuditEntry(_now, "super", "supervisor", "agent.state", "1001", AuditEntry.Done, "{\"to\":\"break\"}"));
        await audit.AppendAsync(new AuditEntry(_now.AddSeconds(1), "1002", "agent", "call.hold", "c-1", AuditEntry.Refused, "not the agent's call"));

        var entries = await audit.ListAsync(10);
        Assert.That(entries.Select(e => (e.Actor, e.Action, e.Outcome)), Is.EqualTo(new[]
        {
            ("1002", "call.hold", AuditEntry.Refused),
            ("super", "agent.state", AuditEntry.Done),
        }));
        Assert.That(entries[1].At, Is.EqualTo(_now));
        Assert.That(entries[0].Seq, Is.GreaterThan(entries[1].Seq));
        Assert.That(await audit.ListAsync(1), Has.Count.EqualTo(1));
    }

    private async Task<TestDatabase> CreateAsync()
    {
        var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        return db;
    }
}
