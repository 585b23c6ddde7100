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
        Assert.That(a with { IvrPath = [], Legs = [] }, Is.EqualTo(Record("a", 1) with { IvrPath = [] }));
        Assert.That(await calls.ListNewestAsync(1), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task AFaxCallsT30ResultRoundTripsAndACallWithoutOneHasNone()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var calls = new CallRecordRepository(db.Factory);
        var fax = new CallFax("fax-0001", "inbound", false, 1, 9600, true, 49, "The call dropped prematurely", BadRows: 11);

        await calls.InsertOnceAsync(Record("f", 0, "fax-failed") with { Dialed = "95580", Fax = fax });
        await calls.InsertOnceAsync(Record("v", 1));

        Assert.That((await calls.FindAsync("f"))!.Fax, Is.EqualTo(fax));
        Assert.That((await calls.FindAsync("v"))!.Fax, Is.Null);
        Assert.That((await calls.ListNewestAsync(10)).Single(c => c.Id == "f").Fax, Is.EqualTo(fax), "the list reads it too");
    }

    [Test]
    public async Task AnOutboundListCallsListEntryAttemptAndOutcomeRoundTrip()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var calls = new CallRecordRepository(db.Factory);
        var start = new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);
        var record = Record("o", 0) with
        {
            Direction = CallDirections.Outbound,
            ListId = "list-1",
            ListEntryId = "le-1",
            Attempt = 2,
            Outcome = "no-answer",
        };

        await calls.InsertOnceAsync(record);
        var read = await calls.FindAsync("o");

        Assert.That((read!.Direction, read.ListId, read.ListEntryId, read.Attempt, read.Outcome), Is.EqualTo((CallDirections.Outbound, "list-1", "le-1", (int?)2, "no-answer")));
    }

    [Test]
    public async Task AgentPartOfTheRecordRoundTrips()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var calls = new CallRecordRepository(db.Factory);
        var start = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
        var legs = new List<CallLeg>
        {
            new("caller", "13800000001", start, start, start.AddSeconds(60), "caller-hung-up"),
            new("agent", "1001", start.AddSeconds(10), null, start.AddSeconds(30), "no-answer"),
            new("agent", "1002", start.AddSeconds(30), start.AddSeconds(33), start.AddSeconds(60), "answered"),
        };
        var record = Record("c", 0) with
        {
            Agent = "1002",
            QueuedAt = start.AddSeconds(10),
            AnsweredAt = start.AddSeconds(33),
            RingSeconds = 23,
            HoldSeconds = 4.5,
            WrapUpSeconds = 15,
            TalkSeconds = 27,
            Legs = legs,
            Routing = "agent 1002 available: highest score",
            Recording = "recordings/c.wav",
            RecordingSha256 = new string('a', 64),
        };

        await calls.InsertOnceAsync(record);
        var read = (await calls.ListStartedBetweenAsync(start, start.AddMinutes(1)))[0];

        Assert.That(read.Legs, Is.EqualTo(legs));
        Assert.That(read with { IvrPath = [], Legs = [] }, Is.EqualTo(record with { IvrPath = [], Legs = [] }));
        Assert.That(await calls.ListStartedBetweenAsync(start.AddMinutes(1), start.AddMinutes(2)), Is.Empty);
    }

    [Test]
    public async Task ACallersAndAnAgentsRecordsAreListedNewestFirstWithTheirWrapUp()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var calls = new CallRecordRepository(db.Factory);
        for (var minute = 0; minute < 7; minute++)
        {
            await calls.InsertOnceAsync(Record($"r{minute}", minute) with { Agent = minute % 2 == 0 ? "1001" : "1002", WrapUpCode = minute == 6 ? "resolved" : null, WrapUpNotes = minute == 6 ? "备注" : null });
        }

        await calls.InsertOnceAsync(Record("other", 8) with { Caller = "13800000002" });

        var recent = await calls.ListByCallerAsync("13800000001", 5);
        var own = await calls.ListByAgentAsync("1002", 10);

        Assert.That(recent.Select(r => r.Id), Is.EqualTo(new[] { "r6", "r5", "r4", "r3", "r2" }));
        Assert.That((recent[0].WrapUpCode, recent[0].WrapUpNotes), Is.EqualTo(("resolved", "备注")));
        Assert.That(own.Select(r => r.Id), Is.EqualTo(new[] { "r5", "r3", "r1" }));
        Assert.That((await calls.FindAsync("r4"))?.Agent, Is.EqualTo("1001"));
        Assert.That(await calls.FindAsync("nope"), Is.Null);
    }

    [Test]
    public async Task ALateWrapUpIsSetOnceOnlyOnTheAgentsOwnRecord()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var calls = new CallRecordRepository(db.Factory);
        await calls.InsertOnceAsync(Record("w", 1) with { Agent = "1001" });

        var foreign = await calls.SetWrapUpAsync("w", "1002", "resolved", null);
        var first = await calls.SetWrapUpAsync("w", "1001", "complaint", "angry");
        var second = await calls.SetWrapUpAsync("w", "1001", "resolved", "changed my mind");

        Assert.That((foreign, first, second), Is.EqualTo((false, true, false)));
        var read = await calls.FindAsync("w");
        Assert.That((read?.WrapUpCode, read?.WrapUpNotes), Is.EqualTo(("complaint", "angry")));
    }

    [Test]
    public async Task ALateWrongNumberOrRefusalBecomesTheOutcomeOfAReachedOutboundRecordOnly()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var calls = new CallRecordRepository(db.Factory);
        await calls.InsertOnceAsync(Record("o1", 1) with { Agent = "1001", Direction = CallDirections.Outbound, Outcome = "reached" });
        await calls.InsertOnceAsync(Record("o2", 2) with { Agent = "1001", Direction = CallDirections.Outbound, Outcome = "reached" });
        await calls.InsertOnceAsync(Record("o3", 3) with { Agent = "1001", Direction = CallDirections.Outbound, Outcome = "no-answer" });
        await calls.InsertOnceAsync(Record("o4", 4) with { Agent = "1001", Direction = CallDirections.Outbound, Outcome = "reached" });

        await calls.SetWrapUpAsync("o1", "1001", "wrong-number", null, "wrong-number");
        await calls.SetWrapUpAsync("o2", "1001", "refused", null, "refused");
        await calls.SetWrapUpAsync("o3", "1001", "wrong-number", null, "wrong-number");
        await calls.SetWrapUpAsync("o4", "1001", "query", null);

        Assert.Multiple(async () =>
        {
            Assert.That((await calls.FindAsync("o1"))?.Outcome, Is.EqualTo("wrong-number"));
            Assert.That((await calls.FindAsync("o2"))?.Outcome, Is.EqualTo("refused"));
            Assert.That((await calls.FindAsync("o3"))?.Outcome, Is.EqualTo("no-answer"), "nobody answered: nothing to correct");
            Assert.That((await calls.FindAsync("o4"))?.Outcome, Is.EqualTo("reached"));
            Assert.That((await calls.FindAsync("o4"))?.WrapUpCode, Is.EqualTo("query"));
        });
    }

    [Test]
    public async Task AnOutcomeFromAnAgentWhoTransferredTheCallAwayCorrectsOnlyAReachedOutboundRecordAndLeavesItsWrapUp()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var calls = new CallRecordRepository(db.Factory);
        await calls.InsertOnceAsync(Record("t1", 1) with { Agent = "1002", Direction = CallDirections.Outbound, Outcome = "reached", WrapUpCode = "query" });
        await calls.InsertOnceAsync(Record("t2", 2) with { Agent = "1002", Direction = CallDirections.Outbound, Outcome = "busy" });
        await calls.InsertOnceAsync(Record("t3", 3) with { Agent = "1002" });

        var changed = (await calls.SetReachedOutcomeAsync("t1", "wrong-number"), await calls.SetReachedOutcomeAsync("t2", "wrong-number"), await calls.SetReachedOutcomeAsync("t3", "refused"));
        var (t1, t2, t3) = (await calls.FindAsync("t1"), await calls.FindAsync("t2"), await calls.FindAsync("t3"));

        Assert.That(changed, Is.EqualTo((true, false, false)));
        Assert.That((t1?.Outcome, t1?.WrapUpCode), Is.EqualTo(("wrong-number", "query")), "the last agent's code stays");
        Assert.That((t2?.Outcome, t3?.Outcome), Is.EqualTo(("busy", (string?)null)));
    }

    [Test]
    public async Task AConsultLegKeepsWhereItIsInTheRecording()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var calls = new CallRecordRepository(db.Factory);
        var at = new DateTimeOffset(2026, 11, 22, 9, 1, 5, TimeSpan.Zero);
        CallLeg[] legs =
        [
            new CallLeg("agent", "1001", at, at.AddSeconds(1), at.AddSeconds(20), "answered"),
            new CallLeg("consult", "+8613800000009", at.AddSeconds(3), at.AddSeconds(4), at.AddSeconds(9), "consulted-hung-up", 3.24, 8.1),
        ];
        await calls.InsertOnceAsync(Record("c1", 1) with { Legs = legs });

        Assert.That((await calls.FindAsync("c1"))?.Legs, Is.EqualTo(legs));
    }

    [Test]
    public async Task CallsLeftOpenAreClosedAsInterruptedOnceAndWrittenCallsAreNot()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var calls = new CallRecordRepository(db.Factory);
        var start = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
        await calls.OpenAsync("open", "13800000002", "95500", start);
        await calls.OpenAsync("done", "13800000003", "95501", start);
        await calls.InsertOnceAsync(Record("done", 0));

        var closed = await calls.CloseInterruptedAsync(start.AddMinutes(5));
        var again = await calls.CloseInterruptedAsync(start.AddMinutes(6));

        Assert.That(closed, Is.EqualTo(new[] { "open" }));
        Assert.That(again, Is.Empty);
        var records = await calls.ListNewestAsync(10);
        Assert.That(records.Single(r => r.Id == "open").Disposition, Is.EqualTo(CallDisposition.Interrupted.Value));
        Assert.That(records.Single(r => r.Id == "open").EndedAt, Is.EqualTo(start.AddMinutes(5)));
        Assert.That(records.Single(r => r.Id == "done").Disposition, Is.EqualTo("caller-hung-up"));
    }

    [Test]
    public async Task ANodeStartingOnASharedDatabaseClosesOnlyItsOwnOpenCallsAndTheOthersRecordsSurvive()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var node1 = new CallRecordRepository(db.Factory, "node-1");
        var node2 = new CallRecordRepository(db.Factory, "node-2");
        var start = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
        await node1.OpenAsync("live-on-1", "13800000002", "95500", start);
        await node2.OpenAsync("left-by-2", "13800000003", "95501", start);

        // Node 2 restarts: only its own call is closed, node 1's live call is untouched ...
        Assert.That(await node2.CloseInterruptedAsync(start.AddMinutes(5)), Is.EqualTo(new[] { "left-by-2" }));

        // ... and node 1's heartbeat vouches for its own call only, and its real record is written when it ends.
        await node1.NoteAliveAsync(start.AddMinutes(6), start.AddMinutes(-1));
        Assert.That(await node1.InsertOnceAsync(Record("live-on-1", 0, "agent-hung-up")), Is.True);
        var records = await node1.ListNewestAsync(10);
        Assert.That(records.Single(r => r.Id == "live-on-1").Disposition, Is.EqualTo("agent-hung-up"));
        Assert.That(records.Single(r => r.Id == "left-by-2").Disposition, Is.EqualTo(CallDisposition.Interrupted.Value));

        // A single platform (no node name) owns every open row, as before nodes were named.
        var single = new CallRecordRepository(db.Factory);
        await node1.OpenAsync("another", "13800000004", "95500", start);
        Assert.That(await single.CloseInterruptedAsync(start.AddMinutes(7)), Is.EqualTo(new[] { "another" }));
    }

    [Test]
    public async Task ClosingLateOnlyClosesTheCallsThatStartedBeforeTheProcessDid()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var calls = new CallRecordRepository(db.Factory, "node-1");
        var start = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
        await calls.OpenAsync("former-life", "13800000002", "95500", start.AddMinutes(-3));
        await calls.OpenAsync("taken-since-start", "13800000003", "95500", start.AddSeconds(2));

        // The process started at `start`; its node id was confirmed a few seconds later, while it had a call of its own.
        var closed = await calls.CloseInterruptedAsync(start.AddSeconds(5), _ => null, CancellationToken.None, startedBefore: start);

        Assert.That(closed, Is.EqualTo(new[] { "former-life" }));
        Assert.That(await calls.InsertOnceAsync(Record("taken-since-start", 0, "agent-hung-up")), Is.True, "the live call was left open and gets its real record");
        Assert.That((await calls.ListNewestAsync(10)).Single(r => r.Id == "taken-since-start").Disposition, Is.EqualTo("agent-hung-up"));
    }

    [Test]
    public async Task ABatchWritesOpenRowsAndRecordsInOneGoAndWrittenAgainChangesNothing()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var calls = new CallRecordRepository(db.Factory);
        var start = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
        CallRecordWrite[] batch =
        [
            new("short", null, ("13800000002", "95500", start)),
            new("long", null, ("13800000003", "95501", start)),
            new("short", Record("short", 0), null),
        ];

        var first = await calls.WriteBatchAsync(batch);
        var again = await calls.WriteBatchAsync(batch);

        Assert.That(first, Is.EqualTo(1));
        Assert.That(again, Is.Zero);
        Assert.That((await calls.ListNewestAsync(10)).Select(r => r.Id), Is.EqualTo(new[] { "short" }));

        // Only the call still in progress was left open: a restart closes it, not the written one.
        Assert.That(await calls.CloseInterruptedAsync(start.AddMinutes(5)), Is.EqualTo(new[] { "long" }));
    }

    [Test]
    public async Task AKilledCallKeepsItsProgressAndEndsAtTheLastHeartbeatNotTheRestart()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var calls = new CallRecordRepository(db.Factory);
        var start = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
        var progress = Record("k", 0, "in-progress") with
        {
            Agent = "1001",
            QueuedAt = start.AddSeconds(8),
            AnsweredAt = start.AddSeconds(10),
            Routing = "agent 1001 available",
            Recording = "/rec/k.wav",
            Legs =
            [
                new("caller", "13800000001", start, start, null, "in-progress"),
                new("agent", "1001", start.AddSeconds(9), start.AddSeconds(10), null, "answered"),
            ],
        };

        await calls.WriteBatchAsync(
        [
            new CallRecordWrite("k", null, ("13800000001", "95500", start)),
            CallRecordWrite.Progressed(progress with { Agent = null, AnsweredAt = null, Legs = [] }, start.AddSeconds(8)),
            CallRecordWrite.Progressed(progress, start.AddSeconds(10)),
            CallRecordWrite.Alive(start.AddSeconds(40), start),
        ]);
        await calls.UpdateProgressAsync(progress with { Agent = "stale" }, start.AddSeconds(9)); // older than the one written: ignored
        await calls.NoteAliveAsync(start.AddHours(2), start.AddHours(1)); // the next run's heartbeat: not its call to vouch for
        await calls.CloseInterruptedAsync(start.AddHours(2), id => id == "k" ? ("/other/k.wav", new string('b', 64)) : null);
        var record = await calls.FindAsync("k");

        Assert.That(record, Is.Not.Null);
        Assert.That(record!.Disposition, Is.EqualTo("interrupted"));
        Assert.That(record.Agent, Is.EqualTo("1001"));
        Assert.That(record.Tier, Is.EqualTo("Diamond"));
        Assert.That(record.Queue, Is.EqualTo("general"));
        Assert.That(record.AnsweredAt, Is.EqualTo(start.AddSeconds(10)));
        Assert.That(record.EndedAt, Is.EqualTo(start.AddSeconds(40)), "the last heartbeat, not the restart two hours later");
        Assert.That(record.TalkSeconds, Is.EqualTo(30));
        Assert.That(record.Recording, Is.EqualTo("/rec/k.wav"), "the progress's path wins over a file found by id");
        Assert.That(record.Legs.Select(l => (l.Role, l.EndedAt, l.Outcome)), Is.EqualTo(new[]
        {
            ("caller", (DateTimeOffset?)start.AddSeconds(40), "interrupted"),
            ("agent", (DateTimeOffset?)start.AddSeconds(40), "answered"),
        }));
    }

    [Test]
    public async Task AProgressUpdateArrivingAfterTheFinalRecordChangesNothing()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var calls = new CallRecordRepository(db.Factory);
        var start = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
        var final = Record("f", 0) with { Agent = "1002" };

        await calls.WriteBatchAsync(
        [
            new CallRecordWrite("f", null, ("13800000001", "95500", start)),
            new CallRecordWrite("f", final, null),
            CallRecordWrite.Progressed(final with { Agent = "1003", Disposition = "in-progress" }, start.AddMinutes(1)),
            CallRecordWrite.Alive(start.AddMinutes(2), start),
        ]);
        await calls.UpdateProgressAsync(final with { Agent = "1004" }, start.AddMinutes(3));

        Assert.That(await calls.CloseInterruptedAsync(start.AddMinutes(5)), Is.Empty, "no open row came back");
        var stored = await calls.FindAsync("f");
        Assert.That(stored! with { IvrPath = [], Legs = [] }, Is.EqualTo(final with { IvrPath = [], Legs = [] }), "the final record as written");
    }

    [Test]
    public async Task ABatchWrittenKindByKindKeepsEachHeartbeatBetweenTheWritesAroundIt()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var calls = new CallRecordRepository(db.Factory);
        var start = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

        var written = await calls.WriteBatchAsync(
        [
            new CallRecordWrite("before", null, ("13800000001", "95500", start)),
            new CallRecordWrite("done1", Record("done1", 0), null),
            CallRecordWrite.Alive(start.AddSeconds(20), start),
            new CallRecordWrite("after", null, ("13800000002", "95500", start.AddSeconds(10))),
            CallRecordWrite.Progressed(Record("after", 0, "in-progress") with { Queue = "vip" }, start.AddSeconds(12)),
            new CallRecordWrite("done2", Record("done2", 1), null),
        ]);
        await calls.CloseInterruptedAsync(start.AddHours(1));

        Assert.That(written, Is.EqualTo(2));
        Assert.That((await calls.FindAsync("before"))?.EndedAt, Is.EqualTo(start.AddSeconds(20)), "open before the heartbeat: alive then");
        var after = await calls.FindAsync("after");
        Assert.That((after?.EndedAt, after?.Queue), Is.EqualTo(((DateTimeOffset?)start.AddSeconds(12), "vip")), "opened after it: its own last update, not the heartbeat");
    }
}
