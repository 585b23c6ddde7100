using System.Net;
using CallCenter.ResourceControl.Calls;
using CallCenter.Telephony.Sdp;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>Hold and resume: what changes, and the hold time a resume counts.</summary>
public sealed class HoldPlannerTests
{
    private static readonly DateTimeOffset _now = TestCallFacts.T0.AddMinutes(3);

    [Test]
    public void HoldingABridgedCallChangesItAndCountsNothingYet()
    {
        var plan = HoldPlanner.Plan(ended: false, isCallsAgentLeg: true, onHold: false, holdStartedAt: null, hold: true, _now);

        Assert.That(plan, Is.EqualTo(new HoldPlan(true, 0)));
    }

    [Test]
    public void ResumingCountsTheSecondsSinceTheHoldStarted()
    {
        var plan = HoldPlanner.Plan(ended: false, isCallsAgentLeg: true, onHold: true, holdStartedAt: _now.AddSeconds(-42.5), hold: false, _now);

        Assert.That(plan.Changed, Is.True);
        Assert.That(plan.HoldSecondsAdded, Is.EqualTo(42.5).Within(1e-9));
    }

    [Test]
    public void ResumingWithoutAKnownStartCountsNothing() =>
        Assert.That(HoldPlanner.Plan(ended: false, isCallsAgentLeg: true, onHold: true, holdStartedAt: null, hold: false, _now), Is.EqualTo(new HoldPlan(true, 0)));

    [TestCase(true)]
    [TestCase(false)]
    public void AskingForTheStateTheCallIsInChangesNothing(bool hold) =>
        Assert.That(HoldPlanner.Plan(ended: false, isCallsAgentLeg: true, onHold: hold, holdStartedAt: _now.AddSeconds(-5), hold, _now), Is.EqualTo(HoldPlan.Unchanged));

    [Test]
    public void AnEndedCallIsNotHeld() =>
        Assert.That(HoldPlanner.Plan(ended: true, isCallsAgentLeg: true, onHold: false, holdStartedAt: null, hold: true, _now).Changed, Is.False);

    [Test]
    public void ALegThatIsNoLongerTheCallsAgentLegDoesNotHoldTheCall() =>
        Assert.That(HoldPlanner.Plan(ended: false, isCallsAgentLeg: false, onHold: true, holdStartedAt: _now.AddSeconds(-5), hold: false, _now).Changed, Is.False);

    [TestCase(SdpDirection.SendOnly, "10.0.0.1", true)]
    [TestCase(SdpDirection.Inactive, "10.0.0.1", true)]
    [TestCase(SdpDirection.SendRecv, "0.0.0.0", true)]
    [TestCase(SdpDirection.SendRecv, "10.0.0.1", false)]
    [TestCase(SdpDirection.RecvOnly, "10.0.0.1", false)]
    public void SendOnlyInactiveOrTheNullAddressIsAHold(SdpDirection direction, string address, bool hold) =>
        Assert.That(HoldPlanner.IsHoldOffer(direction, IPAddress.Parse(address)), Is.EqualTo(hold));

    [Test]
    public void TheDeskHearsWhatHappenedInEachCase() => Assert.Multiple(() =>
    {
        Assert.That(HoldPlanner.Describe(hold: true, changed: true), Is.EqualTo("the caller hears music"));
        Assert.That(HoldPlanner.Describe(hold: true, changed: false), Is.EqualTo("the call was already on hold"));
        Assert.That(HoldPlanner.Describe(hold: false, changed: true), Is.EqualTo("the caller and the agent hear each other again"));
        Assert.That(HoldPlanner.Describe(hold: false, changed: false), Is.EqualTo("the call was not on hold"));
    });
}
