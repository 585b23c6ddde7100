using CallCenter.ResourceControl.Routing;
using static CallCenter.ResourceControl.Tests.Routing.RoutingFixture;

namespace CallCenter.ResourceControl.Tests.Routing;

public sealed class TierOrderingTests
{
    [Test]
    public void DiamondWhoArrivedLaterWithinTheBonusIsServedBeforeAnOrdinaryCaller()
    {
        var router = new AcdRouter(new RoutingOptions());
        router.LogIn("1001", []);
        router.Enqueue(Call("ordinary", 0), At(0));
        router.Enqueue(Call("diamond", 100, tier: "Diamond"), At(100));

        var first = router.AgentAvailable("1001", At(110));

        Assert.That(first?.Call.Id, Is.EqualTo("diamond"));
        Assert.That(first!.Explanation.Score, Is.EqualTo(610).Within(0.001));
    }

    [Test]
    public void OrdinaryCallerWhoWaitedLongerThanTheBonusIsServedBeforeALaterDiamond()
    {
        var router = new AcdRouter(new RoutingOptions());
        router.LogIn("1001", []);
        router.Enqueue(Call("ordinary", 0), At(0));
        router.Enqueue(Call("diamond", 700, tier: "Diamond"), At(700));

        var first = router.AgentAvailable("1001", At(710));

        Assert.That(first?.Call.Id, Is.EqualTo("ordinary"));
        router.AgentUnavailable("1001");
        Assert.That(router.AgentAvailable("1001", At(720))?.Call.Id, Is.EqualTo("diamond"));
    }

    [Test]
    public void EqualScoresGoToTheOldestEntry()
    {
        var router = new AcdRouter(new RoutingOptions());
        router.LogIn("1001", []);
        router.Enqueue(Call("gold-later", 240, tier: "Gold"), At(240));
        router.Enqueue(Call("ordinary-earlier", 0), At(240));

        Assert.That(router.AgentAvailable("1001", At(300))?.Call.Id, Is.EqualTo("ordinary-earlier"));
    }

    [Test]
    public void PriorityHintAddsConfiguredSecondsPerStep()
    {
        var options = new RoutingOptions { PriorityHintSeconds = 50 };
        var router = new AcdRouter(options);
        router.LogIn("1001", []);
        router.Enqueue(Call("plain", 0), At(0));
        router.Enqueue(Call("hinted", 90, priorityHint: 2), At(90));

        var first = router.AgentAvailable("1001", At(100));

        Assert.That(first?.Call.Id, Is.EqualTo("hinted"));
        Assert.That(first!.Explanation.PrioritySeconds, Is.EqualTo(100));
    }

    [Test]
    public void UnknownTierCountsAsOrdinary()
    {
        var router = new AcdRouter(new RoutingOptions());
        router.LogIn("1001", []);
        router.Enqueue(Call("first", 0), At(0));
        router.Enqueue(Call("unknown-tier", 1, tier: "Bronze"), At(1));

        var first = router.AgentAvailable("1001", At(10));

        Assert.That(first?.Call.Id, Is.EqualTo("first"));
    }

    [Test]
    public void AgentTakesTheSameCallAsABruteForceScanOfAllCallsItMayTake()
    {
        var random = new Random(20260105);
        string[] tiers = ["Diamond", "Platinum", "Gold", "Quality", "Effective", "Dormant", "x"];
        string[] skillPool = ["stocks", "futures", "complaints"];
        var router = new AcdRouter(new RoutingOptions());
        var calls = new List<WaitingCall>();
        for (var i = 0; i < 500; i++)
        {
            var call = Call(
                $"c{i}", random.Next(0, 2000), tier: random.Next(4) == 0 ? null : tiers[random.Next(tiers.Length)],
                language: random.Next(2) == 0 ? "zh" : "en", skills: [skillPool[random.Next(skillPool.Length)]], priorityHint: random.Next(3));
            calls.Add(call);
            router.Enqueue(call, At(2000));
        }

        var options = new RoutingOptions();
        for (var a = 0; a < 60; a++)
        {
            string[] agentSkills = [random.Next(2) == 0 ? "zh" : "en", skillPool[random.Next(3)], skillPool[random.Next(3)]];
            router.LogIn($"{2000 + a}", agentSkills);
            var now = At(2000 + a);
            var expected = calls
                .Where(c => c.RequiredSkills.Append(c.Language!).All(agentSkills.Contains))
                .OrderByDescending(c => (now - c.EnteredAt).TotalSeconds + options.BonusFor(c.Tier) + (c.PriorityHint * options.PriorityHintSeconds))
                .ThenBy(c => c.EnteredAt)
                .FirstOrDefault();

            var assignment = router.AgentAvailable($"{2000 + a}", now);

            Assert.That(assignment?.Call.Id, Is.EqualTo(expected?.Id), $"agent {a} with {string.Join(',', agentSkills)}");
            if (expected is not null)
            {
                calls.Remove(expected);
            }
        }
    }
}
