using CallCenter.Contracts.Calls;
using CallCenter.ResourceControl.Agents;
using CallCenter.ResourceControl.Calls;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>Attended transfer's decisions: whom the agent may consult, and when the consultation completes.</summary>
public sealed class ConsultPlannerTests
{
    private static readonly BridgeState _bridged = new(Ended: false, AgentAnswered: true, Consulting: false);

    [Test]
    public void AnotherAvailableAgentMayBeConsulted() =>
        Assert.That(ConsultPlanner.Refusal("c1", _bridged, "1001", "1002", AgentStatus.Available), Is.Null);

    [Test]
    public void ACallNotBridgedIsRefusedBeforeTheTargetIsLookedAt()
    {
        var refusal = ConsultPlanner.Refusal("c1", _bridged with { AgentAnswered = false }, null, "nobody", null);

        Assert.That(refusal!.Error, Is.EqualTo(CallControlError.NotBridged));
    }

    [Test]
    public void ASecondConsultationIsRefused() =>
        Assert.That(ConsultPlanner.Refusal("c1", _bridged with { Consulting = true }, "1001", "1002", AgentStatus.Available)!.Error, Is.EqualTo(CallControlError.NotBridged));

    [Test]
    public void ATargetThatIsNoAgentIsUnknown()
    {
        var refusal = ConsultPlanner.Refusal("c1", _bridged, "1001", "95500", null);

        Assert.That(refusal!.Error, Is.EqualTo(CallControlError.UnknownTarget));
        Assert.That(refusal.Message, Does.Contain("\"95500\""));
    }

    // The default calling hours (08:00-21:00 Asia/Shanghai): 10:00 and 23:00 there.
    private static readonly DateTimeOffset _day = new(2026, 12, 3, 2, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset _night = new(2026, 12, 3, 15, 0, 0, TimeSpan.Zero);

    private static CallCenter.ResourceControl.Outbound.OutboundDecision Decide(CallCenter.ResourceControl.Outbound.DialableNumber number, string? doNotCall, DateTimeOffset at) =>
        CallCenter.ResourceControl.Outbound.OutboundCheck.Decide(number, doNotCall, new CallCenter.ResourceControl.Outbound.OutboundOptions().Quiet(), riskNotice: false, at);

    [Test]
    public void AnOutsideNumberIsConsultedThroughATrunkWhenTheDialPlanTheDoNotCallListAndTheCallingHoursAllowIt()
    {
        var number = new CallCenter.ResourceControl.Outbound.DialableNumber("13800000009", "+8613800000009", default);
        var refused = new CallCenter.ResourceControl.Outbound.DialRefusal("\"110\" is an emergency number");
        Assert.Multiple(() =>
        {
            Assert.That(ConsultPlanner.Refusal("c1", _bridged, "1001", "13800000009", null, (number, null), "carrier"), Is.Null);
            Assert.That(ConsultPlanner.Refusal("c1", _bridged, "1001", "13800000009", null, (number, null), null)!.Message, Does.Contain("no trunk"));
            Assert.That(ConsultPlanner.Refusal("c1", _bridged, "1001", "110", null, (null, refused), "carrier")!.Message, Does.Contain("emergency"));
            Assert.That(ConsultPlanner.Refusal("c1", _bridged, "1001", "13800000009", null, (number, null), "carrier", Decide(number, "asked", _day))!.Message, Does.Contain("do-not-call"));
            Assert.That(ConsultPlanner.Refusal("c1", _bridged, "1001", "13800000009", null, (number, null), "carrier", Decide(number, null, _day)), Is.Null, "in the calling hours");
            Assert.That(ConsultPlanner.Refusal("c1", _bridged, "1001", "13800000009", null, (number, null), "carrier", Decide(number, null, _night))!.Message, Does.Contain("outside the calling hours"), "a consult is no risk notice");
            Assert.That(ConsultPlanner.Refusal("c1", _bridged with { Consulting = true }, "1001", "13800000009", null, (number, null), "carrier")!.Error, Is.EqualTo(CallControlError.NotBridged));
        });
    }

    [Test]
    public void TheCallsOwnAgentCannotConsultThemselves() =>
        Assert.That(ConsultPlanner.Refusal("c1", _bridged, "1001", "1001", AgentStatus.Available)!.Error, Is.EqualTo(CallControlError.TargetUnavailable));

    [TestCase("OnCall")]
    [TestCase("Offered")]
    [TestCase("WrapUp")]
    [TestCase("Offline")]
    public void ABusyOrAbsentAgentCannotBeConsulted(string name)
    {
        var status = Enum.Parse<AgentStatus>(name);
        var refusal = ConsultPlanner.Refusal("c1", _bridged, "1001", "1002", status);

        Assert.That(refusal!.Error, Is.EqualTo(CallControlError.TargetUnavailable));
        Assert.That(refusal.Message, Does.Contain("1002").And.Contain(AgentStateMachine.Describe(status)));
    }

    [Test]
    public void AnAnsweredConsultationCompletes() =>
        Assert.That(ConsultPlanner.CompletionRefusal("c1", "1002", consultedAnswered: true, hasAgentLeg: true, transferorHungUp: false), Is.Null);

    [Test]
    public void AConsultationStillRingingDoesNotCompleteFromTheDesk()
    {
        var refusal = ConsultPlanner.CompletionRefusal("c1", "1002", consultedAnswered: false, hasAgentLeg: true, transferorHungUp: false);

        Assert.That(refusal!.Error, Is.EqualTo(CallControlError.TargetUnavailable));
        Assert.That(refusal.Message, Does.Contain("1002").And.Contain("not answered"));
    }

    [Test]
    public void TheFirstAgentHangingUpCompletesEvenWhileTheConsultedPhoneRings() =>
        Assert.That(ConsultPlanner.CompletionRefusal("c1", "1002", consultedAnswered: false, hasAgentLeg: true, transferorHungUp: true), Is.Null);

    [TestCase(null, true)]
    [TestCase("1002", false)]
    public void WithoutAConsultationOrAnAgentThereIsNothingToComplete(string? consulted, bool hasAgentLeg)
    {
        var refusal = ConsultPlanner.CompletionRefusal("c1", consulted, consultedAnswered: true, hasAgentLeg, transferorHungUp: false);

        Assert.That(refusal!.Error, Is.EqualTo(CallControlError.NotBridged));
        Assert.That(refusal.Message, Does.Contain("no consultation"));
    }
}
