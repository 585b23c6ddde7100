using CallCenter.Contracts.Queues;
using CallCenter.ResourceControl.Routing;
using static CallCenter.ResourceControl.Tests.Routing.RoutingFixture;

namespace CallCenter.ResourceControl.Tests.Routing;

/// <summary>A supervisor hands a waiting caller to an agent they choose: the router's own assignment, or a refusal.</summary>
public sealed class SupervisorPickTests
{
    [Test]
    public void ACallerHeldForABusyManagerGoesToThePickedAgentAndLeavesTheQueue()
    {
        var router = new AcdRouter(new RoutingOptions { RelationshipOfferSeconds = 600 });
        router.LogIn("1004", []);
        Available(router, "1001", 0);
        var outcome = router.Enqueue(Call("c1", 10, tier: "Gold", manager: "1004"), At(10));

        var (assignment, error) = router.Pick("c1", "1001", "super", At(40));

        Assert.That(outcome.HeldForManager, Is.True, "set-up: nobody takes it by routing");
        Assert.That(error, Is.EqualTo(QueuePickError.None));
        Assert.That(assignment!.Agent, Is.EqualTo("1001"));
        Assert.That(assignment.Explanation.Rule, Is.EqualTo(RoutingRule.SupervisorPick));
        Assert.That(assignment.Explanation.ToString(), Does.Contain("picked by super"));
        Assert.That(assignment.Explanation.WaitedSeconds, Is.EqualTo(30));
        Assert.That(router.WaitingCount, Is.Zero);
        Assert.That(router.Snapshot("main", At(40)).Callers, Is.Empty);
        Assert.That(router.NextDueAt, Is.Null, "its hold is gone with it");
        Assert.That(router.Enqueue(Call("c2", 41), At(41)).Assignment, Is.Null, "the picked agent is busy now");
    }

    [Test]
    public void AnAgentWithoutTheCallsSkillsMayBePickedForIt()
    {
        var router = new AcdRouter(new RoutingOptions());
        Available(router, "1001", 0, "zh");
        router.Enqueue(Call("c1", 5, language: "en"), At(5));

        var (assignment, error) = router.Pick("c1", "1001", "super", At(6));

        Assert.That(error, Is.EqualTo(QueuePickError.None));
        Assert.That(assignment!.Call.Id, Is.EqualTo("c1"));
    }

    [Test]
    public void ACallerWhoHungUpIsNotWaitingAnyMore()
    {
        var router = new AcdRouter(new RoutingOptions());
        Available(router, "1001", 0, "zh");
        router.Enqueue(Call("c1", 5, language: "en"), At(5));
        router.Remove("c1");

        var (assignment, error) = router.Pick("c1", "1001", "super", At(6));

        Assert.That(assignment, Is.Null);
        Assert.That(error, Is.EqualTo(QueuePickError.CallNotWaiting));
        Assert.That(router.Enqueue(Call("c2", 7, language: "zh"), At(7)).Assignment?.Agent, Is.EqualTo("1001"), "the agent is still free");
    }

    [TestCase("busy")]
    [TestCase("unknown")]
    [TestCase("loggedOut")]
    public void AnAgentWhoIsNotAvailableIsRefusedAndTheCallerKeepsWaiting(string agentCase)
    {
        var router = new AcdRouter(new RoutingOptions());
        router.Enqueue(Call("c1", 5, language: "en"), At(5));
        switch (agentCase)
        {
            case "busy":
                router.LogIn("1001", ["zh"]);
                break;
            case "loggedOut":
                Available(router, "1001", 0, "zh");
                router.LogOut("1001", At(6));
                break;
            default:
                break;
        }

        var (assignment, error) = router.Pick("c1", "1001", "super", At(8));

        Assert.That(assignment, Is.Null);
        Assert.That(error, Is.EqualTo(QueuePickError.AgentNotAvailable));
        Assert.That(router.PositionOf("c1"), Is.EqualTo(1));
    }
}
