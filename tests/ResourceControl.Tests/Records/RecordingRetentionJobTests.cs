using CallCenter.Data;
using CallCenter.Data.Calls;
using CallCenter.Data.Desk;
using CallCenter.ResourceControl.Hosting;
using CallCenter.ResourceControl.Records;
using CallCenter.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallCenter.ResourceControl.Tests.Records;

public sealed class RecordingRetentionJobTests
{
    private static readonly DateTimeOffset _start = new(2020, 1, 10, 9, 0, 0, TimeSpan.Zero);

    private static RecordingRetentionOptions Options() => new()
    {
        Days = 1826,
        Tiers = new(StringComparer.OrdinalIgnoreCase) { ["Diamond"] = 3653, ["Dormant"] = 365 },
        Queues = new(StringComparer.OrdinalIgnoreCase) { ["complaints"] = 0, ["general"] = 730 },
    };

    [Test]
    public void ATiersOrQueuesPeriodReplacesTheDefaultAndTheLongerOfTheTwoWins()
    {
        var rule = new RecordingRetention(Options());

        Assert.That(rule.PeriodFor("Effective", "vip"), Is.EqualTo(TimeSpan.FromDays(1826)));
        Assert.That(rule.PeriodFor("Diamond", "vip"), Is.EqualTo(TimeSpan.FromDays(3653)));
        Assert.That(rule.PeriodFor("Dormant", null), Is.EqualTo(TimeSpan.FromDays(365)));
        Assert.That(rule.PeriodFor("Effective", "general"), Is.EqualTo(TimeSpan.FromDays(730)));
        Assert.That(rule.PeriodFor("Dormant", "general"), Is.EqualTo(TimeSpan.FromDays(730)));
        Assert.That(rule.PeriodFor("Diamond", "complaints"), Is.Null, "0 keeps for ever");
        Assert.That(rule.ShortestPeriod(), Is.EqualTo(TimeSpan.FromDays(365)));
    }

    [Test]
    public void TheDefaultKeepsEverything()
    {
        var rule = new RecordingRetention(new RecordingRetentionOptions());

        Assert.That(rule.PeriodFor("Diamond", "general"), Is.Null);
        Assert.That(rule.ShortestPeriod(), Is.Null);
        Assert.That(rule.IsDue(null, null, _start, _start.AddYears(100)), Is.False);
    }

    [Test]
    public void APeriodOutOfRangeNamesItsKey()
    {
        var options = Options();
        options.Days = -1;
        options.Tiers["Gold"] = 40_000;

        Assert.That(options.Validate(), Is.EqualTo(new[]
        {
            "Recording:Retention:Days must be between 0 (keep for ever) and 36525.",
            "Recording:Retention:Tiers:Gold must be between 0 (keep for ever) and 36525.",
        }));
    }

