using CallCenter.ResourceControl.Agents;

namespace CallCenter.ResourceControl.Tests.Agents;

public sealed class AgentStateMachineTests
{
    private static readonly DateTimeOffset _t0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.FromHours(8));

    private readonly AgentStateMachine _machine = new(new AgentOptions());

    private static AgentState Fresh() => AgentState.Initial("1001", _t0);

    private AgentState Run(AgentState state, params (AgentEvent Event, int AtSecond)[] steps)
    {
        foreach (var (e, at) in steps)
        {
            var t = _machine.Handle(state, e, _t0.AddSeconds(at));
            Assert.That(t.Refusal, Is.Null, $"{e} was refused");
            state = t.State;
        }

        return state;
    }

    private AgentState Available(int at = 0) => Run(Fresh(), (new AgentEvent.PhoneRegistered(), at), (new AgentEvent.SetAvailable(), at));

    private AgentState Ringing(string callId = "c1", int at = 10) => Run(Available(), (new AgentEvent.Offer(callId), at));

    private AgentState Talking(string callId = "c1") => Run(Ringing(callId), (new AgentEvent.OfferAnswered(callId), 12));

    [Test]
    public void NewAgentIsOfflineUnregisteredAndSignedOut()
    {
        var state = Fresh();

        Assert.That((state.Status, state.Registered, state.LoggedIn), Is.EqualTo((AgentStatus.Offline, false, false)));
    }

    [Test]
    public void UnregisteredAgentCannotBeAvailableAndTheReasonSaysWhy()
    {
        var t = _machine.Handle(Fresh(), new AgentEvent.SetAvailable(), _t0);

        Assert.That(t.Accepted, Is.False);
        Assert.That(t.Refusal, Does.Contain("1001").And.Contain("not registered"));
        Assert.That(t.State.Status, Is.EqualTo(AgentStatus.Offline));
        Assert.That(t.Effects, Is.Empty);
    }

    [Test]
    public void SupervisorCannotMakeAnUnregisteredAgentAvailableEither()
    {
        var t = _machine.Handle(Fresh(), new AgentEvent.SupervisorSetState(AgentStatus.Available), _t0);

        Assert.That(t.Refusal, Does.Contain("not registered"));
    }

    [Test]
    public void RegisteredAgentBecomesAvailableAndTheWallboardIsTold()
    {
        var registered = Run(Fresh(), (new AgentEvent.PhoneRegistered(), 0));

        var t = _machine.Handle(registered, new AgentEvent.SetAvailable(), _t0.AddSeconds(5));

        Assert.That(t.State.Status, Is.EqualTo(AgentStatus.Available));
        Assert.That(t.State.Since, Is.EqualTo(_t0.AddSeconds(5)));
        Assert.That(t.Effects, Has.One.InstanceOf<AgentEffect.PublishState>()
            .With.Property(nameof(AgentEffect.PublishState.Current)).EqualTo(t.State));
    }

    [Test]
    public void SetAvailableAgainKeepsTheIdleTime()
    {
        var t = _machine.Handle(Available(at: 0), new AgentEvent.SetAvailable(), _t0.AddSeconds(30));

        Assert.That(t.Accepted, Is.True);
        Assert.That(t.State.Since, Is.EqualTo(_t0));
        Assert.That(t.Effects, Is.Empty);
    }

    [Test]
    public void DeskLoginAndPhoneRegistrationAreRecordedWithoutChangingTheState()
    {
        var state = Run(Fresh(), (new AgentEvent.DeskLogin(), 1), (new AgentEvent.PhoneRegistered(), 2));

        Assert.That((state.Status, state.Registered, state.LoggedIn), Is.EqualTo((AgentStatus.Offline, true, true)));
    }

    [Test]
    public void RepeatedRegistrationRefreshIsAcceptedWithoutEffects()
    {
        var state = Available();

        var t = _machine.Handle(state, new AgentEvent.PhoneRegistered(), _t0.AddMinutes(30));

        Assert.That(t.Accepted, Is.True);
        Assert.That(t.Effects, Is.Empty);
        Assert.That(t.State, Is.EqualTo(state));
    }

    [Test]
    public void UnregisteringWhileAvailableMakesTheAgentOfflineWithTheReason()
    {
        var t = _machine.Handle(Available(), new AgentEvent.PhoneUnregistered(), _t0.AddSeconds(40));

        Assert.That(t.State.Status, Is.EqualTo(AgentStatus.Offline));
        Assert.That(t.State.Reason, Is.EqualTo(AgentStateMachine.PhoneUnregisteredReason));
        Assert.That(t.State.Registered, Is.False);
    }

    [Test]
    public void UnregisteringWhileRingingSendsTheCallToTheNextAgentWithoutCountingAMiss()
    {
        var t = _machine.Handle(Ringing("c7"), new AgentEvent.PhoneUnregistered(), _t0.AddSeconds(11));

        Assert.That(t.State.Status, Is.EqualTo(AgentStatus.Offline));
        Assert.That(t.State.MissedOffers, Is.Zero);
        Assert.That(t.Effects, Does.Contain(new AgentEffect.OfferNextAgent("c7", "1001")));
        Assert.That(t.Effects, Does.Contain(new AgentEffect.CancelTimer(AgentTimerKind.Ring)));
    }

    [Test]
    public void UnregisteringDuringACallKeepsTheCallAndEndsOfflineAfterWrapUp()
    {
        var state = Run(Talking(), (new AgentEvent.PhoneUnregistered(), 20));
        Assert.That(state.Status, Is.EqualTo(AgentStatus.OnCall));

        state = Run(state, (new AgentEvent.CallEnded(), 60), (new AgentEvent.WrapUpExpired("c1"), 75));

        Assert.That(state.Status, Is.EqualTo(AgentStatus.Offline));
        Assert.That(state.Reason, Is.EqualTo(AgentStateMachine.PhoneUnregisteredReason));
    }

    [Test]
    public void OfferRingsTheAgentAndStartsTheRingTimer()
    {
        var t = _machine.Handle(Available(), new AgentEvent.Offer("c1"), _t0.AddSeconds(10));

        Assert.That(t.State.Status, Is.EqualTo(AgentStatus.Offered));
        Assert.That(t.State.CallId, Is.EqualTo("c1"));
        Assert.That(t.State.Until, Is.EqualTo(_t0.AddSeconds(30)));
        Assert.That(t.Effects, Does.Contain(new AgentEffect.StartTimer(AgentTimerKind.Ring, TimeSpan.FromSeconds(20), "c1")));
    }

    [Test]
    public void OfferUsesTheRingTimeoutItCarries()
    {
        var t = _machine.Handle(Available(), new AgentEvent.Offer("c1", TimeSpan.FromSeconds(7)), _t0);

        Assert.That(t.Effects, Does.Contain(new AgentEffect.StartTimer(AgentTimerKind.Ring, TimeSpan.FromSeconds(7), "c1")));
    }

    [TestCase("Offline")]
    [TestCase("Break")]
    [TestCase("Offered")]
    [TestCase("OnCall")]
    [TestCase("WrapUp")]
    public void OfferIsRefusedUnlessTheAgentIsAvailable(string statusName)
    {
        var status = Enum.Parse<AgentStatus>(statusName);
        var state = status switch
        {
            AgentStatus.Offline => Fresh(),
            AgentStatus.Break => Run(Available(), (new AgentEvent.SetBreak("lunch"), 1)),
            AgentStatus.Offered => Ringing(),
            AgentStatus.OnCall => Talking(),
            _ => Run(Talking(), (new AgentEvent.CallEnded(), 50)),
        };
        Assert.That(state.Status, Is.EqualTo(status));

        var t = _machine.Handle(state, new AgentEvent.Offer("c9"), _t0.AddSeconds(100));

        Assert.That(t.Refusal, Does.Contain("only to an available agent"));
        Assert.That(t.State, Is.EqualTo(state));
    }

    [Test]
    public void AnsweredOfferPutsTheAgentOnTheCallCountsItAndResetsMisses()
    {
        var missedOnce = Run(Ringing("c1"), (new AgentEvent.OfferTimedOut("c1"), 30), (new AgentEvent.Offer("c2"), 40));
        Assert.That(missedOnce.MissedOffers, Is.EqualTo(1));

        var t = _machine.Handle(missedOnce, new AgentEvent.OfferAnswered("c2"), _t0.AddSeconds(45));

        Assert.That(t.State.Status, Is.EqualTo(AgentStatus.OnCall));
        Assert.That(t.State.CallId, Is.EqualTo("c2"));
        Assert.That(t.State.MissedOffers, Is.Zero);
        Assert.That(t.State.CallsOn(_t0.AddSeconds(45)), Is.EqualTo(1));
        Assert.That(t.Effects, Does.Contain(new AgentEffect.CancelTimer(AgentTimerKind.Ring)));
    }

    [Test]
    public void AnswerForAnotherCallIsRefused()
    {
        var t = _machine.Handle(Ringing("c1"), new AgentEvent.OfferAnswered("c2"), _t0.AddSeconds(11));

        Assert.That(t.Refusal, Does.Contain("c2").And.Contain("not the call ringing"));
    }

    [Test]
    public void RingTimeoutSendsTheCallToTheNextAgentAndPutsThisOneBackAtTheEndOfTheIdleLine()
    {
        var t = _machine.Handle(Ringing("c1", at: 10), new AgentEvent.OfferTimedOut("c1"), _t0.AddSeconds(30));

        Assert.That(t.State.Status, Is.EqualTo(AgentStatus.Available));
        Assert.That(t.State.Since, Is.EqualTo(_t0.AddSeconds(30)));
        Assert.That(t.State.MissedOffers, Is.EqualTo(1));
        Assert.That(t.Effects, Does.Contain(new AgentEffect.OfferNextAgent("c1", "1001")));
    }

    [Test]
    public void RejectedOfferCancelsTheRingTimerAndGoesToTheNextAgent()
    {
        var t = _machine.Handle(Ringing("c1"), new AgentEvent.OfferRejected("c1", "busy"), _t0.AddSeconds(12));

        Assert.That(t.State.Status, Is.EqualTo(AgentStatus.Available));
        Assert.That(t.Effects, Does.Contain(new AgentEffect.CancelTimer(AgentTimerKind.Ring)));
        Assert.That(t.Effects, Does.Contain(new AgentEffect.OfferNextAgent("c1", "1001")));
    }

    [Test]
    public void MissingTheConfiguredNumberOfOffersInARowPutsTheAgentOnANoAnswerBreak()
    {
        var state = Run(
            Ringing("c1"),
            (new AgentEvent.OfferTimedOut("c1"), 30),
            (new AgentEvent.Offer("c2"), 31));

        var t = _machine.Handle(state, new AgentEvent.OfferRejected("c2"), _t0.AddSeconds(35));

        Assert.That(t.State.Status, Is.EqualTo(AgentStatus.Break));
        Assert.That(t.State.Reason, Is.EqualTo(AgentStateMachine.NoAnswerReason));
        Assert.That(t.Effects, Does.Contain(new AgentEffect.OfferNextAgent("c2", "1001")));
    }

    [Test]
    public void MaxMissedOffersIsConfigurable()
    {
        var machine = new AgentStateMachine(new AgentOptions { MaxMissedOffers = 3 });
        var state = Ringing("c1");
        foreach (var (call, at) in new[] { ("c1", 30), ("c2", 60) })
        {
            state = machine.Handle(state, new AgentEvent.OfferTimedOut(call), _t0.AddSeconds(at)).State;
            Assert.That(state.Status, Is.EqualTo(AgentStatus.Available));
            state = machine.Handle(state, new AgentEvent.Offer(call == "c1" ? "c2" : "c3"), _t0.AddSeconds(at + 1)).State;
        }

        state = machine.Handle(state, new AgentEvent.OfferTimedOut("c3"), _t0.AddSeconds(90)).State;

        Assert.That((state.Status, state.Reason), Is.EqualTo((AgentStatus.Break, AgentStateMachine.NoAnswerReason)));
    }

    [Test]
    public void AgentBackFromANoAnswerBreakStartsCountingMissesAfresh()
    {
        var state = Run(
            Ringing("c1"),
            (new AgentEvent.OfferTimedOut("c1"), 30),
            (new AgentEvent.Offer("c2"), 31),
            (new AgentEvent.OfferTimedOut("c2"), 51),
            (new AgentEvent.SetAvailable(), 100),
            (new AgentEvent.Offer("c3"), 101),
            (new AgentEvent.OfferTimedOut("c3"), 121));

        Assert.That(state.Status, Is.EqualTo(AgentStatus.Available));
        Assert.That(state.MissedOffers, Is.EqualTo(1));
    }

    [Test]
    public void StaleRingTimerForAnEarlierCallIsRefused()
    {
        var t = _machine.Handle(Talking("c2"), new AgentEvent.OfferTimedOut("c1"), _t0.AddSeconds(30));

        Assert.That(t.Accepted, Is.False);
        Assert.That(t.State.Status, Is.EqualTo(AgentStatus.OnCall));
    }

    [Test]
    public void CallerHangingUpWhileTheAgentRingsIsNotAMiss()
    {
        var t = _machine.Handle(Ringing("c1"), new AgentEvent.CallEnded("c1"), _t0.AddSeconds(15));

        Assert.That(t.State.Status, Is.EqualTo(AgentStatus.Available));
        Assert.That(t.State.MissedOffers, Is.Zero);
        Assert.That(t.Effects, Has.None.InstanceOf<AgentEffect.OfferNextAgent>());
    }

    [Test]
    public void CallEndStartsWrapUpForTheConfiguredTime()
    {
        var t = _machine.Handle(Talking("c1"), new AgentEvent.CallEnded("c1"), _t0.AddSeconds(100));

        Assert.That(t.State.Status, Is.EqualTo(AgentStatus.WrapUp));
        Assert.That(t.State.Until, Is.EqualTo(_t0.AddSeconds(115)));
        Assert.That(t.Effects, Does.Contain(new AgentEffect.StartTimer(AgentTimerKind.WrapUp, TimeSpan.FromSeconds(15), "c1")));
    }

    [Test]
    public void WrapUpExpiryMakesTheAgentAvailableAgain()
    {
        var state = Run(Talking("c1"), (new AgentEvent.CallEnded("c1"), 100));

        var t = _machine.Handle(state, new AgentEvent.WrapUpExpired("c1"), _t0.AddSeconds(115));

        Assert.That(t.State.Status, Is.EqualTo(AgentStatus.Available));
        Assert.That(t.State.Since, Is.EqualTo(_t0.AddSeconds(115)));
        Assert.That(t.State.CallId, Is.Null);
    }

    [Test]
    public void AgentCanEndWrapUpEarly()
    {
        var state = Run(Talking("c1"), (new AgentEvent.CallEnded("c1"), 100));

        var t = _machine.Handle(state, new AgentEvent.WrapUpDone(), _t0.AddSeconds(104));

        Assert.That(t.State.Status, Is.EqualTo(AgentStatus.Available));
        Assert.That(t.Effects, Does.Contain(new AgentEffect.CancelTimer(AgentTimerKind.WrapUp)));
    }

    [Test]
    public void ZeroWrapUpGoesStraightBackToAvailable()
    {
        var machine = new AgentStateMachine(new AgentOptions { WrapUpSeconds = 0 });
        var state = Talking("c1");

        var t = machine.Handle(state, new AgentEvent.CallEnded("c1"), _t0.AddSeconds(100));

        Assert.That(t.State.Status, Is.EqualTo(AgentStatus.Available));
        Assert.That(t.Effects, Has.None.InstanceOf<AgentEffect.StartTimer>());
    }

    [Test]
    public void StaleWrapUpTimerFromAnEarlierCallIsRefused()
    {
        var state = Run(
            Talking("c1"),
            (new AgentEvent.CallEnded("c1"), 100),
            (new AgentEvent.WrapUpDone(), 101),
            (new AgentEvent.Offer("c2"), 102),
            (new AgentEvent.OfferAnswered("c2"), 103),
            (new AgentEvent.CallEnded("c2"), 110));

        var t = _machine.Handle(state, new AgentEvent.WrapUpExpired("c1"), _t0.AddSeconds(115));

        Assert.That(t.Refusal, Does.Contain("stale"));
        Assert.That(t.State.Status, Is.EqualTo(AgentStatus.WrapUp));
    }

    [Test]
    public void BreakAskedForDuringACallIsTakenAfterWrapUp()
    {
        var state = Run(Talking("c1"), (new AgentEvent.SetBreak("lunch"), 30));
        Assert.That(state.Status, Is.EqualTo(AgentStatus.OnCall));
        Assert.That(state.Pending, Is.EqualTo(new AgentPending(AgentStatus.Break, "lunch")));

        state = Run(state, (new AgentEvent.CallEnded("c1"), 60));
        Assert.That(state.Status, Is.EqualTo(AgentStatus.WrapUp));

        state = Run(state, (new AgentEvent.WrapUpExpired("c1"), 75));

        Assert.That((state.Status, state.Reason, state.Pending), Is.EqualTo((AgentStatus.Break, "lunch", (AgentPending?)null)));
    }

    [Test]
    public void SupervisorBreakDuringACallIsPendingWithTheSupervisorsReason()
    {
        var state = Run(
            Talking("c1"),
            (new AgentEvent.SupervisorSetState(AgentStatus.Break, "coaching"), 30),
            (new AgentEvent.CallEnded("c1"), 60),
            (new AgentEvent.WrapUpDone(), 61));

        Assert.That((state.Status, state.Reason), Is.EqualTo((AgentStatus.Break, "coaching")));
    }

    [Test]
    public void SetAvailableDuringACallCancelsAPendingBreak()
    {
        var state = Run(
            Talking("c1"),
            (new AgentEvent.SetBreak("lunch"), 30),
            (new AgentEvent.SetAvailable(), 40),
            (new AgentEvent.CallEnded("c1"), 60),
            (new AgentEvent.WrapUpExpired("c1"), 75));

        Assert.That(state.Status, Is.EqualTo(AgentStatus.Available));
    }

    [Test]
    public void SignOffDuringACallIsTakenAfterWrapUp()
    {
        var state = Run(Talking("c1"), (new AgentEvent.SetOffline(), 30), (new AgentEvent.CallEnded("c1"), 60));
        Assert.That(state.Status, Is.EqualTo(AgentStatus.WrapUp));

        state = Run(state, (new AgentEvent.WrapUpExpired("c1"), 75));

        Assert.That(state.Status, Is.EqualTo(AgentStatus.Offline));
    }

    [Test]
    public void BreakWhileRingingWithdrawsTheOffer()
    {
        var t = _machine.Handle(Ringing("c1"), new AgentEvent.SetBreak("toilet"), _t0.AddSeconds(12));

        Assert.That((t.State.Status, t.State.Reason), Is.EqualTo((AgentStatus.Break, "toilet")));
        Assert.That(t.State.MissedOffers, Is.Zero);
        Assert.That(t.Effects, Does.Contain(new AgentEffect.OfferNextAgent("c1", "1001")));
    }

    [Test]
    public void AvailableAgentGoesOnBreakAndComesBack()
    {
        var state = Run(Available(), (new AgentEvent.SetBreak("lunch"), 60));
        Assert.That((state.Status, state.Reason, state.Since), Is.EqualTo((AgentStatus.Break, "lunch", _t0.AddSeconds(60))));

        state = Run(state, (new AgentEvent.SetAvailable(), 600));

        Assert.That((state.Status, state.Reason, state.Since), Is.EqualTo((AgentStatus.Available, (string?)null, _t0.AddSeconds(600))));
    }

    [Test]
    public void SupervisorCanSetAnAgentOffline()
    {
        var t = _machine.Handle(Available(), new AgentEvent.SupervisorSetState(AgentStatus.Offline, "end of shift"), _t0.AddSeconds(5));

        Assert.That((t.State.Status, t.State.Reason), Is.EqualTo((AgentStatus.Offline, "end of shift")));
    }

    [TestCase("OnCall")]
    [TestCase("Offered")]
    [TestCase("WrapUp")]
    public void SupervisorCannotSetACallState(string statusName)
    {
        var status = Enum.Parse<AgentStatus>(statusName);
        var t = _machine.Handle(Available(), new AgentEvent.SupervisorSetState(status), _t0.AddSeconds(5));

        Assert.That(t.Refusal, Does.Contain("only to available, break or offline"));
        Assert.That(t.State.Status, Is.EqualTo(AgentStatus.Available));
    }

    [Test]
    public void DeskLogoutMakesAnAvailableAgentOffline()
    {
        var state = Run(Available(), (new AgentEvent.DeskLogin(), 1));

        var t = _machine.Handle(state, new AgentEvent.DeskLogout(), _t0.AddSeconds(50));

        Assert.That((t.State.Status, t.State.LoggedIn), Is.EqualTo((AgentStatus.Offline, false)));
    }

    [Test]
    public void DeskLogoutDuringACallSignsOffAfterTheCall()
    {
        var state = Run(Talking("c1"), (new AgentEvent.DeskLogout(), 20));
        Assert.That(state.Status, Is.EqualTo(AgentStatus.OnCall));

        state = Run(state, (new AgentEvent.CallEnded("c1"), 60), (new AgentEvent.WrapUpExpired("c1"), 75));

        Assert.That(state.Status, Is.EqualTo(AgentStatus.Offline));
    }

    [Test]
    public void DeskLogoutDuringWrapUpEndsItAtOnce()
    {
        var state = Run(Talking("c1"), (new AgentEvent.CallEnded("c1"), 60));

        var t = _machine.Handle(state, new AgentEvent.DeskLogout(), _t0.AddSeconds(62));

        Assert.That(t.State.Status, Is.EqualTo(AgentStatus.Offline));
        Assert.That(t.Effects, Does.Contain(new AgentEffect.CancelTimer(AgentTimerKind.WrapUp)));
    }

    [Test]
    public void CallProgressWithoutACallIsRefusedNotThrown()
    {
        var idle = Available();
        AgentEvent[] events = [new AgentEvent.OfferAnswered(), new AgentEvent.OfferRejected(), new AgentEvent.OfferTimedOut(), new AgentEvent.CallEnded(), new AgentEvent.WrapUpDone(), new AgentEvent.WrapUpExpired()];

        foreach (var e in events)
        {
            var t = _machine.Handle(idle, e, _t0.AddSeconds(1));
            Assert.That(t.Refusal, Is.Not.Null.And.Contains("1001"), e.ToString());
            Assert.That(t.State, Is.EqualTo(idle));
            Assert.That(t.Effects, Is.Empty);
        }
    }

    [Test]
    public void TimeInStateCountsFromTheLastTransition()
    {
        var state = Run(Available(), (new AgentEvent.SetBreak("lunch"), 60));

        Assert.That(state.TimeInState(_t0.AddSeconds(60 + 125)), Is.EqualTo(TimeSpan.FromSeconds(125)));
    }

    [Test]
    public void CallsTodayRestartAtMidnight()
    {
        var evening = new DateTimeOffset(2026, 1, 5, 23, 59, 0, TimeSpan.FromHours(8));
        var state = Available();
        state = _machine.Handle(state, new AgentEvent.Offer("c1"), evening).State;
        state = _machine.Handle(state, new AgentEvent.OfferAnswered("c1"), evening).State;
        Assert.That(state.CallsOn(evening), Is.EqualTo(1));

        Assert.That(state.CallsOn(evening.AddMinutes(2)), Is.Zero);
        state = _machine.Handle(state, new AgentEvent.CallEnded("c1"), evening.AddMinutes(2)).State;
        state = _machine.Handle(state, new AgentEvent.WrapUpDone(), evening.AddMinutes(2)).State;
        state = _machine.Handle(state, new AgentEvent.Offer("c2"), evening.AddMinutes(3)).State;
        state = _machine.Handle(state, new AgentEvent.OfferAnswered("c2"), evening.AddMinutes(3)).State;
        Assert.That(state.CallsOn(evening.AddMinutes(3)), Is.EqualTo(1));
    }

    [Test]
    public void AnAgentHoldingAnEmailTaskIsRefusedCallsAndShowsEmailUntilItIsReleased()
    {
        var busy = Run(Available(), (new AgentEvent.EmailTaskTaken("mail-1"), 30));

        Assert.That((busy.Status, busy.EmailTask, busy.Routable, busy.Since), Is.EqualTo((AgentStatus.Available, "mail-1", false, _t0.AddSeconds(30))));
        Assert.That(AgentStatusText.ToApi(busy), Is.EqualTo("email"));
        var offer = _machine.Handle(busy, new AgentEvent.Offer("c1"), _t0.AddSeconds(31));
        Assert.That(offer.Refusal, Does.Contain("handling e-mail task mail-1"));
        Assert.That(offer.State, Is.EqualTo(busy));

        var free = Run(busy, (new AgentEvent.EmailTaskReleased("mail-1"), 90));
        Assert.That((free.EmailTask, free.Routable, free.Since, AgentStatusText.ToApi(free)), Is.EqualTo(((string?)null, true, _t0.AddSeconds(90), "available")),
            "free again, at the back of the idle line");
        Assert.That(_machine.Handle(free, new AgentEvent.Offer("c1"), _t0.AddSeconds(91)).State.Status, Is.EqualTo(AgentStatus.Offered));
    }

    [Test]
    public void AnEmailTaskTakenDuringACallStaysThroughItAndTheAgentIsNotRoutableAfterWrapUp()
    {
        var state = Run(Talking(), (new AgentEvent.EmailTaskTaken("mail-1"), 20));
        Assert.That((state.Status, state.EmailTask, state.Since), Is.EqualTo((AgentStatus.OnCall, "mail-1", _t0.AddSeconds(12))), "the call's time in state is kept");

        state = Run(state, (new AgentEvent.CallEnded("c1"), 40), (new AgentEvent.WrapUpDone(), 45));
        Assert.That((state.Status, state.Routable, AgentStatusText.ToApi(state)), Is.EqualTo((AgentStatus.Available, false, "email")));
    }

    [Test]
    public void AStaleReleaseOrARepeatedTakeChangesNothing()
    {
        var busy = Run(Available(), (new AgentEvent.EmailTaskTaken("mail-2"), 30));

        var stale = _machine.Handle(busy, new AgentEvent.EmailTaskReleased("mail-1"), _t0.AddSeconds(40));
        var again = _machine.Handle(busy, new AgentEvent.EmailTaskTaken("mail-2"), _t0.AddSeconds(50));

        Assert.That((stale.State, stale.Effects.Count), Is.EqualTo((busy, 0)));
        Assert.That((again.State, again.Effects.Count), Is.EqualTo((busy, 0)), "no state published for a round that changes nothing");
        Assert.That(_machine.Handle(busy, new AgentEvent.EmailTaskTaken(""), _t0.AddSeconds(50)).Refusal, Is.Not.Null);
    }
}
