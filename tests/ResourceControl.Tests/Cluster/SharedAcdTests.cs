using CallCenter.Contracts.Agents;
using CallCenter.Data;
using CallCenter.Data.Catalog;
using CallCenter.Data.Events;
using CallCenter.Data.Registrations;
using CallCenter.ResourceControl.Agents;
using CallCenter.ResourceControl.Cluster;
using CallCenter.ResourceControl.Hosting;
using CallCenter.ResourceControl.Queues;
using CallCenter.ResourceControl.Records;
using CallCenter.ResourceControl.Routing;
using CallCenter.Telephony.Sip.Registrar;
using CallCenter.TestSupport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Stopwatch = System.Diagnostics.Stopwatch;

namespace CallCenter.ResourceControl.Tests.Cluster;

/// <summary>
/// The cluster ACD's shell (<see cref="SharedAcd"/>) of one node, node-1, with its real presence and queues, on a real
/// PostgreSQL (a database of the test's own); "node-2" is a second store on the same database acting as another node.
/// An offer refused here frees the agent's claim in the next round, even when the leader's clock is ahead; a state
/// asked for here while node-2 holds the agent's call is kept on the shared row for after that call (and taken when
/// node-2 restarts), one node-2 asked for during a call held here is applied here after it, and one that raced a claim
/// is kept for after that call; a process started with the id of a live node stays out of the cluster (touches none of
/// its rows, takes no calls), while a restart is no clash; a leader whose round stalls on a blocked PostgreSQL gives up
/// the lease, which another live node takes, and keeps it when alone; and the leader frees an agent on a call through a
/// node whose heartbeat stopped within the documented time, whatever that node's clock said, but not one of a slow node.
/// </summary>
[NonParallelizable]
public sealed class SharedAcdTests
{
    private sealed class Node : IAsyncDisposable
    {
        public required TestDatabase Database { get; init; }
        public required SharedAcdStore Store { get; init; }
        public required SharedAcdStore Other { get; init; }
        public required AgentPresence Presence { get; init; }
        public required AcdQueues Queues { get; init; }
        public required LeaderLease Lease { get; init; }
        public required PlatformReadiness Readiness { get; init; }
        public required SharedAcd Acd { get; init; }

        /// <summary>Starts the node's lease and waits (up to 10 s) until it leads; false if it never did.</summary>
        public async Task<bool> LeadAsync()
        {
            await Lease.StartAsync(CancellationToken.None);
            return await EventuallyAsync(() => Lease.IsLeader, TimeSpan.FromSeconds(10));
        }

        public async ValueTask DisposeAsync()
        {
            await Acd.StopAsync(CancellationToken.None);
            await Lease.StopAsync(CancellationToken.None);
            Presence.Dispose();
            Queues.Dispose();
            await Database.DisposeAsync();
        }
    }

