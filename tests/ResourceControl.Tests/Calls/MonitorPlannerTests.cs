using CallCenter.Contracts.Calls;
using CallCenter.ResourceControl.Calls;
using CallCenter.Telephony.Media;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>Listen, whisper and barge: one supervisor per bridged call, the same one changes the mode.</summary>
public sealed class MonitorPlannerTests
{
    private static readonly BridgeState _bridged = new(Ended: false, AgentAnswered: true, Consulting: false);

    [Test]
    public void AnUnmonitoredBridgedCallRingsTheSupervisor() =>
        Assert.That(MonitorPlanner.Plan("c1", _bridged, null, "1900"), Is.EqualTo(new MonitorPlan(MonitorStep.Ring, null)));

    [Test]
    public void TheSameSupervisorAskingAgainChangesOnlyTheMode() =>
        Assert.That(MonitorPlanner.Plan("c1", _bridged, "1900", "1900"), Is.EqualTo(new MonitorPlan(MonitorStep.ChangeMode, null)));

    [Test]
    public void ASecondSupervisorIsRefusedNamingTheFirst()
    {
        var plan = MonitorPlanner.Plan("c1", _bridged, "1900", "1901");

        Assert.That(plan.Step, Is.EqualTo(MonitorStep.Refused));
        Assert.That(plan.Refusal!.Error, Is.EqualTo(CallControlError.TargetUnavailable));
        Assert.That(plan.Refusal.Message, Does.Contain("1900"));
    }

    [Test]
    public void ACallInAConsultationIsNotMonitoredEvenByItsSupervisor()
    {
        var plan = MonitorPlanner.Plan("c1", _bridged with { Consulting = true }, "1900", "1900");

        Assert.That(plan.Step, Is.EqualTo(MonitorStep.Refused));
        Assert.That(plan.Refusal!.Error, Is.EqualTo(CallControlError.NotBridged));
    }

    [Test]
    public void AnEndedCallIsNoLiveCall() =>
        Assert.That(MonitorPlanner.Plan("c1", _bridged with { Ended = true }, null, "1900").Refusal!.Error, Is.EqualTo(CallControlError.UnknownCall));

    [Test]
    public void AfterTheLookUpsAnySupervisorNowOnTheCallRefusesTheRing() => Assert.Multiple(() =>
    {
        Assert.That(MonitorPlanner.LateRefusal("c1", _bridged, null), Is.Null);
        Assert.That(MonitorPlanner.LateRefusal("c1", _bridged, "1900")!.Message, Does.Contain("already monitored by 1900"));
        Assert.That(MonitorPlanner.LateRefusal("c1", _bridged with { AgentAnswered = false }, null)!.Error, Is.EqualTo(CallControlError.NotBridged));
    });

    [TestCase(MonitorMode.Listen, MonitorMix.Listen, "listen")]
    [TestCase(MonitorMode.Whisper, MonitorMix.Whisper, "whisper")]
    [TestCase(MonitorMode.Barge, MonitorMix.Barge, "barge")]
    public void EachModeHasItsMixAndName(MonitorMode mode, MonitorMix mix, string name) => Assert.Multiple(() =>
    {
        Assert.That(MonitorPlanner.ToMix(mode), Is.EqualTo(mix));
        Assert.That(MonitorPlanner.ModeName(mix), Is.EqualTo(name));
    });

    [Test]
    public void AnUnknownModeIsRefused() =>
        Assert.That(() => MonitorPlanner.ToMix((MonitorMode)99), Throws.TypeOf<ArgumentOutOfRangeException>());
}
