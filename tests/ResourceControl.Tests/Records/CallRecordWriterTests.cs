using CallCenter.Data;
using CallCenter.Data.Calls;
using CallCenter.Data.Events;
using CallCenter.ResourceControl.Records;
using CallCenter.TestSupport;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallCenter.ResourceControl.Tests.Records;

/// <summary>
/// The one writer of call records and events: both go in one transaction a window on the connection it keeps, so a batch
/// the database refuses loses neither and half of it never lands; at shutdown both queues are written out.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Providers))]
public sealed class CallRecordWriterTests(string provider)
{
    private static readonly DateTimeOffset _t0 = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task ABatchWhoseEventsCannotBeWrittenWritesNoneOfItsRecordsEitherAndAllOfItOnceTheDatabaseTakesThem()
    {
        await using var db = await MigratedAsync();
        var (events, writer) = WriterOn(db);
        await writer.StartAsync(CancellationToken.None);
        try
        {
            // A first batch goes through, so the writer holds its connection and its statements when the table goes away.
            await writer.EnqueueAsync(Record("c-first"));
            events.Write(EventKind.CallEnded, "c-first", sipCallId: "sip-first");
            await WaitUntilAsync(async () => await CountAsync(db, "SELECT COUNT(*) FROM calls WHERE id = 'c-first'") == 1, "the first record");

            // The events table goes away: every batch with an event now fails inside its transaction.
            await ExecuteAsync(db, "ALTER TABLE events RENAME TO events_away");
            await writer.EnqueueAsync(Record("c-second"));
            events.Write(EventKind.CallEnded, "c-second", sipCallId: "sip-second");
            await WaitUntilAsync(() => Task.FromResult(writer.Pending == 0 && events.Waiting.Count == 0), "the second batch taken");
            await Task.Delay(500);
            Assert.That(await CountAsync(db, "SELECT COUNT(*) FROM calls WHERE id = 'c-second'"), Is.Zero, "the record is in the failed batch's transaction, so it must not land without its events");

            await ExecuteAsync(db, "ALTER TABLE events_away RENAME TO events");
            await WaitUntilAsync(async () => await CountAsync(db, "SELECT COUNT(*) FROM calls WHERE id = 'c-second'") == 1, "the second record after the table is back");
            await Task.Delay(300);
            Assert.That(await CountAsync(db, "SELECT COUNT(*) FROM calls WHERE id = 'c-second'"), Is.EqualTo(1));
            var logged = await new EventRepository(db.Factory).ListForCallAsync("c-second");
            Assert.That(logged.Select(e => e.Kind), Is.EqualTo(new[] { EventKind.CallEnded.Value }), "the event is written once, with its record");
            Assert.That(logged[0].Detail, Does.Contain("sip-second"));
            Assert.That(writer.Written, Is.EqualTo(2));
        }
        finally
        {
            await StopWithinAsync(writer);
        }
    }

    [Test]
    public async Task StoppingWritesEveryRecordAndEventStillQueuedInBatchesOfTheirLimit()
    {
        await using var db = await MigratedAsync();
        var (events, writer) = WriterOn(db);

        // Never started: everything is still queued when the host stops it, more than one batch of each.
        const int records = CallRecordWriter.MaxBatch + 44;
        const int logged = (2 * CallRecordWriter.MaxEvents) + 7;
        for (var i = 0; i < records; i++)
        {
            await writer.EnqueueAsync(Record($"c-{i}"));
        }

        for (var i = 0; i < logged; i++)
        {
            events.Write(EventKind.CallEnded, $"c-{i % records}");
        }

        await writer.StopAsync(CancellationToken.None);

        Assert.That(await CountAsync(db, "SELECT COUNT(*) FROM calls"), Is.EqualTo(records));
        Assert.That(await CountAsync(db, "SELECT COUNT(*) FROM events"), Is.EqualTo(logged));
        Assert.That(writer.Written, Is.EqualTo(records));
        events.Write(EventKind.CallEnded, "late");
        Assert.That(events.Dropped, Is.EqualTo(1), "an event after the last batch is counted as dropped, not kept waiting for ever");
    }

