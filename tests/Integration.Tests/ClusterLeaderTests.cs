using System.Diagnostics;
using System.Net;
using System.Text.Json;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>
/// Two real platform nodes on one PostgreSQL and one redis-server (issue 19): exactly one holds the leader lease and
/// both name it on /health; an agent whose phone registered through node 1 is made available on node 2 (not 409) and
/// answers a caller on node 2; when the leader's process is killed the other node leads within 5 s.
/// </summary>
[NonParallelizable]
public sealed class ClusterLeaderTests
{
    /// <summary>A node's <c>/health</c> body (also for the other cluster tests).</summary>
    internal static async Task<JsonElement> HealthAsync(PlatformProcess node)
    {
        using var http = new HttpClient { BaseAddress = node.BaseAddress };
        using var response = await http.GetAsync(new Uri("health", UriKind.Relative));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>True once <paramref name="probe"/> is, polled every <paramref name="everyMilliseconds"/> until <paramref name="timeout"/>.</summary>
    internal static async Task<bool> EventuallyAsync(Func<Task<bool>> probe, TimeSpan timeout, int everyMilliseconds = 200)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (await probe())
            {
                return true;
            }

            await Task.Delay(everyMilliseconds);
        }

        return false;
    }

    private static async Task<bool> RegisteredOnAsync(PlatformProcess node, string extension)
    {
        var (status, body) = await node.GetApiAsync("api/agents");
        return status == HttpStatusCode.OK && body.EnumerateArray().Any(a => a.GetProperty("id").GetString() == extension && a.GetProperty("registered").GetBoolean());
    }

    [Test]
    public async Task OneNodeLeadsAnAgentRegisteredThroughNode1AnswersOnNode2AndTheOtherNodeLeadsWithinFiveSecondsOfTheLeadersDeath()
    {
        await using var database = await TestDatabase.CreateAsync("postgres");
        await using var redis = await ClusterPeer.StartRedisAsync();
        string[] NodeArguments(string id) =>
        [
            "--Sip:DigestAlgorithms:0=MD5", "--Agents:WrapUpSeconds=1", "--Cluster:Enabled=true", $"--Cluster:NodeId={id}",
            $"--Cluster:Redis=127.0.0.1:{redis.Port}", "--Sip:NonceSecret=cluster-leader-test-secret-0123456789",
            "--Database:Provider=postgres", $"--Database:ConnectionString={database.Options.ConnectionString}",
        ];

        // One after the other: the first migrates and seeds the shared database.
        var node1 = await PlatformProcess.StartAsync(NodeArguments("node-1"));
        await using var node2 = await PlatformProcess.StartAsync(NodeArguments("node-2"));
        try
        {
            JsonElement h1 = default, h2 = default;
            var agreed = await EventuallyAsync(async () =>
            {
                (h1, h2) = (await HealthAsync(node1), await HealthAsync(node2));
                var l1 = h1.GetProperty("cluster").GetProperty("leader").GetString();
                return l1 is not null && l1 == h2.GetProperty("cluster").GetProperty("leader").GetString();
            }, TimeSpan.FromSeconds(10));
            var leading = new[] { h1, h2 }.Count(h => h.GetProperty("cluster").GetProperty("leading").GetBoolean());

            // The phone registers through node 1 only; node 2 learns of it from the shared bindings.
            await using var agent = await AgentPhone.StartAsync(node1, "1001", makeAvailable: false);
            var seenOnNode2 = await EventuallyAsync(() => RegisteredOnAsync(node2, "1001"), TimeSpan.FromSeconds(5));
            var available = await node2.PostApiAsync("api/agents/1001/state", "{\"state\": \"available\"}");
            await using var caller = AgentPhone.StartCaller(node2, "13800000001", holdMilliseconds: 12_000);
            var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(60));
            var agentResult = await agent.WaitAsync(TimeSpan.FromSeconds(30));
            var record = await node2.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13800000001", TimeSpan.FromSeconds(15));

            // The leader dies (SIGKILL): the other node takes the lease within 5 s.
            var (leader, follower) = h1.GetProperty("cluster").GetProperty("leading").GetBoolean() ? (node1, node2) : (node2, node1);
            var followerName = follower == node1 ? "node-1" : "node-2";
            var clock = Stopwatch.StartNew();
            await leader.DisposeAsync();
            var killedAt = clock.Elapsed;
            var tookOver = await EventuallyAsync(async () => (await HealthAsync(follower)).GetProperty("cluster").GetProperty("leading").GetBoolean(), TimeSpan.FromSeconds(10), everyMilliseconds: 25);
            var takeOver = clock.Elapsed - killedAt;
            var after = await HealthAsync(follower);
            TestContext.Out.WriteLine($"leader take-over: {takeOver.TotalMilliseconds:F0} ms after the leader's process was killed");
            var logs = $"\n--- node 1\n{node1.Output}\n--- node 2\n{node2.Output}";

            Assert.That(agreed, Is.True, "both nodes name the same leader" + logs);
            Assert.That(leading, Is.EqualTo(1), "exactly one node leads");
            Assert.That(seenOnNode2, Is.True, "node 2 sees the phone registered through node 1" + logs);
            Assert.That(available.Status, Is.EqualTo(HttpStatusCode.OK), "made available on node 2, not 409: " + available.Body);
            Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), "the caller on node 2 reaches the agent\n" + callerResult.Output + logs);
            Assert.That(agentResult.SuccessfulCalls, Is.EqualTo(1), "node 2 rang the phone registered through node 1\n" + agentResult.Output);
            Assert.That(record?.GetProperty("agent").GetString(), Is.EqualTo("1001"), record?.ToString());
            Assert.That(tookOver, Is.True, "the surviving node takes the lease" + logs);
            Assert.That(takeOver, Is.LessThan(TimeSpan.FromSeconds(5)));
            Assert.That(after.GetProperty("cluster").GetProperty("leader").GetString(), Is.EqualTo(followerName));
        }
        finally
        {
            await node1.DisposeAsync();
        }
    }
}
