using CallCenter.ResourceControl.Calls;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>The caller's leg from our 200 to the IVR: the flow starts once, after both the ACK and the directory's answer.</summary>
public sealed class CallerLegTests
{
    [Test]
    public void TheFlowStartsWhenTheLastOfAckAndIdentityArrives()
    {
        var (afterAck, ackActions) = CallerLeg.Handle(default, CallerInput.Acknowledged);
        Assert.That(ackActions, Is.EqualTo(CallerActions.None), "still waiting for the directory");
        var (_, identityActions) = CallerLeg.Handle(afterAck, CallerInput.Identified);
        Assert.That(identityActions, Is.EqualTo(CallerActions.ApplyIdentity | CallerActions.StartIvr));

        var (afterIdentity, first) = CallerLeg.Handle(default, CallerInput.Identified);
        Assert.That(first, Is.EqualTo(CallerActions.ApplyIdentity), "still waiting for the ACK");
        Assert.That(CallerLeg.Handle(afterIdentity, CallerInput.Acknowledged).Actions, Is.EqualTo(CallerActions.StartIvr));
    }

    [Test]
    public void ACallWithoutAnAckEndsOnlyIfNeitherConfirmedNorEnded()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CallerLeg.Handle(default, CallerInput.NotConfirmed).Actions, Is.EqualTo(CallerActions.EndNotConfirmed));
            Assert.That(CallerLeg.Handle(new(Confirmed: true, Identified: false, Ended: false), CallerInput.NotConfirmed).Actions, Is.EqualTo(CallerActions.None));
            Assert.That(CallerLeg.Handle(new(Confirmed: false, Identified: true, Ended: true), CallerInput.NotConfirmed).Actions, Is.EqualTo(CallerActions.None));
        });
    }

    [Test]
    public void AnEndedCallNeverStartsTheFlowButStillTakesItsIdentityForTheRecord()
    {
        var ended = new CallLifecycle(Confirmed: true, Identified: false, Ended: true);
        Assert.Multiple(() =>
        {
            Assert.That(CallerLeg.Handle(ended, CallerInput.Identified).Actions, Is.EqualTo(CallerActions.ApplyIdentity));
            Assert.That(CallerLeg.Handle(ended with { Confirmed = false, Identified = true }, CallerInput.Acknowledged).Actions, Is.EqualTo(CallerActions.None));
        });
    }

    [Test]
    public void InAnyOrderWithRepeatsTheFlowStartsAtMostOnceTheIdentityIsTakenOnceAndTheCallEndsOnce()
    {
        // Every sequence of up to six steps (an ACK retransmitted, a late look-up, a timeout crossing the ACK, a
        // hang-up from anywhere), from every way a call starts, composed as the loop composes them: a step's
        // EndNotConfirmed is followed by the ending.
        var sequences = 0;
        void Walk(CallLifecycle start, CallLifecycle state, int starts, int identities, int endings, bool endedBeforeStart, int depth)
        {
            Assert.That(starts, Is.LessThanOrEqualTo(1));
            Assert.That(identities, Is.LessThanOrEqualTo(1));
            Assert.That(endings, Is.LessThanOrEqualTo(1), "the call ended twice");
            Assert.That(endedBeforeStart && starts > 0, Is.False, "the flow started on an ended call");
            Assert.That((state.Admitted, state.CallerVerified), Is.EqualTo((start.Admitted, start.CallerVerified)), "admission and verification are fixed at the answer");
            Assert.That(state.Ended, Is.EqualTo(endings == 1), "ended exactly when it was ended");
            sequences++;
            if (depth == 6)
            {
                return;
            }

            foreach (var input in Enum.GetValues<CallerInput>())
            {
                var (next, actions) = CallerLeg.Handle(state, input);
                var started = (actions & CallerActions.StartIvr) != 0;
                Assert.That(!started || (next.Confirmed && next.Identified && !next.Ended), Is.True, "started without both ACK and identity, or ended");
                Assert.That(next.Ended, Is.EqualTo(state.Ended), "only the ending ends a call");
                var endedNow = 0;
                if ((actions & CallerActions.EndNotConfirmed) != 0)
                {
                    (next, var first) = CallLifecycle.End(next);
                    endedNow = first ? 1 : 2; // a second ending is caught by the endings count
                }

                Walk(
                    start,
                    next,
                    starts + (started ? 1 : 0),
                    identities + ((actions & CallerActions.ApplyIdentity) != 0 ? 1 : 0),
                    endings + endedNow,
                    endedBeforeStart || (next.Ended && starts == 0 && !started),
                    depth + 1);
            }

            // The hang-up (the caller's BYE, the agent's, a shutdown): ends the call the first time only.
            var (hungUp, firstEnding) = CallLifecycle.End(state);
            Assert.That(hungUp.Ended, Is.True);
            Walk(start, hungUp, starts, identities, endings + (firstEnding ? 1 : 0), endedBeforeStart || starts == 0, depth + 1);
        }

        CallLifecycle[] starts = [CallLifecycle.Answered(trusted: true, marked: false), CallLifecycle.Answered(trusted: true, marked: true), CallLifecycle.Answered(trusted: false, marked: false)];
        foreach (var start in starts)
        {
            Walk(start, start, 0, 0, 0, false, 0);
        }

        Assert.That(sequences, Is.GreaterThan(3 * 4000));
    }

    [Test]
    public void ACallerFromOutsideTheTrustedPeersIsAdmittedAndUnverifiedAndAPlacedCallWaitsForNoAck()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CallLifecycle.Answered(trusted: false, marked: false), Is.EqualTo(new CallLifecycle(Admitted: true, CallerVerified: false)), "counted against its source, unknown");
            Assert.That(CallLifecycle.Answered(trusted: true, marked: false), Is.EqualTo(new CallLifecycle(Admitted: false, CallerVerified: true)), "from the proxy, looked up");
            Assert.That(CallLifecycle.Answered(trusted: true, marked: true), Is.EqualTo(new CallLifecycle(Admitted: false, CallerVerified: false)), "marked by the proxy: unknown");

            // A callback (its directory answer still to take) and a sent fax: the flow of a caller's leg never starts on them.
            var callback = CallLifecycle.Placed(identified: false);
            Assert.That(callback.Confirmed && !callback.Identified, Is.True);
            Assert.That(CallerLeg.Handle(callback, CallerInput.NotConfirmed).Actions, Is.EqualTo(CallerActions.None), "no ACK to miss");
            Assert.That(CallLifecycle.Placed(identified: true), Is.EqualTo(new CallLifecycle(Confirmed: true, Identified: true)));
        });
    }
}