    [Test]
    public async Task AHostStoppingDuringAnOutageKeepsTheBatchInHandAndWritesEverythingOnceTheDatabaseIsBack()
    {
        await using var db = await MigratedAsync();
        var (events, writer) = WriterOn(db);
        await writer.StartAsync(CancellationToken.None);

        // The database refuses every batch; more than a batch of each is queued behind the one the loop is retrying.
        await ExecuteAsync(db, "ALTER TABLE events RENAME TO events_away");
        const int records = (2 * CallRecordWriter.MaxBatch) + 10;
        for (var i = 0; i < records; i++)
        {
            await writer.EnqueueAsync(Record($"c-{i}"));
            events.Write(EventKind.CallEnded, $"c-{i}");
        }

        await WaitUntilAsync(() => Task.FromResult(writer.Pending < records), "the loop to take its first batch");
        await Task.Delay(300);

        // The host stops while the loop waits to retry; the database is back a moment later, inside the stop's time.
        using var stopTime = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stopping = writer.StopAsync(stopTime.Token);
        await Task.Delay(500);
        await ExecuteAsync(db, "ALTER TABLE events_away RENAME TO events");
        await stopping.WaitAsync(TimeSpan.FromSeconds(40));

        Assert.That(await CountAsync(db, "SELECT COUNT(*) FROM calls"), Is.EqualTo(records), "no batch is dropped because the host began to stop");
        Assert.That(await CountAsync(db, "SELECT COUNT(*) FROM events"), Is.EqualTo(records));
        Assert.That(writer.Written, Is.EqualTo(records));
    }

    [Test]
    public async Task ACallerIdWithANulCharacterIsWrittenNotRetriedForEverWithItsBatch()
    {
        await using var db = await MigratedAsync();
        var (events, writer) = WriterOn(db);
        await writer.StartAsync(CancellationToken.None);
        try
        {
            // What a From of <sip:%00@host> unescapes to, beside an ordinary call in the same batch.
            writer.Open("c-nul", "\0", "95500", _t0);
            await writer.EnqueueAsync(Record("c-plain"));
            events.Write(EventKind.CallEnded, "c-nul", detail: new { caller = "13\0" }, sipCallId: "sip\0id");
            await WaitUntilAsync(async () => await CountAsync(db, "SELECT COUNT(*) FROM calls WHERE id = 'c-plain'") == 1, "the batch with the NUL written");

            Assert.That(await CountAsync(db, "SELECT COUNT(*) FROM calls_open WHERE id = 'c-nul'"), Is.EqualTo(1));
            var logged = await new EventRepository(db.Factory).ListForCallAsync("c-nul");
            Assert.That(logged, Has.Count.EqualTo(1));
        }
        finally
        {
            await StopWithinAsync(writer);
        }
    }

    [Test]
    public async Task ARecordTheDatabaseRefusesIsSetAsideAndTheRestOfItsBatchIsWritten()
    {
        await using var db = await MigratedAsync();
        var (events, writer) = WriterOn(db);

        // The refused call was answered (its open row is written first, in a batch of its own).
        writer.Open("c-refused", "13900000001", "95500", _t0);
        await writer.StartAsync(CancellationToken.None);
        await WaitUntilAsync(async () => await CountAsync(db, "SELECT COUNT(*) FROM calls_open WHERE id = 'c-refused'") == 1, "the open row");
        await writer.StopAsync(CancellationToken.None);
        (events, writer) = WriterOn(db);

        // Queued before the start, so all of it is one batch; the middle record has no dialled number (a NOT NULL column),
        // as a bug would leave it: the database refuses it however often it is sent.
        await writer.EnqueueAsync(Record("c-before"));
        await writer.EnqueueAsync(Record("c-refused") with { Dialed = null!, WaitSeconds = double.NaN });
        await writer.EnqueueAsync(Record("c-after"));
        events.Write(EventKind.CallEnded, "c-after", sipCallId: "sip-after");
        await writer.StartAsync(CancellationToken.None);
        try
        {
            await WaitUntilAsync(async () => await CountAsync(db, "SELECT COUNT(*) FROM calls WHERE id IN ('c-before', 'c-after')") == 2, "the records around the refused one");
            await WaitUntilAsync(async () => (await new EventRepository(db.Factory).ListForCallAsync("c-refused")).Count == 1, "the refused record set aside");

            var setAside = await new EventRepository(db.Factory).ListForCallAsync("c-refused");
            var after = await new EventRepository(db.Factory).ListForCallAsync("c-after");
            Assert.Multiple(() =>
            {
                Assert.That(setAside[0].Kind, Is.EqualTo(EventKind.CallRecordRefused.Value));
                Assert.That(setAside[0].Detail, Does.Contain("13900000001").And.Contain("caller-hung-up"), "the record is kept whole in the event log");
                Assert.That(after.Select(e => e.Kind), Is.EqualTo(new[] { EventKind.CallEnded.Value }), "the batch's event is written once");
                Assert.That(writer.Written, Is.EqualTo(2));
            });

            // The next batch is written whole again.
            await writer.EnqueueAsync(Record("c-later"));
            await WaitUntilAsync(async () => await CountAsync(db, "SELECT COUNT(*) FROM calls WHERE id = 'c-later'") == 1, "a later record");
            Assert.That(await CountAsync(db, "SELECT COUNT(*) FROM calls WHERE id = 'c-refused'"), Is.Zero);
            Assert.That(await CountAsync(db, "SELECT COUNT(*) FROM calls_open WHERE id = 'c-refused'"), Is.Zero, "the call is not left open on the wallboard, nor closed as interrupted at the next start");
        }
        finally
        {
            await StopWithinAsync(writer);
        }
    }

