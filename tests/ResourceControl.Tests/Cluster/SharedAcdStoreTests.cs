using CallCenter.Data;
using CallCenter.ResourceControl.Cluster;
using CallCenter.ResourceControl.Routing;
using CallCenter.TestSupport;
using Npgsql;

namespace CallCenter.ResourceControl.Tests.Cluster;

/// <summary>
/// The cluster ACD's shared tables on a real PostgreSQL (a database of the test's own, issue 19): two nodes racing to
/// claim one available agent for different calls, with many claims in flight at once and the leader's claim among
/// them, never both win; a node never overwrites a call another live node holds, nor a newer state with an older one;
/// an agent of a node that stopped is not claimed; a caller's row round-trips with everything the router orders by; a dead
/// node's agents on a call are freed once while their phone is registered, and not once that node beat again; a node id
/// unseen for an hour is forgotten with the calls it held, and a live one is not; a node id whose instance is still
/// connected is not taken, and one whose instance has no session is taken at once when allowed. Rows are made stale by
/// moving their <c>seen_ms</c> back (<see cref="AgeAsync"/>): staleness is the database's clock alone.
/// </summary>
[NonParallelizable]
public sealed class SharedAcdStoreTests
{
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
            Assert.That(await node1.WriteAgentAsync(Agent(extension, "node-1", SharedAgent.Available, now), CancellationToken.None), Is.True);

            // Eight claims from each node at once, each for a call of its own.
            using var start = new ManualResetEventSlim();
            var claims = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
            {
                start.Wait();
                var (store, node) = i % 2 == 0 ? (node1, "node-1") : (node2, "node-2");
                var call = $"call-{node}-{i}";
                return (Call: call, Won: await store.ClaimAsync(extension, call, node, Ms(now), CancellationToken.None));
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
            await node1.WriteAgentAsync(Agent(extension, "node-1", SharedAgent.Available, now.AddSeconds(-10)), CancellationToken.None);
            await node2.PublishAsync("node-2", [waiting], CancellationToken.None);
            var decided = ClusterRouting.Decide(
                new RoutingOptions(), [Agent(extension, "node-1", SharedAgent.Available, now.AddSeconds(-10))], [new SharedCaller(waiting, "node-2")], now).Single();

            using var start = new ManualResetEventSlim();
            var leader = Task.Run(async () => { start.Wait(); return await node2.AssignAsync(decided, 0, Ms(now), CancellationToken.None) == AssignOutcome.Kept; });
            var own = Task.Run(async () => { start.Wait(); return await node1.ClaimAsync(extension, $"transfer-{round}", "node-1", Ms(now), CancellationToken.None); });
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
        await node1.WriteAgentAsync(Agent("1001", "node-1", SharedAgent.Available, t0), CancellationToken.None);
        Assert.That(await node2.ClaimAsync("1001", "call-a", "node-2", Ms(t0.AddSeconds(1)), CancellationToken.None), Is.True);

        var breakOnNode1 = await node1.WriteAgentAsync(Agent("1001", "node-1", "break", t0.AddSeconds(2)), CancellationToken.None);
        var onCallOnNode2 = await node2.WriteAgentAsync(Agent("1001", "node-2", "onCall", t0.AddSeconds(3), "call-a"), CancellationToken.None);
        var staleAvailable = await node2.WriteAgentAsync(Agent("1001", "node-2", SharedAgent.Available, t0.AddSeconds(1.5)), CancellationToken.None);
        var row = await node1.AgentAsync("1001", CancellationToken.None);
        var secondClaim = await node1.ClaimAsync("1001", "call-b", "node-1", Ms(t0.AddSeconds(4)), CancellationToken.None);

        // node-2 stops: ten seconds later (the database's clock) its call's row is stale and node-1 may say what it knows.
        var later = t0.AddSeconds(14);
        await AgeAsync(database, "node-2", TimeSpan.FromSeconds(10));
        var afterDeath = await node1.WriteAgentAsync(Agent("1001", "node-1", SharedAgent.Available, later), CancellationToken.None);

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
        await node1.WriteAgentAsync(Agent("1001", "node-1", SharedAgent.Available, t0), CancellationToken.None);
        var later = t0.AddSeconds(10);
        await AgeAsync(database, "node-1", TimeSpan.FromSeconds(10));

        var staleClaim = await node2.ClaimAsync("1001", "call-a", "node-2", Ms(later), CancellationToken.None);
        await node1.RefreshAsync("node-1", CancellationToken.None);
        var freshClaim = await node2.ClaimAsync("1001", "call-a", "node-2", Ms(later), CancellationToken.None);
        var confirmed = await node2.ClaimAsync("1001", "call-a", "node-2", Ms(later), CancellationToken.None);
        await node2.ReleaseAsync("1001", "call-a", "node-2", CancellationToken.None);
        var row = await node1.AgentAsync("1001", CancellationToken.None);

        Assert.That(staleClaim, Is.False, "node-1 has not refreshed its rows for 10 s: it stopped");
        Assert.That(freshClaim, Is.True, "once node-1 refreshed its rows");
        Assert.That(confirmed, Is.True, "the same call on the same node confirms its claim");
        Assert.That(row!.Status, Is.EqualTo(SharedAgent.Available));
        Assert.That(row.CallId, Is.Null);
    }

