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
/// its rows, takes no calls) and takes the id only once that node has been gone for the grace, while a restart takes it
/// at once; a live node whose lock session is dropped keeps its id and rows while a twin that took the freed lock gives it
/// back; a leader whose round stalls on a blocked PostgreSQL gives up the lease, which another live node takes, and keeps
/// it when alone; the leader frees an agent on a call through a node whose heartbeat stopped within the documented time,
/// whatever that node's clock said, but not one of a slow node; and a leader whose clock is hours off routes live
/// callers and forgets dead ones (liveness is the database's clock).
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

        public required NodeIdLock Lock { get; init; }

        /// <summary>Whether the database is this node's (dropped with it), not another node's it shares.</summary>
        public bool OwnsDatabase { get; init; } = true;

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
            if (OwnsDatabase)
            {
                await Database.DisposeAsync();
            }
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

    // A node (node-1) on a database of its own, or a second process with the same node id on another node's database.
    private static async Task<Node> NodeAsync(TimeProvider time, bool running, TestDatabase? shared = null)
    {
        var database = shared ?? await TestDatabase.CreateAsync("postgres");
        if (shared is null)
        {
            await new Migrator(database.Factory).MigrateAsync();
        }

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
            new EventLog(time),
            new NoDeskEvents(),
            time,
            NullLogger<AgentPresence>.Instance);
        await presence.StartAsync(CancellationToken.None);
        var options = new ClusterOptions { Enabled = true, NodeId = "node-1" };
        var store = new SharedAcdStore(factory);
        var lease = new LeaderLease(database.Options, options, NullLogger<LeaderLease>.Instance);
        var readiness = new PlatformReadiness();
        var nodeLock = new NodeIdLock(database.Options, options, time);
        var acd = new SharedAcd(store, nodeLock, presence, queues, lease, new RoutingOptions(), options, readiness, time, new Lifetime(running), NullLogger<SharedAcd>.Instance);
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
            Lock = nodeLock,
            OwnsDatabase = shared is null,
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
        var leaderClaimed = await node.Other.ClaimAsync("1001", "call-a", "node-1", Ms(t.AddSeconds(2)), CancellationToken.None);
        var confirmed = await node.Acd.ClaimAsync("1001", "call-a");
        var ringing = node.Presence.Apply("1001", new AgentEvent.Offer("call-a"));
        time.Advance(TimeSpan.FromMilliseconds(300));
        node.Presence.Apply("1001", new AgentEvent.OfferRejected("call-a", "486 Busy Here"));
        time.Advance(SharedAcd.Every);
        await node.Acd.RoundAsync(CancellationToken.None);
        var afterRefusal = await node.Store.AgentAsync("1001", CancellationToken.None);

        // node-2 now holds the agent for a call of its own; asked here to take a break, node-1 keeps it for after that
        // call on the agent's shared row, and says so.
        var otherNodesClaim = await node.Other.ClaimAsync("1001", "call-b", "node-2", Ms(time.GetUtcNow()), CancellationToken.None);
        await node.Other.RefreshAsync("node-2", CancellationToken.None);
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
        var asked = await node.Other.RequestAfterCallAsync("1001", "node-2", "offline", "end of shift", CancellationToken.None);
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
        await node.Other.ClaimAsync("1001", "call-b", "node-2", Ms(time.GetUtcNow()), CancellationToken.None);
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
        await node.Other.ClaimAsync("1001", "call-b", "node-2", Ms(time.GetUtcNow()), CancellationToken.None);
        await node.Other.RefreshAsync("node-2", CancellationToken.None);
        time.Advance(SharedAcd.Every);
        await node.Acd.RoundAsync(CancellationToken.None);
        time.Advance(SharedAcd.Every);
        await node.Other.WriteAgentAsync(new SharedAgent("1001", "node-2", SharedAgent.Available, null, time.GetUtcNow(), [], 1), CancellationToken.None);

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
        await node.Other.WriteAgentAsync(new SharedAgent("1001", "node-1", "onCall", "call-a", ahead, [], 1), CancellationToken.None);
        var asked = await node.Other.RequestAfterCallAsync("1001", "node-2", "offline", "end of shift", CancellationToken.None, "call-a");
        time.Advance(SharedAcd.Every);
        await node.Acd.RoundAsync(CancellationToken.None);

        Assert.That(asked, Is.True, "the requester is told it applies after the call");
        Assert.That(node.Presence.Find("1001")!.Status, Is.EqualTo(AgentStatus.Offline), "the call being over here, it is applied at once, not lost");
    }

    [Test]
    public async Task AProcessStartedWithTheIdOfALiveNodeStaysOutOfTheClusterAndTakesTheIdOnlyOnceTheOtherHasBeenGoneForTheGrace()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var node = await NodeAsync(time, running: false);
        var now = time.GetUtcNow();

        // The live node-1 (another process: its session holds the id's lock) holds its id and has the agent on a call
        // and a caller waiting.
        var liveOne = new NodeIdLock(node.Database.Options, new ClusterOptions { Enabled = true, NodeId = "node-1" }, time);
        var liveHolds = await liveOne.HoldAsync(CancellationToken.None);
        await node.Other.ClaimNodeAsync("node-1", liveOne.Instance, Ms(now), CancellationToken.None);
        await node.Other.WriteAgentAsync(new SharedAgent("1001", "node-1", "onCall", "call-x", now, [], 1), CancellationToken.None);
        await node.Other.PublishAsync("node-1", [new WaitingCall("waiting-x", "general", null, "zh", [], now)], CancellationToken.None);

        // What waits for the node id to be confirmed (the start's closing of calls left open under its name).
        var confirmedRuns = 0;
        node.Acd.WhenNodeIdConfirmed(_ =>
        {
            Interlocked.Increment(ref confirmedRuns);
            return Task.CompletedTask;
        });

        await node.Acd.RoundAsync(CancellationToken.None);
        var clash = node.Readiness.NodeIdClash;
        var refuses = node.Readiness.RefusesNewCalls;
        var mayLead = node.Lease.MayLead();
        await node.Other.WriteAgentAsync(new SharedAgent("1002", "node-2", SharedAgent.Available, null, now, [], 0), CancellationToken.None);
        var claims = await node.Acd.ClaimAsync("1002", "call-y");
        var agent = await node.Store.AgentAsync("1001", CancellationToken.None);
        var waiting = await node.Store.LiveWaitingAsync(CancellationToken.None);

        // Still there a second later (its lock held, its row refreshed): still a clash.
        time.Advance(TimeSpan.FromSeconds(1));
        await liveOne.HoldAsync(CancellationToken.None);
        await node.Other.ClaimNodeAsync("node-1", liveOne.Instance, Ms(time.GetUtcNow()), CancellationToken.None);
        await node.Acd.RoundAsync(CancellationToken.None);
        var stillClash = node.Readiness.NodeIdClash;
        var runsWhileClash = confirmedRuns;

        // The other process stops (its session ends with it): this one, which waited behind it, takes the lock, but the
        // id only once the other has had no session for TakeOverGrace (a live holder would have connected again by then).
        await liveOne.DisposeAsync();
        var clashWithinGrace = new List<bool>();
        for (var round = 0; round < 40 && (round == 0 || node.Readiness.NodeIdClash); round++)
        {
            time.Advance(SharedAcd.Every * 2);
            await Task.Delay(10);
            await node.Acd.RoundAsync(CancellationToken.None);
            clashWithinGrace.Add(node.Readiness.NodeIdClash);
        }

        var afterGrace = await node.Store.AgentAsync("1001", CancellationToken.None);
        await node.Acd.ConfirmedWork;
        time.Advance(SharedAcd.Every);
        await node.Acd.RoundAsync(CancellationToken.None);
        await node.Acd.ConfirmedWork;

        Assert.That(liveHolds, Is.True);
        Assert.That(clash, Is.True, "the clash is seen");
        Assert.That(refuses, Is.True, "and the node takes no calls (/health and OPTIONS 503)");
        Assert.That(mayLead, Is.False, "nor the leader lease");
        Assert.That(claims, Is.False, "nor claims an agent in the node's name (1002 is available)");
        Assert.That(agent!.Status, Is.EqualTo("onCall"), "the live node's agent was not reset");
        Assert.That(waiting.Select(w => w.Call.Id), Is.EqualTo(new[] { "waiting-x" }), "nor its caller deleted");
        Assert.That(stillClash, Is.True, "a twin whose session still holds the id stays a clash");
        Assert.That(clashWithinGrace.Count(c => c), Is.GreaterThanOrEqualTo((int)(SharedAcd.TakeOverGrace / (SharedAcd.Every * 2)) - 1), "not the id's before the grace");
        Assert.That(node.Readiness.NodeIdClash, Is.False, "once the other process has been gone for the grace, the id is this one's");
        Assert.That(node.Lease.MayLead(), Is.True);
        Assert.That(afterGrace!.Status, Is.Not.EqualTo("onCall"), "and the rows of the instance it took the id from are reset, as a restart's");
        Assert.That(runsWhileClash, Is.Zero, "the work waiting for the node id does not run while another process holds it");
        Assert.That(confirmedRuns, Is.EqualTo(1), "and runs once, once the id is this process's");
    }

    [Test]
    public async Task ARestartTakesItsNodeIdAtOnceThoughItsFormerLifeRefreshedTheRowAMomentAgo()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var node = await NodeAsync(time, running: false);
        var now = time.GetUtcNow();

        // The former life (no session any more) refreshed node-1's row and held 1001 on a call a moment ago.
        await node.Other.ClaimNodeAsync("node-1", "former-life", Ms(now), CancellationToken.None);
        await node.Other.WriteAgentAsync(new SharedAgent("1001", "node-1", "onCall", "call-x", now, [], 1), CancellationToken.None);
        await node.Other.PublishAsync("node-1", [new WaitingCall("waiting-x", "general", null, "zh", [], now)], CancellationToken.None);

        await node.Acd.RoundAsync(CancellationToken.None);
        var waiting = await node.Store.LiveWaitingAsync(CancellationToken.None);

        Assert.That(node.Readiness.NodeIdClash, Is.False, "no duplicate-node-id for a restart");
        Assert.That(node.Lease.MayLead(), Is.True, "its own from the first round");
        Assert.That(waiting, Is.Empty, "the former life's callers are gone with it");
        Assert.That((await node.Store.AgentAsync("1001", CancellationToken.None))!.Status, Is.Not.EqualTo("onCall"), "and its call");
    }

    [Test]
    public async Task ALiveNodeWhoseLockSessionIsDroppedKeepsItsIdAndItsRowsWhileATwinThatTookTheFreedLockGivesItBack()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var live = await NodeAsync(time, running: false);
        await using var twin = await NodeAsync(time, running: false, shared: live.Database);
        var now = time.GetUtcNow();

        // The live node-1 holds its id, has 1001 on a call and a caller waiting; the twin (same Cluster:NodeId) waits.
        await live.Acd.RoundAsync(CancellationToken.None);
        await live.Other.WriteAgentAsync(new SharedAgent("1001", "node-1", "onCall", "call-x", now, [], 1), CancellationToken.None);
        await live.Other.PublishAsync("node-1", [new WaitingCall("waiting-x", "general", null, "zh", [], now)], CancellationToken.None);
        await twin.Acd.RoundAsync(CancellationToken.None);
        var twinClash = twin.Readiness.NodeIdClash;

        // The live node's lock session is terminated (as by pg_terminate_backend, a PostgreSQL restart or a network
        // blip) while its process lives on; the twin takes the freed lock first.
        var terminated = await TerminateAsync(live.Database, live.Lock.ApplicationName);
        var twinTookLock = false;
        for (var round = 0; round < 50 && !twinTookLock; round++)
        {
            await Task.Delay(20);
            await twin.Acd.RoundAsync(CancellationToken.None);
            twinTookLock = await LockHolderAsync(live.Database) == twin.Lock.ApplicationName;
        }

        var rowsWhileTwinHolds = (await live.Store.AgentAsync("1001", CancellationToken.None))!.Status;
        var twinClashWhileHolding = twin.Readiness.NodeIdClash;

        // The live node notices at its next check (Check): it stops acting as the node, connects again and asks for
        // the lock, which the twin holds.
        time.Advance(NodeIdLock.Check);
        var lostRound = await RoundFailsAsync(live);
        await live.Other.WriteAgentAsync(new SharedAgent("1002", "node-2", SharedAgent.Available, null, now, [], 0), CancellationToken.None);
        var liveClaimsWhileLost = await live.Acd.ClaimAsync("1002", "call-y");
        await live.Acd.RoundAsync(CancellationToken.None);
        var liveClashWhileLost = live.Readiness.NodeIdClash;

        // The twin sees the live instance connected: it gives the lock back, and the live node takes it again.
        await twin.Acd.RoundAsync(CancellationToken.None);
        var liveBack = false;
        for (var round = 0; round < 50 && !liveBack; round++)
        {
            await Task.Delay(20);
            time.Advance(SharedAcd.Every);
            await live.Acd.RoundAsync(CancellationToken.None);
            liveBack = !live.Readiness.NodeIdClash;
        }

        // Long past the grace, the twin still does not take the id: the live node holds the lock.
        for (var round = 0; round < 10; round++)
        {
            time.Advance(SharedAcd.TakeOverGrace);
            await twin.Acd.RoundAsync(CancellationToken.None);
            await live.Acd.RoundAsync(CancellationToken.None);
        }

        var agent = await live.Store.AgentAsync("1001", CancellationToken.None);
        var waiting = await live.Store.LiveWaitingAsync(CancellationToken.None);
        var beat = (await live.Store.NodeBeatsAsync(CancellationToken.None)).Single(b => b.Node == "node-1");

        Assert.That(twinClash, Is.True);
        Assert.That(terminated, Is.EqualTo(1));
        Assert.That(twinTookLock, Is.True, "the twin took the freed lock (the race the fix is about)");
        Assert.That(twinClashWhileHolding, Is.True, "holding the lock, the twin still does not act as node-1");
        Assert.That(rowsWhileTwinHolds, Is.EqualTo("onCall"), "nor resets the live node's rows");
        Assert.That(lostRound, Is.True, "the live node's round fails when its lock session is gone");
        Assert.That(liveClaimsWhileLost, Is.False, "and while it does not hold the lock it claims no agent");
        Assert.That(liveClashWhileLost, Is.True, "another process holds its lock: /health says duplicate-node-id meanwhile");
        Assert.That(liveBack, Is.True, "the live node holds its id again");
        Assert.That(twin.Readiness.NodeIdClash, Is.True, "the twin stays out");
        Assert.That(twin.Lease.MayLead(), Is.False);
        Assert.That(beat.Instance, Is.EqualTo(live.Lock.Instance), "the id's row names the live node's instance throughout");
        Assert.That(agent!.Status, Is.EqualTo("onCall"), "the live node's agent was never freed");
        Assert.That(waiting.Select(w => w.Call.Id), Is.EqualTo(new[] { "waiting-x" }), "nor its caller deleted");
    }

    [TestCase(5)]
    [TestCase(-5)]
    public async Task ALeaderWhoseClockIsHoursOffRoutesLiveCallersAndForgetsDeadOnes(int hours)
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow.AddHours(hours));
        await using var node = await NodeAsync(time, running: false);
        node.Presence.Apply("1001", new AgentEvent.PhoneRegistered());
        node.Presence.Request("1001", "available", null);
        await node.Acd.RoundAsync(CancellationToken.None);

        // node-2 (its clock right) has a caller waiting and refreshes its rows; node-3 died two minutes ago with one.
        var now = DateTimeOffset.UtcNow;
        await node.Other.PublishAsync("node-2", [new WaitingCall("waiting-2", "general", null, null, [], now.AddSeconds(-5))], CancellationToken.None);
        await node.Other.PublishAsync("node-3", [new WaitingCall("waiting-3", "general", null, null, [], now.AddMinutes(-3))], CancellationToken.None);
        await SharedAcdStoreTests.AgeAsync(node.Database, "node-3", TimeSpan.FromMinutes(2));
        var leads = await node.LeadAsync();
        var routed = await node.Store.RoutedAsync("node-2", CancellationToken.None);
        for (var round = 0; round < 50 && routed.Count == 0; round++)
        {
            await node.Other.RefreshAsync("node-2", CancellationToken.None);
            time.Advance(SharedAcd.Every);
            await node.Acd.RoundAsync(CancellationToken.None);
            routed = await node.Store.RoutedAsync("node-2", CancellationToken.None);
        }

        var dead = await node.Store.RoutedAsync("node-3", CancellationToken.None);
        await using var connection = new NpgsqlConnection(node.Database.Options.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*)::int FROM cluster_waiting WHERE node = 'node-3'", connection);
        var deadRows = (int)(await count.ExecuteScalarAsync())!;

        Assert.That(leads, Is.True);
        Assert.That(routed.Select(r => (r.CallId, r.Agent)), Is.EqualTo(new[] { ("waiting-2", "1001") }), "node-2's live caller is routed, whatever the leader's clock says");
        Assert.That(dead, Is.Empty, "the dead node's caller is not routed");
        Assert.That(deadRows, Is.Zero, "and its row is forgotten (silent for over a minute by the database's clock)");
    }

    [TestCase(5)]
    [TestCase(-5)]
    public async Task AClaimThatNeverRangIsReleasedOfferStartAfterTheNodeSawItWhateverTheClocksSay(int hours)
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow.AddHours(hours));
        await using var node = await NodeAsync(time, running: false);
        node.Presence.Apply("1001", new AgentEvent.PhoneRegistered());
        node.Presence.Request("1001", "available", null);
        await node.Acd.RoundAsync(CancellationToken.None);

        // The leader (its clock right, node-1's hours off) claims 1001 for node-1's call-a; the offer never starts here.
        var claimed = await node.Other.ClaimAsync("1001", "call-a", "node-1", Ms(DateTimeOffset.UtcNow), CancellationToken.None);
        var statuses = new List<string>();
        for (var round = 0; round < 40; round++)
        {
            await node.Acd.RoundAsync(CancellationToken.None);
            statuses.Add((await node.Store.AgentAsync("1001", CancellationToken.None))!.Status);
            time.Advance(SharedAcd.Every);
        }

        var heldFor = statuses.TakeWhile(s => s == SharedAgent.Offered).Count() * SharedAcd.Every;
        TestContext.Out.WriteLine($"the claim was held {heldFor.TotalMilliseconds:F0} ms of node-1's time");

        Assert.That(claimed, Is.True);
        Assert.That(heldFor, Is.GreaterThanOrEqualTo(SharedAcd.OfferStart), "not released before the offer had OfferStart to start");
        Assert.That(statuses[^1], Is.EqualTo(SharedAgent.Available), "and released then, not kept for hours");
    }

    private static async Task<int> TerminateAsync(TestDatabase database, string applicationName)
    {
        await using var admin = new NpgsqlConnection(database.Options.ConnectionString);
        await admin.OpenAsync();
        await using var kill = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid))::int FROM pg_stat_activity WHERE application_name = @name", admin);
        kill.Parameters.AddWithValue("name", applicationName);
        return (int)(await kill.ExecuteScalarAsync())!;
    }

    // The application name of the session holding node-1's id lock, or null.
    private static async Task<string?> LockHolderAsync(TestDatabase database)
    {
        await using var connection = new NpgsqlConnection(database.Options.ConnectionString);
        await connection.OpenAsync();
        await using var holder = new NpgsqlCommand(
            """
            SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.classid = @class
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """,
            connection);
        holder.Parameters.AddWithValue("class", NpgsqlTypes.NpgsqlDbType.Oid, (uint)NodeIdLock.Class);
        return await holder.ExecuteScalarAsync() as string;
    }

    private static async Task<bool> RoundFailsAsync(Node node)
    {
        try
        {
            await node.Acd.RoundAsync(CancellationToken.None);
            return false;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or InvalidOperationException or IOException)
        {
            return true;
        }
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
                await node.Other.ClaimNodeAsync("node-2", "b-1", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), CancellationToken.None);
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
        await node.Other.ClaimNodeAsync("node-2", "b-1", Ms(start.AddSeconds(30)), CancellationToken.None);
        await node.Other.ClaimNodeAsync("node-3", "c-1", Ms(start.AddSeconds(-60)), CancellationToken.None);
        await node.Other.WriteAgentAsync(new SharedAgent("1001", "node-2", "onCall", "call-x", start.AddSeconds(30), [], 1), CancellationToken.None);
        await node.Other.WriteAgentAsync(new SharedAgent("1002", "node-3", "onCall", "call-y", start.AddSeconds(-60), [], 1), CancellationToken.None);
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
                await node.Other.ClaimNodeAsync("node-2", "b-1", Ms(now.AddSeconds(30)), CancellationToken.None);
                lastBeat = now;
            }

            if (round % 50 == 0)
            {
                await node.Other.ClaimNodeAsync("node-3", "c-1", Ms(now.AddSeconds(-60)), CancellationToken.None);
            }

            await node.Acd.RoundAsync(CancellationToken.None);
            slowNodesAgent.Add((await node.Store.AgentAsync("1002", CancellationToken.None))!.Status);
            if ((await node.Store.AgentAsync("1001", CancellationToken.None))!.Status == SharedAgent.Available)
            {
                freedAt = now;
            }

            time.Advance(SharedAcd.Every);
        }

        var claimed = await node.Store.ClaimAsync("1001", "call-new", "node-1", Ms(time.GetUtcNow()), CancellationToken.None);
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
        await node.Other.ClaimNodeAsync("node-9", "gone", Ms(start), CancellationToken.None);
        await node.Other.WriteAgentAsync(new SharedAgent("1001", "node-2", "onCall", "call-x", start.AddHours(-2), [], 1), CancellationToken.None);
        await SharedAcdStoreTests.RegisterPhoneAsync(node.Database, "1001", start.AddHours(3));
        var statuses = new List<string>();
        var rows = new List<string[]>();
        for (var round = 0; round < 80; round++)
        {
            var behind = time.GetUtcNow().AddHours(-2);
            await node.Other.ClaimNodeAsync("node-2", "b-1", Ms(behind), CancellationToken.None);
            await node.Other.RefreshAsync("node-2", CancellationToken.None);
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
        await node.Other.ClaimNodeAsync("node-9", "gone", 1, CancellationToken.None);
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