    [Test]
    public async Task ADatabaseThatRefusesEveryRecordHasEachSetAsideAndTheCallsClosedNotHeldInMemory()
    {
        await using var db = await MigratedAsync();
        var (_, writer) = WriterOn(db);

        // A schema that does not match the platform's (here a trigger that refuses every insert), with the calls' open rows
        // and a heartbeat between the records, as a real batch has them.
        await ExecuteAsync(db, provider == "sqlite"
            ? "CREATE TRIGGER calls_refused BEFORE INSERT ON calls BEGIN SELECT RAISE(ABORT, 'refused by the schema'); END"
            : """
              CREATE FUNCTION refuse_calls() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the schema' USING ERRCODE = '23514'; END $$;
              CREATE TRIGGER calls_refused BEFORE INSERT ON calls FOR EACH ROW EXECUTE FUNCTION refuse_calls();
              """);
        // More than one chunk of the one-at-a-time pass (open rows and records: 2 writes a call).
        const int records = CallRecordWriter.SavepointsPerCommit + 10;
        for (var i = 0; i < records; i++)
        {
            writer.Open($"c-{i}", "13900000001", "95500", _t0);
            await writer.EnqueueAsync(Record($"c-{i}"));
        }

        await writer.StartAsync(CancellationToken.None);
        try
        {
            await WaitUntilAsync(async () => await CountAsync(db, $"SELECT COUNT(*) FROM events WHERE kind = '{EventKind.CallRecordRefused.Value}'") == records, "every refused record set aside");
            var open = await CountAsync(db, "SELECT COUNT(*) FROM calls_open");
            Assert.Multiple(() =>
            {
                Assert.That(open, Is.Zero, "no call is left open");
                Assert.That(writer.Written, Is.Zero);
            });

            // Once the schema matches again, records are written as before, whole batches.
            await ExecuteAsync(db, provider == "sqlite" ? "DROP TRIGGER calls_refused" : "DROP TRIGGER calls_refused ON calls; DROP FUNCTION refuse_calls()");
            await writer.EnqueueAsync(Record("c-after"));
            await WaitUntilAsync(async () => await CountAsync(db, "SELECT COUNT(*) FROM calls WHERE id = 'c-after'") == 1, "a record once the database takes them");
        }
        finally
        {
            await StopWithinAsync(writer);
        }
    }