    [Test]
    public async Task ASupervisorsPickFromAnyNodeClaimsTheAgentForTheCallersNodeAndRacingTheLeaderOnlyOneWins()
    {
        var (database, node1, node2) = await StoresAsync();
        await using var _ = database;
        var now = DateTimeOffset.UtcNow;
        Func<SharedAgent, SharedCaller, ClusterAssignment?> decide = (agent, caller) => ClusterRouting.Pick(new RoutingOptions(), agent, caller, "super", now);

        // Node 1's agent, node 2's caller, picked from node 1: the caller's row is routed to node 2, the agent claimed for it.
        var waiting = new WaitingCall("picked", "vip", "Gold", "zh", ["futures"], now.AddSeconds(-5));
        await node1.WriteAgentAsync(Agent("4001", "node-1", SharedAgent.Available, now.AddSeconds(-10)), CancellationToken.None);
        await node2.PublishAsync("node-2", [waiting], CancellationToken.None);
        var done = await node1.PickAsync("picked", "4001", Ms(now), decide, CancellationToken.None);
        var routed = await node2.RoutedAsync("node-2", CancellationToken.None);
        var claimed = await node1.AgentAsync("4001", CancellationToken.None);
        var again = await node1.PickAsync("picked", "4001", Ms(now), decide, CancellationToken.None);
        var unknownCall = await node1.PickAsync("nobody", "4001", Ms(now), decide, CancellationToken.None);

        Assert.That(done, Is.EqualTo(Contracts.Queues.QueuePickError.None));
        Assert.That(routed.Single().CallId, Is.EqualTo("picked"));
        Assert.That(routed.Single().Agent, Is.EqualTo("4001"));
        Assert.That(routed.Single().Explanation!.Rule, Is.EqualTo(RoutingRule.SupervisorPick));
        Assert.That((claimed!.Status, claimed.CallId, claimed.Node), Is.EqualTo((SharedAgent.Offered, "picked", "node-2")));
        Assert.That(await node2.ClaimAsync("4001", "picked", "node-2", Ms(now), CancellationToken.None), Is.True, "node 2's offer confirms the claim");
        Assert.That(again, Is.EqualTo(Contracts.Queues.QueuePickError.CallNotWaiting), "a routed caller is no longer waiting");
        Assert.That(unknownCall, Is.EqualTo(Contracts.Queues.QueuePickError.CallNotWaiting));

        // An agent on a call, or whose node stopped (row stale, phone not registered), is not available.
        var second = new WaitingCall("second", "vip", "Gold", "zh", [], now.AddSeconds(-5));
        await node2.PublishAsync("node-2", [second], CancellationToken.None);
        Assert.That(await node1.PickAsync("second", "4001", Ms(now), decide, CancellationToken.None), Is.EqualTo(Contracts.Queues.QueuePickError.AgentNotAvailable));
        await node1.WriteAgentAsync(Agent("4002", "node-1", SharedAgent.Available, now.AddSeconds(-10)), CancellationToken.None);
        await AgeAsync(database, "node-1", TimeSpan.FromSeconds(10));
        await node2.RefreshAsync("node-2", CancellationToken.None);
        Assert.That(await node2.PickAsync("second", "4002", Ms(now), decide, CancellationToken.None), Is.EqualTo(Contracts.Queues.QueuePickError.AgentNotAvailable));

        // The pick and the leader's assignment to the same agent (of another caller, or of the same), at once, 20 times: one wins.
        var pickWins = 0;
        for (var round = 0; round < 20; round++)
        {
            var extension = $"41{round:00}";
            var pickedCall = new WaitingCall($"pick-{round}", "vip", "Gold", "zh", [], now.AddSeconds(-5));
            var routedCall = new WaitingCall($"route-{round}", "vip", "Gold", "zh", [], now.AddSeconds(-6));
            await node1.WriteAgentAsync(Agent(extension, "node-1", SharedAgent.Available, now.AddSeconds(-10)), CancellationToken.None);
            await node2.PublishAsync("node-2", [pickedCall, routedCall], CancellationToken.None);
            // Odd rounds: the leader routes the very caller picked, to the same agent (the two take the same rows).
            var leadersCall = round % 2 == 0 ? routedCall : pickedCall;
            var decided = ClusterRouting.Decide(
                new RoutingOptions(), [Agent(extension, "node-1", SharedAgent.Available, now.AddSeconds(-10))], [new SharedCaller(leadersCall, "node-2")], now).Single();

            using var start = new ManualResetEventSlim();
            var leader = Task.Run(async () => { start.Wait(); return await node2.AssignAsync(decided, 0, Ms(now), CancellationToken.None) == AssignOutcome.Kept; });
            var pick = Task.Run(async () => { start.Wait(); return await node1.PickAsync(pickedCall.Id, extension, Ms(now), decide, CancellationToken.None) == Contracts.Queues.QueuePickError.None; });
            start.Set();
            var (leaderWon, pickWon) = (await leader, await pick);
            var row = await node1.AgentAsync(extension, CancellationToken.None);
            var marked = (await node2.RoutedAsync("node-2", CancellationToken.None)).Where(r => r.Agent == extension).Select(r => r.CallId).ToList();

            Assert.That(leaderWon ^ pickWon, Is.True, $"round {round}: exactly one of the two (leader {leaderWon}, pick {pickWon})");
            Assert.That(row!.CallId, Is.EqualTo(pickWon ? pickedCall.Id : leadersCall.Id), "the agent is claimed for the winner's call");
            Assert.That(marked, Is.EqualTo(new[] { pickWon ? pickedCall.Id : leadersCall.Id }), "only the winner's caller is marked");
            var explanation = (await node2.RoutedAsync("node-2", CancellationToken.None)).Single(r => r.Agent == extension).Explanation!;
            Assert.That(explanation.Rule == RoutingRule.SupervisorPick, Is.EqualTo(pickWon), "the winner's explanation");
            pickWins += pickWon ? 1 : 0;
            await node2.DeleteWaitingAsync("node-2", pickedCall.Id, CancellationToken.None);
            await node2.DeleteWaitingAsync("node-2", routedCall.Id, CancellationToken.None);
        }

        TestContext.Out.WriteLine($"the pick won {pickWins} of 20 races");
    }

