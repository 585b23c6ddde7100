using CallCenter.Data;
using CallCenter.Data.Calls;
using CallCenter.Data.Events;
using CallCenter.ResourceControl.Metrics;
using CallCenter.TestSupport;

namespace CallCenter.ResourceControl.Tests.Metrics;

/// <summary>The host's metrics over a SQLite database: which rows one local day reads, and the defaults.</summary>
public sealed class MetricsReportsTests
{
    // ManualTimeProvider's local time zone is UTC; "now" is 2026-01-05 09:30.
    private static readonly DateTimeOffset _now = new(2026, 1, 5, 9, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset _midnight = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    private string _file = "";
    private DbConnectionFactory _factory = null!;

    [SetUp]
    public async Task CreateDatabase()
    {
        _file = TestDatabases.NewSqliteFile();
        _factory = new DbConnectionFactory(new DatabaseOptions { Provider = "sqlite", ConnectionString = "Data Source=" + _file });
        await new Migrator(_factory).MigrateAsync();
    }

    [TearDown]
    public void DropDatabase()
    {
        CallCenter.TestSupport.TestDatabases.DeleteSqliteFile(_file);
    }

    private static CallRecord Call(string id, DateTimeOffset startedAt, DateTimeOffset queuedAt, double wait, bool answered) => new()
    {
        Id = id,
        Caller = "13800000009",
        Dialed = "95500",
        Queue = "general",
        StartedAt = startedAt,
        QueuedAt = queuedAt,
        AnsweredAt = answered ? queuedAt.AddSeconds(wait) : null,
        EndedAt = queuedAt.AddMinutes(5),
        WaitSeconds = wait,
        TalkSeconds = answered ? 100 : 0,
        Agent = answered ? "1001" : null,
        Disposition = answered ? "agent-hung-up" : "caller-hung-up",
    };

    private async Task<MetricsReports> SeedAsync(MetricsOptions options)
    {
        var calls = new CallRecordRepository(_factory);
        await calls.InsertOnceAsync(Call("yesterday", _midnight.AddHours(-12), _midnight.AddHours(-11.9), 5, answered: true));
        await calls.InsertOnceAsync(Call("over-midnight", _midnight.AddMinutes(-30), _midnight.AddMinutes(5), 30, answered: false));
        await calls.InsertOnceAsync(Call("morning", _midnight.AddHours(9), _midnight.AddHours(9).AddMinutes(1), 10, answered: true));
        var events = new EventRepository(_factory);
        await events.AppendAsync(
        [
            new(_midnight.AddHours(-4), OccupancyCalculator.AgentStateKind, Agent: "1001", Detail: "{\"from\":\"offline\",\"to\":\"available\"}"),
            new(_midnight.AddHours(9).AddMinutes(1), OccupancyCalculator.AgentStateKind, Agent: "1001", Detail: "{\"from\":\"available\",\"to\":\"onCall\"}"),
            new(_midnight.AddHours(9).AddMinutes(1), "call.answered", "morning", "1001"),
        ]);
        return new MetricsReports(calls, events, options, new ManualTimeProvider(_now));
    }

    [Test]
    public async Task TodayIsTheLocalDayWithTheConfiguredDefaults()
    {
        var metrics = await SeedAsync(new MetricsOptions { IntervalMinutes = 60, ServiceLevelSeconds = 20 });

        var report = await metrics.ComputeAsync(null, null, null, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That((report.From, report.To, report.AsOf), Is.EqualTo((_midnight, _midnight.AddDays(1), _now)));
            Assert.That((report.IntervalMinutes, report.ServiceLevelSeconds), Is.EqualTo((60, 20)));
            Assert.That(report.Intervals, Has.Count.EqualTo(24));
            Assert.That((report.Total.Offered, report.Total.Answered, report.Total.Abandoned), Is.EqualTo((2, 1, 1)), "the call queued after midnight counts; yesterday's does not");
            Assert.That(report.Intervals[0].Total.Abandoned, Is.EqualTo(1));
            Assert.That(report.Intervals[9].Total.Answered, Is.EqualTo(1));
            Assert.That(report.Occupancy.ByAgent["1001"].StaffedSeconds, Is.EqualTo((_now - _midnight).TotalSeconds), "available since before midnight, until now");
            Assert.That(report.Occupancy.ByAgent["1001"].BusySeconds, Is.EqualTo(29 * 60.0));
        });
    }

