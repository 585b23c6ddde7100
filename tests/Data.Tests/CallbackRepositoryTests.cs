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
    public async Task TheWaitingCallbacksAreListedSoonestDueFirstWithoutEndedOnesOrCallListEntries()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var store = new CallbackRepository(db.Factory);
        await store.InsertAsync(Row("cb-asap", _t.AddMinutes(30)));
        await store.InsertAsync(Row("cb-at-noon", _t) with { DueAt = _t.AddHours(3), Status = CallbackStatuses.Scheduled, OwnerAgent = "1002" });
        await store.InsertAsync(Row("cb-retry", _t.AddMinutes(-30)) with { Attempts = 1, Outcome = "busy", NextAttemptAt = _t.AddHours(1), Status = CallbackStatuses.Scheduled });
        await store.InsertAsync(Row("cb-calling", _t.AddMinutes(-40), CallbackStatuses.Calling));
        await store.InsertAsync(Row("cb-done", _t.AddMinutes(-50), CallbackStatuses.Completed));
        await store.InsertAsync(Row("cb-cancelled", _t.AddMinutes(-55), CallbackStatuses.Cancelled));
        await store.InsertAsync(Row("cb-list", _t.AddMinutes(-60)) with { ListEntryId = "entry-1", ListId = "list-1" });

        var waiting = await store.ListWaitingAsync(10);
        var first = await store.ListWaitingAsync(2);

        Assert.Multiple(() =>
        {
            Assert.That(waiting.Select(r => r.Id), Is.EqualTo(new[] { "cb-asap", "cb-retry", "cb-at-noon" }),
                "as soon as possible (asked 09:30), a retry at 10:00, one booked for 12:00; not the one being dialled, ended ones or a list's entry");
            Assert.That(waiting[2].OwnerAgent, Is.EqualTo("1002"));
            Assert.That(first.Select(r => r.Id), Is.EqualTo(new[] { "cb-asap", "cb-retry" }), "at most the limit");
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

    [Test]
    public async Task TwoNodesClaimingTheSameCallbacksAtOnceNeverBothWinOne()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();

        // Two nodes: each its own factory on the same database, each holding a copy of every waiting row.
        var nodeA = new CallbackRepository(db.Factory);
        var nodeB = new CallbackRepository(new DbConnectionFactory(db.Options));
        const int count = 40;
        var rows = Enumerable.Range(0, count).Select(i => Row($"cb-race-{i}", _t.AddSeconds(i)) with { Status = i % 2 == 0 ? CallbackStatuses.Queued : CallbackStatuses.Scheduled }).ToList();
        foreach (var row in rows)
        {
            await nodeA.InsertAsync(row);
        }

        // Row by row, the two claims are released together.
        var results = new List<(CallbackRow Row, bool A, bool B, CallbackRow? Stored)>();
        foreach (var row in rows)
        {
            using var start = new Barrier(2);
            Task<bool> Claim(CallbackRepository node, string callId) => Task.Run(() =>
            {
                start.SignalAndWait();
                return node.TryMoveAsync(row with { Status = CallbackStatuses.Calling, LastCallId = callId, UpdatedAt = _t.AddMinutes(1) }, CallbackStatuses.Waiting, row.Attempts);
            });
            var claims = await Task.WhenAll(Claim(nodeA, "call-a-" + row.Id), Claim(nodeB, "call-b-" + row.Id));
            results.Add((row, claims[0], claims[1], await nodeA.GetAsync(row.Id)));
        }

        Assert.Multiple(() =>
        {
            foreach (var (row, a, b, stored) in results)
            {
                Assert.That(a ^ b, Is.True, $"{row.Id}: exactly one node claims it (a {a}, b {b})");
                Assert.That(stored!.Status, Is.EqualTo(CallbackStatuses.Calling));
                Assert.That(stored.LastCallId, Is.EqualTo((a ? "call-a-" : "call-b-") + row.Id), "the stored attempt is the winner's");
            }
        });
    }

    [Test]
    public async Task ACancelRacingAClaimEitherCancelsItOrLetsItBeDialledNeverBoth()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var dialler = new CallbackRepository(db.Factory);
        var canceller = new CallbackRepository(new DbConnectionFactory(db.Options));
        var rows = Enumerable.Range(0, 40).Select(i => Row($"cb-cancel-{i}", _t.AddSeconds(i))).ToList();
        foreach (var row in rows)
        {
            await dialler.InsertAsync(row);
        }

        var results = new List<(CallbackRow Row, bool Claimed, bool Cancelled, CallbackRow? Stored)>();
        foreach (var row in rows)
        {
            using var start = new Barrier(2);
            var claim = Task.Run(() =>
            {
                start.SignalAndWait();
                return dialler.TryMoveAsync(row with { Status = CallbackStatuses.Calling, LastCallId = "call-" + row.Id }, CallbackStatuses.Waiting, row.Attempts);
            });
            var cancel = Task.Run(() =>
            {
                start.SignalAndWait();
                return canceller.TryMoveAsync(row with { Status = CallbackStatuses.Cancelled, CancelledBy = "super", CancelledAt = _t.AddMinutes(1) }, CallbackStatuses.Waiting, row.Attempts);
            });
            results.Add((row, await claim, await cancel, await dialler.GetAsync(row.Id)));
        }

        Assert.Multiple(() =>
        {
            foreach (var (row, claimed, cancelled, stored) in results)
            {
                Assert.That(claimed ^ cancelled, Is.True, $"{row.Id}: dialled or cancelled, one of the two (claimed {claimed}, cancelled {cancelled})");
                Assert.That(stored!.Status, Is.EqualTo(claimed ? CallbackStatuses.Calling : CallbackStatuses.Cancelled));
                Assert.That(stored.CancelledBy, Is.EqualTo(cancelled ? "super" : null));
            }
        });
    }

    [Test]
    public async Task AStaleCopyCannotClaimACallbackWhoseAttemptAnotherNodeAlreadyMadeAndQueuedAgain()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var store = new CallbackRepository(db.Factory);
        var waiting = Row("cb-stale", _t);
        await store.InsertAsync(waiting);

        // Node A dials it, the client is busy, it waits for its retry (queued again, one attempt).
        var claimedByA = await store.TryMoveAsync(waiting with { Status = CallbackStatuses.Calling, LastCallId = "call-a1" }, CallbackStatuses.Waiting, 0);
        await store.UpdateAsync(waiting with { Status = CallbackStatuses.Queued, Attempts = 1, Outcome = "busy", LastCallId = "call-a1", NextAttemptAt = _t.AddMinutes(5) });

        // Node B still holds the copy it read at its start (no attempt yet).
        var staleClaim = await store.TryMoveAsync(waiting with { Status = CallbackStatuses.Calling, LastCallId = "call-b1" }, CallbackStatuses.Waiting, 0);
        var staleCancel = await store.TryMoveAsync(waiting with { Status = CallbackStatuses.Cancelled, CancelledBy = "1002" }, CallbackStatuses.Waiting, 0);
        var freshClaim = await store.TryMoveAsync(waiting with { Status = CallbackStatuses.Calling, Attempts = 1, LastCallId = "call-a2" }, CallbackStatuses.Waiting, 1);
        var stored = await store.GetAsync("cb-stale");

        Assert.Multiple(() =>
        {
            Assert.That(claimedByA, Is.True);
            Assert.That(staleClaim, Is.False, "a copy read before the attempt does not claim it again");
            Assert.That(staleCancel, Is.False);
            Assert.That(freshClaim, Is.True, "the retry is claimed by whoever read it after the attempt");
            Assert.That((stored!.Status, stored.LastCallId, stored.Attempts), Is.EqualTo((CallbackStatuses.Calling, "call-a2", 1)));
            Assert.ThrowsAsync<ArgumentException>(() => store.TryMoveAsync(waiting, ["pending"], 0), "only the known statuses are written into the statement");
        });
    }

    [Test]
    public async Task AnAttemptsCallAndTheAgentsOutcomeAreKeptOnlyWhileThatAttemptIsCalling()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var store = new CallbackRepository(db.Factory);
        var calling = Row("cb-p", _t, CallbackStatuses.Calling) with { Source = "preview", ClaimedBy = "node-a", ClaimSeenAt = _t };
        await store.InsertAsync(calling);

        var named = await store.SetAttemptCallAsync("cb-p", "call-1");
        var wrongCall = await store.SetAgentOutcomeAsync("cb-p", "call-0", "refused");
        var kept = await store.SetAgentOutcomeAsync("cb-p", "call-1", "wrong-number");
        var refreshed = await store.RefreshClaimsAsync("node-a", ["cb-p"], _t.AddSeconds(5));
        var read = await store.GetAsync("cb-p");
        await store.UpdateAsync(read! with { Status = CallbackStatuses.Failed, Outcome = "wrong-number", UpdatedAt = _t.AddSeconds(9) });
        var afterEnd = await store.SetAgentOutcomeAsync("cb-p", "call-1", "refused");
        var namedAfterEnd = await store.SetAttemptCallAsync("cb-p", "call-2");
        var ended = await store.GetAsync("cb-p");

        Assert.Multiple(() =>
        {
            Assert.That((named, wrongCall, kept, refreshed), Is.EqualTo((true, false, true, 1)));
            Assert.That((read!.LastCallId, read.AgentOutcome, read.AgentOutcomeCall), Is.EqualTo(("call-1", "wrong-number", "call-1")));
            Assert.That((read.ClaimedBy, read.ClaimSeenAt), Is.EqualTo(("node-a", (DateTimeOffset?)_t.AddSeconds(5))));
            Assert.That((afterEnd, namedAfterEnd), Is.EqualTo((false, false)), "an ended attempt takes nothing more");
            Assert.That((ended!.LastCallId, ended.AgentOutcome, ended.Status), Is.EqualTo(("call-1", "wrong-number", CallbackStatuses.Failed)));
        });
    }
}