    [Test]
    public async Task APickAndTheNodesOwnRefreshOfItsAgentAndCallerRowsAtOnceNeverDeadlock()
    {
        // The agent and the caller on the same node, whose round refreshes both tables in one implicit transaction while
        // another node picks: both take the agents' rows first, so neither is chosen as a deadlock victim (40P01).
        var (database, node1, node2) = await StoresAsync();
        await using var _ = database;
        var now = DateTimeOffset.UtcNow;
        Func<SharedAgent, SharedCaller, ClusterAssignment?> decide = (agent, caller) => ClusterRouting.Pick(new RoutingOptions(), agent, caller, "super", now);
        for (var round = 0; round < 30; round++)
        {
            var extension = $"42{round:00}";
            var call = new WaitingCall($"refresh-{round}", "vip", "Gold", "zh", [], now.AddSeconds(-5));
            await node1.WriteAgentAsync(Agent(extension, "node-1", SharedAgent.Available, now.AddSeconds(-10)), CancellationToken.None);
            await node1.PublishAsync("node-1", [call], CancellationToken.None);

            using var start = new ManualResetEventSlim();
            var refreshes = Task.Run(async () =>
            {
                start.Wait();
                for (var i = 0; i < 5; i++)
                {
                    await node1.RefreshAsync("node-1", CancellationToken.None);
                }
            });
            var pick = Task.Run(async () => { start.Wait(); return await node2.PickAsync(call.Id, extension, Ms(now), decide, CancellationToken.None); });
            start.Set();

            Assert.That(await pick, Is.EqualTo(Contracts.Queues.QueuePickError.None), $"round {round}");
            Assert.DoesNotThrowAsync(async () => await refreshes, $"round {round}: the node's refresh");
            await node1.DeleteWaitingAsync("node-1", call.Id, CancellationToken.None);
        }
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

        await node1.PublishAsync("node-1", [call, new WaitingCall("c2", "general", null, null, [], entered)], CancellationToken.None);
        var live = await node1.LiveWaitingAsync(CancellationToken.None);
        await node1.WithdrawAsync("node-1", ["c2"], CancellationToken.None);
        var afterWithdraw = await node1.LiveWaitingAsync(CancellationToken.None);
        await AgeAsync(database, "node-1", TimeSpan.FromSeconds(10));
        var staleLater = await node1.LiveWaitingAsync(CancellationToken.None);

        var read = live.Single(c => c.Call.Id == "c1");
        Assert.That(read.Node, Is.EqualTo("node-1"));
        Assert.That(read.Call with { RequiredSkills = call.RequiredSkills }, Is.EqualTo(call));
        Assert.That(read.Call.RequiredSkills, Is.EqualTo(new[] { "futures" }));
        Assert.That(afterWithdraw.Select(c => c.Call.Id), Is.EqualTo(new[] { "c1" }));
        Assert.That(staleLater, Is.Empty, "rows not refreshed for 10 s belong to a node that stopped");
    }