    [Test]
    public async Task TheDailyJobDeletesExactlyTheExpiredRecordingsAndRecordsEachDeletion()
    {
        var file = TestDatabases.NewSqliteFile();
        var directory = Directory.CreateTempSubdirectory("retention-test").FullName;
        try
        {
            var factory = new DbConnectionFactory(new DatabaseOptions { ConnectionString = "Data Source=" + file });
            await new Migrator(factory).MigrateAsync();
            var calls = new CallRecordRepository(factory);
            var recordings = new RecordingRepository(factory);
            var audit = new AuditRepository(factory);

            // (id, tier, queue, started days before the first pass)
            var seeded = new (string Id, string Tier, string Queue, int DaysAgo)[]
            {
                ("dormant-old", "Dormant", "vip", 366),       // 365 days: due
                ("dormant-young", "Dormant", "vip", 364),     // not yet
                ("general-old", "Effective", "general", 731), // 730: due
                ("general-young", "Effective", "general", 729),
                ("plain-old", "Effective", "vip", 1827),      // default 1826: due
                ("plain-young", "Effective", "vip", 1825),
                ("diamond-old", "Diamond", "vip", 3000),      // 3653: kept
                ("complaint", "Dormant", "complaints", 4000), // 0 wins: kept for ever
            };
            var now = _start.AddYears(12);
            foreach (var (id, tier, queue, daysAgo) in seeded)
            {
                var path = Path.Combine(directory, id + ".wav");
                await File.WriteAllBytesAsync(path, [1, 2, 3]);
                await calls.InsertOnceAsync(new CallRecord
                {
                    Id = id,
                    Caller = "13800000001",
                    Dialed = "95500",
                    Tier = tier,
                    Queue = queue,
                    Agent = "1001",
                    StartedAt = now.AddDays(-daysAgo),
                    EndedAt = now.AddDays(-daysAgo).AddMinutes(2),
                    Disposition = "agent-hung-up",
                    Recording = path,
                    RecordingSha256 = new string('0', 64),
                });
            }

            // Expired too, but never deleted: a record whose path lies outside Recording:Directory, and a recording
            // flagged because it no longer matches its hash (evidence).
            var outside = Path.Combine(Path.GetTempPath(), $"retention-outside-{Guid.NewGuid():N}.wav");
            await File.WriteAllBytesAsync(outside, [1, 2, 3]);
            var flagged = Path.Combine(directory, "flagged-old.wav");
            await File.WriteAllBytesAsync(flagged, [1, 2, 3]);
            foreach (var (id, path) in new[] { ("outside-old", outside), ("flagged-old", flagged) })
            {
                await calls.InsertOnceAsync(new CallRecord
                {
                    Id = id,
                    Caller = "13800000001",
                    Dialed = "95500",
                    Tier = "Effective",
                    Queue = "vip",
                    StartedAt = now.AddDays(-5000),
                    EndedAt = now.AddDays(-5000).AddMinutes(2),
                    Disposition = "agent-hung-up",
                    Recording = path,
                    RecordingSha256 = new string('0', 64),
                });
            }

            await recordings.FlagAsync("flagged-old", "hash-mismatch", now);
            var time = new ManualTimeProvider(now);
            var options = new RecordingOptions { Directory = directory, Retention = Options() };
            using var job = new RecordingRetentionJob(recordings, audit, options, time, NullLogger<RecordingRetentionJob>.Instance);

            await job.StartAsync(CancellationToken.None);
            try
            {
                var expired = new[] { "dormant-old", "general-old", "plain-old" };
                await WaitForAsync(async () => (await audit.ListAsync(100)).Count == 3);
                Assert.That(Kept(), Is.EquivalentTo(seeded.Select(s => s.Id).Except(expired).Append("flagged-old")));
                Assert.That(File.Exists(outside), Is.True, "a path outside Recording:Directory is never deleted");
                File.Delete(outside);
                foreach (var id in expired)
                {
                    var entry = (await recordings.FindAsync(id))!;
                    Assert.That((entry.RecordingDeletedBy, entry.RecordingDeletedAt), Is.EqualTo((RecordingDeletions.Retention, (DateTimeOffset?)now)), id);
                }

                var rows = await audit.ListAsync(100);
                Assert.That(rows.Select(r => (r.Actor, r.Action, r.Outcome)), Has.All.EqualTo((RecordingRetentionJob.Actor, "recording.delete", AuditEntry.Done)));
                Assert.That(rows.Select(r => r.Target), Is.EquivalentTo(expired));
                Assert.That(rows.Single(r => r.Target == "general-old").Detail, Does.Contain("730 days").And.Contain("queue general"));
                Assert.That((await recordings.FindAsync("dormant-young"))!.RecordingDeletedAt, Is.Null);

                // Two days later (two daily passes): the two that came of age go, nothing else.
                time.Advance(TimeSpan.FromDays(1));
                time.Advance(TimeSpan.FromDays(1));
                await WaitForAsync(async () => (await audit.ListAsync(100)).Count == 6);
                await Task.Delay(200);
                Assert.That(Kept(), Is.EquivalentTo(new[] { "diamond-old", "complaint", "flagged-old" }));
                Assert.That((await audit.ListAsync(100)).Select(r => r.Target).Take(3), Is.EquivalentTo(new[] { "dormant-young", "general-young", "plain-young" }));
            }
            finally
            {
                await job.StopAsync(CancellationToken.None);
            }

            string[] Kept() => [.. Directory.EnumerateFiles(directory).Select(Path.GetFileNameWithoutExtension).OfType<string>()];
        }
        finally
        {
            TestDatabases.DeleteSqliteFile(file);
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
            {
                Assert.Fail("timed out waiting for the retention job");
            }

            await Task.Delay(50);
        }
    }
}