    [Test]
    public async Task TheDatabaseGoingAwayWhileARefusedBatchIsWrittenAgainIsWaitedForNotSetAside()
    {
        await using var db = await MigratedAsync();
        var (events, writer) = WriterOn(db);

        // A refused record, and the events table away: the batch fails for the refusal, then the pass fails for the outage.
        await ExecuteAsync(db, "ALTER TABLE events RENAME TO events_away");
        await writer.EnqueueAsync(Record("c-before"));
        await writer.EnqueueAsync(Record("c-refused") with { Dialed = null! });
        await writer.EnqueueAsync(Record("c-after"));
        events.Write(EventKind.CallEnded, "c-after", sipCallId: "sip-after");
        await writer.StartAsync(CancellationToken.None);
        try
        {
            await WaitUntilAsync(() => Task.FromResult(writer.Pending == 0 && events.Waiting.Count == 0), "the batch taken");
            await Task.Delay(500);
            Assert.That(await CountAsync(db, "SELECT COUNT(*) FROM calls"), Is.Zero, "nothing lands while the pass cannot commit");

            await ExecuteAsync(db, "ALTER TABLE events_away RENAME TO events");
            await WaitUntilAsync(async () => await CountAsync(db, "SELECT COUNT(*) FROM calls") == 2, "the good records once the database is back");
            await WaitUntilAsync(async () => await CountAsync(db, $"SELECT COUNT(*) FROM events WHERE kind = '{EventKind.CallRecordRefused.Value}'") == 1, "the refused record set aside");
            await Task.Delay(300);
            var refused = await CountAsync(db, $"SELECT COUNT(*) FROM events WHERE kind = '{EventKind.CallRecordRefused.Value}'");
            var after = await new EventRepository(db.Factory).ListForCallAsync("c-after");
            Assert.Multiple(() =>
            {
                Assert.That(refused, Is.EqualTo(1), "set aside once, not once per try");
                Assert.That(after.Select(e => e.Kind), Is.EqualTo(new[] { EventKind.CallEnded.Value }), "the event is written once");
                Assert.That(writer.Written, Is.EqualTo(2));
            });
        }
        finally
        {
            await StopWithinAsync(writer);
        }
    }

    [Test]
    public async Task ARecordTheSerializerCannotWriteIsSetAsideAndItsCallClosedTheRestWritten()
    {
        await using var db = await MigratedAsync();
        var (events, writer) = WriterOn(db);

        // A leg's recording offset that is not a number: the legs' JSON cannot hold it, so the record fails before the
        // database sees it, every time. Its call was answered (an open row) in the same batch as two good records.
        writer.Open("c-bad-leg", "13900000001", "95500", _t0);
        await writer.EnqueueAsync(Record("c-before"));
        await writer.EnqueueAsync(Record("c-bad-leg") with { Legs = [new CallLeg("agent", "1001", _t0, _t0.AddSeconds(2), _t0.AddSeconds(30), "answered", double.NaN)] });
        await writer.EnqueueAsync(Record("c-after"));
        events.Write(EventKind.CallEnded, "c-after", sipCallId: "sip-after");
        await writer.StartAsync(CancellationToken.None);
        try
        {
            await WaitUntilAsync(async () => await CountAsync(db, "SELECT COUNT(*) FROM calls WHERE id IN ('c-before', 'c-after')") == 2, "the records around the bad one");
            await WaitUntilAsync(async () => (await new EventRepository(db.Factory).ListForCallAsync("c-bad-leg")).Count == 1, "the bad record set aside");
            var setAside = await new EventRepository(db.Factory).ListForCallAsync("c-bad-leg");
            var open = await CountAsync(db, "SELECT COUNT(*) FROM calls_open WHERE id = 'c-bad-leg'");
            var after = await new EventRepository(db.Factory).ListForCallAsync("c-after");
            Assert.Multiple(() =>
            {
                Assert.That(setAside[0].Kind, Is.EqualTo(EventKind.CallRecordRefused.Value));
                Assert.That(setAside[0].Detail, Does.Contain("NaN").And.Contain("1001"), "kept whole, the value that failed too");
                Assert.That(open, Is.Zero, "the call is not left open");
                Assert.That(after, Has.Count.EqualTo(1), "the batch's event is written once");
            });
        }
        finally
        {
            await StopWithinAsync(writer);
        }
    }

    [Test]
    public async Task ADurationThatIsNotANumberIsWrittenAsZeroNotRetriedForEver()
    {
        await using var db = await MigratedAsync();
        var (_, writer) = WriterOn(db);
        await writer.EnqueueAsync(Record("c-nan") with { TalkSeconds = double.NaN, HoldSeconds = double.PositiveInfinity });
        await writer.StartAsync(CancellationToken.None);
        try
        {
            await WaitUntilAsync(async () => await CountAsync(db, "SELECT COUNT(*) FROM calls WHERE id = 'c-nan' AND talk_seconds = 0 AND hold_seconds = 0") == 1, "the record, its durations as 0");
        }
        finally
        {
            await StopWithinAsync(writer);
        }
    }

