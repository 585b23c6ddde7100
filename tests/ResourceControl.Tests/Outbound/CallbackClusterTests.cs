using CallCenter.Data;
using CallCenter.Data.Callbacks;
using CallCenter.ResourceControl.Outbound;
using CallCenter.ResourceControl.Queues;
using CallCenter.ResourceControl.Routing;
using CallCenter.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallCenter.ResourceControl.Tests.Outbound;

/// <summary>
/// Two nodes of a cluster on one database (SQLite, and PostgreSQL with CALLCENTER_TEST_POSTGRES), each with its own
/// <see cref="Callbacks"/> and ACD: both load the same waiting callbacks at their start and both give them to an agent;
/// the claims' conditional writes decide, so each callback is dialled by one node only, and one cancelled on a node is
/// never dialled by the other.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Providers))]
public sealed class CallbackClusterTests(string provider)
{
    private static readonly DateTimeOffset _t = new(2026, 12, 7, 2, 0, 0, TimeSpan.Zero);

    private sealed class Node(Callbacks callbacks, AcdQueues queues, List<CallbackClaim> claims) : IDisposable
    {
        public Callbacks Callbacks { get; } = callbacks;

        public AcdQueues Queues { get; } = queues;

        public List<CallbackClaim> Claims { get; } = claims;

        public void Dispose()
        {
            Callbacks.Dispose();
            Queues.Dispose();
        }
    }

    private static async Task<Node> StartNodeAsync(TestDatabase db, ManualTimeProvider time, string? node = null, Action<Callbacks>? beforeStart = null)
    {
        var factory = new DbConnectionFactory(db.Options);
        var routing = new RoutingOptions();
        var queues = new AcdQueues(routing, time, NullLogger<AcdQueues>.Instance);
        var outbound = new OutboundOptions { CallingHoursStart = "00:00", CallingHoursEnd = "00:00" };
        var rules = new OutboundRules(new DoNotCallRepository(factory), new DialingOptions(), outbound, time, NullLogger<OutboundRules>.Instance);
        await rules.StartAsync(CancellationToken.None);
        var callbacks = new Callbacks(new CallbackRepository(factory), queues, new Trunks([]), new DialingOptions(), routing, new CallbackOptions(), rules, time, NullLogger<Callbacks>.Instance,
            node is null ? null : new ResourceControl.Hosting.ClusterOptions { Enabled = true, NodeId = node });
        beforeStart?.Invoke(callbacks);
        var claims = new List<CallbackClaim>();
        queues.Assigned += assignment =>
        {
            if (callbacks.TryClaim(assignment) is { } claim)
            {
                lock (claims)
                {
                    claims.Add(claim);
                }
            }
        };
        await callbacks.StartAsync(CancellationToken.None);
        return new Node(callbacks, queues, claims);
    }

    private static CallbackRow Waiting(int i) => new()
    {
        Id = $"cb-node-{i:00}",
        Number = $"139000001{i:00}",
        Queue = "general",
        Language = "zh",
        Source = "api",
        RequestedAt = _t.AddMinutes(-30).AddSeconds(i),
        Status = CallbackStatuses.Queued,
        UpdatedAt = _t.AddMinutes(-30),
    };

    [Test]
    public async Task TwoNodesHoldingTheSameCallbacksDialEachOnce()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var store = new CallbackRepository(db.Factory);
        const int count = 12;
        for (var i = 0; i < count; i++)
        {
            await store.InsertAsync(Waiting(i));
        }

        var time = new ManualTimeProvider(_t);
        using var nodeA = await StartNodeAsync(db, time);
        using var nodeB = await StartNodeAsync(db, time);

        // Each node has agents enough for every callback it loaded: each gives every one of them to an agent.
        for (var i = 0; i < count; i++)
        {
            nodeA.Queues.AgentAvailable($"1{i:000}", ["zh"], 0);
            nodeB.Queues.AgentAvailable($"2{i:000}", ["zh"], 0);
        }