    private sealed class Lifetime(bool started) : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted { get; } = new(started);

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }

    private sealed class NoDeskEvents : Contracts.Desk.IDeskEvents
    {
        public void Offered(Contracts.Calls.CallPop pop)
        {
        }

        public void CallChanged(Contracts.Calls.DeskCallState state)
        {
        }

        public void AgentChanged(AgentSnapshot agent)
        {
        }
    }

    private static async Task<Node> NodeAsync(TimeProvider time, bool running)
    {
        var database = await TestDatabase.CreateAsync("postgres");
        await new Migrator(database.Factory).MigrateAsync();
        var factory = new DbConnectionFactory(database.Options);
        var catalog = new CatalogRepository(factory);
        await catalog.UpsertAgentAsync(new AgentRecord("1001", "赵敏", "callcenter", "a", "b", "zh"));
        var registrarOptions = new SipRegistrarOptions();
        var registrar = new SipRegistrar(new InMemoryRegistrationStore(), registrarOptions.CreateAuthenticator(new CatalogCredentialStore(catalog)), registrarOptions);
        var queues = new AcdQueues(new RoutingOptions(), time, NullLogger<AcdQueues>.Instance) { ClusterDecides = true };
        var presence = new AgentPresence(
            new AgentRoster(new AgentStateMachine(new AgentOptions())),
            registrar,
            catalog,
            new SipBindingRepository(factory),
            queues,
            new EventLog(new EventRepository(factory), time, NullLogger<EventLog>.Instance),
            new NoDeskEvents(),
            time,
            NullLogger<AgentPresence>.Instance);
        await presence.StartAsync(CancellationToken.None);
        var options = new ClusterOptions { Enabled = true, NodeId = "node-1" };
        var store = new SharedAcdStore(factory);
        var lease = new LeaderLease(database.Options, options, NullLogger<LeaderLease>.Instance);
        var readiness = new PlatformReadiness();
        var acd = new SharedAcd(store, new NodeIdLock(database.Options, options, time), presence, queues, lease, new RoutingOptions(), options, readiness, time, new Lifetime(running), NullLogger<SharedAcd>.Instance);
        await acd.StartAsync(CancellationToken.None);
        return new Node
        {
            Database = database,
            Store = store,
            Other = new SharedAcdStore(new DbConnectionFactory(database.Options)),
            Presence = presence,
            Queues = queues,
            Lease = lease,
            Readiness = readiness,
            Acd = acd,
        };
    }

    private static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    private static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout && !condition())
        {
            await Task.Delay(20);
        }

        return condition();
    }

    [Test]
    public async Task AnOfferRefusedHereFreesTheClaimInTheNextRoundAndAStateAskedForWhileAnotherNodeHoldsTheCallAppliesAfterIt()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var node = await NodeAsync(time, running: false);
        node.Presence.Apply("1001", new AgentEvent.PhoneRegistered());
        var madeAvailable = node.Presence.Request("1001", "available", null);
        await node.Acd.RoundAsync(CancellationToken.None);
        var written = await node.Store.AgentAsync("1001", CancellationToken.None);

        // The leader, its clock 2 s ahead, gives the agent to node-1's call-a; node-1 confirms and rings; the phone refuses.
        var t = time.GetUtcNow();
        var leaderClaimed = await node.Other.ClaimAsync("1001", "call-a", "node-1", Ms(t.AddSeconds(2)), Ms(t) - 3_000, CancellationToken.None);
        var confirmed = await node.Acd.ClaimAsync("1001", "call-a");
        var ringing = node.Presence.Apply("1001", new AgentEvent.Offer("call-a"));
        time.Advance(TimeSpan.FromMilliseconds(300));
        node.Presence.Apply("1001", new AgentEvent.OfferRejected("call-a", "486 Busy Here"));
        time.Advance(SharedAcd.Every);
        await node.Acd.RoundAsync(CancellationToken.None);
        var afterRefusal = await node.Store.AgentAsync("1001", CancellationToken.None);

        // node-2 now holds the agent for a call of its own; asked here to take a break, node-1 keeps it for after that
        // call on the agent's shared row, and says so.
        var otherNodesClaim = await node.Other.ClaimAsync("1001", "call-b", "node-2", Ms(time.GetUtcNow()), Ms(time.GetUtcNow()) - 3_000, CancellationToken.None);
        await node.Other.RefreshAsync("node-2", Ms(time.GetUtcNow()), CancellationToken.None);
        time.Advance(SharedAcd.Every);
        await node.Acd.RoundAsync(CancellationToken.None);
        var breakHere = node.Presence.Request("1001", "break", "lunch");
        time.Advance(SharedAcd.Every);
        await node.Acd.RoundAsync(CancellationToken.None);
        var afterRequest = await node.Store.AgentAsync("1001", CancellationToken.None);

        Assert.That(madeAvailable.Accepted, Is.True);
        Assert.That(written!.Status, Is.EqualTo(SharedAgent.Available));
        Assert.That(leaderClaimed, Is.True);
        Assert.That(confirmed, Is.True);
        Assert.That(ringing.Accepted, Is.True);
        Assert.That(afterRefusal!.Status, Is.EqualTo(SharedAgent.Available), "the refused offer's claim is gone in the next round, not 3 s later");
        Assert.That(afterRefusal.CallId, Is.Null);
        Assert.That(otherNodesClaim, Is.True, "so another node's caller gets the agent at once");
        // node-2 then dies with the call (here: its restart): the agent takes the break asked for, not "available".
        await node.Other.ResetNodeAsync("node-2", Ms(time.GetUtcNow()), CancellationToken.None);
        var afterNode2 = await node.Store.AgentAsync("1001", CancellationToken.None);

        Assert.That(breakHere.Error, Is.EqualTo(AgentStateChangeError.None), "accepted (202), not refused");
        Assert.That(breakHere.AfterCall, Is.True, "for after the call");
        Assert.That(breakHere.Reason, Does.Contain("node node-2").And.Contain("call-b").And.Contain("break applies after that call"));
        Assert.That(breakHere.Agent!.State, Is.EqualTo("offered"), "the answer shows the agent as the cluster has them");
        Assert.That(afterRequest!.Status, Is.EqualTo(SharedAgent.Offered));
        Assert.That(afterRequest.Node, Is.EqualTo("node-2"));
        Assert.That((afterRequest.AfterCall, afterRequest.AfterCallReason), Is.EqualTo(("break", "lunch")), "kept on the agent's shared row");
        Assert.That(afterNode2!.Status, Is.EqualTo("break"));
        Assert.That(afterNode2.AfterCall, Is.Null);
    }

    [Test]
    public async Task AStateAnotherNodeAskedForDuringACallHeldHereIsTakenAfterItAndOneThatRacedAClaimIsKeptForAfterTheCall()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var node = await NodeAsync(time, running: false);
        node.Presence.Apply("1001", new AgentEvent.PhoneRegistered());
        node.Presence.Request("1001", "available", null);
        await node.Acd.RoundAsync(CancellationToken.None);

        // node-1 holds 1001 on call-a; a supervisor on node-2 signs them off for after the call.
        var claimed = await node.Acd.ClaimAsync("1001", "call-a");
        node.Presence.Apply("1001", new AgentEvent.Offer("call-a"));
        node.Presence.Apply("1001", new AgentEvent.OfferAnswered("call-a"));
        time.Advance(SharedAcd.Every);
        await node.Acd.RoundAsync(CancellationToken.None);
        var asked = await node.Other.RequestAfterCallAsync("1001", "node-2", "offline", "end of shift", Ms(time.GetUtcNow()) - 3_000, CancellationToken.None);
        time.Advance(SharedAcd.Every);
        await node.Acd.RoundAsync(CancellationToken.None);
        var pending = node.Presence.Find("1001")!.Pending;
        var stillOnCall = node.Presence.Find("1001")!.Status;

        // The call ends here: wrap-up, then the state asked for on node-2.
        node.Presence.Apply("1001", new AgentEvent.CallEnded("call-a"));
        node.Presence.Apply("1001", new AgentEvent.WrapUpDone());
        time.Advance(SharedAcd.Every);
        await node.Acd.RoundAsync(CancellationToken.None);
        var afterCall = await node.Store.AgentAsync("1001", CancellationToken.None);

        // Available again; node-2 claims them for call-b after node-1's last read of the rows: a break asked here in
        // that window is answered as applied here (200), and kept for after call-b instead of being lost.
        node.Presence.Request("1001", "available", null);
        time.Advance(SharedAcd.Every);
        await node.Acd.RoundAsync(CancellationToken.None);
        await node.Other.ClaimAsync("1001", "call-b", "node-2", Ms(time.GetUtcNow()), Ms(time.GetUtcNow()) - 3_000, CancellationToken.None);
        var raced = node.Presence.Request("1001", "break", "tea");
        time.Advance(SharedAcd.Every);
        await node.Acd.RoundAsync(CancellationToken.None);
        var keptForLater = await node.Store.AgentAsync("1001", CancellationToken.None);

        Assert.That(claimed, Is.True);
        Assert.That(asked, Is.True);
        Assert.That(stillOnCall, Is.EqualTo(AgentStatus.OnCall), "the call is never cut off");
        Assert.That(pending, Is.EqualTo(new AgentPending(AgentStatus.Offline, "end of shift")), "taken here as pending");
        Assert.That(afterCall!.Status, Is.EqualTo("offline"), "applied when the call ended here");
        Assert.That(afterCall.AfterCall, Is.Null);
        Assert.That(raced.Accepted, Is.True);
        Assert.That(keptForLater!.Status, Is.EqualTo(SharedAgent.Offered));
        Assert.That(keptForLater.Node, Is.EqualTo("node-2"));
        Assert.That((keptForLater.AfterCall, keptForLater.AfterCallReason), Is.EqualTo(("break", "tea")));
    }

    [Test]
    public async Task AStateAskedForJustAfterAnotherNodesCallEndedIsAppliedHereAndTheRoundEnds()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var node = await NodeAsync(time, running: false);
        node.Presence.Apply("1001", new AgentEvent.PhoneRegistered());
        node.Presence.Request("1001", "available", null);
        await node.Acd.RoundAsync(CancellationToken.None);

        // node-2 holds 1001 on call-b as node-1 last read the rows; then call-b ends there (node-2 writes available).
        await node.Other.ClaimAsync("1001", "call-b", "node-2", Ms(time.GetUtcNow()), Ms(time.GetUtcNow()) - 3_000, CancellationToken.None);
        await node.Other.RefreshAsync("node-2", Ms(time.GetUtcNow()), CancellationToken.None);
        time.Advance(SharedAcd.Every);
        await node.Acd.RoundAsync(CancellationToken.None);
        time.Advance(SharedAcd.Every);
        await node.Other.WriteAgentAsync(new SharedAgent("1001", "node-2", SharedAgent.Available, null, time.GetUtcNow(), [], 1), Ms(time.GetUtcNow()), Ms(time.GetUtcNow()) - 3_000, CancellationToken.None);

        // A supervisor on node-1 asks for a break: node-1's view (older) still shows the call, so it is kept for after it.
        var asked = node.Presence.Request("1001", "break", "tea");
        var round = node.Acd.RoundAsync(CancellationToken.None);
        var ended = await Task.WhenAny(round, Task.Delay(SharedAcd.RoundDeadline * 2)) == round;
        Assert.That(ended, Is.True, "the round ends: the request is not queued again and again on the same old view");
        await round;

        time.Advance(SharedAcd.Every);
        await node.Acd.RoundAsync(CancellationToken.None);
        var row = await node.Store.AgentAsync("1001", CancellationToken.None);

        Assert.That(asked.AfterCall, Is.True);
        Assert.That((row!.Status, row.Node), Is.EqualTo(("break", "node-1")), "the call being over, the break is applied here");
        Assert.That(node.Presence.Find("1001")!.Status, Is.EqualTo(AgentStatus.Break));
    }

    [Test]
    public async Task AStateAnotherNodeAskedForAfterACallThatJustEndedHereIsAppliedAtOnce()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var node = await NodeAsync(time, running: false);
        node.Presence.Apply("1001", new AgentEvent.PhoneRegistered());
        node.Presence.Request("1001", "available", null);
        await node.Acd.RoundAsync(CancellationToken.None);
        await node.Acd.ClaimAsync("1001", "call-a");
        node.Presence.Apply("1001", new AgentEvent.Offer("call-a"));
        node.Presence.Apply("1001", new AgentEvent.OfferAnswered("call-a"));
        time.Advance(SharedAcd.Every);
        await node.Acd.RoundAsync(CancellationToken.None);

        // call-a ends here, but the row still says node-1 has 1001 on it when node-1 next reads the rows (here: its
        // writes saying so do not land this round, the row's time being ahead); node-2 asks for offline after the call.
        node.Presence.Apply("1001", new AgentEvent.CallEnded("call-a"));
        node.Presence.Apply("1001", new AgentEvent.WrapUpDone());
        var ahead = time.GetUtcNow().AddSeconds(5);
        await node.Other.WriteAgentAsync(new SharedAgent("1001", "node-1", "onCall", "call-a", ahead, [], 1), Ms(time.GetUtcNow()), 0, CancellationToken.None);
        var asked = await node.Other.RequestAfterCallAsync("1001", "node-2", "offline", "end of shift", Ms(time.GetUtcNow()) - 3_000, CancellationToken.None, "call-a");
        time.Advance(SharedAcd.Every);
        await node.Acd.RoundAsync(CancellationToken.None);

        Assert.That(asked, Is.True, "the requester is told it applies after the call");
        Assert.That(node.Presence.Find("1001")!.Status, Is.EqualTo(AgentStatus.Offline), "the call being over here, it is applied at once, not lost");
    }

    [Test]
    public async Task AProcessStartedWithTheIdOfALiveNodeStaysOutOfTheClusterAndARestartIsNoClash()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var node = await NodeAsync(time, running: false);
        var now = time.GetUtcNow();

        // The live node-1 (another process: its session holds the id's lock) holds its id and has the agent on a call
        // and a caller waiting.
        var liveOne = new NodeIdLock(node.Database.Options, new ClusterOptions { Enabled = true, NodeId = "node-1" }, time);
        var liveHolds = await liveOne.HoldAsync(CancellationToken.None);
        await node.Other.ClaimNodeAsync("node-1", "the-live-one", Ms(now), Ms(now) - 3_000, CancellationToken.None, liveHolds);
        await node.Other.WriteAgentAsync(new SharedAgent("1001", "node-1", "onCall", "call-x", now, [], 1), Ms(now), Ms(now) - 3_000, CancellationToken.None);
        await node.Other.PublishAsync("node-1", [new WaitingCall("waiting-x", "general", null, "zh", [], now)], Ms(now), CancellationToken.None);

        await node.Acd.RoundAsync(CancellationToken.None);
        var clash = node.Readiness.NodeIdClash;
        var refuses = node.Readiness.RefusesNewCalls;
        var mayLead = node.Lease.MayLead();
        var agent = await node.Store.AgentAsync("1001", CancellationToken.None);
        var waiting = await node.Store.LiveWaitingAsync(Ms(now) - 3_000, CancellationToken.None);

        // Still there a second later (its lock held, its row refreshed): still a clash.
        time.Advance(TimeSpan.FromSeconds(1));
        await node.Other.ClaimNodeAsync("node-1", "the-live-one", Ms(time.GetUtcNow()), Ms(time.GetUtcNow()) - 3_000, CancellationToken.None, await liveOne.HoldAsync(CancellationToken.None));
        await node.Acd.RoundAsync(CancellationToken.None);
        var stillClash = node.Readiness.NodeIdClash;

        // The other process stops (its session ends with it) and this one is the id's at once, though the other's row
        // was refreshed a moment ago (a quick restart is no clash).
        // (PostgreSQL ends the closed session a moment later: a few rounds, well within Alive of the other's last refresh.)
        await liveOne.DisposeAsync();
        for (var round = 0; round < 10 && (round == 0 || node.Readiness.NodeIdClash); round++)
        {
            time.Advance(SharedAcd.Every);
            await Task.Delay(50);
            await node.Acd.RoundAsync(CancellationToken.None);
        }

        Assert.That(liveHolds, Is.True);
        Assert.That(stillClash, Is.True, "a twin whose session still holds the id stays a clash");
        Assert.That(clash, Is.True, "the clash is seen");
        Assert.That(refuses, Is.True, "and the node takes no calls (/health and OPTIONS 503)");
        Assert.That(mayLead, Is.False, "nor the leader lease");
        Assert.That(agent!.Status, Is.EqualTo("onCall"), "the live node's agent was not reset");
        Assert.That(waiting.Select(w => w.Call.Id), Is.EqualTo(new[] { "waiting-x" }), "nor its caller deleted");
        Assert.That(node.Readiness.NodeIdClash, Is.False, "once the other process stopped, the id is this one's at once, not after Alive");
        Assert.That(node.Lease.MayLead(), Is.True);
    }

    [Test]
    public async Task ALeaderWhoseRoundStallsOnABlockedPostgreSqlGivesUpTheLeaseAndAnotherNodeTakesIt()
    {
        await using var node = await NodeAsync(TimeProvider.System, running: true);
        var node2 = new LeaderLease(node.Database.Options, new ClusterOptions { Enabled = true, NodeId = "node-2" }, NullLogger<LeaderLease>.Instance);
        var leads = await node.LeadAsync();
        await node2.StartAsync(CancellationToken.None);
        try
        {
            // node-2 is alive: its heartbeat moves, and the leader (reading heartbeats every second) sees it move.
            for (var beat = 0; beat < 25; beat++)
            {
                await node.Other.ClaimNodeAsync("node-2", "b-1", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 0, CancellationToken.None);
                await Task.Delay(100);
            }

            // PostgreSQL answers, but slowly: a session holds a lock the rounds wait on.
            await using var blocker = new NpgsqlConnection(node.Database.Options.ConnectionString);
            await blocker.OpenAsync();
            await using var transaction = await blocker.BeginTransactionAsync();
            await using (var lockTable = new NpgsqlCommand("LOCK TABLE cluster_nodes IN ACCESS EXCLUSIVE MODE", blocker, transaction))
            {
                await lockTable.ExecuteNonQueryAsync();
            }

            var clock = Stopwatch.StartNew();
            var gaveUp = await EventuallyAsync(() => !node.Lease.IsLeader, TimeSpan.FromSeconds(10));
            var gaveUpAfter = clock.Elapsed;
            var node2Took = await EventuallyAsync(() => node2.IsLeader, TimeSpan.FromSeconds(5));
            var node2TookAfter = clock.Elapsed;
            await transaction.RollbackAsync();
            TestContext.Out.WriteLine($"gave up the lease {gaveUpAfter.TotalMilliseconds:F0} ms after PostgreSQL stalled; node-2 led after {node2TookAfter.TotalMilliseconds:F0} ms");

            Assert.That(leads, Is.True);
            Assert.That(gaveUp, Is.True, "the stalled leader gave up the lease");
            Assert.That(gaveUpAfter, Is.LessThan(SharedAcd.RoundDeadline + TimeSpan.FromSeconds(1.5)));
            Assert.That(node2Took, Is.True, "another node took it");
            Assert.That(node.Lease.IsLeader, Is.False);
        }
        finally
        {
            await node2.StopAsync(CancellationToken.None);
        }
    }

    [Test]
    public async Task ANewLeaderWhoseRoundsStallBeforeItReadTheHeartbeatsGivesUpTheLease()
    {
        await using var node = await NodeAsync(TimeProvider.System, running: true);
        var node2 = new LeaderLease(node.Database.Options, new ClusterOptions { Enabled = true, NodeId = "node-2" }, NullLogger<LeaderLease>.Instance);
        await node2.StartAsync(CancellationToken.None);
        var node2Leads = await EventuallyAsync(() => node2.IsLeader, TimeSpan.FromSeconds(10));
        await node.Lease.StartAsync(CancellationToken.None);
        await Task.Delay(SharedAcd.Every * 10); // node-1's rounds run: its node id is its own, it may lead

        // PostgreSQL answers, but slowly (a session holds a lock the rounds wait on); then node-2 stops and node-1 leads,
        // never having finished a round as the leader (so never having read the heartbeats).
        await using var blocker = new NpgsqlConnection(node.Database.Options.ConnectionString);
        await blocker.OpenAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE cluster_nodes IN ACCESS EXCLUSIVE MODE", blocker, transaction))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        await node2.StopAsync(CancellationToken.None);
        var leads = await EventuallyAsync(() => node.Lease.IsLeader, TimeSpan.FromSeconds(10));
        var clock = Stopwatch.StartNew();
        var gaveUp = await EventuallyAsync(() => !node.Lease.IsLeader, SharedAcd.RoundDeadline * 3);
        var gaveUpAfter = clock.Elapsed;
        await transaction.RollbackAsync();
        TestContext.Out.WriteLine($"gave up the lease {gaveUpAfter.TotalMilliseconds:F0} ms after it took it");

        Assert.That(node2Leads, Is.True);
        Assert.That(leads, Is.True);
        Assert.That(gaveUp, Is.True, "not knowing whether another node is alive, the stalled leader does not keep the lease");
    }

    [Test]
    public async Task AnAgentOnACallThroughANodeWhoseHeartbeatStopsIsRoutableWithinTheDeadTimeAndASlowNodesAgentIsNotTouched()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var node = await NodeAsync(time, running: false);
        await node.Acd.RoundAsync(CancellationToken.None); // takes its node id: it may lead from now on
        var leads = await node.LeadAsync();
        var start = time.GetUtcNow();

        // node-2 (its clock 30 s ahead) has 1001 on a call; node-3 (its clock 60 s behind) has 1002 on one and beats only
        // every 5 s (its rounds slow, longer than Alive). Both phones are registered.
        await node.Other.ClaimNodeAsync("node-2", "b-1", Ms(start.AddSeconds(30)), 0, CancellationToken.None);
        await node.Other.ClaimNodeAsync("node-3", "c-1", Ms(start.AddSeconds(-60)), 0, CancellationToken.None);
        await node.Other.WriteAgentAsync(new SharedAgent("1001", "node-2", "onCall", "call-x", start.AddSeconds(30), [], 1), Ms(start.AddSeconds(30)), 0, CancellationToken.None);
        await node.Other.WriteAgentAsync(new SharedAgent("1002", "node-3", "onCall", "call-y", start.AddSeconds(-60), [], 1), Ms(start.AddSeconds(-60)), 0, CancellationToken.None);
        await SharedAcdStoreTests.RegisterPhoneAsync(node.Database, "1001", start.AddMinutes(5));
        await SharedAcdStoreTests.RegisterPhoneAsync(node.Database, "1002", start.AddMinutes(5));

        // node-1 leads, a round every 100 ms; node-2 beats for 1 s and dies; node-3 beats every 5 s throughout.
        DateTimeOffset? lastBeat = null;
        DateTimeOffset? freedAt = null;
        var slowNodesAgent = new List<string>();
        for (var round = 0; round < 200 && freedAt is null; round++)
        {
            var now = time.GetUtcNow();
            var elapsed = now - start;
            if (elapsed <= TimeSpan.FromSeconds(1))
            {
                await node.Other.ClaimNodeAsync("node-2", "b-1", Ms(now.AddSeconds(30)), 0, CancellationToken.None);
                lastBeat = now;
            }

            if (round % 50 == 0)
            {
                await node.Other.ClaimNodeAsync("node-3", "c-1", Ms(now.AddSeconds(-60)), 0, CancellationToken.None);
            }

            await node.Acd.RoundAsync(CancellationToken.None);
            slowNodesAgent.Add((await node.Store.AgentAsync("1002", CancellationToken.None))!.Status);
            if ((await node.Store.AgentAsync("1001", CancellationToken.None))!.Status == SharedAgent.Available)
            {
                freedAt = now;
            }

            time.Advance(SharedAcd.Every);
        }

        var claimed = await node.Store.ClaimAsync("1001", "call-new", "node-1", Ms(time.GetUtcNow()), Ms(time.GetUtcNow()) - 3_000, CancellationToken.None);
        var after = freedAt - lastBeat;
        TestContext.Out.WriteLine($"1001 available {after?.TotalMilliseconds:F0} ms (leader's clock) after node-2's last heartbeat");

        Assert.That(leads, Is.True);
        Assert.That(freedAt, Is.Not.Null, "the agent of the dead node is freed");
        Assert.That(after, Is.GreaterThanOrEqualTo(SharedAcd.DeadNode), "not before the heartbeat stood still for DeadNode, whatever node-2's clock says");
        Assert.That(after, Is.LessThanOrEqualTo(SharedAcd.DeadNode + (2 * SharedAcd.BeatCheck)), "within the documented time");
        Assert.That(claimed, Is.True, "and routable: claimed for a caller");
        Assert.That(slowNodesAgent.Distinct(), Is.EqualTo(new[] { "onCall" }), "the slow node's agent stays on their call, though its clock is 60 s behind");
    }

    [Test]
    public async Task ALiveNodeWhoseClockIsTwoHoursBehindIsNotForgottenAndANodeStandingStillForAnHourIs()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var node = await NodeAsync(time, running: false);
        await node.Acd.RoundAsync(CancellationToken.None); // takes its node id: it may lead from now on
        var leads = await node.LeadAsync();
        var start = time.GetUtcNow();

        // node-2, its clock 2 h behind, has 1001 on a call and beats every round; node-9 wrote its row once and stopped.
        await node.Other.ClaimNodeAsync("node-9", "gone", Ms(start), 0, CancellationToken.None);
        await node.Other.WriteAgentAsync(new SharedAgent("1001", "node-2", "onCall", "call-x", start.AddHours(-2), [], 1), Ms(start.AddHours(-2)), 0, CancellationToken.None);
        await SharedAcdStoreTests.RegisterPhoneAsync(node.Database, "1001", start.AddHours(3));
        var statuses = new List<string>();
        var rows = new List<string[]>();
        for (var round = 0; round < 80; round++)
        {
            var behind = time.GetUtcNow().AddHours(-2);
            await node.Other.ClaimNodeAsync("node-2", "b-1", Ms(behind), 0, CancellationToken.None);
            await node.Other.RefreshAsync("node-2", Ms(behind), CancellationToken.None);
            await node.Acd.RoundAsync(CancellationToken.None);
            statuses.Add((await node.Store.AgentAsync("1001", CancellationToken.None))!.Status);
            rows.Add([.. (await node.Store.NodeBeatsAsync(CancellationToken.None)).Select(b => b.Node).Order()]);

            // The first rounds a round apart, then a minute apart (past the hour by round 80).
            time.Advance(round < 10 ? SharedAcd.Every : TimeSpan.FromMinutes(1));
        }

        Assert.That(leads, Is.True);
        Assert.That(statuses.Distinct(), Is.EqualTo(new[] { "onCall" }), "the beating node's agent stays on their call, though its clock is 2 h behind");
        Assert.That(rows.Take(60).All(r => r.Contains("node-2") && r.Contains("node-9")), Is.True, "no row is forgotten within the hour");
        Assert.That(rows[^1], Is.EqualTo(new[] { "node-1", "node-2" }), "the node standing still for an hour (leader's clock) is forgotten, the beating one is not");
    }

    [Test]
    public async Task ALeaderAloneWhoseRoundsStallOnASlowPostgreSqlKeepsTheLease()
    {
        await using var node = await NodeAsync(TimeProvider.System, running: true);
        var leads = await node.LeadAsync();

        // A node dead for long left its row (it never changes): it is no one to hand the lease to.
        await node.Other.ClaimNodeAsync("node-9", "gone", 1, 0, CancellationToken.None);
        await Task.Delay(SharedAcd.BeatCheck * 2.5);

        // PostgreSQL answers, but slowly: every round waits on a lock for 4.5 s, past two round deadlines.
        await using var blocker = new NpgsqlConnection(node.Database.Options.ConnectionString);
        await blocker.OpenAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE cluster_nodes IN ACCESS EXCLUSIVE MODE", blocker, transaction))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        var clock = Stopwatch.StartNew();
        var lostAt = await EventuallyAsync(() => !node.Lease.IsLeader, TimeSpan.FromSeconds(4.5)) ? clock.Elapsed : (TimeSpan?)null;
        await transaction.RollbackAsync();
        var roundsAgain = await EventuallyAsync(() => node.Readiness.NodeIdClash == false && node.Lease.IsLeader, TimeSpan.FromSeconds(3));

        Assert.That(leads, Is.True);
        Assert.That(lostAt, Is.Null, "alone, the leader kept the lease through stalled rounds (it gave it up after " + lostAt + ")");
        Assert.That(roundsAgain, Is.True, "and leads on once PostgreSQL answers");
    }
}
