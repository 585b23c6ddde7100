using System.Diagnostics;
using System.Net;
using System.Text.Json;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>
/// One ACD for two real platform nodes on one PostgreSQL and one redis-server (issue 19). An agent whose phone
/// registered through node 1 and who was made available on node 1 answers a caller that arrived at node 2 (node 2 rings
/// the phone, node 2's record names the agent). Then, with two callers waiting on node 2 (an ordinary one first, a
/// Platinum client second) and the agent on break, the leader (node 1) is killed: node 2 leads, the agent is made
/// available, and node 2's new leader gives the agent the Platinum caller, by tier, from the rows node 2 published.
/// A supervisor on node 1 picks a caller waiting on node 2 (held for their account manager, on a break through node 2)
/// for an agent available through node 1: node 2 rings that agent, its record says who picked; a second pick is refused.
/// </summary>
[NonParallelizable]
public sealed class ClusterAcdTests
{
    /// <summary>Does <paramref name="node"/> hold the leader lease, as its /health says (also for the other cluster tests)?</summary>
    internal static async Task<bool> LeadsAsync(PlatformProcess node) => (await ClusterLeaderTests.HealthAsync(node)).GetProperty("cluster").GetProperty("leading").GetBoolean();

    /// <summary><paramref name="extension"/> as <paramref name="node"/>'s GET /api/agents shows them; null when it does not answer 200.</summary>
    internal static async Task<JsonElement?> AgentOnAsync(PlatformProcess node, string extension)
    {
        var (status, body) = await node.GetApiAsync("api/agents");
        return status == HttpStatusCode.OK ? body.EnumerateArray().FirstOrDefault(a => a.GetProperty("id").GetString() == extension) : null;
    }

    /// <summary>
    /// The arguments of cluster node <paramref name="id"/> on the test's PostgreSQL database and Redis (also for the other
    /// cluster tests): MD5 digest for sipp, 1 s of wrap-up, no queue announcements, the cluster's log at Information.
    /// </summary>
    internal static string[] ClusterNode(TestDatabase database, ClusterPeer redis, string id, params string[] more) =>
    [
        "--Sip:DigestAlgorithms:0=MD5", "--Agents:WrapUpSeconds=1", "--Cluster:Enabled=true", $"--Cluster:NodeId={id}",
        $"--Cluster:Redis=127.0.0.1:{redis.Port}", "--Sip:NonceSecret=cluster-acd-test-secret-0123456789",
        "--Database:Provider=postgres", $"--Database:ConnectionString={database.Options.ConnectionString}",
        "--Routing:AnnouncementSeconds=0", "--Logging:LogLevel:CallCenter.ResourceControl.Cluster=Information", .. more,
    ];

    private static async Task<int> WaitingOnAsync(PlatformProcess node)
    {
        var (status, body) = await node.GetApiAsync("api/queues");
        return status == HttpStatusCode.OK ? body.EnumerateArray().Sum(q => q.GetProperty("waiting").GetInt32()) : -1;
    }

