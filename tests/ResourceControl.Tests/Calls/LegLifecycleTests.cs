using CallCenter.ResourceControl.Calls;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>
/// The life of a leg the platform rings, as a table: every phase against every input, the races of a
/// B2BUA included (a 2xx crossing our CANCEL, a 487 after it, an answer the call no longer wants).
/// </summary>
public sealed class LegLifecycleTests
{
    private const LegActions Ack = LegActions.Ack;
    private const LegActions Join = LegActions.Join;
    private const LegActions Cancel = LegActions.Cancel;
    private const LegActions Bye = LegActions.Bye;
    private const LegActions Free = LegActions.FreeMedia;
    private const LegActions Refused = LegActions.Refused;
    private const LegActions None = LegActions.None;

    private static readonly object[] _answers =
    [
        // phase, wanted, usable codec → next phase, actions
        new object[] { LegPhase.Ringing, true, true, LegPhase.Up, Ack | Join },
        new object[] { LegPhase.Ringing, true, false, LegPhase.Gone, Ack | Bye | Free | Refused },
        new object[] { LegPhase.Ringing, false, true, LegPhase.Gone, Ack | Bye | Free },
        new object[] { LegPhase.Ringing, false, false, LegPhase.Gone, Ack | Bye | Free | Refused },

        // RFC 3261 9.1: the 2xx crossed our CANCEL; it still gets its ACK, then BYE, and it is nobody's miss.
        new object[] { LegPhase.Cancelling, true, true, LegPhase.Gone, Ack | Bye | Free },
        new object[] { LegPhase.Cancelling, false, false, LegPhase.Gone, Ack | Bye | Free },

        // RFC 3261 13.2.2.4, 15: the first trunk answers after the number went out through the next (a silent trunk
        // failed over): ACKed and BYEd, never joined, its media (the next leg's) left alone.
        new object[] { LegPhase.Abandoned, true, true, LegPhase.Gone, Ack | Bye },
        new object[] { LegPhase.Abandoned, false, true, LegPhase.Gone, Ack | Bye },
        new object[] { LegPhase.Abandoned, true, false, LegPhase.Gone, Ack | Bye },

        // One final response per INVITE: nothing more happens to a leg that had one.
        new object[] { LegPhase.Up, true, true, LegPhase.Up, None },
        new object[] { LegPhase.Gone, true, true, LegPhase.Gone, None },
    ];

    [TestCaseSource(nameof(_answers))]
    public void A2xx(LegPhase phase, bool wanted, bool usable, LegPhase next, LegActions actions) =>
        Assert.That(LegLifecycle.Answered(phase, wanted, usable), Is.EqualTo(new LegStep(next, actions)));

    [TestCase(LegPhase.Ringing, LegPhase.Gone, Free | Refused)]
    [TestCase(LegPhase.Cancelling, LegPhase.Gone, Free)] // our CANCEL's 487: not a miss
    [TestCase(LegPhase.Up, LegPhase.Up, None)]
    [TestCase(LegPhase.Gone, LegPhase.Gone, None)]
    [TestCase(LegPhase.Abandoned, LegPhase.Gone, None)] // the failed-over INVITE's late 487 or 408: nobody's miss, the media is the next leg's
    public void AFailureResponse(LegPhase phase, LegPhase next, LegActions actions) =>
        Assert.That(LegLifecycle.Refused(phase), Is.EqualTo(new LegStep(next, actions)));

    [TestCase(LegPhase.Ringing, LegPhase.Ringing, None)] // a trunk's 401/407: the owner invites again with credentials
    [TestCase(LegPhase.Cancelling, LegPhase.Gone, Free)] // given up before the challenge came: done, no second INVITE
    [TestCase(LegPhase.Up, LegPhase.Up, None)]
    [TestCase(LegPhase.Gone, LegPhase.Gone, None)]
    public void AChallenge(LegPhase phase, LegPhase next, LegActions actions) =>
        Assert.That(LegLifecycle.Challenged(phase), Is.EqualTo(new LegStep(next, actions)));

    [TestCase(LegPhase.Ringing, LegPhase.Cancelling, Cancel)] // media kept for the 2xx that may cross
    [TestCase(LegPhase.Cancelling, LegPhase.Cancelling, None)] // one CANCEL only
    [TestCase(LegPhase.Up, LegPhase.Gone, Bye | Free)]
    [TestCase(LegPhase.Gone, LegPhase.Gone, None)] // a refused leg withdrawn: its media is already freed
    public void GivingUp(LegPhase phase, LegPhase next, LegActions actions) =>
        Assert.That(LegLifecycle.GiveUp(phase), Is.EqualTo(new LegStep(next, actions)));

