using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using CallCenter.TestSupport;
using Microsoft.AspNetCore.SignalR.Client;

namespace CallCenter.Integration.Tests;

/// <summary>
/// Two real nodes on one PostgreSQL database and one redis-server (issue 19): both read the same call lists, and both
/// share their view through Redis, but the wallboard counts the database's lists once, not once per node.
/// </summary>
[NonParallelizable]
public sealed class ClusterWallboardListTests
{
    [Test]
    public async Task TwoNodesOnOneDatabaseShowItsCallListOnceOnTheWallboard()
    {
        await using var database = await TestDatabase.CreateAsync("postgres");
        await using var redis = await ClusterPeer.StartRedisAsync();
        string[] NodeArguments(string id) =>
        [
            "--Cluster:Enabled=true", $"--Cluster:NodeId={id}", $"--Cluster:Redis=127.0.0.1:{redis.Port}",
            "--Sip:NonceSecret=cluster-wallboard-test-secret-0123456789", "--CallLists:EscalateMinutesBefore=120",
            "--Database:Provider=postgres", $"--Database:ConnectionString={database.Options.ConnectionString}",
        ];

        // One after the other: the first migrates and seeds the shared database.
        await using var node1 = await PlatformProcess.StartAsync(NodeArguments("node-1"));
        await using var node2 = await PlatformProcess.StartAsync(NodeArguments("node-2"));
        var created = await node1.PostApiAsync("api/call-lists", "{\"name\": \"Complaints this week\", \"kind\": \"complaint\", \"mode\": \"preview\"}");
        Assert.That(created.Status, Is.EqualTo(HttpStatusCode.Created), created.Body + node1.Output);
        var listId = JsonDocument.Parse(created.Body).RootElement.GetProperty("id").GetString()!;
        var soon = DateTimeOffset.UtcNow.AddHours(1).ToString("O", CultureInfo.InvariantCulture);
        var later = DateTimeOffset.UtcNow.AddDays(1).ToString("O", CultureInfo.InvariantCulture);
        var (status, import) = await CallListTests.PostCsvAsync(node1, $"api/call-lists/{listId}/entries", $"number,name,dueBy\n13900000081,Sun,{soon}\n13900000082,Li,{later}\n");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), import.ToString());

        await using var board = await DeskHubCallTests.SignedInHubAsync(node2, "super", "demo-super", "hubs/wallboard", "/desk/wallboard");

        // Both nodes' own views in Redis name the list (each reads the one database): the merge has two to add up.
        var bothShare = await ClusterLeaderTests.EventuallyAsync(async () =>
        {
            var views = await RedisViewsAsync(redis.Port);
            return views.Count == 2 && views.Values.All(v => Open(v, listId) == 2);
        }, TimeSpan.FromSeconds(20));
        var stores = (await RedisViewsAsync(redis.Port)).Values.Select(v => v.TryGetProperty("store", out var s) ? s.GetString() : null).Distinct().ToList();

        // Node 2's wallboard, over a few seconds of both nodes sharing: the list's two entries, not four.
        var seen = new List<int?>();
        for (var i = 0; i < 6; i++)
        {
            seen.Add(Open(await board.InvokeAsync<JsonElement>("snapshot"), listId));
            await Task.Delay(500);
        }

        var logs = $"\n--- node 1\n{node1.Output}\n--- node 2\n{node2.Output}";
        Assert.That(bothShare, Is.True, "both nodes share a view naming the list's 2 open entries" + logs);
        Assert.That(stores, Has.Count.EqualTo(1).And.None.Null, "both views name the one database alike");
        Assert.That(seen, Is.All.EqualTo(2), "the shared database's list counted once on node 2's wallboard");
    }

    private static int? Open(JsonElement view, string listId) =>
        view.GetProperty("listDeadlines").EnumerateArray()
            .Where(l => l.GetProperty("listId").GetString() == listId)
            .Select(l => (int?)l.GetProperty("open").GetInt32()).FirstOrDefault();

    /// <summary>The views the nodes shared in Redis (hash <c>callcenter:wallboard</c>, one field per node), read with redis-cli.</summary>
    private static async Task<Dictionary<string, JsonElement>> RedisViewsAsync(int port)
    {
        using var cli = Process.Start(new ProcessStartInfo("redis-cli", ["-p", port.ToString(CultureInfo.InvariantCulture), "--no-raw", "HGETALL", "callcenter:wallboard"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = await cli.StandardOutput.ReadToEndAsync();
        await cli.WaitForExitAsync();
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Unquote).ToList();
        var views = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < lines.Count; i += 2)
        {
            views[lines[i]] = JsonDocument.Parse(lines[i + 1]).RootElement.Clone();
        }

        return views;
    }

    // "--no-raw" prints each value as `N) "..."` with quotes and backslashes escaped.
    private static string Unquote(string line)
    {
        var start = line.IndexOf('"', StringComparison.Ordinal);
        var end = line.LastIndexOf('"');
        return start < 0 || end <= start ? line.Trim() : System.Text.RegularExpressions.Regex.Unescape(line[(start + 1)..end]);
    }
}