    /// <summary>
    /// As if <paramref name="node"/> had not refreshed its rows for <paramref name="by"/>: their <c>seen_ms</c> (the
    /// database's clock) moved back, since staleness is judged on the database's clock alone.
    /// </summary>
    internal static async Task AgeAsync(TestDatabase database, string node, TimeSpan by)
    {
        await using var connection = new NpgsqlConnection(database.Options.ConnectionString);
        await connection.OpenAsync();
        await using var age = new NpgsqlCommand(
            "UPDATE cluster_agents SET seen_ms = seen_ms - @by WHERE node = @node; UPDATE cluster_waiting SET seen_ms = seen_ms - @by WHERE node = @node",
            connection);
        age.Parameters.AddWithValue("node", node);
        age.Parameters.AddWithValue("by", (long)by.TotalMilliseconds);
        await age.ExecuteNonQueryAsync();
    }

    // A node's lease session: holds the advisory lock under the node's application name, as LeaderLease's connection does.
    private static async Task<NpgsqlConnection> HoldLeaseAsync(TestDatabase database, string node)
    {
        var builder = new NpgsqlConnectionStringBuilder(database.Options.ConnectionString) { ApplicationName = LeaderLease.ApplicationNamePrefix + node, Pooling = false };
        var session = new NpgsqlConnection(builder.ConnectionString);
        await session.OpenAsync();
        await using var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", session);
        take.Parameters.AddWithValue("key", LeaderLease.Key);
        await take.ExecuteNonQueryAsync();
        return session;
    }

