using CallCenter.ResourceControl.Routing;
using static CallCenter.ResourceControl.Tests.Routing.RoutingFixture;

namespace CallCenter.ResourceControl.Tests.Routing;

public sealed class ExplanationAndSnapshotTests
{
    [Test]
    public void ExplanationNamesTheScorePartsRuleAndCandidates()
    {
        var router = new AcdRouter(new RoutingOptions { PriorityHintSeconds = 30 });
        router.LogIn("1001", []);
        router.Enqueue(Call("ordinary", 0), At(0));
        router.Enqueue(Call("diamond", 88, tier: "Diamond", priorityHint: 1), At(88));
        router.Enqueue(Call("gold", 90, tier: "Gold"), At(90));

        var explanation = router.AgentAvailable("1001", At(100))!.Explanation;

        Assert.That(explanation.CallId, Is.EqualTo("diamond"));
        Assert.That(explanation.WaitedSeconds, Is.EqualTo(12).Within(0.001));
        Assert.That(explanation.TierBonusSeconds, Is.EqualTo(600));
        Assert.That(explanation.PrioritySeconds, Is.EqualTo(30));
        Assert.That(explanation.Rule, Is.EqualTo(RoutingRule.HighestScore));
        Assert.That(explanation.CallsConsidered, Is.EqualTo(3));
        Assert.That(explanation.TopCandidates.Select(c => c.Id), Is.EqualTo(new[] { "diamond", "gold", "ordinary" }));
        Assert.That(
            explanation.ToString(),
            Does.Contain("call diamond (Diamond, queue main) -> agent 1001 by HighestScore on agent 1001 available")
                .And.Contain("score 642.0 s = waited 12.0 s + tier 600 s + priority 30 s")
                .And.Contain("considered 3 call(s), 1 agent(s)")
                .And.Contain("gold (score 250.0 s, Gold)"));
    }

    [Test]
    public void SnapshotCountsWaitingByTierAndAgents()
    {
        var router = new AcdRouter(Options(("main", new QueueOptions { Skills = ["stocks"] })));
        router.LogIn("1001", ["stocks"]);
        router.LogIn("1002", ["futures"]);
        Available(router, "1003", 0, "stocks");
        router.Enqueue(Call("a", 0, tier: "Gold", skills: ["complaints"]), At(0));
        router.Enqueue(Call("b", 5, skills: ["complaints"]), At(5));
        router.Enqueue(Call("c", 7, tier: "Gold", skills: ["complaints"]), At(7));
        router.Remove("b");

        var snapshot = router.Snapshot("main", At(20));

        Assert.That(snapshot.Waiting, Is.EqualTo(2));
        Assert.That(snapshot.WaitingByTier, Is.EquivalentTo(new Dictionary<string, int> { ["Gold"] = 2 }));
        Assert.That(snapshot.LongestWaitSeconds, Is.EqualTo(20).Within(0.001));
        Assert.That(snapshot.AgentsAvailable, Is.EqualTo(1));
        Assert.That(snapshot.AgentsStaffed, Is.EqualTo(2));
        Assert.That(router.PositionOf("c"), Is.EqualTo(2));
    }

    [Test]
    public void SnapshotListsTheWaitingCallersInServiceOrderWithMaskedNumbers()
    {
        var router = new AcdRouter(new RoutingOptions());
        router.LogIn("1001", []);
        router.Enqueue(Call("ordinary", 0) with { Caller = "13912345678" }, At(0));
        router.Enqueue(Call("diamond", 10, tier: "Diamond") with { Caller = "13800000001" }, At(10));
        router.Enqueue(Call("short", 12) with { Caller = "8001" }, At(12));

        var callers = router.Snapshot("main", At(20)).Callers;

        Assert.That(callers.Select(c => (c.CallId, c.MaskedNumber, c.Tier)), Is.EqualTo(new (string, string, string?)[]
        {
            ("diamond", "138****0001", "Diamond"),
            ("ordinary", "139****5678", null),
            ("short", "**01", null),
        }));
        Assert.That(callers[0].WaitingSince, Is.EqualTo(At(10)));
        Assert.That(string.Join(" ", callers.Select(c => c.MaskedNumber)), Does.Not.Contain("13800000001"));
    }
}