    [TestCase(LegPhase.Ringing, LegPhase.Abandoned, None)] // the next trunk rings with the same media; a late answer is still to come
    [TestCase(LegPhase.Cancelling, LegPhase.Gone, Free)]
    [TestCase(LegPhase.Abandoned, LegPhase.Abandoned, None)]
    [TestCase(LegPhase.Gone, LegPhase.Gone, None)]
    public void AFailOverToTheNextTrunk(LegPhase phase, LegPhase next, LegActions actions) =>
        Assert.That(LegLifecycle.FailedOver(phase), Is.EqualTo(new LegStep(next, actions)));

    [Test]
    public void AFailedOverLegNeverFreesTheMediaItHandedOnAndIsAlwaysAckedAndByedWhenItAnswersLate()
    {
        var abandoned = LegLifecycle.FailedOver(LegPhase.Ringing).Phase;
        var steps = new[]
        {
            LegLifecycle.Answered(abandoned, wanted: false, usableCodec: true),
            LegLifecycle.Answered(abandoned, wanted: true, usableCodec: true),
            LegLifecycle.Refused(abandoned),
            LegLifecycle.Challenged(abandoned),
            LegLifecycle.GiveUp(abandoned),
            LegLifecycle.HungUp(abandoned),
        };

        Assert.Multiple(() =>
        {
            Assert.That(steps.Select(s => s.Actions & (Free | Join | Refused | Cancel)), Is.All.EqualTo(None), "no free, join, miss or CANCEL from the table");
            Assert.That(steps[0].Actions, Is.EqualTo(Ack | Bye));
            Assert.That(steps[1].Actions, Is.EqualTo(Ack | Bye), "a late answer is never joined, even were the call to want one");
        });
    }

    [TestCase(LegPhase.Up, LegPhase.Gone, Free)] // their BYE was answered: no BYE of ours
    [TestCase(LegPhase.Ringing, LegPhase.Ringing, None)]
    [TestCase(LegPhase.Gone, LegPhase.Gone, None)]
    public void ThePhoneHangsUp(LegPhase phase, LegPhase next, LegActions actions) =>
        Assert.That(LegLifecycle.HungUp(phase), Is.EqualTo(new LegStep(next, actions)));

    [Test]
    public void EveryPathFreesTheMediaExactlyOnce()
    {
        // Walk every sequence of up to four inputs from Ringing: media is freed at most once, and a
        // leg that is Gone has had it freed.
        var inputs = new Func<LegPhase, LegStep>[]
        {
            p => LegLifecycle.Answered(p, wanted: true, usableCodec: true),
            p => LegLifecycle.Answered(p, wanted: false, usableCodec: true),
            p => LegLifecycle.Answered(p, wanted: true, usableCodec: false),
            LegLifecycle.Refused,
            LegLifecycle.GiveUp,
            LegLifecycle.HungUp,
        };
        var paths = 0;
        void Walk(LegPhase phase, int freed, int cancels, int depth)
        {
            Assert.That(freed, Is.LessThanOrEqualTo(1), "media freed twice");
            Assert.That(cancels, Is.LessThanOrEqualTo(1), "CANCEL sent twice");
            if (phase == LegPhase.Gone)
            {
                Assert.That(freed, Is.EqualTo(1), "a finished leg kept its media");
            }

            paths++;
            if (depth == 4)
            {
                return;
            }

            foreach (var input in inputs)
            {
                var step = input(phase);
                Walk(step.Phase, freed + ((step.Actions & Free) != 0 ? 1 : 0), cancels + ((step.Actions & Cancel) != 0 ? 1 : 0), depth + 1);
            }
        }

        Walk(LegPhase.Ringing, 0, 0, 0);
        Assert.That(paths, Is.GreaterThan(1000));
    }

    [Test]
    public void ALegThatJoinedWasAcked()
    {
        foreach (var phase in Enum.GetValues<LegPhase>())
        {
            foreach (var wanted in new[] { true, false })
            {
                foreach (var usable in new[] { true, false })
                {
                    var step = LegLifecycle.Answered(phase, wanted, usable);
                    if ((step.Actions & Join) != 0)
                    {
                        Assert.That(step.Actions & Ack, Is.EqualTo(Ack));
                        Assert.That(step.Phase, Is.EqualTo(LegPhase.Up));
                    }

                    // A 2xx to an INVITE still pending is always ACKed (RFC 3261 13.2.2.4).
                    if (phase is LegPhase.Ringing or LegPhase.Cancelling or LegPhase.Abandoned)
                    {
                        Assert.That(step.Actions & Ack, Is.EqualTo(Ack), $"{phase} wanted={wanted} usable={usable}");
                    }
                }
            }
        }
    }
}
