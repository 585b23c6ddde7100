using CallCenter.Data;
using CallCenter.ResourceControl.Cluster;
using CallCenter.ResourceControl.Routing;
using CallCenter.TestSupport;

namespace CallCenter.ResourceControl.Tests.Cluster;

/// <summary>
/// The cluster ACD's shared tables on a real PostgreSQL (a database of the test's own, issue 19): two nodes racing to
/// claim one available agent for different calls, with many claims in flight at once and the leader's claim among
/// them, never both win; a node never overwrites a call another live node holds, nor a newer state with an older one;
/// an agent of a node that stopped is not claimed; a caller's row round-trips with everything the router orders by.
/// </summary>
[NonParallelizable]
public sealed class SharedAcdStoreTests
{
    private const long Stale = 3_000;

    private static async Task<(TestDatabase Database, SharedAcdStore Node1, SharedAcdStore Node2)> StoresAsync()
    {
        var database = await TestDatabase.CreateAsync("postgres");
        await new Migrator(database.Factory).MigrateAsync();

        // Each node has its own connection pool, as two processes would.
        return (database, new SharedAcdStore(new DbConnectionFactory(database.Options)), new SharedAcdStore(new DbConnectionFactory(database.Options)));
    }

    private static SharedAgent Agent(string extension, string node, string status, DateTimeOffset since, string? callId = null) =>
        new(extension, node, status, callId, since, ["zh", "vip"], 3);

    private static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    [Test]
    public async Task TwoNodesRacingToClaimOneAvailableAgentForDifferentCallsNeverBothWin()
    {
        var (database, node1, node2) = await StoresAsync();
        await using var _ = database;
        var now = DateTimeOffset.UtcNow;
        for (var round = 0; round < 20; round++)
        {
            var extension = $"20{round:00}";
            Assert.That(await node1.WriteAgentAsync(Agent(extension, "node-1", SharedAgent.Available, now), Ms(now), Ms(now) - Stale, CancellationToken.None), Is.True);

            // Eight claims from each node at once, each for a call of its own.
            using var start = new ManualResetEventSlim();
            var claims = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
            {
                start.Wait();
                var (store, node) = i % 2 == 0 ? (node1, "node-1") : (node2, "node-2");
                var call = $"call-{node}-{i}";
                return (Call: call, Won: await store.ClaimAsync(extension, call, node, Ms(now), Ms(now) - Stale, CancellationToken.None));
            })).ToList();
            start.Set();
            var results = await Task.WhenAll(claims);
            var row = await node1.AgentAsync(extension, CancellationToken.None);

