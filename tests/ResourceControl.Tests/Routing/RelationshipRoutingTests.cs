using CallCenter.ResourceControl.Routing;
using static CallCenter.ResourceControl.Tests.Routing.RoutingFixture;

namespace CallCenter.ResourceControl.Tests.Routing;

/// <summary>Client 13800000003 (Gold) belongs to account manager 1004 (design.md section 4 demo data).</summary>
public sealed class RelationshipRoutingTests
{
    private static WaitingCall ClientOf1004(double enteredAt) =>
        Call("13800000003", enteredAt, tier: "Gold", manager: "1004");

    [Test]
    public void CallIsOfferedToItsAvailableManagerBeforeAnAgentIdleLonger()
    {
        var router = new AcdRouter(new RoutingOptions());
        Available(router, "1001", 0);
        Available(router, "1004", 50);

        var outcome = router.Enqueue(ClientOf1004(100), At(100));

        Assert.That(outcome.Assignment?.Agent, Is.EqualTo("1004"));
        Assert.That(outcome.Assignment!.Explanation.Rule, Is.EqualTo(RoutingRule.Relationship));
    }

    [Test]
    public void CallWaitsForItsBusyManagerWhileOthersAreIdle()
    {
        var router = new AcdRouter(new RoutingOptions { RelationshipOfferSeconds = 30 });
        Available(router, "1001", 0);
        router.LogIn("1004", []);

        var outcome = router.Enqueue(ClientOf1004(100), At(100));
        Available(router, "1002", 105);
        var tick = router.Tick(At(129));

        Assert.That(outcome.HeldForManager, Is.True);
        Assert.That(outcome.Assignment, Is.Null);
        Assert.That(tick.Assignments, Is.Empty);
        Assert.That(router.NextDueAt, Is.EqualTo(At(130)));
        var toManager = router.AgentAvailable("1004", At(129.5));
        Assert.That(toManager?.Call.Id, Is.EqualTo("13800000003"));
        Assert.That(toManager!.Explanation.Rule, Is.EqualTo(RoutingRule.Relationship));
    }

    [Test]
    public void AfterTheOfferTimeTheCallGoesToAnyone()
    {
        var router = new AcdRouter(new RoutingOptions { RelationshipOfferSeconds = 30 });
        Available(router, "1001", 0);
        router.LogIn("1004", []);
        router.Enqueue(ClientOf1004(100), At(100));

        var tick = router.Tick(At(130));

        Assert.That(tick.Assignments, Has.Count.EqualTo(1));
        Assert.That(tick.Assignments[0].Agent, Is.EqualTo("1001"));
        Assert.That(tick.Assignments[0].Explanation.Rule, Is.EqualTo(RoutingRule.LongestIdle));
        Assert.That(router.WaitingCount, Is.Zero);
    }

    [Test]
    public void ACallbacksOwnerIsWaitedForUntilItsOwnGraceEndsCountedFromWhenItCameDueNotFromItsPlace()
    {
        // A scheduled callback keeps its place from long ago (EnteredAt 0) but holds for its owner from its due time.
        var router = new AcdRouter(new RoutingOptions { RelationshipOfferSeconds = 30 });
        Available(router, "1001", 0);
        router.LogIn("1004", []);

        var outcome = router.Enqueue(Call("13900000041", 0, manager: "1004") with { HoldUntil = At(220) }, At(100));
        var during = router.Tick(At(219));
        var after = router.Tick(At(220));

        Assert.That(outcome.HeldForManager, Is.True, "held for the owner although 30 s from its place have long passed");
        Assert.That(during.Assignments, Is.Empty);
        Assert.That(after.Assignments.Select(a => a.Agent), Is.EqualTo(new[] { "1001" }), "then anyone in the queue");
    }

    [Test]
    public void AfterTheOfferTimeAnAgentBecomingAvailableTakesTheCall()
    {
        var router = new AcdRouter(new RoutingOptions { RelationshipOfferSeconds = 30 });
        router.LogIn("1004", []);
        router.Enqueue(ClientOf1004(100), At(100));
        router.Tick(At(131));
        router.LogIn("1002", []);

        Assert.That(router.AgentAvailable("1002", At(140))?.Call.Id, Is.EqualTo("13800000003"));
    }

    [Test]
    public void CallOfALoggedOutManagerIsOpenToEveryoneAtOnce()
    {
        var router = new AcdRouter(new RoutingOptions());
        Available(router, "1001", 0);

        var outcome = router.Enqueue(ClientOf1004(100), At(100));

        Assert.That(outcome.HeldForManager, Is.False);
        Assert.That(outcome.Assignment?.Agent, Is.EqualTo("1001"));
    }

    [Test]
    public void ManagerLoggingOutReleasesItsHeldCalls()
    {
        var router = new AcdRouter(new RoutingOptions());
        Available(router, "1001", 0);
        router.LogIn("1004", []);
        router.Enqueue(ClientOf1004(100), At(100));

        var released = router.LogOut("1004", At(110));

        Assert.That(released.Select(a => a.Agent), Is.EqualTo(new[] { "1001" }));
    }

    [Test]
    public void ManagerTakesItsOwnClientBeforeAHigherScoredCall()
    {
        var router = new AcdRouter(new RoutingOptions());
        router.LogIn("1004", []);
        router.Enqueue(Call("diamond", 0, tier: "Diamond"), At(0));
        router.Enqueue(ClientOf1004(100), At(100));

        Assert.That(router.AgentAvailable("1004", At(110))?.Call.Id, Is.EqualTo("13800000003"));
    }
}
