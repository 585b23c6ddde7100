using CallCenter.ResourceControl.Cluster;
using CallCenter.ResourceControl.Routing;
using static CallCenter.ResourceControl.Tests.Routing.RoutingFixture;

namespace CallCenter.ResourceControl.Tests.Cluster;

/// <summary>
/// The cluster leader's decision (issue 19) over every node's callers and agents: the same order as the single-node
/// router gives the same callers and agents (tier by head start, own account manager first, skills), whichever node
/// each caller waits on and each agent was made available on.
/// </summary>
public sealed class ClusterRoutingTests
{
    private static SharedAgent Agent(string extension, string node, double sinceSeconds, string status = SharedAgent.Available, params string[] skills) =>
        new(extension, node, status, null, At(sinceSeconds), skills, 0);

    private static IReadOnlyList<ClusterAssignment> Decide(RoutingOptions options, SharedAgent[] agents, SharedCaller[] callers, double nowSeconds) =>
        ClusterRouting.Decide(options.ForClusterLeader(), agents, callers, At(nowSeconds));

    [Test]
    public void AGoldCallerOnNode2GoesBeforeAnOrdinaryCallerWhoWaitedLongerOnNode1AsOnOneNode()
    {
        var options = Options(("main", new QueueOptions()));
        SharedCaller[] callers = [new(Call("ordinary", 0), "node-1"), new(Call("gold", 100, tier: "Gold"), "node-2")];

        var cluster = Decide(options, [Agent("1001", "node-1", 110)], callers, 120);

        // The single-node router, given the same callers and then the agent:
        var single = new AcdRouter(options);
        single.LogIn("1001", []);
        single.Enqueue(callers[0].Call, At(0));
        single.Enqueue(callers[1].Call, At(100));
        var alone = single.AgentAvailable("1001", At(120));

        Assert.That(cluster, Has.Count.EqualTo(1));
        Assert.That(cluster[0].CallId, Is.EqualTo("gold"));
        Assert.That(cluster[0].Node, Is.EqualTo("node-2"), "the node holding the call rings the agent");
        Assert.That(cluster[0].Agent, Is.EqualTo("1001"));
        Assert.That(cluster[0].Explanation.Rule, Is.EqualTo(RoutingRule.HighestScore));
        Assert.That(alone?.Call.Id, Is.EqualTo(cluster[0].CallId), "the same choice as one node makes");
    }

    [Test]
    public void AnOrdinaryCallerWhoWaitedLongerThanTheTierBonusStillGoesFirst()
    {
        var options = Options(("main", new QueueOptions()));
        SharedCaller[] callers = [new(Call("ordinary", 0), "node-1"), new(Call("gold", 300, tier: "Gold"), "node-2")];

        var cluster = Decide(options, [Agent("1001", "node-2", 310)], callers, 320);

        Assert.That(cluster.Single().CallId, Is.EqualTo("ordinary"), "Gold's 240 s head start does not cover 300 s of waiting");
    }

    [Test]
    public void TheLongestIdleAgentTakesTheBestCallerAndEachCallerGoesToOneAgentOnly()
    {
        var options = Options(("main", new QueueOptions()));
        SharedCaller[] callers = [new(Call("ordinary", 0), "node-1"), new(Call("diamond", 50, tier: "Diamond"), "node-2")];

        var cluster = Decide(options, [Agent("1002", "node-2", 40), Agent("1001", "node-1", 20), Agent("1003", "node-1", 30)], callers, 60);

        Assert.That(cluster.Select(a => (a.Agent, a.CallId)), Is.EqualTo(new[] { ("1001", "diamond"), ("1003", "ordinary") }));
    }

    [Test]
    public void ABusyAccountManagerAnywhereHoldsTheirClientsCallThenItOpensToEveryone()
    {
        var options = Options(("main", new QueueOptions()));
        options.RelationshipOfferSeconds = 30;
        SharedCaller[] callers = [new(Call("client", 0, tier: "Gold", manager: "1004"), "node-2")];
        SharedAgent[] agents = [Agent("1004", "node-1", 0, "onCall"), Agent("1001", "node-2", 0)];

        var held = Decide(options, agents, callers, 10);
        var released = Decide(options, agents, callers, 31);
        var managerFree = Decide(options, [Agent("1004", "node-1", 5), Agent("1001", "node-2", 0)], callers, 10);

        Assert.That(held, Is.Empty, "held for the manager on a call through node 1");
        Assert.That(released.Single().Agent, Is.EqualTo("1001"));
        Assert.That(managerFree.Single().Agent, Is.EqualTo("1004"), "the manager takes their client first though 1001 idled longer");
        Assert.That(managerFree.Single().Explanation.Rule, Is.EqualTo(RoutingRule.Relationship));
    }

    [Test]
    public void OfflineAgentsAndAgentsWithoutTheSkillsGetNothingAndQueueLimitsAreTheHoldingNodes()
    {
        // A queue of one caller at most: the leader still sees both nodes' callers (each node applies its own limit).
        var options = Options(("vip", new QueueOptions { Skills = ["vip"], MaxLength = 1, Closed = true }));
        SharedCaller[] callers = [new(Call("a", 0, queue: "vip"), "node-1"), new(Call("b", 1, queue: "vip"), "node-2")];
        SharedAgent[] agents =
        [
            Agent("1001", "node-1", 0, SharedAgent.Offline, "vip"),
            Agent("1002", "node-1", 0, SharedAgent.Available, "stocks"),
            Agent("1003", "node-2", 2, SharedAgent.Available, "vip"),
            Agent("1004", "node-2", 3, SharedAgent.Available, "vip"),
        ];

        var cluster = Decide(options, agents, callers, 10);

        Assert.That(cluster.Select(a => (a.Agent, a.CallId)), Is.EqualTo(new[] { ("1003", "a"), ("1004", "b") }));
    }

    [Test]
    public void ASupervisorsPickGivesACallerWaitingOnNode2ToAnAgentWithoutItsSkillsExplainedAsOnOneNode()
    {
        var options = Options(("main", new QueueOptions())).ForClusterLeader();
        var caller = new SharedCaller(Call("c1", 10, language: "en", skills: ["futures"]), "node-2");

        var picked = ClusterRouting.Pick(options, Agent("1001", "node-1", 5, SharedAgent.Available, "zh"), caller, "super", At(40));
        var routed = ClusterRouting.Decide(options, [Agent("1001", "node-1", 5, SharedAgent.Available, "zh")], [caller], At(40));
        var busy = ClusterRouting.Pick(options, Agent("1001", "node-1", 5, "onCall", "zh"), caller, "super", At(40));

        Assert.That(routed, Is.Empty, "set-up: routing would not give it to this agent");
        Assert.That(picked, Is.Not.Null);
        Assert.That((picked!.CallId, picked.Node, picked.Agent), Is.EqualTo(("c1", "node-2", "1001")), "the node holding the call rings the agent");
        Assert.That(picked.Explanation.Rule, Is.EqualTo(RoutingRule.SupervisorPick));
        Assert.That(picked.Explanation.ToString(), Does.Contain("picked by super"));
        Assert.That(picked.Explanation.WaitedSeconds, Is.EqualTo(30));
        Assert.That(busy, Is.Null, "an agent whose row is not available is not picked");
    }
}