    [Test]
    public async Task AnAgentAvailableOnNode1AnswersACallerOnNode2AndAfterTheLeaderIsKilledTheNextLeaderOffersTheAgentByTier()
    {
        await using var database = await TestDatabase.CreateAsync("postgres");
        await using var redis = await ClusterPeer.StartRedisAsync();
        string[] NodeArguments(string id) => ClusterNode(database, redis, id);

        // One after the other: the first migrates the shared database and takes the lease.
        var node1 = await PlatformProcess.StartAsync(OpenVipLine.Prepare, NodeArguments("node-1"));
        await using var node2 = await PlatformProcess.StartAsync(OpenVipLine.Prepare, NodeArguments("node-2"));
        try
        {
            var node1Leads = await ClusterLeaderTests.EventuallyAsync(() => LeadsAsync(node1), TimeSpan.FromSeconds(10));

            // 1. The phone registers through node 1 and the agent is made available there; the caller arrives at node 2.
            await using var agent = await AgentPhone.StartAsync(node1, "1003", calls: 2);
            await using (var first = AgentPhone.StartCaller(node2, "13800000005", holdMilliseconds: 12_000))
            {
                var firstResult = await first.WaitAsync(TimeSpan.FromSeconds(60));
                var firstRecord = await node2.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13800000005", TimeSpan.FromSeconds(15));
                var logs = $"\n--- node 1\n{node1.Output}\n--- node 2\n{node2.Output}";
                Assert.That(node1Leads, Is.True, "node 1, started first, leads" + logs);
                Assert.That(firstResult.SuccessfulCalls, Is.EqualTo(1), firstResult.Output + logs);
                Assert.That(firstRecord?.GetProperty("agent").GetString(), Is.EqualTo("1003"), "node 2 rang the agent made available on node 1" + logs);
                Assert.That(node1.Output, Does.Contain("routed call").And.Contain("waiting on node-2 to agent 1003: kept"), "node 1's leader decided");
            }

            // 2. The agent (now held by node 2 after that call) goes on break; two callers wait on node 2, ordinary first.
            var wrappedUp = await ClusterLeaderTests.EventuallyAsync(async () => (await AgentOnAsync(node2, "1003"))?.GetProperty("state").GetString() == "available", TimeSpan.FromSeconds(10));
            var onBreak = await node2.PostApiAsync("api/agents/1003/state", "{\"state\": \"break\", \"reason\": \"test\"}");
            await using var ordinary = AgentPhone.StartCaller(node2, "13900000009", holdMilliseconds: 20_000, timeout: "90s");
            await Task.Delay(1500);
            await using var platinum = AgentPhone.StartCaller(node2, "13800000002", holdMilliseconds: 40_000, timeout: "90s");
            var bothWaiting = await ClusterLeaderTests.EventuallyAsync(async () => await WaitingOnAsync(node2) == 2, TimeSpan.FromSeconds(20));

            // 3. The leader dies; node 2 takes the lease and routes from the rows it published: the agent gets the Platinum caller.
            var clock = Stopwatch.StartNew();
            await node1.DisposeAsync();
            var available = await node2.PostApiAsync("api/agents/1003/state", "{\"state\": \"available\"}");
            string? offeredCall = null;
            var offered = await ClusterLeaderTests.EventuallyAsync(async () =>
            {
                var state = await AgentOnAsync(node2, "1003");
                offeredCall = state?.GetProperty("callId").GetString();
                return state?.GetProperty("state").GetString() is "offered" or "onCall";
            }, TimeSpan.FromSeconds(15), everyMilliseconds: 50);
            var offeredAfter = clock.Elapsed;
            TestContext.Out.WriteLine($"agent offered a call {offeredAfter.TotalMilliseconds:F0} ms after the leader's process was killed");
            var node2Leads = await LeadsAsync(node2);
            await platinum.WaitAsync(TimeSpan.FromSeconds(90));
            await ordinary.WaitAsync(TimeSpan.FromSeconds(90));
            var platinumRecord = await node2.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13800000002", TimeSpan.FromSeconds(15));
            var ordinaryRecord = await node2.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13900000009", TimeSpan.FromSeconds(15));
            var logs2 = $"\n--- node 2\n{node2.Output}";

            Assert.That(wrappedUp, Is.True, "the agent is available again after the first call" + logs2);
            Assert.That(onBreak.Status, Is.EqualTo(HttpStatusCode.OK), onBreak.Body);
            Assert.That(bothWaiting, Is.True, "both callers wait on node 2" + logs2);
            Assert.That(available.Status, Is.EqualTo(HttpStatusCode.OK), available.Body);
            Assert.That(node2Leads, Is.True, "node 2 leads after node 1's death" + logs2);
            Assert.That(offered, Is.True, "the new leader offered the agent a call" + logs2);
            Assert.That(offeredAfter, Is.LessThan(TimeSpan.FromSeconds(5)), "the next leader routes within 5 s of the leader's death");
            Assert.That(platinumRecord?.GetProperty("agent").GetString(), Is.EqualTo("1003"), "the Platinum caller, second to arrive, got the agent" + logs2);
            Assert.That(platinumRecord?.GetProperty("tier").GetString(), Is.EqualTo("Platinum"));
            Assert.That(ordinaryRecord, Is.Not.Null, logs2);
            Assert.That(ordinaryRecord!.Value.TryGetProperty("agent", out var ordinaryAgent) ? ordinaryAgent.ValueKind : JsonValueKind.Null, Is.EqualTo(JsonValueKind.Null), "the ordinary caller, first to arrive, still waited: " + ordinaryRecord + logs2);
            Assert.That(node2.Output, Does.Contain("Node node-2 (cluster leader) routed call"), "node 2's leader decided");
            Assert.That(offeredCall, Is.Not.Null);
        }
        finally
        {
            await node1.DisposeAsync();
        }
    }