    [Test]
    public async Task AStopWhoseTimeRunsOutWhileTheDatabaseIsLockedGivesUpThenKeepsEverythingAndTheNextStartWritesIt()
    {
        await using var db = await MigratedAsync();
        var file = Path.Combine(Path.GetTempPath(), $"cc-kept-{Guid.NewGuid():N}.jsonl");
        var kept = new KeptWrites(file, NullLogger<KeptWrites>.Instance);
        var (events, writer) = WriterOn(db, kept);
        events.Write(EventKind.CallEnded, "c-0", sipCallId: "sip-0");
        const int records = (3 * CallRecordWriter.MaxBatch) + 1;
        for (var i = 0; i < records; i++)
        {
            await writer.EnqueueAsync(Record($"c-{i}"));
        }

        // Another connection holds the database: each try of a batch waits for it (on SQLite up to its 30 s command time-out, on PostgreSQL without end).
        await using var holder = await db.Factory.OpenAsync();
        await using (var hold = holder.CreateCommand())
        {
            hold.CommandText = provider == "sqlite" ? "BEGIN EXCLUSIVE;" : "BEGIN; LOCK TABLE calls, calls_open, events IN ACCESS EXCLUSIVE MODE;";
            await hold.ExecuteNonQueryAsync();
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var stopTime = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await writer.StopAsync(stopTime.Token).WaitAsync(TimeSpan.FromSeconds(60));
        var took = clock.Elapsed;
        await using (var release = holder.CreateCommand())
        {
            release.CommandText = "ROLLBACK;";
            await release.ExecuteNonQueryAsync();
        }

        // Before, each of the four batches had a full try after the stop's time was out: four times SQLite's 30 s command
        // time-out (Microsoft.Data.Sqlite waits out a busy database without looking at the token), for ever on PostgreSQL.
        // Now PostgreSQL's try is cancelled with the stop's time, and SQLite's one try ends at its time-out.
        var limit = provider == "sqlite" ? TimeSpan.FromSeconds(45) : TimeSpan.FromSeconds(8);
        Assert.That(took, Is.LessThan(limit), "the stop gives up when its time is out");
        Assert.That(writer.Written, Is.Zero);

        // Nothing is lost: every record and the event are in the file, and the next start writes them once.
        try
        {
            Assert.That(File.ReadAllLines(file), Has.Length.EqualTo(records + 1));
            Assert.That(await WriterOn(db, kept).Writer.WriteBackKeptAsync(CancellationToken.None), Is.True);
            Assert.That(await CountAsync(db, "SELECT COUNT(*) FROM calls"), Is.EqualTo(records));
            Assert.That((await new EventRepository(db.Factory).ListForCallAsync("c-0")).Select(e => e.Kind), Is.EqualTo(new[] { EventKind.CallEnded.Value }));
        }
        finally
        {
            File.Delete(file);
            File.Delete(file + "-writing");
        }
    }

    /// <summary>Stops the writer within 10 s: a writer stuck retrying must fail the test, not hang it.</summary>
    private static async Task StopWithinAsync(CallRecordWriter writer)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await writer.StopAsync(stop.Token);
    }

    private async Task<TestDatabase> MigratedAsync()
    {
        var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        return db;
    }

    /// <summary>The event log and the writer of records and events on <paramref name="db"/>, on the real clock, not started.</summary>
    private static (EventLog Events, CallRecordWriter Writer) WriterOn(TestDatabase db, KeptWrites? kept = null)
    {
        var events = new EventLog(TimeProvider.System);
        kept ??= new KeptWrites(null, NullLogger<KeptWrites>.Instance);
        return (events, new CallRecordWriter(new CallRecordRepository(db.Factory), events, db.Factory, kept, TimeProvider.System, NullLogger<CallRecordWriter>.Instance));
    }

    private static CallRecord Record(string id) => new()
    {
        Id = id,
        Caller = "13900000001",
        Dialed = "95500",
        StartedAt = _t0,
        EndedAt = _t0.AddSeconds(30),
        Disposition = "caller-hung-up",
    };

    private static async Task<long> CountAsync(TestDatabase db, string sql)
    {
        await using var connection = await db.Factory.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    private static async Task ExecuteAsync(TestDatabase db, string sql)
    {
        await using var connection = await db.Factory.OpenAsync();
        await connection.ExecuteAsync(sql);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await done())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for {what}");
            }

            await Task.Delay(50);
        }
    }
}
