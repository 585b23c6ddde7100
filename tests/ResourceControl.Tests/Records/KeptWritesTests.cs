using CallCenter.Data;
using CallCenter.Data.Calls;
using CallCenter.Data.Events;
using CallCenter.ResourceControl.Records;
using CallCenter.TestSupport;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallCenter.ResourceControl.Tests.Records;

/// <summary>
/// What the database could not take before a stop is kept in a file and written at the next start, before the calls the
/// last run left open are closed as interrupted: every field comes back, a call's own record wins over the interrupted
/// one, and a line that cannot be read is moved aside without holding up the rest.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Providers))]
public sealed class KeptWritesTests(string provider)
{
    private static readonly DateTimeOffset _t0 = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private string _folder = "";

    [SetUp]
    public void MakeFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "cc-kept-" + Guid.NewGuid().ToString("N"));
    }

    [TearDown]
    public void RemoveFolder()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Test]
    public async Task KeptRecordsOpenRowsAndEventsAreWrittenBackWithEveryFieldAndTheFileGoes()
    {
        await using var db = await MigratedAsync();
        var kept = Kept();
        var record = Record("c-ended") with
        {
            Agent = "1001",
            IvrPath = ["welcome", "menu"],
            TalkSeconds = 12.5,
            HoldSeconds = double.NaN, // kept as "NaN"; the record is written with 0
            Legs = [new CallLeg("agent", "1001", _t0, _t0.AddSeconds(3), _t0.AddSeconds(20), "answered", 0.5, 17.5)],
        };
        var ok = kept.Keep(
            [
                new CallRecordWrite("c-ended", record, null),
                new CallRecordWrite("c-open", null, ("13900000002", "95501", _t0.AddSeconds(5))),
                CallRecordWrite.Progressed(Record("c-open") with { Caller = "13900000002", Dialed = "95501", StartedAt = _t0.AddSeconds(5), Queue = "vip" }, _t0.AddSeconds(6)),
            ],
            [
                new PlatformEvent(_t0.AddSeconds(30), EventKind.CallEnded.Value, "c-ended", null, "{\"sipCallId\":\"sip-2\"}"),
                new PlatformEvent(_t0.AddSeconds(1), EventKind.CallAnswered.Value, "c-ended", null, "{\"sipCallId\":\"sip-1\"}"),
            ]);
        Assert.That(ok, Is.True);
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(kept.Path!), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), "call records are the platform user's only");
        }

        Assert.That(await WriterOn(db, kept).WriteBackKeptAsync(CancellationToken.None), Is.True);

        Assert.That(Directory.GetFiles(_folder), Is.Empty, "written back, the file goes");
        var back = await new CallRecordRepository(db.Factory).FindAsync("c-ended");
        Assert.That(back, Is.Not.Null);
        Assert.That((back!.Agent, back.TalkSeconds, back.HoldSeconds, back.Disposition), Is.EqualTo(("1001", 12.5, 0.0, "caller-hung-up")));
        Assert.That(back.IvrPath, Is.EqualTo(new[] { "welcome", "menu" }));
        Assert.That(back.Legs.Single(), Is.EqualTo(record.Legs[0]));
        Assert.That(
            await ScalarAsync<string>(db, "SELECT caller || ' ' || dialed || ' ' || CAST(started_at_ms AS VARCHAR(20)) FROM calls_open WHERE id = 'c-open'"),
            Is.EqualTo($"13900000002 95501 {_t0.AddSeconds(5).ToUnixTimeMilliseconds()}"),
            "the open row's tuple comes back whole");
        var progress = await new CallRecordRepository(db.Factory).ListOpenProgressBetweenAsync(_t0, _t0.AddMinutes(1));
        Assert.That(progress.Single(p => p.Id == "c-open").Queue, Is.EqualTo("vip"), "the open call's progress comes back");
        var events = await new EventRepository(db.Factory).ListForCallAsync("c-ended");
        Assert.That(events.Select(e => e.Kind), Is.EqualTo(new[] { EventKind.CallAnswered.Value, EventKind.CallEnded.Value }), "in the order they happened");

        Assert.That(await WriterOn(db, kept).WriteBackKeptAsync(CancellationToken.None), Is.True);
        Assert.That(await new EventRepository(db.Factory).ListForCallAsync("c-ended"), Has.Count.EqualTo(2), "nothing twice");
    }

    [Test]
    public async Task ACallsOwnKeptRecordIsWrittenBeforeTheInterruptedCloseSoItIsTheOneThatStays()
    {
        await using var db = await MigratedAsync();
        var calls = new CallRecordRepository(db.Factory);
        await calls.OpenAsync("c-1", "13900000001", "95500", _t0);
        var kept = Kept();
        Assert.That(kept.Keep([new CallRecordWrite("c-1", Record("c-1"), null)], []), Is.True);

        // The start's order (PlatformStartup): the kept writes, then the calls still open are closed as interrupted.
        Assert.That(await WriterOn(db, kept).WriteBackKeptAsync(CancellationToken.None), Is.True);
        var interrupted = await calls.CloseInterruptedAsync(_t0.AddMinutes(5));

        Assert.That(interrupted, Is.Empty, "the call's own record closed its open row");
        Assert.That((await calls.FindAsync("c-1"))!.Disposition, Is.EqualTo("caller-hung-up"));
    }

    [Test]
    public async Task ALineThatCannotBeReadIsMovedAsideAndTheRestAreWritten()
    {
        await using var db = await MigratedAsync();
        var kept = Kept();
        Assert.That(kept.Keep([new CallRecordWrite("c-a", Record("c-a"), null)], []), Is.True);
        File.AppendAllText(kept.Path!, "{\"record\":{\"id\":\"c-cut\",\"reco"); // a process killed in mid-line
        Assert.That(kept.Keep([new CallRecordWrite("c-b", Record("c-b"), null)], []), Is.True);

        Assert.That(await WriterOn(db, kept).WriteBackKeptAsync(CancellationToken.None), Is.True);

        Assert.That(await ScalarAsync<long>(db, "SELECT COUNT(*) FROM calls WHERE id IN ('c-a', 'c-b')"), Is.EqualTo(2), "the cut line is a line of its own: the records on either side are written");
        var aside = Directory.GetFiles(_folder, "*.unreadable-*");
        Assert.That(aside, Has.Length.EqualTo(1));
        Assert.That(File.ReadAllLines(aside[0]), Is.EqualTo(new[] { "{\"record\":{\"id\":\"c-cut\",\"reco" }), "nothing read is thrown away");
        Assert.That(Directory.GetFiles(_folder), Is.EqualTo(aside), "the kept file itself is gone");

        // A file of nothing but a cut line: the line goes aside, the file goes too.
        File.WriteAllText(kept.Path!, "{\"event\":{\"at\":");
        Assert.That(await WriterOn(db, kept).WriteBackKeptAsync(CancellationToken.None), Is.True);
        Assert.That(Directory.GetFiles(_folder).Where(f => !aside.Contains(f)).Select(Path.GetFileName), Has.All.Contains(".unreadable-"));
    }

    [Test]
    public async Task AKeptRecordTheDatabaseRefusesIsSetAsideAndTheRestAreWritten()
    {
        await using var db = await MigratedAsync();
        var calls = new CallRecordRepository(db.Factory);
        await calls.OpenAsync("c-refused", "13900000001", "95500", _t0);
        var kept = Kept();
        Assert.That(kept.Keep([new CallRecordWrite("c-refused", Record("c-refused") with { Dialed = null! }, null), new CallRecordWrite("c-ok", Record("c-ok"), null)], []), Is.True);

        Assert.That(await WriterOn(db, kept).WriteBackKeptAsync(CancellationToken.None), Is.True, "a refusal does not hold the start");

        Assert.That(await ScalarAsync<long>(db, "SELECT COUNT(*) FROM calls WHERE id = 'c-ok'"), Is.EqualTo(1));
        var setAside = await new EventRepository(db.Factory).ListForCallAsync("c-refused");
        Assert.That(setAside.Select(e => e.Kind), Is.EqualTo(new[] { EventKind.CallRecordRefused.Value }), "kept whole in the event log");
        Assert.That(await ScalarAsync<long>(db, "SELECT COUNT(*) FROM calls_open WHERE id = 'c-refused'"), Is.Zero, "its call is closed, not left to the interrupted close");
        Assert.That(Directory.GetFiles(_folder), Is.Empty);
    }

    [Test]
    public async Task WhenTheDatabaseDoesNotTakeTheKeptWritesInTimeTheyStayAndTheStartIsToldToLeaveTheOpenCallsOpen()
    {
        await using var db = await MigratedAsync();
        var kept = Kept();
        Assert.That(kept.Keep([new CallRecordWrite("c-1", Record("c-1"), null)], []), Is.True);
        await ExecuteAsync(db, "ALTER TABLE calls RENAME TO calls_away");

        Assert.That(await WriterOn(db, kept).WriteBackKeptAsync(CancellationToken.None, TimeSpan.FromSeconds(1)), Is.False);

        Assert.That(Directory.GetFiles(_folder), Has.Length.EqualTo(1), "kept for the next start");
        Assert.That(kept.Keep([new CallRecordWrite("c-2", Record("c-2"), null)], []), Is.True, "what is kept meanwhile (the next run's stop) goes beside it");
        await ExecuteAsync(db, "ALTER TABLE calls_away RENAME TO calls");

        // One write-back at the next start takes both: the interrupted close that follows it must find neither call open.
        Assert.That(await WriterOn(db, kept).WriteBackKeptAsync(CancellationToken.None), Is.True);
        Assert.That(await ScalarAsync<long>(db, "SELECT COUNT(*) FROM calls WHERE id IN ('c-1', 'c-2')"), Is.EqualTo(2));
        Assert.That(Directory.GetFiles(_folder), Is.Empty);
    }

    [Test]
    public async Task WhatTheStartCouldNotWriteIsTriedAgainInTheBackgroundAndOnlyThenAreTheLastRunsOpenCallsClosed()
    {
        await using var db = await MigratedAsync();
        var calls = new CallRecordRepository(db.Factory);
        await calls.OpenAsync("c-kept", "13900000001", "95500", _t0);
        await calls.OpenAsync("c-cut", "13900000002", "95500", _t0);
        var kept = Kept();
        Assert.That(kept.Keep([new CallRecordWrite("c-kept", Record("c-kept"), null)], []), Is.True, "the last run's stop kept c-kept's own record");
        var time = new ManualTimeProvider(_t0.AddMinutes(5));
        var startedAt = time.GetUtcNow();

        // A call this process takes after its start (opened here, while the table is there to write it).
        await calls.OpenAsync("c-live", "13900000003", "95500", startedAt.AddSeconds(1));
        await ExecuteAsync(db, "ALTER TABLE calls RENAME TO calls_away");
        var writer = WriterOn(db, kept);
        var closes = new List<bool>();
        var tries = 0;
        var writeBack = new KeptWriteBack(
            // The start's try gives up after 1 s (the table is away); the background's has the usual 30 s, however loaded the machine.
            stopping => writer.WriteBackKeptAsync(stopping, ++tries == 1 ? TimeSpan.FromSeconds(1) : null),
            (afterStart, stopping) =>
            {
                closes.Add(afterStart);
                return calls.CloseInterruptedAsync(startedAt, _ => null, stopping, afterStart ? startedAt : null);
            },
            time,
            NullLogger.Instance);

        // The start cannot write it: it goes on, leaving the file and the last run's calls open.
        await writeBack.StartAsync(CancellationToken.None);
        Assert.That(Directory.GetFiles(_folder), Has.Length.EqualTo(1));
        Assert.That(closes, Is.Empty, "no interrupted close before the kept record is in");
        Assert.That(writeBack.Retrying.IsCompleted, Is.False, "tried again in the background");

        // The database is back, and the next try comes.
        await ExecuteAsync(db, "ALTER TABLE calls_away RENAME TO calls");
        time.Advance(KeptWriteBack.RetryEvery);
        await writeBack.Retrying.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.That(Directory.GetFiles(_folder), Is.Empty, "written back, the file goes");
        Assert.That(closes, Is.EqualTo(new[] { true }), "closed once, after the write-back, as after the start");
        Assert.That((await calls.FindAsync("c-kept"))!.Disposition, Is.EqualTo("caller-hung-up"), "the call's own record, not an interrupted one");
        Assert.That((await calls.FindAsync("c-cut"))!.Disposition, Is.EqualTo("interrupted"), "a call the last run left open without a record");
        Assert.That(await calls.FindAsync("c-live"), Is.Null, "this process's own call is not the last run's");
        Assert.That(await ScalarAsync<long>(db, "SELECT COUNT(*) FROM calls_open WHERE id = 'c-live'"), Is.EqualTo(1));
        await writeBack.StopAsync(CancellationToken.None);
    }

    [Test]
    public async Task AStopCancelsTheTryUnderWayEndsTheTriesAndLeavesTheFileForTheNextStart()
    {
        await using var db = await MigratedAsync();
        var kept = Kept();
        Assert.That(kept.Keep([new CallRecordWrite("c-1", Record("c-1"), null)], []), Is.True);
        await ExecuteAsync(db, "ALTER TABLE calls RENAME TO calls_away");
        var writer = WriterOn(db, kept);
        var time = new ManualTimeProvider(_t0);
        var tries = 0;
        var secondTry = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writeBack = new KeptWriteBack(
            async stopping =>
            {
                if (++tries == 1)
                {
                    return await writer.WriteBackKeptAsync(stopping, TimeSpan.FromSeconds(1));
                }

                // The second try hangs on the database until the stop cancels it.
                secondTry.TrySetResult();
                await Task.Delay(Timeout.Infinite, stopping);
                return true;
            },
            (_, _) => throw new AssertionException("nothing was written: the open calls must stay open"),
            time,
            NullLogger.Instance);
        await writeBack.StartAsync(CancellationToken.None);
        time.Advance(KeptWriteBack.RetryEvery);
        await secondTry.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await writeBack.StopAsync(CancellationToken.None);

        Assert.That(clock.Elapsed, Is.LessThan(KeptWriteBack.StopGrace), "the try under way saw the stop");
        Assert.That(writeBack.Retrying.IsCompleted, Is.True, "the stop waited for the tries to end");
        time.Advance(KeptWriteBack.RetryEvery * 3);
        Assert.That(tries, Is.EqualTo(2), "no try after the stop");
        Assert.That(Directory.GetFiles(_folder), Has.Length.EqualTo(1), "kept for the next start");
    }

    [Test]
    public async Task AFileOfMoreThanABatchIsWrittenInBatchesAndCutDownToWhatIsLeftAfterEach()
    {
        await using var db = await MigratedAsync();
        var kept = Kept();
        const int records = CallRecordWriter.MaxBatch + 10;
        Assert.That(kept.Keep([.. Enumerable.Range(0, records).Select(i => new CallRecordWrite($"c-{i}", Record($"c-{i}"), null))], []), Is.True);

        Assert.That(await WriterOn(db, kept).WriteBackKeptAsync(CancellationToken.None), Is.True);
        Assert.That(await ScalarAsync<long>(db, "SELECT COUNT(*) FROM calls"), Is.EqualTo(records));

        // What a write-back cut short leaves: only the rest, so a later start writes nothing twice.
        Assert.That(kept.Keep([new CallRecordWrite("c-x", Record("c-x"), null), new CallRecordWrite("c-y", Record("c-y"), null)], [new PlatformEvent(_t0, EventKind.CallEnded.Value, "c-x")]), Is.True);
        var taken = kept.TakeForWriting()!;
        kept.Remaining([taken.Records[1]], []);
        var rest = kept.TakeForWriting()!;
        Assert.That((rest.Records.Select(r => r.Id), rest.Events.Count), Is.EqualTo((new[] { "c-y" }, 0)));
    }

    [Test]
    public void TheFileSitsBesideTheSqliteDatabaseIsNamedAfterThePostgresOneAndAnInMemoryDatabaseKeepsNothing()
    {
        Assert.That(KeptWrites.PathFor(new DatabaseOptions()), Is.EqualTo("data/callcenter.db-unwritten.jsonl"));
        Assert.That(KeptWrites.PathFor(new DatabaseOptions { Provider = "postgres", ConnectionString = "Host=db.example;Port=5433;Database=cc;Username=u" }), Is.EqualTo(Path.Combine("data", "unwritten-db.example-5433-cc.jsonl")));
        Assert.That(KeptWrites.PathFor(new DatabaseOptions { ConnectionString = "Data Source=:memory:" }), Is.Null);
        Assert.That(KeptWrites.PathFor(new DatabaseOptions { UnwrittenPath = "/var/lib/cc/kept.jsonl" }), Is.EqualTo("/var/lib/cc/kept.jsonl"));
        Assert.That(new KeptWrites(null, NullLogger<KeptWrites>.Instance).Keep([new CallRecordWrite("c-1", Record("c-1"), null)], []), Is.False, "nowhere to keep: the caller logs them as lost");
    }

    private KeptWrites Kept() => new(Path.Combine(_folder, "callcenter.db-unwritten.jsonl"), NullLogger<KeptWrites>.Instance);

    private static CallRecordWriter WriterOn(TestDatabase db, KeptWrites kept) =>
        new(new CallRecordRepository(db.Factory), new EventLog(TimeProvider.System), db.Factory, kept, TimeProvider.System, NullLogger<CallRecordWriter>.Instance);

    private async Task<TestDatabase> MigratedAsync()
    {
        var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        return db;
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

    private static async Task<T?> ScalarAsync<T>(TestDatabase db, string sql)
    {
        await using var connection = await db.Factory.OpenAsync();
        return await connection.ExecuteScalarAsync<T>(sql);
    }

    private static async Task ExecuteAsync(TestDatabase db, string sql)
    {
        await using var connection = await db.Factory.OpenAsync();
        await connection.ExecuteAsync(sql);
    }
}
