using CallCenter.Contracts.Calls;
using CallCenter.ResourceControl.Calls;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>The rule hold, consult and monitor share: a live call bridged to its agent, not in a consultation.</summary>
public sealed class BridgeCheckTests
{
    [Test]
    public void ABridgedCallWithoutAConsultationMayBeChanged() =>
        Assert.That(BridgeCheck.Refusal("c1", new BridgeState(Ended: false, AgentAnswered: true, Consulting: false)), Is.Null);

    [Test]
    public void AnEndedCallIsNoLiveCallWhateverItsLegs()
    {
        var refusal = BridgeCheck.Refusal("c1", new BridgeState(Ended: true, AgentAnswered: true, Consulting: false));

        Assert.That(refusal!.Error, Is.EqualTo(CallControlError.UnknownCall));
        Assert.That(refusal.Message, Is.EqualTo("there is no live call c1"));
    }

    [Test]
    public void ACallWhoseAgentHasNotAnsweredIsNotBridged()
    {
        var refusal = BridgeCheck.Refusal("c1", new BridgeState(Ended: false, AgentAnswered: false, Consulting: false));

        Assert.That(refusal!.Error, Is.EqualTo(CallControlError.NotBridged));
        Assert.That(refusal.Message, Does.Contain("not bridged"));
    }

    [Test]
    public void ACallInAConsultationIsRefusedSayingSo()
    {
        var refusal = BridgeCheck.Refusal("c1", new BridgeState(Ended: false, AgentAnswered: true, Consulting: true));

        Assert.That(refusal!.Error, Is.EqualTo(CallControlError.NotBridged));
        Assert.That(refusal.Message, Does.Contain("consultation"));
    }
}
