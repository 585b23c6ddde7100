using System.Diagnostics;
using System.Globalization;
using CallCenter.Data;
using CallCenter.Data.CallLists;
using CallCenter.ResourceControl.Outbound;

// An agent's "next preview entry" with one preview list of N entries (default 100,000) in a SQLite file, as
// the platform reads it: before, every entry of every list read and ordered in memory (the read the preview
// made until the targeted query); after, the first few entries of each preview list through the index.
// Both must pick the same entry; each is timed over several requests (median and p95).
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
const int Requests = 30;
var file = Path.Combine(Path.GetTempPath(), $"callcenter-preview-bench-{Guid.NewGuid():N}.db");
try
{
    var factory = new DbConnectionFactory(new DatabaseOptions { Provider = "sqlite", ConnectionString = "Data Source=" + file });
    await new Migrator(factory).MigrateAsync();
    var store = new CallListRepository(factory);
    var now = DateTimeOffset.UtcNow;
    var list = new CallListRow("list-big", "Core clients", "core-client", "general", 3, 600, "bench", now, CallListModes.Preview);
    await store.InsertListAsync(list);
    var random = new Random(15);
    var seeding = Stopwatch.StartNew();
    for (var start = 0; start < count; start += 10_000)
    {
        var batch = Enumerable.Range(start, Math.Min(10_000, count - start)).Select(i => new CallListEntryRow
        {
            Id = "le-" + i.ToString("D7", CultureInfo.InvariantCulture),
            ListId = list.Id,
            Number = "139" + i.ToString("D8", CultureInfo.InvariantCulture),
            AccountManager = "1004",
            DueBy = now.AddMinutes(random.Next(60, 60 * 24 * 7)),
            Status = random.Next(4) == 0 ? CallListStatuses.Reached : CallListStatuses.Open,
            Attempts = random.Next(3),
            CreatedAt = now,
            UpdatedAt = now,
        }).ToList();
        await store.InsertEntriesAsync(batch);
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count:N0} entries written in {seeding.Elapsed.TotalSeconds:F1} s"));
    IReadOnlyList<CallListRow> lists = [list];
    static bool Serves(string queue) => queue == "general";

    async Task<string> BeforeAsync()
    {
        var all = await store.EntriesAsync(null);
        return ListDialPlanner.PreviewOrder(all.Where(e => !CallLists.IsOwnRelationship(list, e, "1002")), lists, Serves, DateTimeOffset.UtcNow)[0].Entry.Id;
    }

    async Task<string> AfterAsync() =>
        (await CallLists.PreviewCandidatesAsync(store, lists, Serves, "1002", DateTimeOffset.UtcNow, 20, CancellationToken.None))[0].Entry.Id;

    var (beforeId, beforeTimes) = await TimeAsync(BeforeAsync);
    var (afterId, afterTimes) = await TimeAsync(AfterAsync);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"before (every entry read): median {Median(beforeTimes):F2} ms, p95 {P95(beforeTimes):F2} ms, picked {beforeId}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"after (targeted, indexed): median {Median(afterTimes):F2} ms, p95 {P95(afterTimes):F2} ms, picked {afterId}"));
    Console.WriteLine(beforeId == afterId ? "same entry picked" : "DIFFERENT ENTRIES PICKED");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load average: {File.ReadAllText("/proc/loadavg").Trim()}"));
    return beforeId == afterId ? 0 : 1;
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    File.Delete(file);
}

static async Task<(string Picked, List<double> Times)> TimeAsync(Func<Task<string>> request)
{
    var picked = await request(); // warm-up
    var times = new List<double>();
    for (var i = 0; i < Requests; i++)
    {
        var watch = Stopwatch.StartNew();
        picked = await request();
        times.Add(watch.Elapsed.TotalMilliseconds);
    }

    return (picked, times);
}

static double Median(List<double> times) => times.Order().ElementAt(times.Count / 2);

static double P95(List<double> times) => times.Order().ElementAt((int)Math.Ceiling(times.Count * 0.95) - 1);
