using CallCenter.ResourceControl.Routing;
using static CallCenter.ResourceControl.Tests.Routing.RoutingFixture;

namespace CallCenter.ResourceControl.Tests.Routing;

public sealed class OverflowTests
{
    [Test]
    public void CallArrivingToAFullQueueMovesToTheOverflowQueue()
    {
        var router = new AcdRouter(Options(
            ("main", new QueueOptions { MaxLength = 2, Overflow = "backup" }),
            ("backup", new QueueOptions())));
        router.Enqueue(Call("c1", 0), At(0));
        router.Enqueue(Call("c2", 1), At(1));

        var outcome = router.Enqueue(Call("c3", 2), At(2));

        Assert.That(outcome.WaitingIn, Is.EqualTo("backup"));
        Assert.That(outcome.Overflows, Has.Count.EqualTo(1));
        var overflow = outcome.Overflows[0];
        Assert.That(overflow.Reason, Is.EqualTo(OverflowReason.QueueFull));
        Assert.That(overflow.Action, Is.EqualTo(OverflowAction.MoveToQueue));
        Assert.That(overflow.TargetQueue, Is.EqualTo("backup"));
        Assert.That(overflow.ToString(), Does.Contain("queue full (2 waiting, max 2)"));
        Assert.That(router.Snapshot("backup", At(2)).Waiting, Is.EqualTo(1));
    }

    [Test]
    public void CallArrivingToAClosedQueueOverflowsAtOnceEvenWithAnAgentFree()
    {
        var router = new AcdRouter(Options(
            ("main", new QueueOptions { Closed = true, Overflow = "backup" }),
            ("backup", new QueueOptions { Closed = true })));
        router.LogIn("1001", ["zh"]);
        router.AgentAvailable("1001", At(0));

        var outcome = router.Enqueue(Call("c1", 1), At(1));

        Assert.That(outcome.Assignment, Is.Null, "a closed queue gives no call to its agents");
        Assert.That(outcome.Overflows.Select(o => (o.FromQueue, o.Reason, o.Action)), Is.EqualTo(new[]
        {
            ("main", OverflowReason.QueueClosed, OverflowAction.MoveToQueue),
            ("backup", OverflowReason.QueueClosed, OverflowAction.Callback),
        }));
        Assert.That(outcome.Overflows[0].ToString(), Does.Contain("queue closed; moved to queue backup"));
        Assert.That(router.WaitingCount, Is.Zero);
    }

    [Test]
    public void CallArrivingToAFullQueueWithCallbackOverflowIsOfferedACallback()
    {
        var router = new AcdRouter(Options(("main", new QueueOptions { MaxLength = 1 })));
        router.Enqueue(Call("c1", 0), At(0));

        var outcome = router.Enqueue(Call("c2", 1), At(1));

        Assert.That(outcome.Waiting, Is.False);
        Assert.That(outcome.Overflows.Single().Action, Is.EqualTo(OverflowAction.Callback));
        Assert.That(router.WaitingCount, Is.EqualTo(1));
    }

    [Test]
    public void CallOverTheMaxWaitIsOfferedACallbackOnTheTick()
    {
        var router = new AcdRouter(Options(("main", new QueueOptions { MaxWaitSeconds = 60 })));
        router.Enqueue(Call("c1", 0), At(0));
        router.Enqueue(Call("c2", 30), At(30));

        var early = router.Tick(At(59));
        var due = router.NextDueAt;
        var late = router.Tick(At(60));

        Assert.That(early.Overflows, Is.Empty);
        Assert.That(due, Is.EqualTo(At(60)));
        Assert.That(late.Overflows.Select(o => o.Call.Id), Is.EqualTo(new[] { "c1" }));
        Assert.That(late.Overflows[0].Reason, Is.EqualTo(OverflowReason.MaxWait));
        Assert.That(late.Overflows[0].Action, Is.EqualTo(OverflowAction.Callback));
        Assert.That(router.WaitingCount, Is.EqualTo(1));
    }

    [Test]
    public void CallOverTheMaxWaitMovesToTheTargetAndMayFindAnAgentThere()
    {
        var router = new AcdRouter(Options(
            ("main", new QueueOptions { Skills = ["stocks"], MaxWaitSeconds = 60, Overflow = "general" }),
            ("general", new QueueOptions())));
        Available(router, "1001", 0, "futures");
        router.Enqueue(Call("c1", 0, queue: "main"), At(0));

        var tick = router.Tick(At(61));

        Assert.That(tick.Overflows.Single().TargetQueue, Is.EqualTo("general"));
        Assert.That(tick.Assignments.Single().Agent, Is.EqualTo("1001"));
        Assert.That(tick.Assignments[0].Call.Queue, Is.EqualTo("general"));
        Assert.That(tick.Assignments[0].Explanation.WaitedSeconds, Is.EqualTo(61).Within(0.001), "seniority is kept across the move");
    }

    [Test]
    public void ChainOfFullQueuesEndsInACallback()
    {
        var router = new AcdRouter(Options(
            ("a", new QueueOptions { MaxLength = 1, Overflow = "b" }),
            ("b", new QueueOptions { MaxLength = 1, Overflow = "a" })));
        router.Enqueue(Call("c1", 0, queue: "a"), At(0));
        router.Enqueue(Call("c2", 0, queue: "b"), At(0));

        var outcome = router.Enqueue(Call("c3", 1, queue: "a"), At(1));

        Assert.That(outcome.Waiting, Is.False);
        Assert.That(outcome.Overflows[^1].Action, Is.EqualTo(OverflowAction.Callback));
    }
}