        Assert.That((nodeA.Claims.Count, nodeB.Claims.Count), Is.EqualTo((count, count)), "both nodes took every callback from their own queue");

        // Both nodes confirm their claims at once, callback by callback: only a confirmed claim is ever dialled.
        var won = new List<(string Id, bool A, bool B)>();
        foreach (var claimA in nodeA.Claims)
        {
            var claimB = nodeB.Claims.Single(c => c.Callback.Id == claimA.Callback.Id);
            var results = await Task.WhenAll(
                Task.Run(() => nodeA.Callbacks.ConfirmClaimAsync(claimA)),
                Task.Run(() => nodeB.Callbacks.ConfirmClaimAsync(claimB)));
            won.Add((claimA.Callback.Id, results[0], results[1]));
        }

        var stored = await store.ListAsync(CallbackStatuses.Calling, 100);
        Assert.Multiple(() =>
        {
            foreach (var (id, a, b) in won)
            {
                Assert.That(a ^ b, Is.True, $"{id}: dialled by exactly one node (a {a}, b {b})");
            }

            Assert.That(stored, Has.Count.EqualTo(count));
            foreach (var row in stored)
            {
                var winner = won.Single(w => w.Id == row.Id).A ? nodeA : nodeB;
                Assert.That(row.LastCallId, Is.EqualTo(winner.Claims.Single(c => c.Callback.Id == row.Id).Entry.Id), "the stored attempt is the winner's");
            }
        });
    }

    [Test]
    public async Task ACallbackCancelledOnOneNodeIsNeverDialledByTheOther()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var store = new CallbackRepository(db.Factory);
        await store.InsertAsync(Waiting(1));
        var time = new ManualTimeProvider(_t);
        using var nodeA = await StartNodeAsync(db, time);
        using var nodeB = await StartNodeAsync(db, time);

        // Node B cancels it (a supervisor on B's desk); node A still holds its copy and gives it to an agent.
        var (cancelled, refusal) = await nodeB.Callbacks.CancelAsync("cb-node-01", "super", owner: null);
        nodeA.Queues.AgentAvailable("1001", ["zh"], 0);
        var dialled = await nodeA.Callbacks.ConfirmClaimAsync(nodeA.Claims.Single());

        // And the other way round: claimed on A first, a cancel on B is refused as being dialled.
        await store.InsertAsync(Waiting(2));
        using var nodeC = await StartNodeAsync(db, time);
        using var nodeD = await StartNodeAsync(db, time);
        nodeC.Queues.AgentAvailable("3001", ["zh"], 0);
        var claimedOnC = await nodeC.Callbacks.ConfirmClaimAsync(nodeC.Claims.Single(c => c.Callback.Id == "cb-node-02"));
        var (_, lateCancel) = await nodeD.Callbacks.CancelAsync("cb-node-02", "super", owner: null);

        var first = await store.GetAsync("cb-node-01");
        var second = await store.GetAsync("cb-node-02");
        Assert.Multiple(() =>
        {
            Assert.That(refusal, Is.EqualTo(CancelRefusal.None));
            Assert.That(cancelled!.Status, Is.EqualTo(CallbackStatuses.Cancelled));
            Assert.That(dialled, Is.False, "node A finds it cancelled and dials nothing");
            Assert.That((first!.Status, first.CancelledBy), Is.EqualTo((CallbackStatuses.Cancelled, "super")));
            Assert.That(claimedOnC, Is.True);
            Assert.That(lateCancel, Is.Not.EqualTo(CancelRefusal.None), "a callback being dialled on another node is not cancelled");
            Assert.That(second!.Status, Is.EqualTo(CallbackStatuses.Calling));
        });
    }

    /// <summary>Node <paramref name="node"/> gives callback <paramref name="id"/> to an agent and wins the claim: it dials it now.</summary>
    private static async Task<CallbackClaim> DialAsync(Node node, string id, string agent)
    {
        node.Queues.AgentAvailable(agent, ["zh"], 0);
        var claim = node.Claims.Single(c => c.Callback.Id == id);
        Assert.That(await node.Callbacks.ConfirmClaimAsync(claim), Is.True, "the node dials it");
        return claim;
    }

    [Test]
    public async Task ANodeThatStartsLeavesACallbackAnotherLiveNodeIsDialling()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var store = new CallbackRepository(db.Factory);
        await store.InsertAsync(Waiting(1));
        var time = new ManualTimeProvider(_t);
        using var nodeA = await StartNodeAsync(db, time, "node-a");
        var claim = await DialAsync(nodeA, "cb-node-01", "1001");

        // Node B starts (or restarts) while A is on the call: the callback is A's, B neither queues it nor writes it.
        using var nodeB = await StartNodeAsync(db, time, "node-b");
        var afterB = await store.GetAsync("cb-node-01");

        Assert.Multiple(() =>
        {
            Assert.That((afterB!.Status, afterB.ClaimedBy, afterB.LastCallId), Is.EqualTo((CallbackStatuses.Calling, "node-a", claim.Entry.Id)), "still A's attempt");
            Assert.That(nodeB.Queues.WaitingCalls(), Is.Empty, "B does not queue a callback A is dialling (it would ring the client twice)");
        });
    }

    [TestCase("node-a")]
    [TestCase(null)]
    public async Task ANodeThatRestartsQueuesItsOwnCallbackItWasDiallingAgain(string? node)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var store = new CallbackRepository(db.Factory);
        await store.InsertAsync(Waiting(1));
        var time = new ManualTimeProvider(_t);
        var before = await StartNodeAsync(db, time, node);
        await DialAsync(before, "cb-node-01", "1001");
        var calling = await store.GetAsync("cb-node-01");
        before.Dispose(); // a crash: the attempt never ends

        // At once (its claim still fresh): a node's own attempt, or a single platform's (null: no cluster, as before).
        using var restarted = await StartNodeAsync(db, time, node);
        var after = await store.GetAsync("cb-node-01");
        Assert.Multiple(() =>
        {
            Assert.That(calling!.ClaimedBy, Is.EqualTo(node), "the claim names the node (none on a single platform)");
            Assert.That((after!.Status, after.Outcome), Is.EqualTo((CallbackStatuses.Queued, CallbackOutcomes.Interrupted)), "cut off by the stop: queued again");
            Assert.That(restarted.Queues.WaitingCalls(), Has.Count.EqualTo(1), "and in the queue at once");
        });
    }

    [Test]
    public async Task ASecondProcessWithTheSameNodeIdLeavesItsTwinsCallbackAndTakesItBackOnlyOnceTheIdIsConfirmedItsOwn()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var store = new CallbackRepository(db.Factory);
        await store.InsertAsync(Waiting(1));
        var time = new ManualTimeProvider(_t);
        var nodeA = await StartNodeAsync(db, time, "node-a");
        var claim = await DialAsync(nodeA, "cb-node-01", "1001");

        // A second process is started with node-a's id while node-a dials: the cluster sees the clash (the id is not
        // confirmed as the twin's), so the twin must not take node-a's live attempt for a former life's and queue it.
        var confirmed = false;
        using var twin = await StartNodeAsync(db, time, "node-a", c => c.NodeIdConfirmed = () => Volatile.Read(ref confirmed));
        var atStart = await store.GetAsync("cb-node-01");
        await RunAsync(5, (time, nodeA), (time, twin));
        var whileBoth = await store.GetAsync("cb-node-01");
        var waitingWhileBoth = twin.Queues.WaitingCalls().Count;

        // node-a stops (its attempt cut off) and the id becomes the twin's: its tick takes the callback back.
        nodeA.Dispose();
        Volatile.Write(ref confirmed, true);
        await RunAsync(2, (time, twin));
        var after = await store.GetAsync("cb-node-01");

        Assert.Multiple(() =>
        {
            Assert.That((atStart!.Status, atStart.ClaimedBy, atStart.LastCallId), Is.EqualTo((CallbackStatuses.Calling, "node-a", claim.Entry.Id)), "left to the live process at the twin's start");
            Assert.That((whileBoth!.Status, whileBoth.LastCallId), Is.EqualTo((CallbackStatuses.Calling, claim.Entry.Id)), "and while the clash lasts");
            Assert.That(waitingWhileBoth, Is.Zero, "the twin queues nothing (the client would be rung twice)");
            Assert.That((after!.Status, after.Outcome), Is.EqualTo((CallbackStatuses.Queued, (string?)CallbackOutcomes.Interrupted)), "taken back once the id is the twin's");
            Assert.That(twin.Queues.WaitingCalls(), Has.Count.EqualTo(1));
            Assert.That(twin.Callbacks.WaitingForNodeId, Is.Zero);
        });
    }

    /// <summary>
    /// Moves each clock on one second at a time (firing the nodes' ticks, as a running platform does) and waits for the
    /// ticks' passes over the claims after each second.
    /// </summary>
    private static async Task RunAsync(int seconds, params (ManualTimeProvider Time, Node Node)[] nodes)
    {
        for (var i = 0; i < seconds; i++)
        {
            foreach (var (time, node) in nodes)
            {
                time.Advance(TimeSpan.FromSeconds(1));
            }

            foreach (var (_, node) in nodes)
            {
                await node.Callbacks.Sweep;
            }
        }
    }

    private static readonly int _pastClaimAlive = (int)Callbacks.ClaimAlive.TotalSeconds + 10;

    [Test]
    public async Task ACallbackWhoseNodeStoppedIsTakenBackByALiveNodesTickAndNotWhileItLives()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var store = new CallbackRepository(db.Factory);
        await store.InsertAsync(Waiting(1));
        await store.InsertAsync(Waiting(2));
        var time = new ManualTimeProvider(_t);
        var nodeA = await StartNodeAsync(db, time, "node-a");
        await DialAsync(nodeA, "cb-node-01", "1001");
        await DialAsync(nodeA, "cb-node-02", "1002");
        using var nodeB = await StartNodeAsync(db, time, "node-b");

        // While A lives (its tick refreshing its claims) B watches them move: well past the claim's life, none is taken.
        await RunAsync(_pastClaimAlive, (time, nodeA), (time, nodeB));
        var whileAlive = await store.ListAsync(CallbackStatuses.Calling, 10);

        // A stops. B (no other node starts) watches the claims stand still for their life, and its tick takes them back.
        nodeA.Dispose();
        await RunAsync(_pastClaimAlive, (time, nodeB));
        var after = await store.ListOpenAsync();

        Assert.Multiple(() =>
        {
            Assert.That(whileAlive.Select(r => (r.Id, r.ClaimedBy)), Is.EquivalentTo(new[] { ("cb-node-01", (string?)"node-a"), ("cb-node-02", (string?)"node-a") }), "a live node's attempts are left to it");
            Assert.That(after.Select(r => (r.Id, r.Status, r.Outcome)), Is.EquivalentTo(new[]
            {
                ("cb-node-01", CallbackStatuses.Queued, (string?)CallbackOutcomes.Interrupted),
                ("cb-node-02", CallbackStatuses.Queued, (string?)CallbackOutcomes.Interrupted),
            }));
            Assert.That(nodeB.Queues.WaitingCalls().Count, Is.EqualTo(2), "B's tick took both back and queued them");
        });
    }

    [Test]
    public async Task ANodesClockAheadDoesNotMakeALiveNodesClaimLookStale()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var store = new CallbackRepository(db.Factory);
        await store.InsertAsync(Waiting(1));
        var timeA = new ManualTimeProvider(_t);
        var timeB = new ManualTimeProvider(_t.AddHours(1)); // B's clock an hour ahead of A's
        using var nodeA = await StartNodeAsync(db, timeA, "node-a");
        var claim = await DialAsync(nodeA, "cb-node-01", "1001");
        using var nodeB = await StartNodeAsync(db, timeB, "node-b");
        var atBStart = await store.GetAsync("cb-node-01");

        await RunAsync(_pastClaimAlive, (timeA, nodeA), (timeB, nodeB));
        var row = await store.GetAsync("cb-node-01");

        Assert.Multiple(() =>
        {
            Assert.That((atBStart!.Status, atBStart.ClaimedBy), Is.EqualTo((CallbackStatuses.Calling, "node-a")), "B's start leaves it");
            Assert.That((row!.Status, row.ClaimedBy, row.LastCallId), Is.EqualTo((CallbackStatuses.Calling, "node-a", claim.Entry.Id)), "still A's attempt: B watched its claim move");
            Assert.That(nodeB.Queues.WaitingCalls(), Is.Empty);
        });
    }

    [Test]
    public async Task AnAttemptsEndDoesNotOverwriteACallbackAnotherNodeTookOverAndDialsAgain()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var store = new CallbackRepository(db.Factory);
        await store.InsertAsync(Waiting(1));

        // A's clock never moves: its tick never refreshes its claim (as when A is cut off from the database).
        var timeA = new ManualTimeProvider(_t);
        var timeB = new ManualTimeProvider(_t);
        var recordedOnA = new List<string>();
        using var nodeA = await StartNodeAsync(db, timeA, "node-a", c => c.AttemptRecorded += (row, callId) =>
        {
            lock (recordedOnA)
            {
                recordedOnA.Add(callId);
            }

            return Task.CompletedTask;
        });
        var claimA = await DialAsync(nodeA, "cb-node-01", "1001");
        using var nodeB = await StartNodeAsync(db, timeB, "node-b");

        // B takes it over and dials it again; then A's attempt ends, the client reached.
        await RunAsync(_pastClaimAlive, (timeB, nodeB));
        var claimB = await DialAsync(nodeB, "cb-node-01", "2001");
        await nodeA.Callbacks.AttemptEndedAsync(claimA.Callback, claimA.Entry.Id, CallbackOutcomes.Reached, dialled: true);
        var row = await store.GetAsync("cb-node-01");

        Assert.Multiple(() =>
        {
            Assert.That((row!.Status, row.ClaimedBy, row.LastCallId, row.Outcome), Is.EqualTo((CallbackStatuses.Calling, "node-b", claimB.Entry.Id, (string?)CallbackOutcomes.Interrupted)), "B's attempt is not overwritten");
            Assert.That(recordedOnA, Is.Empty, "A's list hears no outcome for it");
            Assert.That(nodeA.Queues.WaitingCalls(), Is.Empty, "nor does A queue it again");
        });
    }

    [Test]
    public async Task ARowClaimedUnderThisNodesNameThatNoAttemptHereHoldsIsTakenBack()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var store = new CallbackRepository(db.Factory);
        var time = new ManualTimeProvider(_t);
        using var nodeA = await StartNodeAsync(db, time, "node-a");

        // The claim's write committed but A saw a timeout and gave the attempt up: the row says A dials it; nothing here does.
        await store.InsertAsync(Waiting(1) with { Status = CallbackStatuses.Calling, ClaimedBy = "node-a", ClaimSeenAt = _t, LastCallId = "lost-entry" });
        await RunAsync(_pastClaimAlive, (time, nodeA));
        var row = await store.GetAsync("cb-node-01");

        Assert.Multiple(() =>
        {
            Assert.That((row!.Status, row.Outcome), Is.EqualTo((CallbackStatuses.Queued, (string?)CallbackOutcomes.Interrupted)), "not left calling for ever");
            Assert.That(nodeA.Queues.WaitingCalls(), Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task ASinglePlatformsAttemptEndsAsBefore()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var store = new CallbackRepository(db.Factory);
        await store.InsertAsync(Waiting(1));
        var time = new ManualTimeProvider(_t);
        using var single = await StartNodeAsync(db, time);
        var claim = await DialAsync(single, "cb-node-01", "1001");
        await single.Callbacks.AttemptEndedAsync(claim.Callback, claim.Entry.Id, CallbackOutcomes.Reached, dialled: true);
        var row = await store.GetAsync("cb-node-01");

        Assert.That((row!.Status, row.Outcome, row.Attempts), Is.EqualTo((CallbackStatuses.Completed, (string?)CallbackOutcomes.Reached, 1)));
    }

    [Test]
    public async Task AnAgentsWrongNumberGivenDuringTheAttemptEndsTheCallbackAfterARestart()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var store = new CallbackRepository(db.Factory);
        await store.InsertAsync(Waiting(1) with { ListEntryId = "le-1", ListId = "list-1" });
        await store.InsertAsync(Waiting(2));
        var time = new ManualTimeProvider(_t);
        var nodeA = await StartNodeAsync(db, time, "node-a");
        var wrong = await DialAsync(nodeA, "cb-node-01", "1001");
        var refused = await DialAsync(nodeA, "cb-node-02", "1002");

        // The agents leave the calls (transferred on) and wrap them up while the attempts still last; then A stops.
        await nodeA.Callbacks.ReportAnswerAsync(new CallAnswer(wrong.Entry.Id, null, "wrong-number", "agent 1001 (wrap-up wrong-number)", "1001"));
        await nodeA.Callbacks.ReportAnswerAsync(new CallAnswer(refused.Entry.Id, null, "refused", "agent 1002 (wrap-up refused)", "1002"));
        var kept = await store.GetAsync("cb-node-01");
        nodeA.Dispose();

        var recorded = new List<(CallbackRow Row, string CallId)>();
        using var restarted = await StartNodeAsync(db, time, "node-a", c => c.AttemptRecorded += (row, callId) =>
        {
            lock (recorded)
            {
                recorded.Add((row, callId));
            }

            return Task.CompletedTask;
        });
        var first = await store.GetAsync("cb-node-01");
        var second = await store.GetAsync("cb-node-02");

        Assert.Multiple(() =>
        {
            Assert.That((kept!.AgentOutcome, kept.AgentOutcomeCall), Is.EqualTo(("wrong-number", wrong.Entry.Id)), "kept on the row when the agent gave it");
            Assert.That((first!.Status, first.Outcome, first.Attempts), Is.EqualTo((CallbackStatuses.Failed, CallbackOutcomes.WrongNumber, 1)), "not called again");
            Assert.That((second!.Status, second.Outcome, second.Attempts), Is.EqualTo((CallbackStatuses.Failed, CallbackOutcomes.Refused, 1)));
            Assert.That(restarted.Queues.WaitingCalls(), Is.Empty, "neither is queued again");
            Assert.That(recorded.Select(r => (r.Row.Id, r.Row.Status, r.CallId)), Does.Contain(("cb-node-01", CallbackStatuses.Failed, wrong.Entry.Id)), "its list hears the final outcome");
        });
    }

    [Test]
    public async Task AnAgentsRefusalGivenOnAnotherNodeEndsTheAttemptTheDiallingNodeEnds()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var store = new CallbackRepository(db.Factory);
        await store.InsertAsync(Waiting(1));
        var time = new ManualTimeProvider(_t);
        using var nodeA = await StartNodeAsync(db, time, "node-a");
        var claim = await DialAsync(nodeA, "cb-node-01", "1001");
        using var nodeB = await StartNodeAsync(db, time, "node-b");

        // The agent's desk is on node B: their refusal reaches B while A still holds the call, then the call ends on A.
        await nodeB.Callbacks.ReportAnswerAsync(new CallAnswer(claim.Entry.Id, null, "refused", "agent 1001 (wrap-up refused)", "1001"));
        await nodeA.Callbacks.AttemptEndedAsync(claim.Callback, claim.Entry.Id, CallbackOutcomes.Reached, dialled: true);
        var ended = await store.GetAsync("cb-node-01");

        Assert.That((ended!.Status, ended.Outcome, ended.Attempts), Is.EqualTo((CallbackStatuses.Failed, CallbackOutcomes.Refused, 1)), "not completed as reached");
    }
}
