using CallCenter.ResourceControl.Routing;
using static CallCenter.ResourceControl.Tests.Routing.RoutingFixture;

namespace CallCenter.ResourceControl.Tests.Routing;

public sealed class StrategyAndSkillTests
{
    private static AcdRouter RouterWith(RoutingStrategy strategy) =>
        new(Options(("main", new QueueOptions { Strategy = strategy.ToString() })));

    [Test]
    public void CallGoesOnlyToAnAgentWithEveryRequiredSkill()
    {
        var router = new AcdRouter(Options(("futures", new QueueOptions { Skills = ["futures"] })));
        Available(router, "1001", 0, "zh", "futures");
        Available(router, "1002", 10, "en", "stocks");
        Available(router, "1003", 20, "en", "futures");

        var outcome = router.Enqueue(Call("c1", 30, queue: "futures", language: "en"), At(30));

        Assert.That(outcome.Assignment?.Agent, Is.EqualTo("1003"));
        Assert.That(outcome.Assignment!.Explanation.AgentsConsidered, Is.EqualTo(1));
    }

    [Test]
    public void CallWithNoQualifiedAgentWaitsEvenWhenOthersAreIdle()
    {
        var router = new AcdRouter(new RoutingOptions());
        Available(router, "1001", 0, "zh");

        var outcome = router.Enqueue(Call("c1", 10, language: "en", skills: ["complaints"]), At(10));

        Assert.That(outcome.Waiting, Is.True);
        Assert.That(outcome.Assignment, Is.Null);
    }

    [Test]
    public void AgentSkipsAHigherScoredCallItLacksTheSkillsFor()
    {
        var router = new AcdRouter(new RoutingOptions());
        router.LogIn("1001", ["zh"]);
        router.Enqueue(Call("english-diamond", 0, tier: "Diamond", language: "en"), At(0));
        router.Enqueue(Call("chinese", 10, language: "zh"), At(10));

        Assert.That(router.AgentAvailable("1001", At(20))?.Call.Id, Is.EqualTo("chinese"));
    }

    [Test]
    public void LongestIdlePicksTheAgentAvailableTheLongest()
    {
        var router = RouterWith(RoutingStrategy.LongestIdle);
        Available(router, "1001", 20);
        Available(router, "1002", 5);
        Available(router, "1003", 10);

        var outcome = router.Enqueue(Call("c1", 30), At(30));

        Assert.That(outcome.Assignment?.Agent, Is.EqualTo("1002"));
        Assert.That(outcome.Assignment!.Explanation.Rule, Is.EqualTo(RoutingRule.LongestIdle));
        Assert.That(outcome.Assignment.Explanation.TopCandidates.Select(c => c.Id), Is.EqualTo(new[] { "1002", "1003", "1001" }));
    }

    [Test]
    public void FewestCallsPicksTheAgentWithFewestCallsToday()
    {
        var router = RouterWith(RoutingStrategy.FewestCalls);
        router.LogIn("1001", [], callsHandledToday: 5);
        router.LogIn("1002", [], callsHandledToday: 9);
        router.LogIn("1003", [], callsHandledToday: 2);
        foreach (var agent in new[] { "1001", "1002", "1003" })
        {
            router.AgentAvailable(agent, At(0));
        }

        var outcome = router.Enqueue(Call("c1", 30), At(30));

        Assert.That(outcome.Assignment?.Agent, Is.EqualTo("1003"));
        Assert.That(outcome.Assignment!.Explanation.Rule, Is.EqualTo(RoutingRule.FewestCalls));
        Assert.That(router.GetAgent("1003")!.CallsHandledToday, Is.EqualTo(3));
    }

    [Test]
    public void RoundRobinContinuesAfterTheLastAssignedAgentAndWraps()
    {
        var router = RouterWith(RoutingStrategy.RoundRobin);
        Available(router, "1003", 0);
        Available(router, "1001", 1);
        Available(router, "1002", 2);

        var picked = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var assignment = router.Enqueue(Call($"c{i}", 10 + i), At(10 + i)).Assignment!;
            picked.Add(assignment.Agent);
            Assert.That(assignment.Explanation.Rule, Is.EqualTo(RoutingRule.RoundRobin));
            Assert.That(router.AgentAvailable(assignment.Agent, At(10.5 + i)), Is.Null);
        }

        Assert.That(picked, Is.EqualTo(new[] { "1001", "1002", "1003", "1001" }));
    }
}