    internal static async Task RegisterPhoneAsync(TestDatabase database, string extension, DateTimeOffset expires)
    {
        await using var connection = new NpgsqlConnection(database.Options.ConnectionString);
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO sip_bindings (aor, contact_key, contact_scheme, contact_host, source_transport, source_address, source_port, call_id, cseq, expires_at_ms, updated_at_ms)
            VALUES (@aor, 'sip:phone', 'sip', '127.0.0.1', 'udp', '127.0.0.1', 5070, 'reg-1', 1, @expires, 0)
            """,
            connection);
        insert.Parameters.AddWithValue("aor", extension);
        insert.Parameters.AddWithValue("expires", Ms(expires));
        await insert.ExecuteNonQueryAsync();
    }

    [Test]
    public async Task TheChangeThatEndsAnOfferFreesTheAgentAtOnceEvenWhenTheClaimsTimeIsAheadOfTheNodesClock()
    {
        var (database, node1, node2) = await StoresAsync();
        await using var _ = database;
        var t0 = DateTimeOffset.UtcNow;
        await node1.WriteAgentAsync(Agent("1001", "node-1", SharedAgent.Available, t0), CancellationToken.None);

        // The leader (node-2's clock, 2 s ahead of node-1's) claims the agent for node-1's call; node-1 rings, and the
        // phone refuses at node-1's t0 + 1 s: the agent is available again as of then.
        var claimed = await node2.ClaimAsync("1001", "call-a", "node-1", Ms(t0.AddSeconds(3)), CancellationToken.None);
        var refusedAt = t0.AddSeconds(1);
        var withoutTheOffer = await node1.WriteAgentAsync(Agent("1001", "node-1", SharedAgent.Available, refusedAt), CancellationToken.None);
        var ofAnotherCall = await node1.WriteAgentAsync(Agent("1001", "node-1", SharedAgent.Available, refusedAt), CancellationToken.None, endsOffer: "call-z");
        var stillClaimed = (await node1.AgentAsync("1001", CancellationToken.None))!.Status;
        var endsTheOffer = await node1.WriteAgentAsync(Agent("1001", "node-1", SharedAgent.Available, refusedAt), CancellationToken.None, endsOffer: "call-a");
        var row = await node1.AgentAsync("1001", CancellationToken.None);
        var nextCaller = await node2.ClaimAsync("1001", "call-b", "node-2", Ms(refusedAt), CancellationToken.None);

        Assert.That(claimed, Is.True);
        Assert.That(withoutTheOffer, Is.False, "an ordinary write older than the claim does not replace it (what kept the claim until it timed out)");
        Assert.That(ofAnotherCall, Is.False, "only the end of the offer of the claimed call frees it");
        Assert.That(stillClaimed, Is.EqualTo(SharedAgent.Offered));
        Assert.That(endsTheOffer, Is.True, "the change following the offer of call-a replaces its claim");
        Assert.That(row!.Status, Is.EqualTo(SharedAgent.Available));
        Assert.That(row.CallId, Is.Null);
        Assert.That(nextCaller, Is.True, "the agent is offered the next caller at once");
    }

    [Test]
    public async Task ALeaderDeposedByANewTermCannotAssignAndOnlyTheLockHolderBumpsTheFencingToken()
    {
        var (database, node1, node2) = await StoresAsync();
        await using var _ = database;
        var now = DateTimeOffset.UtcNow;
        var waiting = new WaitingCall("waiting-1", "vip", "Gold", "zh", [], now.AddSeconds(-5));
        await node1.WriteAgentAsync(Agent("1001", "node-1", SharedAgent.Available, now.AddSeconds(-10)), CancellationToken.None);
        await node2.PublishAsync("node-2", [waiting], CancellationToken.None);
        var decided = ClusterRouting.Decide(
            new RoutingOptions(), [Agent("1001", "node-1", SharedAgent.Available, now.AddSeconds(-10))], [new SharedCaller(waiting, "node-2")], now).Single();

        // node-1 leads and takes its term's token; node-2, not holding the lock, cannot bump it.
        long? fence1, fence2, byNonHolder;
        await using (await HoldLeaseAsync(database, "node-1"))
        {
            fence1 = await node1.TakeFenceAsync("node-1", CancellationToken.None);
            byNonHolder = await node2.TakeFenceAsync("node-2", CancellationToken.None);
        }

        // node-1's lease session is gone; node-2 takes the lock and bumps the token before routing.
        await using var node2Lease = await HoldLeaseAsync(database, "node-2");
        fence2 = await node2.TakeFenceAsync("node-2", CancellationToken.None);

        // node-1 still believes it leads (its lease task has not noticed yet) and assigns with its old token.
        var deposed = await node1.AssignAsync(decided, fence1!.Value, Ms(now), CancellationToken.None);
        var afterDeposed = await node1.AgentAsync("1001", CancellationToken.None);
        var routedAfterDeposed = await node2.RoutedAsync("node-2", CancellationToken.None);
        var byNewLeader = await node2.AssignAsync(decided, fence2!.Value, Ms(now), CancellationToken.None);

        Assert.That(fence1, Is.Not.Null, "the lock holder bumps the token");
        Assert.That(byNonHolder, Is.Null, "a node not holding the lock cannot bump it");
        Assert.That(fence2, Is.EqualTo(fence1 + 1));
        Assert.That(deposed, Is.EqualTo(AssignOutcome.Deposed));
        Assert.That(afterDeposed!.Status, Is.EqualTo(SharedAgent.Available), "the deposed leader's claim did not take effect");
        Assert.That(routedAfterDeposed, Is.Empty, "nor its mark on the caller's row");
        Assert.That(byNewLeader, Is.EqualTo(AssignOutcome.Kept), "the new leader's assignment does");
    }

    [Test]
    public async Task ASecondProcessCannotTakeANodeIdWhoseInstanceIsConnectedAndARestartTakesItAtOnceWhenTheFormerLifeHasNoSession()
    {
        var (database, node1, node2) = await StoresAsync();
        await using var _ = database;
        var t0 = DateTimeOffset.UtcNow;
        long At(double seconds) => Ms(t0.AddSeconds(seconds));

        // instance-a's lock session (named as NodeIdLock names it) is connected; instance-c's too, later.
        var a = await SessionAsync(database, NodeIdLock.SessionPrefix("instance-a") + "node-1");
        var first = await node1.ClaimNodeAsync("node-1", "instance-a", At(0), CancellationToken.None);
        var duplicate = await node2.ClaimNodeAsync("node-1", "instance-b", At(1), CancellationToken.None, mayTakeOver: true);
        var heartbeat = await node1.ClaimNodeAsync("node-1", "instance-a", At(1.1), CancellationToken.None);
        var otherId = await node2.ClaimNodeAsync("node-2", "instance-b", At(1.2), CancellationToken.None);

        // instance-a's process dies (its session ends) a moment after it refreshed the row: a restart takes the id at
        // once, not once the row is stale; but only when allowed to take it over (a twin that waited is not, at first).
        await a.DisposeAsync();
        var gone = await EventuallyAsync(async () => !(await node2.ClaimNodeAsync("node-1", "instance-c", At(1.3), CancellationToken.None)).PriorConnected);
        var notAllowed = await node2.ClaimNodeAsync("node-1", "instance-c", At(1.4), CancellationToken.None);
        await using var c = await SessionAsync(database, NodeIdLock.SessionPrefix("instance-c") + "node-1");
        var restart = await node2.ClaimNodeAsync("node-1", "instance-c", At(1.5), CancellationToken.None, mayTakeOver: true);
        var oldWakesUp = await node1.ClaimNodeAsync("node-1", "instance-a", At(1.6), CancellationToken.None, mayTakeOver: true);

        Assert.That(first, Is.EqualTo(new NodeClaim(true, null, false)));
        Assert.That(duplicate, Is.EqualTo(new NodeClaim(false, "instance-a", true)), "a second process cannot take the id of an instance still connected");
        Assert.That(heartbeat.Own, Is.True);
        Assert.That(otherId.Own, Is.True);
        Assert.That(gone, Is.True, "the former life's session ends with it");
        Assert.That(notAllowed, Is.EqualTo(new NodeClaim(false, "instance-a", false)));
        Assert.That(restart, Is.EqualTo(new NodeClaim(true, "instance-a", false)), "a restart takes its id at once, though the row was refreshed a moment ago");
        Assert.That(oldWakesUp, Is.EqualTo(new NodeClaim(false, "instance-c", true)), "the new holder is connected: the id is not taken back from it");
        Assert.That((await node1.NodeBeatsAsync(CancellationToken.None)).Single(b => b.Node == "node-1").Instance, Is.EqualTo("instance-c"));
    }

    private static async Task<NpgsqlConnection> SessionAsync(TestDatabase database, string applicationName)
    {
        var builder = new NpgsqlConnectionStringBuilder(database.Options.ConnectionString) { ApplicationName = applicationName, Pooling = false };
        var session = new NpgsqlConnection(builder.ConnectionString);
        await session.OpenAsync();
        return session;
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(20);
        }

        return false;
    }

    [Test]
    public async Task AnAvailableAgentWhoseWriterStoppedIsRoutedWhileTheirPhoneIsRegisteredAndARestartKeepsWhatTheAgentSaid()
    {
        var (database, node1, node2) = await StoresAsync();
        await using var _ = database;
        var t0 = DateTimeOffset.UtcNow;
        await node1.WriteAgentAsync(Agent("1001", "node-1", SharedAgent.Available, t0), CancellationToken.None);
        await node1.WriteAgentAsync(Agent("1002", "node-1", "onCall", t0, "call-x"), CancellationToken.None);
        await node1.WriteAgentAsync(Agent("1003", "node-1", "break", t0), CancellationToken.None);
        await node1.WriteAgentAsync(Agent("1004", "node-1", "onCall", t0, "call-w"), CancellationToken.None);

        // node-1 stops refreshing; 10 s later node-2 routes.
        var later = t0.AddSeconds(10);
        await AgeAsync(database, "node-1", TimeSpan.FromSeconds(10));
        var unregistered = await node2.LiveAgentsAsync(Ms(later), CancellationToken.None);
        await RegisterPhoneAsync(database, "1001", later.AddMinutes(1));
        await RegisterPhoneAsync(database, "1002", later.AddMinutes(1));
        var registered = await node2.LiveAgentsAsync(Ms(later), CancellationToken.None);
        var claimed = await node2.ClaimAsync("1001", "call-a", "node-2", Ms(later), CancellationToken.None);
        var onCallOfTheDeadNode = await node2.ClaimAsync("1002", "call-b", "node-2", Ms(later), CancellationToken.None);

        // node-1 restarts: the call it held went with it; what the agents said stays.
        await node1.ResetNodeAsync("node-1", Ms(later), CancellationToken.None);
        var afterRestart = (await Task.WhenAll(new[] { "1001", "1002", "1003", "1004" }.Select(e => node1.AgentAsync(e, CancellationToken.None)))).Select(a => (a!.Extension, a.Status, a.Node)).ToList();

        Assert.That(unregistered, Is.Empty, "without a registered phone a stopped node's agents are left out");
        Assert.That(registered.Select(a => a.Extension), Is.EqualTo(new[] { "1001" }), "an available agent with a registered phone stays in the cluster; a call held by the stopped node does not");
        Assert.That(claimed, Is.True, "and is claimed for a caller on another node");
        Assert.That(onCallOfTheDeadNode, Is.False);
        Assert.That(afterRestart, Is.EqualTo(new[]
        {
            ("1001", SharedAgent.Offered, "node-2"),
            ("1002", SharedAgent.Available, "node-1"),
            ("1003", "break", "node-1"),
            ("1004", "offline", "node-1"),
        }), "the restart frees the agent whose call it lost if their phone can be rung (1004's is not registered: offline, not offered call after call), leaves the others as they said (it used to set all offline)");
    }

    [Test]
    public async Task ANodeThatDiedHasTheAgentsItHeldOnACallFreedOnceWhileTheirPhoneIsRegisteredAndANodeThatBeatAgainKeepsThem()
    {
        var (database, node1, node2) = await StoresAsync();
        await using var _ = database;
        var t0 = DateTimeOffset.UtcNow;
        await node2.ClaimNodeAsync("node-2", "b-1", Ms(t0), CancellationToken.None);
        await node2.ClaimNodeAsync("node-3", "c-1", Ms(t0), CancellationToken.None);
        await node2.WriteAgentAsync(Agent("1001", "node-2", "onCall", t0, "call-x"), CancellationToken.None);
        await node2.WriteAgentAsync(Agent("1002", "node-2", SharedAgent.Offered, t0, "call-y"), CancellationToken.None);
        await node2.WriteAgentAsync(Agent("1003", "node-2", "break", t0), CancellationToken.None);
        await node2.WriteAgentAsync(Agent("1004", "node-3", "wrapUp", t0, "call-z"), CancellationToken.None);
        foreach (var extension in new[] { "1001", "1003", "1004" })
        {
            await RegisterPhoneAsync(database, extension, t0.AddMinutes(5));
        }

        // The leader (node-1) saw both heartbeats stand still; node-3 then beats again (slow, not dead).
        await AgeAsync(database, "node-2", TimeSpan.FromSeconds(15));
        await AgeAsync(database, "node-3", TimeSpan.FromSeconds(15));
        var beats = (await node1.NodeBeatsAsync(CancellationToken.None)).ToDictionary(b => b.Node);
        var later = t0.AddSeconds(15);
        await node2.ClaimNodeAsync("node-3", "c-1", Ms(t0.AddSeconds(11)), CancellationToken.None);
        var freed = await node1.FreeAgentsOfDeadNodeAsync(beats["node-2"], Ms(later), CancellationToken.None);
        var again = await node1.FreeAgentsOfDeadNodeAsync(beats["node-2"], Ms(later), CancellationToken.None);
        var slowNode = await node1.FreeAgentsOfDeadNodeAsync(beats["node-3"], Ms(later), CancellationToken.None);
        var live = await node1.LiveAgentsAsync(Ms(later), CancellationToken.None);
        var claimed = await node1.ClaimAsync("1001", "call-new", "node-1", Ms(later), CancellationToken.None);

        // 1002's phone registers while node-2 is still dead: freed by the next check, once.
        await RegisterPhoneAsync(database, "1002", later.AddMinutes(5));
        var registeredLater = await node1.FreeAgentsOfDeadNodeAsync(beats["node-2"], Ms(later), CancellationToken.None);
        var rows = (await Task.WhenAll(new[] { "1001", "1002", "1003", "1004" }.Select(e => node1.AgentAsync(e, CancellationToken.None))))
            .Select(a => (a!.Extension, a.Status, a.Node, a.CallId)).ToList();

        Assert.That(freed, Is.EqualTo(new[] { ("1001", "onCall", (string?)"call-x") }), "the registered agent on the dead node's call; not the unregistered one, not the one on a break");
        Assert.That(again, Is.Empty, "exactly once");
        Assert.That(slowNode, Is.Empty, "a node that beat since it was seen standing still is not touched");
        Assert.That(live.Select(a => (a.Extension, a.Status)), Does.Contain(("1001", SharedAgent.Available)), "routable again");
        Assert.That(claimed, Is.True, "and claimed for another node's caller");
        Assert.That(registeredLater, Is.EqualTo(new[] { ("1002", SharedAgent.Offered, (string?)"call-y") }));
        Assert.That(rows, Is.EqualTo(new[]
        {
            ("1001", SharedAgent.Offered, "node-1", (string?)"call-new"),
            ("1002", SharedAgent.Available, "node-2", null),
            ("1003", "break", "node-2", null),
            ("1004", "wrapUp", "node-3", "call-z"),
        }));
    }

    [Test]
    public async Task AStateAskedForAfterACallIsKeptOnlyForThatCall()
    {
        var (database, node1, node2) = await StoresAsync();
        await using var _ = database;
        var now = DateTimeOffset.UtcNow;

        // node-2 holds 1001 on call-b now (call-a, the one node-1 saw, ended and they were claimed for call-b).
        await node2.WriteAgentAsync(Agent("1001", "node-2", "onCall", now, "call-b"), CancellationToken.None);
        var forEndedCall = await node1.RequestAfterCallAsync("1001", "node-1", "break", "tea", CancellationToken.None, "call-a");
        var untouched = await node1.AgentAsync("1001", CancellationToken.None);
        var forThisCall = await node1.RequestAfterCallAsync("1001", "node-1", "break", "tea", CancellationToken.None, "call-b");
        var kept = await node1.AgentAsync("1001", CancellationToken.None);

        Assert.That(forEndedCall, Is.False, "the call it was asked for is over: not kept for the next one");
        Assert.That(untouched!.AfterCall, Is.Null);
        Assert.That(forThisCall, Is.True);
        Assert.That((kept!.AfterCall, kept.AfterCallReason), Is.EqualTo(("break", "tea")));
    }

    [Test]
    public async Task ANodeIdWatchedStandingStillIsForgottenWithTheCallsItHeldAndALiveNodeIsNotTouched()
    {
        var (database, node1, node2) = await StoresAsync();
        await using var _ = database;
        var now = DateTimeOffset.UtcNow;
        var twoHoursAgo = now.AddHours(-2);

        // node-old died two hours ago with 1002 on a call (phone gone since) and 1003 on one (phone registered); node-2
        // is alive with 1001 on a call; node-1 (the leader) itself last wrote its row long ago by its own clock.
        await node2.ClaimNodeAsync("node-old", "o-1", Ms(twoHoursAgo), CancellationToken.None);
        await node2.ClaimNodeAsync("node-2", "b-1", Ms(now), CancellationToken.None);
        await node1.ClaimNodeAsync("node-1", "a-1", Ms(twoHoursAgo), CancellationToken.None);
        await node2.WriteAgentAsync(Agent("1002", "node-old", "onCall", twoHoursAgo, "call-old"), CancellationToken.None);
        await node2.WriteAgentAsync(Agent("1003", "node-old", "wrapUp", twoHoursAgo, "call-old-2"), CancellationToken.None);
        await node2.WriteAgentAsync(Agent("1001", "node-2", "onCall", now, "call-live"), CancellationToken.None);
        await RegisterPhoneAsync(database, "1003", now.AddMinutes(5));

        // The leader watched node-old stand still (NodeHeartbeats); node-2 beat since the leader's last reading.
        var forgotten = await node1.ForgetNodeAsync(new NodeBeat("node-old", "o-1", Ms(twoHoursAgo)), Ms(now), CancellationToken.None);
        var again = await node1.ForgetNodeAsync(new NodeBeat("node-old", "o-1", Ms(twoHoursAgo)), Ms(now), CancellationToken.None);
        var beatSince = await node1.ForgetNodeAsync(new NodeBeat("node-2", "b-1", Ms(now) - 1_000), Ms(now), CancellationToken.None);
        var beats = await node1.NodeBeatsAsync(CancellationToken.None);

        Assert.That(forgotten, Is.True);
        Assert.That(again, Is.False);
        Assert.That(beatSince, Is.False, "a node whose heartbeat moved since is not forgotten");
        Assert.That(beats.Select(b => b.Node).Order(), Is.EqualTo(new[] { "node-1", "node-2" }), "the live node's row and the leader's own stay");
        Assert.That((await node1.AgentAsync("1002", CancellationToken.None))!.Status, Is.EqualTo("offline"), "its call went with the node, and the phone is gone");
        Assert.That((await node1.AgentAsync("1003", CancellationToken.None))!.Status, Is.EqualTo(SharedAgent.Available), "phone registered: available");
        Assert.That((await node1.AgentAsync("1001", CancellationToken.None))!.Status, Is.EqualTo("onCall"), "the live node's agent is untouched");
    }
}
