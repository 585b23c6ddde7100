using CallCenter.ResourceControl.Routing;
using static CallCenter.ResourceControl.Tests.Routing.RoutingFixture;

namespace CallCenter.ResourceControl.Tests.Routing;

/// <summary>
/// A queue with <c>Priority: strict</c> serves the higher tier first whatever the wait (银卡电话优先接入), unless a
/// caller has waited past the queue's starvation guard; times are passed in, as a fake clock would.
/// </summary>
public sealed class StrictPriorityTests
{
    private static AcdRouter Router(int guardSeconds = 0, string priority = "strict") =>
        new(Options(("main", new QueueOptions { Priority = priority, StarvationGuardSeconds = guardSeconds })));

    [Test]
    public void DiamondOvertakesAnOrdinaryCallerWhoWaited600SecondsLongerInAStrictQueue()
    {
        var router = Router();
        router.LogIn("1001", []);
        router.Enqueue(Call("ordinary", 0), At(0));
        router.Enqueue(Call("diamond", 600, tier: "Diamond"), At(600));

        var first = router.AgentAvailable("1001", At(610));

        Assert.That(first?.Call.Id, Is.EqualTo("diamond"));
        Assert.That(first!.Explanation.Rule, Is.EqualTo(RoutingRule.HighestScore));
        Assert.That(first.Explanation.ToString(), Does.Contain("strict priority: tier weight 600 first, then score 10.0 s = waited 10.0 s + priority 0 s"));
    }

    [Test]
    public void TheSameCallsInAHeadStartQueueLetTheOrdinaryCallerWhoWaitedLongerGoFirst()
    {
        var router = Router(priority: "headStart");
        router.LogIn("1001", []);
        router.Enqueue(Call("ordinary", 0), At(0));
        router.Enqueue(Call("diamond", 700, tier: "Diamond"), At(700));

        Assert.That(router.AgentAvailable("1001", At(710))?.Call.Id, Is.EqualTo("ordinary"));
    }

    [Test]
    public void OrdinaryCallerGoesNextOncePastTheStarvationGuardButNotBefore()
    {
        var before = Router(guardSeconds: 900);
        before.LogIn("1001", []);
        before.Enqueue(Call("ordinary", 0), At(0));
        before.Enqueue(Call("diamond", 600, tier: "Diamond"), At(600));
        Assert.That(before.AgentAvailable("1001", At(899.9))?.Call.Id, Is.EqualTo("diamond"), "0.1 s before the guard the tier still decides");

        var after = Router(guardSeconds: 900);
        after.LogIn("1001", []);
        after.Enqueue(Call("ordinary", 0), At(0));
        after.Enqueue(Call("diamond", 600, tier: "Diamond"), At(600));

        var first = after.AgentAvailable("1001", At(900));

        Assert.That(first?.Call.Id, Is.EqualTo("ordinary"));
        Assert.That(first!.Explanation.Rule, Is.EqualTo(RoutingRule.StarvationGuard));
        Assert.That(
            first.Explanation.ToString(),
            Does.Contain("by StarvationGuard").And.Contain("waited 900.0 s, past the 900 s starvation guard: ahead of every tier"));
        Assert.That(first.Explanation.TopCandidates.Select(c => c.Id), Is.EqualTo(new[] { "ordinary", "diamond" }));
        after.AgentUnavailable("1001");
        Assert.That(after.AgentAvailable("1001", At(905))?.Call.Id, Is.EqualTo("diamond"));
    }

    [Test]
    public void AmongCallersPastTheGuardTheOneWhoWaitedLongestGoesFirst()
    {
        var router = Router(guardSeconds: 300);
        router.LogIn("1001", []);
        router.Enqueue(Call("gold-old", 0, tier: "Gold"), At(0));
        router.Enqueue(Call("ordinary-older", -50), At(0));
        router.Enqueue(Call("diamond-new", 390, tier: "Diamond"), At(390));

        Assert.That(router.AgentAvailable("1001", At(400))?.Call.Id, Is.EqualTo("ordinary-older"));
        router.AgentUnavailable("1001");
        Assert.That(router.AgentAvailable("1001", At(401))?.Call.Id, Is.EqualTo("gold-old"));
        router.AgentUnavailable("1001");
        Assert.That(router.AgentAvailable("1001", At(402))?.Call.Id, Is.EqualTo("diamond-new"));
    }

    [Test]
    public void WithinATierTheLongerWaitAndThePriorityHintDecide()
    {
        var router = Router();
        router.LogIn("1001", []);
        router.Enqueue(Call("gold-late", 100, tier: "Gold"), At(100));
        router.Enqueue(Call("gold-early", 50, tier: "Gold"), At(100));
        router.Enqueue(Call("gold-hinted", 90, tier: "Gold", priorityHint: 2), At(100));
        router.Enqueue(Call("ordinary-very-early", -5000), At(100));

        string?[] order = [.. Enumerable.Range(0, 4).Select(i =>
        {
            router.AgentUnavailable("1001");
            return router.AgentAvailable("1001", At(200 + i))?.Call.Id;
        })];

        Assert.That(order, Is.EqualTo(new[] { "gold-hinted", "gold-early", "gold-late", "ordinary-very-early" }), "hinted: 110 s waited + 60 s of hint beats 150 s waited");
    }

