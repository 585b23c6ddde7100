using CallCenter.Data.Callbacks;

namespace CallCenter.Data.Tests;

/// <summary>The callbacks store on both databases: inserted once, moved on, the open ones listed oldest request first.</summary>
[TestFixtureSource(typeof(CallCenter.TestSupport.TestDatabases), nameof(CallCenter.TestSupport.TestDatabases.Providers))]
public sealed class CallbackRepositoryTests(string provider)
{
    private static readonly DateTimeOffset _t = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

    private static CallbackRow Row(string id, DateTimeOffset requestedAt, string status = CallbackStatuses.Queued) => new()
    {
        Id = id,
        Number = "13900000011",
        Queue = "general",
        Tier = "Gold",
        Language = "zh",
        AccountManager = "1004",
        Source = "queue-key",
        OriginCallId = "call-" + id,
        RequestedAt = requestedAt,
        DueAt = null,
        Status = status,
        UpdatedAt = requestedAt,
    };

    [Test]
    public async Task ACallbackIsStoredMovedOnAndListedWhileOpen()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var store = new CallbackRepository(db.Factory);
        Assert.That(await store.ListOpenAsync(), Is.Empty, "an empty table reads as nothing open");

        await store.InsertAsync(Row("cb-b", _t.AddMinutes(1)));
        await store.InsertAsync(Row("cb-a", _t) with { DueAt = _t.AddHours(2), Status = CallbackStatuses.Scheduled, Source = "desk", OwnerAgent = "1002" });
        await store.InsertAsync(Row("cb-c", _t.AddMinutes(2)));
        await store.UpdateAsync(Row("cb-c", _t.AddMinutes(2)) with { Status = CallbackStatuses.Completed, Attempts = 1, Outcome = "reached", LastCallId = "call-9", UpdatedAt = _t.AddMinutes(5) });
        await store.UpdateAsync(Row("cb-b", _t.AddMinutes(1)) with { Attempts = 1, Outcome = "busy", NextAttemptAt = _t.AddMinutes(10), UpdatedAt = _t.AddMinutes(5) });

        var open = await store.ListOpenAsync();
        var done = await store.GetAsync("cb-c");
        var retried = await store.GetAsync("cb-b");
        Assert.Multiple(async () =>
        {
            Assert.That(open.Select(r => r.Id), Is.EqualTo(new[] { "cb-a", "cb-b" }), "oldest request first; the completed one is not open");
            Assert.That(open[0].DueAt, Is.EqualTo(_t.AddHours(2)));
            Assert.That(open[0].OwnerAgent, Is.EqualTo("1002"), "the owner agent is kept");
            Assert.That(open[1].OwnerAgent, Is.Null);
            Assert.That((await store.ListByOwnerAsync("1002", 10)).Select(r => r.Id), Is.EqualTo(new[] { "cb-a" }), "an agent's own callbacks");
            Assert.That(await store.ListByOwnerAsync("1001", 10), Is.Empty);
            Assert.That(done, Is.EqualTo(Row("cb-c", _t.AddMinutes(2)) with { Status = "completed", Attempts = 1, Outcome = "reached", LastCallId = "call-9", UpdatedAt = _t.AddMinutes(5) }));
            Assert.That((retried!.Attempts, retried.Outcome, retried.NextAttemptAt), Is.EqualTo((1, "busy", (DateTimeOffset?)_t.AddMinutes(10))));
            Assert.That(await store.GetAsync("cb-none"), Is.Null);
            Assert.That((await store.ListAsync(CallbackStatuses.Completed, 10)).Select(r => r.Id), Is.EqualTo(new[] { "cb-c" }));
            Assert.That((await store.ListAsync(null, 2)).Select(r => r.Id), Is.EqualTo(new[] { "cb-c", "cb-b" }), "newest request first");
        });
    }

    [Test]
    public async Task WhoAskedForACallbackAndWhoCancelledItAndWhenAreKept()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var store = new CallbackRepository(db.Factory);
        var asked = Row("cb-x", _t) with { RequestedBy = "13900000099" };
        await store.InsertAsync(asked);
        var stored = await store.GetAsync("cb-x");
        await store.UpdateAsync(asked with { Status = CallbackStatuses.Cancelled, CancelledBy = "super", CancelledAt = _t.AddMinutes(3), UpdatedAt = _t.AddMinutes(3) });
        var cancelled = await store.GetAsync("cb-x");

        Assert.Multiple(async () =>
        {
            Assert.That(stored!.RequestedBy, Is.EqualTo("13900000099"));
            Assert.That((stored.CancelledBy, stored.CancelledAt), Is.EqualTo(((string?)null, (DateTimeOffset?)null)));
            Assert.That(cancelled!.Status, Is.EqualTo(CallbackStatuses.Cancelled));
            Assert.That((cancelled.CancelledBy, cancelled.CancelledAt), Is.EqualTo(("super", (DateTimeOffset?)_t.AddMinutes(3))));
            Assert.That(await store.ListOpenAsync(), Is.Empty, "a cancelled callback is not loaded again at start-up");
        });
    }
}
