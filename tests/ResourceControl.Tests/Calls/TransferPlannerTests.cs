using CallCenter.Contracts.Calls;
using CallCenter.ResourceControl.Agents;
using CallCenter.ResourceControl.Calls;
using CallCenter.ResourceControl.Outbound;
using CallCenter.ResourceControl.Routing;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>A blind transfer's decision: who may be transferred, to whom, and what the caller keeps.</summary>
public sealed class TransferPlannerTests
{
    private static readonly DateTimeOffset _now = TestCallFacts.T0.AddMinutes(5);
    private static readonly WaitingCall _waiting = new("c1", "general", "diamond", "en", ["futures"], TestCallFacts.T0, "1001", 2);

    [Test]
    public void AnAvailableAgentIsRungWithTheCallAsItWaited()
    {
        var plan = TransferPlanner.Plan(_waiting, "1001", consulting: false, "1002", AgentStatus.Available, targetIsQueue: false, _now);

        Assert.Multiple(() =>
        {
            Assert.That(plan.Result.Error, Is.EqualTo(CallControlError.None));
            Assert.That(plan.Agent, Is.EqualTo("1002"));
            Assert.That(plan.Next, Is.SameAs(_waiting), "a missed offer puts it back where it waited");
        });
    }

    [Test]
    public void AQueueTakesTheCallerWithTheirTierAndLanguageAndAFreshWait()
    {
        var plan = TransferPlanner.Plan(_waiting, "1001", consulting: false, "complaints", null, targetIsQueue: true, _now);

        Assert.Multiple(() =>
        {
            Assert.That(plan.Result.Error, Is.EqualTo(CallControlError.None));
            Assert.That(plan.Agent, Is.Null);
            Assert.That(plan.Next!.Queue, Is.EqualTo("complaints"));
            Assert.That(plan.Next.EnteredAt, Is.EqualTo(_now));
            Assert.That(plan.Next.Tier, Is.EqualTo("diamond"));
            Assert.That(plan.Next.Language, Is.EqualTo("en"));
            Assert.That(plan.Next.AccountManager, Is.EqualTo("1001"));
            Assert.That(plan.Next.RequiredSkills, Is.Empty, "the old queue's skills do not follow");
            Assert.That(plan.Next.PriorityHint, Is.Zero);
        });
    }

    [TestCase("OnCall")]
    [TestCase("Offered")]
    [TestCase("WrapUp")]
    [TestCase("Offline")]
    public void ABusyOrAbsentAgentIsRefusedByName(string status)
    {
        var plan = TransferPlanner.Plan(_waiting, "1001", consulting: false, "1002", Enum.Parse<AgentStatus>(status), targetIsQueue: false, _now);

        Assert.That(plan.Result.Error, Is.EqualTo(CallControlError.TargetUnavailable));
        Assert.That(plan.Result.Message, Does.Contain("1002"));
        Assert.That(plan.Next, Is.Null);
    }

    [Test]
    public void TheCallsOwnAgentIsNotATarget()
    {
        var plan = TransferPlanner.Plan(_waiting, "1001", consulting: false, "1001", AgentStatus.Available, targetIsQueue: false, _now);

        Assert.That(plan.Result.Error, Is.EqualTo(CallControlError.TargetUnavailable));
        Assert.That(plan.Result.Message, Does.Contain("with this call"));
    }

    [Test]
    public void OnlyABridgedCallOutsideAConsultationMoves()
    {
        Assert.Multiple(() =>
        {
            Assert.That(TransferPlanner.Plan(_waiting, null, false, "1002", AgentStatus.Available, false, _now).Result.Error, Is.EqualTo(CallControlError.NotBridged));
            Assert.That(TransferPlanner.Plan(_waiting, "1001", true, "1002", AgentStatus.Available, false, _now).Result.Error, Is.EqualTo(CallControlError.NotBridged));
        });
    }

    [Test]
    public void AnOutsideNumberIsRefusedSayingWhy()
    {
        var plan = TransferPlanner.Plan(_waiting, "1001", consulting: false, "13800000000", null, targetIsQueue: false, _now);

        Assert.That(plan.Result.Error, Is.EqualTo(CallControlError.UnknownTarget));
        Assert.That(plan.Result.Message, Does.Contain("trunk"));
    }

    [Test]
    public void WithATrunkAnOutsideNumberTheDialPlanTakesIsRungAndTheQueueKeptForAMiss()
    {
        var dialled = DialPlan.Normalize("138 0000 0009", new DialingOptions());

        var plan = TransferPlanner.Plan(_waiting, "1001", consulting: false, "138 0000 0009", null, targetIsQueue: false, _now, dialled, "carrier");

        Assert.That(plan.Result.Error, Is.EqualTo(CallControlError.None));
        Assert.That(plan.Outside!.Dial, Is.EqualTo("13800000009"));
        Assert.That(plan.Agent, Is.Null);
        Assert.That(plan.Next, Is.EqualTo(_waiting), "should the number not answer, the caller waits in their queue again");
    }

    [Test]
    public void WithATrunkANumberTheDialPlanRefusesIsRefusedWithItsReason()
    {
        var dialled = DialPlan.Normalize("110", new DialingOptions());

        var plan = TransferPlanner.Plan(_waiting, "1001", consulting: false, "110", null, targetIsQueue: false, _now, dialled, "carrier");

        Assert.That(plan.Result.Error, Is.EqualTo(CallControlError.UnknownTarget));
        Assert.That(plan.Result.Message, Does.Contain("emergency"));
        Assert.That(plan.Outside, Is.Null);
    }

    [Test]
    public void ANumberOnTheDoNotCallListIsRefusedWithItsReasonAndNothingIsRung()
    {
        var dialled = DialPlan.Normalize("138 0000 0077", new DialingOptions());
        var quiet = new OutboundOptions { CallingHoursStart = "00:00", CallingHoursEnd = "00:00" }.Quiet();
        var barred = OutboundCheck.Decide(dialled.Number!, "asked not to be called", quiet, riskNotice: false, _now);
        var free = OutboundCheck.Decide(dialled.Number!, null, quiet, riskNotice: false, _now);

        var plan = TransferPlanner.Plan(_waiting, "1001", consulting: false, "138 0000 0077", null, targetIsQueue: false, _now, dialled, "carrier", barred);
        var allowed = TransferPlanner.Plan(_waiting, "1001", consulting: false, "138 0000 0077", null, targetIsQueue: false, _now, dialled, "carrier", free);

        Assert.Multiple(() =>
        {
            Assert.That(plan.Result.Error, Is.EqualTo(CallControlError.UnknownTarget));
            Assert.That(plan.Result.Message, Does.Contain("do-not-call").And.Contain("asked not to be called"));
            Assert.That(plan.Outside, Is.Null, "no number to ring");
            Assert.That(plan.Next, Is.Null, "the call stays with its agent");
            Assert.That(allowed.Outside!.Dial, Is.EqualTo("13800000077"));
        });
    }
}