    [Test]
    public async Task TheQueryOverridesDateIntervalAndThreshold()
    {
        var metrics = await SeedAsync(new MetricsOptions());

        var report = await metrics.ComputeAsync(new DateOnly(2026, 1, 4), 720, 3, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That((report.From, report.To), Is.EqualTo((_midnight.AddDays(-1), _midnight)));
            Assert.That(report.Intervals, Has.Count.EqualTo(2));
            Assert.That((report.Total.Offered, report.Total.Answered, report.Total.AnsweredWithinThreshold), Is.EqualTo((1, 1, 0)), "yesterday's call waited 5 s, more than T = 3");
            Assert.That(report.Occupancy.ByAgent["1001"].StaffedSeconds, Is.EqualTo(4 * 3600.0));
        });
    }

    [Test]
    public async Task TheLiveReportCountsCallsStillOpenAsFarAsTheyHaveGot()
    {
        var metrics = await SeedAsync(new MetricsOptions { IntervalMinutes = 60 });
        var calls = new CallRecordRepository(_factory);
        var queuedAt = _now.AddMinutes(-2);
        var waiting = Call("waiting", queuedAt.AddSeconds(-20), queuedAt, 0, answered: false) with { Disposition = "in-progress", EndedAt = _now };
        var talking = Call("talking", queuedAt.AddSeconds(-20), queuedAt, 15, answered: true) with { Disposition = "in-progress", EndedAt = _now };
        var inIvr = Call("in-ivr", queuedAt, queuedAt, 0, answered: false) with { Queue = null, QueuedAt = null, Disposition = "in-progress", EndedAt = _now };
        foreach (var open in new[] { waiting, talking, inIvr })
        {
            await calls.OpenAsync(open.Id, open.Caller, open.Dialed, open.StartedAt);
            await calls.UpdateProgressAsync(open, _now);
        }

        var ended = await metrics.ComputeAsync(null, null, null, CancellationToken.None);
        var live = await metrics.ComputeLiveAsync(CancellationToken.None);
        await calls.InsertOnceAsync(talking with { Disposition = "agent-hung-up", EndedAt = _now.AddMinutes(1) });
        var afterRecord = await metrics.ComputeLiveAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That((ended.Total.Offered, ended.Total.Answered), Is.EqualTo((2, 1)), "GET /api/metrics counts ended calls only");
            Assert.That((live.Total.Offered, live.Total.Answered, live.Total.Abandoned), Is.EqualTo((4, 2, 1)), "queued and answered calls count while they go on; one in the IVR is not offered");
            Assert.That(live.Intervals[9].Total.Offered, Is.EqualTo(3), "in the interval they entered the queue");
            Assert.That((afterRecord.Total.Offered, afterRecord.Total.Answered), Is.EqualTo((4, 2)), "a call whose record is written is counted once");
        });
    }

    [Test]
    public void ACallReadBothOpenAndRecordedCountsOnceAsItsRecordSays()
    {
        var record = Call("c1", _now, _now, 5, answered: true);
        var progress = record with { Disposition = "in-progress" };
        var other = Call("c2", _now, _now, 0, answered: false) with { Disposition = "in-progress" };

        var merged = LiveCalls.Merge([record], [progress, other]);

        Assert.That(merged.Select(r => (r.Id, r.Disposition)), Is.EqualTo(new[] { ("c1", "agent-hung-up"), ("c2", "in-progress") }));
    }

    [TestCaseSource(typeof(TestDatabases), nameof(TestDatabases.Providers))]
    public async Task OnADatabaseSharedByTwoNodesEachNodesLiveReportCountsItsOwnCallsOnlyWhileTheDayReportCountsAll(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var node1 = new CallRecordRepository(db.Factory, "node-1");
        var node2 = new CallRecordRepository(db.Factory, "node-2");
        var queuedAt = _now.AddMinutes(-2);

        // Each node: one call ended (answered) and one still waiting in its queue, on the one database.
        foreach (var (node, name) in new[] { (node1, "n1"), (node2, "n2") })
        {
            await node.OpenAsync(name + "-ended", "13800000009", "95500", queuedAt.AddSeconds(-20));
            await node.InsertOnceAsync(Call(name + "-ended", queuedAt.AddSeconds(-20), queuedAt, 5, answered: true));
            var waiting = Call(name + "-waiting", queuedAt.AddSeconds(-20), queuedAt, 0, answered: false) with { Disposition = "in-progress", EndedAt = _now };
            await node.OpenAsync(waiting.Id, waiting.Caller, waiting.Dialed, waiting.StartedAt);
            await node.UpdateProgressAsync(waiting, _now);
        }

        var events = new EventRepository(db.Factory);
        var options = new MetricsOptions { IntervalMinutes = 60 };
        var time = new ManualTimeProvider(_now);
        var live1 = await new MetricsReports(node1, events, options, time).ComputeLiveAsync(CancellationToken.None);
        var live2 = await new MetricsReports(node2, events, options, time).ComputeLiveAsync(CancellationToken.None);
        var day = await new MetricsReports(node1, events, options, time).ComputeAsync(null, null, null, CancellationToken.None);
        var single = await new MetricsReports(new CallRecordRepository(db.Factory), events, options, time).ComputeLiveAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That((live1.Total.Offered, live1.Total.Answered), Is.EqualTo((2, 1)), "node 1's wallboard: its ended call and its waiting caller, not node 2's");
            Assert.That((live2.Total.Offered, live2.Total.Answered), Is.EqualTo((2, 1)), "node 2's likewise: the cluster's view adds them up to 4");
            Assert.That((day.Total.Offered, day.Total.Answered), Is.EqualTo((2, 2)), "GET /api/metrics reads every node's records");
            Assert.That(single.Total.Offered, Is.EqualTo(4), "a single platform (no node name) owns every row");
        });
    }
}
