using CallCenter.AgentDesk.Hubs;
using CallCenter.Contracts.Queues;

namespace CallCenter.AgentDesk.Tests.Hubs;

/// <summary>One wallboard view of several nodes, each with its own queues, agents and database.</summary>
public sealed class WallboardMergeTests
{
    private static readonly DateTimeOffset _now = new(2026, 12, 5, 9, 30, 0, TimeSpan.Zero);

    private static Dictionary<string, int> States(int offline, int available) =>
        new(StringComparer.Ordinal) { ["offline"] = offline, ["available"] = available, ["onCall"] = 0 };

    private static WallboardView Node(IReadOnlyList<WallboardQueue> queues, IReadOnlyList<WallboardAgent> agents, int turnedAway = 0) =>
        new(_now, queues, States(agents.Count(a => a.State == "offline"), agents.Count(a => a.State == "available")), agents,
            [new WallboardInterval(_now.AddMinutes(-30), 2, 1, 1, 1.0)])
        { VipLineTurnedAway = turnedAway };

    [Test]
    public void AloneTheLocalViewIsShownAsItIs()
    {
        var local = Node([], []);

        Assert.That(WallboardMerge.Merge(local, []), Is.SameAs(local));
    }

    [Test]
    public void QueuesAddUpAcrossNodesWithTheLongestWaitAnywhereAndServiceLevelWeightedByAnswered()
    {
        var local = Node([new WallboardQueue("vip", 1, new Dictionary<string, int> { ["Gold"] = 1 }, 12, 1, 10, 8, 2, 0.5)
        {
            Callers = [new WaitingCallerView("a", "138****0003", "Gold", _now.AddSeconds(-12))],
        }], []);
        var other = Node([new WallboardQueue("vip", 2, new Dictionary<string, int> { ["Gold"] = 1, ["Diamond"] = 1 }, 40, 0, 4, 2, 1, 1.0)
        {
            Callers = [new WaitingCallerView("b", "138****0001", "Diamond", _now.AddSeconds(-40)), new WaitingCallerView("c", "138****0003", "Gold", _now.AddSeconds(-5))],
        }], [], turnedAway: 3);

        var merged = WallboardMerge.Merge(local, [other]);
        var vip = merged.Queues.Single();

        Assert.That((vip.Waiting, vip.LongestWaitSeconds, vip.AgentsAvailable, vip.Offered, vip.Answered, vip.Abandoned), Is.EqualTo((3, 40.0, 1, 14, 10, 3)));
        Assert.That(vip.WaitingByTier, Is.EquivalentTo(new Dictionary<string, int> { ["Gold"] = 2, ["Diamond"] = 1 }));
        Assert.That(vip.ServiceLevel, Is.EqualTo(0.6).Within(1e-9), "(0.5 × 8 + 1.0 × 2) / 10");
        Assert.That(vip.Callers.Select(c => c.CallId), Is.EqualTo(new[] { "b", "a", "c" }), "longest waiting first");
        Assert.That(merged.VipLineTurnedAway, Is.EqualTo(3));
        Assert.That(merged.Intervals.Single().Offered, Is.EqualTo(4));
    }

    [Test]
    public void AnAgentIsShownAsTheNodeTheyAreRegisteredOnSeesThem()
    {
        var local = Node([], [
            new WallboardAgent("1001", "Li", "offline", null, _now.AddHours(-1), false, null, null),
            new WallboardAgent("1002", "Wang", "offline", null, _now.AddHours(-1), false, null, null),
        ]);
        var other = Node([], [
            new WallboardAgent("1001", "Li", "onCall", null, _now.AddSeconds(-20), true, "call-7", "13800000001"),
            new WallboardAgent("1002", "Wang", "offline", null, _now.AddHours(-2), false, null, null),
        ]);

        var merged = WallboardMerge.Merge(local, [other]);

        Assert.That(merged.Agents.Select(a => (a.Id, a.State, a.CallId)), Is.EqualTo(new[] { ("1001", "onCall", (string?)"call-7"), ("1002", "offline", (string?)null) }));
        Assert.That(merged.AgentsByState["onCall"], Is.EqualTo(1));
        Assert.That(merged.AgentsByState["offline"], Is.EqualTo(1));
        Assert.That(merged.AgentsByState["available"], Is.Zero);
    }

