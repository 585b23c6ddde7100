using CallCenter.ResourceControl.Calls;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>The agent legs' decisions: offers that cannot ring, late answers, withdrawn offers, and the leg's end with the call.</summary>
public sealed class AgentLegPlannerTests
{
    [Test]
    public void ARefusedOfferPutsTheCallerBackInTheQueue() =>
        Assert.That(AgentLegPlanner.WhenRefused(consult: false), Is.EqualTo(OfferFallback.Requeue));

    [Test]
    public void ARefusedConsultationReconnectsTheCallerWithTheirAgent() =>
        Assert.That(AgentLegPlanner.WhenRefused(consult: true), Is.EqualTo(OfferFallback.ReconnectCaller));

    [Test]
    public void AnUnregisteredPhoneIsUnreachableAndTheWithdrawalRequeues() =>
        Assert.That(AgentLegPlanner.WhenUnreachable(phoneFound: false, consult: false), Is.EqualTo(("unreachable", "phone not reachable", OfferFallback.AwaitWithdrawal)));

    [Test]
    public void NoFreePortForARegisteredPhoneSaysSo() =>
        Assert.That(AgentLegPlanner.WhenUnreachable(phoneFound: true, consult: false), Is.EqualTo(("no-media-ports", "no media ports", OfferFallback.AwaitWithdrawal)));

    [TestCase(false)]
    [TestCase(true)]
    public void AConsultedPhoneThatCannotRingReconnectsTheCallerAtOnce(bool phoneFound) =>
        Assert.That(AgentLegPlanner.WhenUnreachable(phoneFound, consult: true).Then, Is.EqualTo(OfferFallback.ReconnectCaller));

    [TestCase(false, true, false, true)]
    [TestCase(false, false, true, true)]
    [TestCase(true, true, false, false)]
    [TestCase(false, false, false, false)]
    public void AnAnswerIsWantedOnlyOnALiveCallForItsCurrentLeg(bool ended, bool isAgentLeg, bool isConsultLeg, bool wanted) =>
        Assert.That(AgentLegPlanner.WantsAnswer(ended, isAgentLeg, isConsultLeg), Is.EqualTo(wanted));

    [Test]
    public void AWithdrawnOfferEndsTheRingingAgentLegOfThatAgent() =>
        Assert.That(AgentLegPlanner.Withdrawn(null, new LegView("1001", Answered: false), "1001"), Is.EqualTo(WithdrawnLeg.Agent));

    [Test]
    public void AWithdrawnOfferEndsTheRingingConsultationBeforeLookingAtTheAgentLeg() =>
        Assert.That(AgentLegPlanner.Withdrawn(new LegView("1002", Answered: false), new LegView("1001", Answered: true), "1002"), Is.EqualTo(WithdrawnLeg.Consult));

    [Test]
    public void AnAnsweredLegIsNotEndedByALateWithdrawal() => Assert.Multiple(() =>
    {
        Assert.That(AgentLegPlanner.Withdrawn(null, new LegView("1001", Answered: true), "1001"), Is.EqualTo(WithdrawnLeg.None));
        Assert.That(AgentLegPlanner.Withdrawn(new LegView("1002", Answered: true), new LegView("1001", Answered: true), "1002"), Is.EqualTo(WithdrawnLeg.None));
    });

    [Test]
    public void AWithdrawalForAnotherAgentEndsNothing() =>
        Assert.That(AgentLegPlanner.Withdrawn(new LegView("1002", Answered: false), new LegView("1001", Answered: false), "1003"), Is.EqualTo(WithdrawnLeg.None));

    [TestCase(false, false, true, true)]
    [TestCase(true, false, true, false)]
    [TestCase(false, true, true, false)]
    [TestCase(false, false, false, false)]
    public void OnlyALiveCallWithoutAnAgentThatWaitedGoesBackToTheQueue(bool ended, bool hasAgentLeg, bool waited, bool requeued) =>
        Assert.That(AgentLegPlanner.Requeues(ended, hasAgentLeg, waited), Is.EqualTo(requeued));

    [Test]
    public void ARingingLegIsCancelledWhenTheCallEnds() =>
        Assert.That(AgentLegPlanner.Ending(answered: false, agentHungUp: false), Is.EqualTo(("cancelled", true)));

    [Test]
    public void TheAgentsOwnByeIsNotAnsweredWithAnother() =>
        Assert.That(AgentLegPlanner.Ending(answered: true, agentHungUp: true), Is.EqualTo(("agent-hung-up", false)));

    [Test]
    public void ACallEndedByTheCallerSendsTheAgentABye() =>
        Assert.That(AgentLegPlanner.Ending(answered: true, agentHungUp: false), Is.EqualTo(("answered", true)));
}
