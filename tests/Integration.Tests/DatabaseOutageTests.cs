using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace CallCenter.Integration.Tests;

/// <summary>
/// The platform's database fails in the middle of a bridged call: the call must still end on both
/// legs, the agent must be freed while the database is away, and the call's record must be written
/// exactly once when it is back.
/// </summary>
/// <remarks>
/// The failure is real: the test opens the platform's own SQLite file and holds <c>BEGIN EXCLUSIVE</c>.
/// The platform's database runs in WAL mode with <c>busy_timeout=5000</c> and a command timeout of 30 s
/// (src/Data/DbConnectionFactory.cs); Microsoft.Data.Sqlite retries SQLITE_BUSY until the command
/// timeout, so each write the platform tries blocks about 30 s and then fails with "database is
/// locked", while reads still see the last committed state (WAL readers are not blocked by a writer).
/// The test therefore holds the lock until the platform has logged such a failure (about 30 s after
/// the hang-up) and checks the call's end and the agent before that. The record writer
/// (src/ResourceControl/Records/CallRecordWriter.cs) retries with back-off from 100 ms up to 5 s, so
/// the record must appear within seconds of the release, once.
/// </remarks>
[NonParallelizable]
public sealed class DatabaseOutageTests
{
    private const string Agent = "1001";
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(30);

    [Test]
    public async Task ACallWhoseDatabaseFailsMidCallStillEndsFreesTheAgentAndIsRecordedOnceAfterwards()
    {
        await using var platform = PlatformProcess.Start(QuickQueueConfig.Prepare,
            "--Sip:DigestAlgorithms:0=MD5", "--Sip:DigestAlgorithms:1=SHA-256", "--Agents:WrapUpSeconds=1", "--Routing:AnnouncementSeconds=0");
        await platform.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        await using var phone = await AgentPhone.StartAsync(platform, Agent, ringMilliseconds: 200);

        // A caller number of this run only: its records are counted by it.
        var caller = "139" + Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);
        await using var call = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("caller.xml", new() { ["{CALLER}"] = caller, ["{WAIT_MS}"] = "1000", ["{TALK_MS}"] = "3000" }),
            "-s", QuickQueueConfig.Line, "-m", "1", "-timeout", "60s", "-timeout_error"]);

        // Bridged: the agent is on the call. A moment more so that the call's "open" note is written
        // before the database goes away (what is tested is the end of the call, not its answer).
        var onCall = await WaitForAgentAsync(platform, s => s == "onCall", _wait);
        Assert.That(onCall, Is.EqualTo("onCall"), "the call was never bridged to the agent\n" + platform.Output);
        await Task.Delay(1500);

        var lockedAt = DateTime.UtcNow;
        await using var database = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(platform.WorkDirectory, "callcenter.db"),
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        await database.OpenAsync();
        await using (var begin = database.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE;";
            await begin.ExecuteNonQueryAsync();
        }

        // The caller hangs up about 2 s after the lock (4 s after the answer), while the database fails.
        var callerResult = await call.WaitAsync(_wait);
        var phoneResult = await phone.WaitAsync(_wait);
        var freed = await WaitForAgentAsync(platform, s => s is "wrapUp" or "available", TimeSpan.FromSeconds(10));

        // The agent's 1 s wrap-up ends while the database is still away; no record can be written yet.
        var freedWhileLocked = await WaitForAgentAsync(platform, s => s == "available", TimeSpan.FromSeconds(10));
        var recordsWhileLocked = await RecordsOfAsync(platform, caller);

        // Keep the database away until the platform has seen a write fail (30 s command timeout), at most 45 s.
        var holdUntil = lockedAt + TimeSpan.FromSeconds(45);
        while (DateTime.UtcNow < holdUntil && !platform.Output.Contains("database is locked", StringComparison.Ordinal))
        {
            await Task.Delay(250);
        }

        await Task.Delay(500);
        var outputWhileLocked = platform.Output;
        await using (var rollback = database.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync();
        }

        await database.CloseAsync();
        var lockedFor = DateTime.UtcNow - lockedAt;

        // Back: the record is written by the writer's next retry (at most 5 s of back-off), then a
        // few seconds more to see that no second copy follows.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        var records = new List<JsonElement>();
        while (DateTime.UtcNow < deadline && records.Count == 0)
        {
            records = await RecordsOfAsync(platform, caller);
            await Task.Delay(250);
        }

        await Task.Delay(3000);
        records = await RecordsOfAsync(platform, caller);

        TestContext.Out.WriteLine($"caller {caller}; database locked {lockedFor.TotalSeconds:F1} s; agent after hang-up: {freed}, later {freedWhileLocked}");
        Assert.That(outputWhileLocked, Does.Contain("database is locked"), "the platform's writes must really have failed while the test held the lock\n" + outputWhileLocked);
        Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), "the caller's BYE must be answered while the database fails\n" + callerResult.Output + platform.Output);
        Assert.That(phoneResult.SuccessfulCalls, Is.EqualTo(1), "the agent's phone must get its BYE while the database fails\n" + phoneResult.Output + platform.Output);
        Assert.That(freed, Is.EqualTo("wrapUp").Or.EqualTo("available"), "the agent must be freed while the database fails\n" + platform.Output);
        Assert.That(freedWhileLocked, Is.EqualTo("available"), "the agent's 1 s wrap-up must end while the database fails\n" + platform.Output);
        Assert.That(recordsWhileLocked, Is.Empty, "no record can have been written while the database was locked");
        Assert.That(records, Has.Count.EqualTo(1), "exactly one record for the call once the database is back\n" + string.Join("\n", records) + "\n" + platform.Output);
        Assert.That(records[0].GetProperty("agent").GetString(), Is.EqualTo(Agent), records[0].ToString());
        Assert.That(records[0].GetProperty("disposition").GetString(), Is.EqualTo("caller-hung-up"), records[0].ToString());
        Assert.That(platform.HasExited, Is.False, "the platform must survive its database's outage\n" + platform.Output);

        // The call's events share the records' batches: its end is logged once too, not lost with the failed batch.
        await using var check = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(platform.WorkDirectory, "callcenter.db"),
            Pooling = false,
        }.ToString());
        await check.OpenAsync();
        await using var ended = check.CreateCommand();
        ended.CommandText = "SELECT COUNT(*) FROM events WHERE call_id = $id AND kind = 'call.ended'";
        ended.Parameters.AddWithValue("$id", records[0].GetProperty("id").GetString());
        Assert.That(Convert.ToInt64(await ended.ExecuteScalarAsync(), CultureInfo.InvariantCulture), Is.EqualTo(1), "the call's end is logged once");
    }

    /// <summary>Polls GET /api/agents until the agent's state matches; returns the last state seen.</summary>
    private static async Task<string?> WaitForAgentAsync(PlatformProcess platform, Func<string?, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string? state = null;
        do
        {
            var (status, body) = await platform.GetApiAsync("api/agents");
            if (status == HttpStatusCode.OK)
            {
                state = body.EnumerateArray().Single(a => a.GetProperty("id").GetString() == Agent).GetProperty("state").GetString();
                if (match(state))
                {
                    return state;
                }
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        return state;
    }

    private static async Task<List<JsonElement>> RecordsOfAsync(PlatformProcess platform, string caller)
    {
        var (status, body) = await platform.GetApiAsync("api/calls?limit=100");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        return [.. body.EnumerateArray().Where(c => c.GetProperty("caller").GetString() == caller)];
    }
}