    [Test]
    public void CallListDeadlinesOfEachNodeAddUpMostOverdueFirst()
    {
        var local = Node([], []) with { ListDeadlines = [new("nac", "New accounts", "new-account", 5, 2, 0)] };
        var other = Node([], []) with
        {
            ListDeadlines = [new("nac", "New accounts", "new-account", 3, 1, 1), new("cmp", "Complaints", "complaint", 1, 0, 0)],
        };

        var merged = WallboardMerge.Merge(local, [other]);

        Assert.That(merged.ListDeadlines.Select(d => (d.ListId, d.Open, d.Due, d.Overdue)), Is.EqualTo(new[] { ("nac", 8, 3, 1), ("cmp", 1, 0, 0) }));
    }

    [Test]
    public void NodesOnOneDatabaseCountItsCallListsOnceWhileNodesWithTheirOwnDatabasesAddUp()
    {
        // Nodes 1 and 2 share one PostgreSQL database (the same lists, read a moment apart); node 3 has its own.
        var local = Node([], []) with { Store = "shared", ListDeadlines = [new("nac", "New accounts", "new-account", 5, 2, 1)] };
        var sameDatabase = Node([], []) with { Store = "shared", ListDeadlines = [new("nac", "New accounts", "new-account", 4, 2, 1)] };
        var ownDatabase = Node([], []) with
        {
            Store = "node-3",
            ListDeadlines = [new("nac", "New accounts", "new-account", 3, 1, 0), new("cmp", "Complaints", "complaint", 1, 0, 0)],
        };

        var merged = WallboardMerge.Merge(local, [sameDatabase, ownDatabase]);

        // The shared database's lists once, as this node read them (5, not 5 + 4), plus node 3's.
        Assert.That(merged.ListDeadlines.Select(d => (d.ListId, d.Open, d.Due, d.Overdue)), Is.EqualTo(new[] { ("nac", 8, 3, 1), ("cmp", 1, 0, 0) }));
        Assert.That(merged.Store, Is.EqualTo("shared"));
    }

    [Test]
    public void CallbacksOwedOnEachNodeAddUpPerQueue()
    {
        var local = Node([], []) with { Callbacks = [new("general", 2, 1, 0, 1)] };
        var other = Node([], []) with { Callbacks = [new("general", 1, 3, 1, 0), new("vip", 0, 1, 0, 0)] };

        var merged = WallboardMerge.Merge(local, [other]);

        Assert.That(merged.Callbacks.Select(c => (c.Queue, c.DueNow, c.Later, c.Calling, c.Overdue)), Is.EqualTo(new[] { ("general", 3, 4, 1, 1), ("vip", 0, 1, 0, 0) }));
    }

    [Test]
    public void ReceivedFaxesToHandleAreCountedOncePerDatabaseWithTheOldestAnywhere()
    {
        // Nodes 1 and 2 share a database (read a moment apart); node 3 has its own; node 4 has no fax room.
        var local = Node([], []) with { Store = "shared", FaxTasks = new(2, _now.AddMinutes(-10)) };
        var sameDatabase = Node([], []) with { Store = "shared", FaxTasks = new(3, _now.AddMinutes(-10)) };
        var ownDatabase = Node([], []) with { Store = "node-3", FaxTasks = new(1, _now.AddHours(-2)) };
        var noFaxes = Node([], []) with { Store = "node-4" };

        var merged = WallboardMerge.Merge(local, [sameDatabase, ownDatabase, noFaxes]);
        var none = WallboardMerge.Merge(Node([], []) with { Store = "a" }, [noFaxes]);
        var localUnread = WallboardMerge.Merge(local with { FaxTasks = null }, [sameDatabase]);

        Assert.That(merged.FaxTasks, Is.EqualTo(new CallCenter.Contracts.Desk.FaxTaskCount(3, _now.AddHours(-2))), "2 (this node's reading of the shared database) + 1; the oldest anywhere");
        Assert.That(none.FaxTasks, Is.Null, "no node has faxes");
        Assert.That(localUnread.FaxTasks, Is.EqualTo(new CallCenter.Contracts.Desk.FaxTaskCount(3, _now.AddMinutes(-10))), "this node's reading failed: the other node of its database counts");
    }
}