            var winners = results.Where(r => r.Won).ToList();
            Assert.That(winners, Has.Count.EqualTo(1), $"round {round}: exactly one claim wins");
            Assert.That(row!.Status, Is.EqualTo(SharedAgent.Offered));
            Assert.That(row.CallId, Is.EqualTo(winners[0].Call), "the row names the winner's call");
            Assert.That(row.Node, Is.EqualTo(winners[0].Call.Split('-')[1] + "-" + winners[0].Call.Split('-')[2]));
        }
    }

    [Test]
    public async Task TheLeadersAssignmentAndANodesOwnClaimRacingForOneAgentNeverBothWin()
    {
        var (database, node1, node2) = await StoresAsync();
        await using var _ = database;
        var now = DateTimeOffset.UtcNow;
        var leaderWins = 0;
        for (var round = 0; round < 20; round++)
        {
            var extension = $"30{round:00}";
            var waiting = new WaitingCall($"waiting-{round}", "vip", "Gold", "zh", [], now.AddSeconds(-5));
            await node1.WriteAgentAsync(Agent(extension, "node-1", SharedAgent.Available, now.AddSeconds(-10)), Ms(now), Ms(now) - Stale, CancellationToken.None);
            await node2.PublishAsync("node-2", [waiting], Ms(now), CancellationToken.None);
            var decided = ClusterRouting.Decide(
                new RoutingOptions(), [Agent(extension, "node-1", SharedAgent.Available, now.AddSeconds(-10))], [new SharedCaller(waiting, "node-2")], now).Single();

            using var start = new ManualResetEventSlim();
            var leader = Task.Run(async () => { start.Wait(); return await node2.AssignAsync(decided, Ms(now), Ms(now) - Stale, CancellationToken.None); });
            var own = Task.Run(async () => { start.Wait(); return await node1.ClaimAsync(extension, $"transfer-{round}", "node-1", Ms(now), Ms(now) - Stale, CancellationToken.None); });
            start.Set();
            var (leaderWon, ownWon) = (await leader, await own);
            var routed = await node2.RoutedAsync("node-2", CancellationToken.None);

            Assert.That(leaderWon ^ ownWon, Is.True, $"round {round}: exactly one of the two (leader {leaderWon}, node {ownWon})");
            Assert.That(routed.Any(r => r.CallId == waiting.Id), Is.EqualTo(leaderWon), "the caller's row is marked only when the leader's claim held");
            leaderWins += leaderWon ? 1 : 0;
            await node2.DeleteWaitingAsync("node-2", waiting.Id, CancellationToken.None);
        }

        TestContext.Out.WriteLine($"leader won {leaderWins} of 20 races");
    }

    [Test]
    public async Task ANodeNeverOverwritesACallAnotherLiveNodeHoldsNorANewerStateWithAnOlderOne()
    {
        var (database, node1, node2) = await StoresAsync();
        await using var _ = database;
        var t0 = DateTimeOffset.UtcNow;
        await node1.WriteAgentAsync(Agent("1001", "node-1", SharedAgent.Available, t0), Ms(t0), Ms(t0) - Stale, CancellationToken.None);
        Assert.That(await node2.ClaimAsync("1001", "call-a", "node-2", Ms(t0.AddSeconds(1)), Ms(t0) - Stale, CancellationToken.None), Is.True);

        var breakOnNode1 = await node1.WriteAgentAsync(Agent("1001", "node-1", "break", t0.AddSeconds(2)), Ms(t0.AddSeconds(2)), Ms(t0.AddSeconds(2)) - Stale, CancellationToken.None);
        var onCallOnNode2 = await node2.WriteAgentAsync(Agent("1001", "node-2", "onCall", t0.AddSeconds(3), "call-a"), Ms(t0.AddSeconds(3)), Ms(t0.AddSeconds(3)) - Stale, CancellationToken.None);
        var staleAvailable = await node2.WriteAgentAsync(Agent("1001", "node-2", SharedAgent.Available, t0.AddSeconds(1.5)), Ms(t0.AddSeconds(4)), Ms(t0.AddSeconds(4)) - Stale, CancellationToken.None);
        var row = await node1.AgentAsync("1001", CancellationToken.None);
        var secondClaim = await node1.ClaimAsync("1001", "call-b", "node-1", Ms(t0.AddSeconds(4)), Ms(t0.AddSeconds(4)) - Stale, CancellationToken.None);

        // node-2 stops: ten seconds later its call's row is stale and node-1 may say what it knows.
        var later = t0.AddSeconds(14);
        var afterDeath = await node1.WriteAgentAsync(Agent("1001", "node-1", SharedAgent.Available, later), Ms(later), Ms(later) - Stale, CancellationToken.None);

        Assert.That(breakOnNode1, Is.False, "node-1 may not change an agent node-2 is ringing");
        Assert.That(onCallOnNode2, Is.True);
        Assert.That(staleAvailable, Is.False, "an older state never overwrites a newer one");
        Assert.That(row!.Status, Is.EqualTo("onCall"));
        Assert.That(row.Node, Is.EqualTo("node-2"));
        Assert.That(secondClaim, Is.False, "an agent on a call is not claimed");
        Assert.That(afterDeath, Is.True, "the call of a node that stopped no longer blocks the agent");
    }

    [Test]
    public async Task AnAgentOfANodeThatStoppedIsNotClaimedAndAReleasedClaimMakesTheAgentAvailableAgain()
    {
        var (database, node1, node2) = await StoresAsync();
        await using var _ = database;
        var t0 = DateTimeOffset.UtcNow;
        await node1.WriteAgentAsync(Agent("1001", "node-1", SharedAgent.Available, t0), Ms(t0), Ms(t0) - Stale, CancellationToken.None);
        var later = t0.AddSeconds(10);

        var staleClaim = await node2.ClaimAsync("1001", "call-a", "node-2", Ms(later), Ms(later) - Stale, CancellationToken.None);
        await node1.RefreshAsync("node-1", Ms(later), CancellationToken.None);
        var freshClaim = await node2.ClaimAsync("1001", "call-a", "node-2", Ms(later), Ms(later) - Stale, CancellationToken.None);
        var confirmed = await node2.ClaimAsync("1001", "call-a", "node-2", Ms(later), Ms(later) - Stale, CancellationToken.None);
        await node2.ReleaseAsync("1001", "call-a", "node-2", CancellationToken.None);
        var row = await node1.AgentAsync("1001", CancellationToken.None);

        Assert.That(staleClaim, Is.False, "node-1 has not refreshed its rows for 10 s: it stopped");
        Assert.That(freshClaim, Is.True, "once node-1 refreshed its rows");
        Assert.That(confirmed, Is.True, "the same call on the same node confirms its claim");
        Assert.That(row!.Status, Is.EqualTo(SharedAgent.Available));
        Assert.That(row.CallId, Is.Null);
    }

    [Test]
    public async Task AWaitingCallersRowRoundTripsAndIsWithdrawnWhenItNoLongerWaits()
    {
        var (database, node1, _) = await StoresAsync();
        await using var __ = database;
        var now = DateTimeOffset.UtcNow;
        var entered = DateTimeOffset.FromUnixTimeMilliseconds(Ms(now.AddSeconds(-42)));
        var call = new WaitingCall("c1", "vip", "Gold", "en", ["futures"], entered, "1004", 2)
        {
            HoldUntil = entered.AddSeconds(60),
            RiskNotice = true,
        };

        await node1.PublishAsync("node-1", [call, new WaitingCall("c2", "general", null, null, [], entered)], Ms(now), CancellationToken.None);
        var live = await node1.LiveWaitingAsync(Ms(now) - Stale, CancellationToken.None);
        await node1.WithdrawAsync("node-1", ["c2"], CancellationToken.None);
        var afterWithdraw = await node1.LiveWaitingAsync(Ms(now) - Stale, CancellationToken.None);
        var staleLater = await node1.LiveWaitingAsync(Ms(now.AddSeconds(10)) - Stale, CancellationToken.None);

        var read = live.Single(c => c.Call.Id == "c1");
        Assert.That(read.Node, Is.EqualTo("node-1"));
        Assert.That(read.Call with { RequiredSkills = call.RequiredSkills }, Is.EqualTo(call));
        Assert.That(read.Call.RequiredSkills, Is.EqualTo(new[] { "futures" }));
        Assert.That(afterWithdraw.Select(c => c.Call.Id), Is.EqualTo(new[] { "c1" }));
        Assert.That(staleLater, Is.Empty, "rows not refreshed for 10 s belong to a node that stopped");
    }
}
