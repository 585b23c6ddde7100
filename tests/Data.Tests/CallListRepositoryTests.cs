using CallCenter.Data.Callbacks;
using CallCenter.Data.CallLists;

namespace CallCenter.Data.Tests;

/// <summary>The do-not-call list, call lists and their entries, and a list's callback, on both databases.</summary>
[TestFixtureSource(typeof(CallCenter.TestSupport.TestDatabases), nameof(CallCenter.TestSupport.TestDatabases.Providers))]
public sealed class CallListRepositoryTests(string provider)
{
    private static readonly DateTimeOffset _t = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task ANumberIsListedReplacedAndRemoved()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var store = new DoNotCallRepository(db.Factory);
        Assert.That(await store.ListAsync(), Is.Empty);

        var first = await store.AddAsync(new DoNotCallRow("+8613900000041", "asked", "super", _t));
        var again = await store.AddAsync(new DoNotCallRow("+8613900000041", "asked twice", "api-key", _t.AddMinutes(1)));
        var listed = await store.ListAsync();
        var removed = await store.RemoveAsync("+8613900000041");
        var removedAgain = await store.RemoveAsync("+8613900000041");
        Assert.Multiple(() =>
        {
            Assert.That((first, again), Is.EqualTo((true, false)));
            Assert.That(listed, Is.EqualTo(new[] { new DoNotCallRow("+8613900000041", "asked twice", "api-key", _t.AddMinutes(1)) }));
            Assert.That((removed, removedAgain), Is.EqualTo((true, false)));
        });
    }

    [Test]
    public async Task AnEscalationAndAnAttemptCrossingEachOtherKeepBoth()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var store = new CallListRepository(db.Factory);
        await store.InsertListAsync(new CallListRow("list-1", "New accounts", "new-account", "general", 2, 60, "super", _t));
        var entry = new CallListEntryRow
        {
            Id = "le-1",
            ListId = "list-1",
            Number = "13900000061",
            DueBy = _t.AddHours(1),
            Status = CallListStatuses.Calling,
            CreatedAt = _t,
            UpdatedAt = _t,
        };
        await store.InsertEntriesAsync([entry]);

        // The attempt's writer read the entry before the escalation; the escalation read it before the attempt ended.
        var staleForAttempt = (await store.GetEntryAsync("le-1"))!;
        var escalated = await store.MarkEscalatedAsync("le-1", _t.AddMinutes(50));
        await store.UpdateEntryAsync(staleForAttempt with { Status = CallListStatuses.Reached, Attempts = 1, Outcome = "reached", LastCallId = "call-9", UpdatedAt = _t.AddMinutes(51) });
        var twice = await store.MarkEscalatedAsync("le-1", _t.AddMinutes(52));
        var confirmed = await store.SetConfirmationAsync("le-1", "denied", "super", _t.AddMinutes(53));
        var after = (await store.GetEntryAsync("le-1"))!;

        Assert.Multiple(() =>
        {
            Assert.That((escalated, twice, confirmed), Is.EqualTo((true, false, true)));
            Assert.That((after.Status, after.LastCallId, after.EscalatedAt), Is.EqualTo((CallListStatuses.Reached, (string?)"call-9", (DateTimeOffset?)_t.AddMinutes(50))));
            Assert.That((after.Confirmation, after.ConfirmedBy), Is.EqualTo(((string?)"denied", (string?)"super")));
        });
    }

    [Test]
    public async Task AnAnswerIsRecordedOnlyOnAReachedEntry()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var store = new CallListRepository(db.Factory);
        await store.InsertListAsync(new CallListRow("list-1", "New accounts", "new-account", "general", 2, 60, "super", _t));
        await store.InsertEntriesAsync([new CallListEntryRow { Id = "le-1", ListId = "list-1", Number = "13900000061", DueBy = _t.AddHours(1), Status = CallListStatuses.Open, CreatedAt = _t, UpdatedAt = _t }]);

        Assert.That(await store.SetConfirmationAsync("le-1", "confirmed", "super", _t), Is.False);
        Assert.That(await store.SetConfirmationAsync("le-none", "confirmed", "super", _t), Is.False);
        Assert.That((await store.GetEntryAsync("le-1"))!.Confirmation, Is.Null);
    }

    [Test]
    public async Task APreviewIsHeldByOneAgentDialledOnceAndGivenBackOnlyByItsAgent()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var store = new CallListRepository(db.Factory);
        var list = new CallListRow("list-p", "Core clients", "core-client", "general", 3, 60, "super", _t, CallListModes.Preview);
        await store.InsertListAsync(list);
        var entry = new CallListEntryRow
        {
            Id = "le-p",
            ListId = "list-p",
            Number = "13900000071",
            DueBy = _t.AddHours(24),
            Status = CallListStatuses.Open,
            CreatedAt = _t,
            UpdatedAt = _t,
        };
        await store.InsertEntriesAsync([entry, entry with { Id = "le-later", NextAttemptAt = _t.AddMinutes(10) }]);
        await store.UpdateEntryAsync(entry with { Id = "le-later", NextAttemptAt = _t.AddMinutes(10) });

        var first = await store.TryHoldForPreviewAsync("le-p", "1001", _t.AddMinutes(1));
        var second = await store.TryHoldForPreviewAsync("le-p", "1002", _t.AddMinutes(1));
        var early = await store.TryHoldForPreviewAsync("le-later", "1002", _t.AddMinutes(1));
        var notHers = await store.TryStartPreviewDialAsync("le-p", "1002", _t.AddMinutes(2));
        var dialled = await store.TryStartPreviewDialAsync("le-p", "1001", _t.AddMinutes(2));
        var clickedTwice = await store.TryStartPreviewDialAsync("le-p", "1001", _t.AddMinutes(2));
        var undone = await store.UndoPreviewDialAsync("le-p", "1001", _t.AddMinutes(3));
        var skippedByOther = await store.GiveBackPreviewAsync("le-p", "1002", "not mine", null, _t.AddMinutes(4));
        var skipped = await store.GiveBackPreviewAsync("le-p", "1001", "client abroad", _t.AddMinutes(20), _t.AddMinutes(4));
        var afterSkip = (await store.GetEntryAsync("le-p"))!;
        var duringPause = await store.TryHoldForPreviewAsync("le-p", "1002", _t.AddMinutes(5));
        var afterPause = await store.TryHoldForPreviewAsync("le-p", "1002", _t.AddMinutes(21));
        var held = (await store.GetEntryAsync("le-p"))!;

        Assert.Multiple(async () =>
        {
            Assert.That(await store.ListsAsync(), Is.EqualTo(new[] { list }), "the mode is stored");
            Assert.That((first, second, early), Is.EqualTo((true, false, false)), "one agent holds it; a retry waits for its time");
            Assert.That((notHers, dialled, clickedTwice), Is.EqualTo((false, true, false)), "dialled once, by its agent");
            Assert.That((undone, skippedByOther, skipped), Is.EqualTo((true, false, true)));
            Assert.That((afterSkip.Status, afterSkip.PreviewAgent, afterSkip.Skips, afterSkip.SkipReason, afterSkip.NextAttemptAt), Is.EqualTo((CallListStatuses.Open, (string?)null, 1, "client abroad", (DateTimeOffset?)_t.AddMinutes(20))));
            Assert.That((duringPause, afterPause), Is.EqualTo((false, true)));
            Assert.That((held.Status, held.PreviewAgent, held.PreviewAt), Is.EqualTo((CallListStatuses.Previewing, "1002", (DateTimeOffset?)_t.AddMinutes(21))));
        });
    }

    [Test]
    public async Task AListItsEntriesAndAListCallbackAreStoredAndMovedOn()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var store = new CallListRepository(db.Factory);
        var list = new CallListRow("list-1", "Complaints", "complaint", "general", 2, 60, "super", _t);
        await store.InsertListAsync(list);
        var entry = new CallListEntryRow
        {
            Id = "le-1",
            ListId = "list-1",
            Number = "13900000061",
            ClientName = "Zhao",
            DueBy = _t.AddHours(24),
            Status = CallListStatuses.Open,
            CreatedAt = _t,
            UpdatedAt = _t,
        };
        await store.InsertEntriesAsync([entry, entry with { Id = "le-2", DueBy = _t.AddHours(1) }]);
        var moved = entry with
        {
            Status = CallListStatuses.Reached,
            Attempts = 2,
            Outcome = "reached",
            CallbackId = "cb-1",
            LastCallId = "call-2",
            Confirmation = "denied",
            ConfirmedBy = "1002",
            EscalatedAt = _t.AddHours(23),
            NoticeMessageId = "msg-1",
            NoticeSentAt = _t.AddSeconds(1),
            UpdatedAt = _t.AddHours(23),
        };
        await store.UpdateEntryAsync(moved);
        Assert.That(await store.MarkEscalatedAsync("le-1", _t.AddHours(23)), Is.True);
        Assert.That(await store.SetConfirmationAsync("le-1", "denied", "1002", _t.AddHours(23)), Is.True);

        var callbacks = new CallbackRepository(db.Factory);
        var callback = new CallbackRow
        {
            Id = "cb-1",
            Number = "13900000061",
            Queue = "general",
            Language = "zh",
            Source = "list",
            RequestedAt = _t,
            Status = CallbackStatuses.Queued,
            UpdatedAt = _t,
            ListEntryId = "le-1",
            MaxAttempts = 2,
            RetrySeconds = 60,
            RiskNotice = true,
        };
        await callbacks.InsertAsync(callback);

        Assert.Multiple(async () =>
        {
            Assert.That(await store.ListsAsync(), Is.EqualTo(new[] { list }));
            Assert.That(await store.GetEntryAsync("le-1"), Is.EqualTo(moved));
            Assert.That((await store.EntriesAsync("list-1")).Select(e => e.Id), Is.EqualTo(new[] { "le-2", "le-1" }), "by deadline");
            Assert.That(await store.EntriesAsync("list-none"), Is.Empty);
            Assert.That(await callbacks.GetAsync("cb-1"), Is.EqualTo(callback));
        });
    }

    [Test]
    public async Task TheCoreClientReviewReadsClientsOfItsTiersAndEachNumbersNewestEntry()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        await using (var connection = await db.Factory.OpenAsync())
        {
            foreach (var (phone, tier) in new[] { ("13800000001", "Diamond"), ("13800000002", "Platinum"), ("13800000003", "Gold") })
            {
                await Dapper.SqlMapper.ExecuteAsync(connection,
                    "INSERT INTO clients (phone, name, account_masked, tier, manager_extension, language, branch) VALUES (@phone, @name, '6225****', @tier, NULL, 'zh', 'b')",
                    new { phone, name = "client " + phone, tier });
            }
        }

        var store = new CallListRepository(db.Factory);
        await store.InsertListAsync(new CallListRow("list-core-client", "core-client", "core-client", "general", 3, 600, "rule", _t));
        await store.InsertListAsync(new CallListRow("list-other", "other", "general", "general", 3, 600, "super", _t));
        CallListEntryRow Entry(string id, string list, string number, DateTimeOffset at) => new()
        {
            Id = id,
            ListId = list,
            Number = number,
            DueBy = at.AddDays(7),
            Status = CallListStatuses.Reached,
            CreatedAt = at,
            UpdatedAt = at,
        };
        await store.InsertEntriesAsync([
            Entry("le-1", "list-core-client", "13800000001", _t.AddDays(-200)),
            Entry("le-2", "list-core-client", "13800000001", _t.AddDays(-20)),
            Entry("le-3", "list-other", "13800000002", _t),
            Entry("le-4", "list-other", "13800000003", _t) with { Status = CallListStatuses.Open },
        ]);

        await using (var connection = await db.Factory.OpenAsync())
        {
            // Both named clients have manager 1002 (an agent); the Platinum client denied 1002 on a new-account call.
            await Dapper.SqlMapper.ExecuteAsync(connection, "INSERT INTO agents (extension, name, sip_realm, sip_ha1_md5, sip_ha1_sha256, skills) VALUES ('1002', 'm', 'r', 'x', 'y', 'zh')");
            await Dapper.SqlMapper.ExecuteAsync(connection, "UPDATE clients SET manager_extension = '1002'");
        }

        await store.InsertListAsync(new CallListRow("list-new", "new", "new-account", "general", 3, 600, "super", _t));
        await store.InsertEntriesAsync([Entry("le-5", "list-new", "13800000002", _t.AddDays(-30)) with { AccountManager = "1002", Confirmation = "denied" }]);

        var clients = await store.ClientsOfTiersAsync(["Diamond", "Platinum"]);
        var none = await store.ClientsOfTiersAsync([]);
        var last = await store.LatestEntryTimesAsync("list-core-client");
        var ready = await store.ReadyForDialAsync(["list-core-client", "list-other"], 10);
        Assert.Multiple(() =>
        {
            Assert.That(ready.Select(e => e.Id), Is.EqualTo(new[] { "le-4" }));
            Assert.That(clients.Select(c => (c.Phone, c.Tier)), Is.EqualTo(new[] { ("13800000001", "Diamond"), ("13800000002", "Platinum") }));
            Assert.That(clients.Select(c => c.Manager), Is.EqualTo(new[] { "1002", null }), "a manager the client denied is not whom their review call goes to");
            Assert.That(none, Is.Empty);
            Assert.That(last, Is.EquivalentTo(new Dictionary<string, DateTimeOffset> { ["13800000001"] = _t.AddDays(-20) }));
        });
    }
}