    [Test]
    public void StrictOrderIsBySchemeWeightsNotBySpelling()
    {
        var options = Options(("main", new QueueOptions { Priority = "Strict" }));
        options.TierBonusSeconds = new(StringComparer.OrdinalIgnoreCase) { ["普通"] = 0, ["银卡"] = 60, ["金卡"] = 240, ["白金卡"] = 600 };
        var router = new AcdRouter(options);
        router.LogIn("1001", []);
        router.Enqueue(Call("ordinary", 0, tier: "普通"), At(0));
        router.Enqueue(Call("silver", 10, tier: "银卡"), At(10));
        router.Enqueue(Call("platinum", 20, tier: "白金卡"), At(20));
        router.Enqueue(Call("gold", 30, tier: "金卡"), At(30));

        string?[] order = [.. Enumerable.Range(0, 4).Select(i =>
        {
            router.AgentUnavailable("1001");
            return router.AgentAvailable("1001", At(5000 + i))?.Call.Id;
        })];

        Assert.That(order, Is.EqualTo(new[] { "platinum", "gold", "silver", "ordinary" }));
    }

    [Test]
    public void PositionFollowsTheStrictOrder()
    {
        var router = Router();
        router.Enqueue(Call("ordinary", 0), At(0));
        router.Enqueue(Call("gold", 100, tier: "Gold"), At(100));
        router.Enqueue(Call("diamond", 200, tier: "Diamond"), At(200));

        Assert.That(
            new[] { router.PositionOf("diamond"), router.PositionOf("gold"), router.PositionOf("ordinary") },
            Is.EqualTo(new int?[] { 1, 2, 3 }));
    }

    [Test]
    public void AccountManagerStillTakesTheirOwnClientBeforeAnOverdueCaller()
    {
        var router = Router(guardSeconds: 60);
        router.LogIn("1004", []);
        router.Enqueue(Call("overdue", 0), At(0));
        router.Enqueue(Call("own-gold", 100, tier: "Gold", manager: "1004"), At(100));

        var first = router.AgentAvailable("1004", At(200));

        Assert.That(first?.Call.Id, Is.EqualTo("own-gold"));
        Assert.That(first!.Explanation.Rule, Is.EqualTo(RoutingRule.Relationship));
    }

    [Test]
    public void AgentTakesTheSameCallAsABruteForceScanUnderStrictPriorityWithAGuard()
    {
        const int guard = 900;
        var random = new Random(20261204);
        string[] tiers = ["Diamond", "Platinum", "Gold", "Quality", "Effective", "Dormant", "x"];
        string[] skillPool = ["stocks", "futures", "complaints"];
        var options = Options(
            ("strict", new QueueOptions { Priority = "strict", StarvationGuardSeconds = guard }),
            ("head", new QueueOptions()));
        var router = new AcdRouter(options);
        var calls = new List<WaitingCall>();
        for (var i = 0; i < 500; i++)
        {
            var call = Call(
                $"c{i}", random.Next(0, 2000), tier: random.Next(4) == 0 ? null : tiers[random.Next(tiers.Length)], queue: "strict",
                language: random.Next(2) == 0 ? "zh" : "en", skills: [skillPool[random.Next(skillPool.Length)]], priorityHint: random.Next(3));
            calls.Add(call);
            router.Enqueue(call, At(2000));
        }

        for (var a = 0; a < 120; a++)
        {
            string[] agentSkills = [random.Next(2) == 0 ? "zh" : "en", skillPool[random.Next(3)], skillPool[random.Next(3)]];
            router.LogIn($"{2000 + a}", agentSkills);
            var now = At(2000 + (a * 5));
            var eligible = calls.Where(c => c.RequiredSkills.Append(c.Language!).All(agentSkills.Contains)).ToList();
            var overdue = eligible.Where(c => (now - c.EnteredAt).TotalSeconds >= guard).OrderBy(c => c.EnteredAt).FirstOrDefault();
            var expected = overdue ?? eligible
                .OrderByDescending(c => options.BonusFor(c.Tier))
                .ThenByDescending(c => (now - c.EnteredAt).TotalSeconds + (c.PriorityHint * options.PriorityHintSeconds))
                .ThenBy(c => c.EnteredAt)
                .FirstOrDefault();

            var assignment = router.AgentAvailable($"{2000 + a}", now);

            Assert.That(assignment?.Call.Id, Is.EqualTo(expected?.Id), $"agent {a} with {string.Join(',', agentSkills)}");
            Assert.That(assignment?.Explanation.Rule, Is.EqualTo(overdue is null ? RoutingRule.HighestScore : RoutingRule.StarvationGuard).Or.Null);
            if (expected is not null)
            {
                calls.Remove(expected);
            }
        }
    }
}
