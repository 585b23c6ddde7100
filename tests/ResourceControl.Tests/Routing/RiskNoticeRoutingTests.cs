using CallCenter.ResourceControl.Routing;
using static CallCenter.ResourceControl.Tests.Routing.RoutingFixture;

namespace CallCenter.ResourceControl.Tests.Routing;

/// <summary>
/// A futures risk notice from a call list (margin call 追加保证金, forced liquidation 强行平仓) goes ahead of every waiting
/// caller and ordinary callback, whatever their tier or wait; an ordinary list call keeps its place by score.
/// </summary>
public sealed class RiskNoticeRoutingTests
{
    private static WaitingCall Notice(string id, double enteredAtSeconds, string? tier = null) =>
        Call(id, enteredAtSeconds, tier) with { RiskNotice = true };

    [Test]
    public void AMarginCallEnteredAfterAnInboundDiamondCallerIsAssignedFirstAndSaysWhy()
    {
        var router = new AcdRouter(Options(("main", new QueueOptions())));
        router.LogIn("1001", []);
        router.Enqueue(Call("diamond", 0, tier: "Diamond"), At(0));
        router.Enqueue(Notice("margin-call", 60), At(60));

        var first = router.AgentAvailable("1001", At(70));

        Assert.That(first?.Call.Id, Is.EqualTo("margin-call"));
        Assert.That(first!.Explanation.Rule, Is.EqualTo(RoutingRule.RiskNotice));
        Assert.That(
            first.Explanation.ToString(),
            Does.Contain("risk notice (margin call / forced liquidation): goes ahead of every waiting caller and ordinary callback"));
        Assert.That(first.Explanation.TopCandidates.Select(c => c.Id), Is.EqualTo(new[] { "margin-call", "diamond" }));

        Assert.That(router.AgentAvailable("1001", At(100))?.Call.Id, Is.EqualTo("diamond"), "the Diamond caller is next, not lost");
    }

    [Test]
    public void AnOrdinaryListCallEnteredAfterTheDiamondCallerWaitsItsTurn()
    {
        var router = new AcdRouter(Options(("main", new QueueOptions())));
        router.LogIn("1001", []);
        router.Enqueue(Call("diamond", 0, tier: "Diamond"), At(0));
        router.Enqueue(Call("list-call", 60), At(60));

        var first = router.AgentAvailable("1001", At(70));

        Assert.That(first?.Call.Id, Is.EqualTo("diamond"));
        Assert.That(first!.Explanation.Rule, Is.EqualTo(RoutingRule.HighestScore));
        Assert.That(first.Explanation.ToString(), Does.Not.Contain("risk notice"));
    }

    [Test]
    public void ARiskNoticeGoesBeforeAStrictQueuesCallerPastTheStarvationGuardAndIsFirstInLine()
    {
        var router = new AcdRouter(Options(("main", new QueueOptions { Priority = "strict", StarvationGuardSeconds = 300 })));
        router.LogIn("1001", []);
        router.Enqueue(Call("starved", 0), At(0));
        router.Enqueue(Call("diamond", 10, tier: "Diamond"), At(10));
        router.Enqueue(Notice("liquidation", 400), At(400));

        Assert.That(router.PositionOf("liquidation"), Is.EqualTo(1));
        var first = router.AgentAvailable("1001", At(401));

        Assert.That(first?.Call.Id, Is.EqualTo("liquidation"));
        Assert.That(first!.Explanation.Rule, Is.EqualTo(RoutingRule.RiskNotice));
    }

    [Test]
    public void AmongRiskNoticesTheUsualOrderHolds()
    {
        var router = new AcdRouter(Options(("main", new QueueOptions())));
        router.LogIn("1001", []);
        router.Enqueue(Notice("older", 0), At(0));
        router.Enqueue(Notice("newer", 30), At(30));

        Assert.That(router.AgentAvailable("1001", At(40))?.Call.Id, Is.EqualTo("older"));
    }
}
