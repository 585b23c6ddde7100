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
}