    [Test]
    public async Task ASupervisorOnNode1PicksACallerWaitingOnNode2ForAnAgentAvailableThroughNode1()
    {
        await using var database = await TestDatabase.CreateAsync("postgres");
        await using var redis = await ClusterPeer.StartRedisAsync();
        string[] NodeArguments(string id) => ClusterNode(database, redis, id, "--Routing:RelationshipOfferSeconds=600");

        await using var node1 = await PlatformProcess.StartAsync(NodeArguments("node-1"));
        await using var node2 = await PlatformProcess.StartAsync(NodeArguments("node-2"));

        // 13800000003 (Gold) belongs to manager 1004, on a break through node 2: held for them, so routing never gives
        // the call to 1001, available through node 1.
        await using var manager = await AgentPhone.StartAsync(node2, "1004");
        var onBreak = await node2.PostApiAsync("api/agents/1004/state", "{\"state\": \"break\", \"reason\": \"meeting\"}");
        await using var agent = await AgentPhone.StartAsync(node1, "1001", expectPai: "13800000003");
        await using var caller = Sipp.Start($"127.0.0.1:{node2.SipPort}", [
            "-sf", AgentPhone.Template("caller-until-bye.xml", new() { ["{CALLER}"] = "13800000003" }),
            "-s", "95501", "-m", "1", "-timeout", "120s", "-timeout_error"]);
        string? callId = null;
        var waiting = await ClusterLeaderTests.EventuallyAsync(async () =>
        {
            var (status, body) = await node2.GetApiAsync("api/queues");
            callId = status == HttpStatusCode.OK
                ? body.EnumerateArray().SelectMany(q => q.GetProperty("callers").EnumerateArray()).Select(c => c.GetProperty("callId").GetString()).FirstOrDefault()
                : null;
            return callId is not null;
        }, TimeSpan.FromSeconds(30));
        var logs = () => $"\n--- node 1\n{node1.Output}\n--- node 2\n{node2.Output}";
        Assert.That(onBreak.Status, Is.EqualTo(HttpStatusCode.OK), onBreak.Body);
        Assert.That(waiting, Is.True, "the caller waits on node 2" + logs());

        // Still waiting after a few rounds of the leader (node 1): routing does not give it to 1001.
        await Task.Delay(1500);
        var stillWaiting = (await AgentOnAsync(node1, "1001"))?.GetProperty("state").GetString();
        var refusedForManager = await node1.PostApiAsync($"api/queues/callers/{callId}/pick", "{\"agent\": \"1004\"}");
        var picked = await node1.PostApiAsync($"api/queues/callers/{callId}/pick", "{\"agent\": \"1001\"}");
        var talking = await ClusterLeaderTests.EventuallyAsync(
            async () => (await AgentOnAsync(node2, "1001"))?.GetProperty("state").GetString() == "onCall", TimeSpan.FromSeconds(15));
        var again = await node1.PostApiAsync($"api/queues/callers/{callId}/pick", "{\"agent\": \"1001\"}");
        var hangUp = await node2.PostApiAsync($"api/calls/{callId}/hangup", "{}");
        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(40));
        var record = await node2.WaitForCallRecordAsync(c => c.GetProperty("id").GetString() == callId, TimeSpan.FromSeconds(30));

        Assert.That(stillWaiting, Is.EqualTo("available"), "set-up: 1001 is free while the caller waits" + logs());
        Assert.That(refusedForManager.Status, Is.EqualTo(HttpStatusCode.Conflict), refusedForManager.Body);
        Assert.That(refusedForManager.Body, Does.Contain("agentNotAvailable"), "the manager on a break through node 2 is not available");
        Assert.That(picked.Status, Is.EqualTo(HttpStatusCode.OK), picked.Body + logs());
        Assert.That(talking, Is.True, "node 2 rang 1001 (registered through node 1) and the phone answered" + logs());
        Assert.That(again.Status, Is.EqualTo(HttpStatusCode.Conflict), again.Body);
        Assert.That(again.Body, Does.Contain("callNotWaiting"));
        Assert.That(hangUp.Status, Is.EqualTo(HttpStatusCode.OK), hangUp.Body);
        Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), callerResult.Output + logs());
        Assert.That(record?.GetProperty("agent").GetString(), Is.EqualTo("1001"), "node 2's record names the picked agent" + logs());
        Assert.That(record?.GetProperty("routing").GetString(), Does.Contain("SupervisorPick").And.Contain("picked by").And.Not.Contain("leader"));
        Assert.That(node1.Output, Does.Contain($"picked call {callId} for agent 1001 through the cluster's store: None"));
    }
}
