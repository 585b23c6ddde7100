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
        var ended = new CallerLegState(Confirmed: true, Identified: false, Ended: true);
        Assert.Multiple(() =>
        {
            Assert.That(CallerLeg.Handle(ended, CallerInput.Identified).Actions, Is.EqualTo(CallerActions.ApplyIdentity));
            Assert.That(CallerLeg.Handle(ended with { Confirmed = false, Identified = true }, CallerInput.Acknowledged).Actions, Is.EqualTo(CallerActions.None));
        });
    }

    [Test]
    public void InAnyOrderWithRepeatsTheFlowStartsAtMostOnceAndTheIdentityIsTakenOnce()
    {
        // Every sequence of up to five inputs (an ACK retransmitted, a late look-up, a timeout crossing the ACK).
        var inputs = Enum.GetValues<CallerInput>();
        var sequences = 0;
        void Walk(CallerLegState state, int starts, int identities, bool endedBeforeStart, int depth)
        {
            Assert.That(starts, Is.LessThanOrEqualTo(1));
            Assert.That(identities, Is.LessThanOrEqualTo(1));
            Assert.That(endedBeforeStart && starts > 0, Is.False, "the flow started on an ended call");
            sequences++;
            if (depth == 5)
            {
                return;
            }

            foreach (var input in inputs)
            {
                var (next, actions) = CallerLeg.Handle(state, input);
                var started = (actions & CallerActions.StartIvr) != 0;
                Assert.That(!started || (next.Confirmed && next.Identified), Is.True, "started without both ACK and identity");
                Walk(
                    next,
                    starts + (started ? 1 : 0),
                    identities + ((actions & CallerActions.ApplyIdentity) != 0 ? 1 : 0),
                    endedBeforeStart || ((actions & CallerActions.EndNotConfirmed) != 0 && starts == 0),
                    depth + 1);
            }
        }

        Walk(default, 0, 0, false, 0);
        Assert.That(sequences, Is.GreaterThan(300));
    }
}
