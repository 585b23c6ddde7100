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

    private static async Task<Node> StartNodeAsync(TestDatabase db, ManualTimeProvider time)
    {
        var factory = new DbConnectionFactory(db.Options);
        var routing = new RoutingOptions();
        var queues = new AcdQueues(routing, time, NullLogger<AcdQueues>.Instance);
        var outbound = new OutboundOptions { CallingHoursStart = "00:00", CallingHoursEnd = "00:00" };
        var rules = new OutboundRules(new DoNotCallRepository(factory), new DialingOptions(), outbound, time, NullLogger<OutboundRules>.Instance);
        await rules.StartAsync(CancellationToken.None);
        var callbacks = new Callbacks(new CallbackRepository(factory), queues, new Trunks([]), new DialingOptions(), routing, new CallbackOptions(), rules, time, NullLogger<Callbacks>.Instance);
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
}
