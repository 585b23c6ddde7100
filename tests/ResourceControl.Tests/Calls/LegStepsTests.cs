using System.Net;
using System.Reflection;
using CallCenter.ResourceControl.Calls;
using CallCenter.ResourceControl.Outbound;
using CallCenter.Telephony.Media;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>
/// A call's legs (to an agent, a supervisor, an outside number through a trunk) and a callback's attempt change only
/// through their named steps, like the call itself (<see cref="ActiveCallStateTests"/>): no room sets a leg's dialog,
/// hold, relay, outcome or timers outright, and the steps keep what belongs together together.
/// </summary>
public sealed class LegStepsTests
{
    private static readonly DateTimeOffset _t0 = new(2026, 12, 7, 9, 30, 0, TimeSpan.Zero);
    private static readonly SipRemote _phone = new(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5062));
    private static readonly Trunk _trunk = new("carrier", new SipRemote(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5090)), "", "", "95500");

    [TestCase(typeof(OutgoingLeg))]
    [TestCase(typeof(AgentLeg))]
    [TestCase(typeof(TrunkLeg))]
    [TestCase(typeof(MonitorLeg))]
    [TestCase(typeof(CallbackAttempt))]
    [TestCase(typeof(FaxCall))]
    [TestCase(typeof(ActiveCall))]
    public void NothingCanBeSetOutsideItsOwnSteps(Type type)
    {
        // Every public property, inherited ones too: an init accessor (what it is made with) is allowed, a setter is not.
        var settable = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPrivate: false } setter
                && !setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(System.Runtime.CompilerServices.IsExternalInit)))
            .Select(p => p.Name);

        Assert.That(settable, Is.Empty);
    }

    [Test]
    public void AHoldStartsAndAResumeForgetsWhen()
    {
        var leg = Agent();
        leg.Hold(true, _t0);
        var held = (leg.OnHold, leg.HoldStartedAt);
        leg.Hold(false, _t0.AddSeconds(5));

        Assert.Multiple(() =>
        {
            Assert.That(held, Is.EqualTo((true, (DateTimeOffset?)_t0)));
            Assert.That((leg.OnHold, leg.HoldStartedAt), Is.EqualTo((false, (DateTimeOffset?)null)));
        });
    }

    [Test]
    public void AConsultationsRelayIsHandedBackOnceAndTheLegTakesTheCallOver()
    {
        var leg = Agent(consult: true);
        var relay = (new LiveAudio(), new LiveAudio());
        leg.ConsultJoined(relay);
        var first = leg.TakeConsultRelay();
        var second = leg.TakeConsultRelay();
        leg.ConsultEnds();

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(relay), "accounted once");
            Assert.That(second, Is.Null, "not twice");
            Assert.That(leg.IsConsult, Is.False);
        });
    }

    [Test]
    public void OnlyALegThatIsUpJoinsTheCall()
    {
        var leg = Agent();
        Assert.That(() => leg.Joined(null!), Throws.InvalidOperationException, "a ringing leg has no dialog of the call's");
        leg.Take(LegLifecycle.Refused(leg.Phase));
        Assert.That(() => leg.Joined(null!), Throws.InvalidOperationException, "nor a refused one");
    }

    [Test]
    public void AFailedAgentLegSaysWhy()
    {
        var leg = Agent();
        leg.Failed("rejected 486");
        Assert.That(leg.Outcome, Is.EqualTo("rejected 486"));
    }

    [Test]
    public void ATrunkLegRungAgainStopsItsSilenceTimerAndListensAfresh()
    {
        var leg = Outside();
        var firstSpoke = leg.Rings();
        var silence = new CountingTimer();
        leg.WatchesSilence(silence);
        firstSpoke.Mark();
        var secondSpoke = leg.Rings();

        Assert.Multiple(() =>
        {
            Assert.That(silence.Disposed, Is.EqualTo(1), "the first INVITE's timer cannot post for the second");
            Assert.That(leg.SilenceTimer, Is.Null);
            Assert.That(secondSpoke, Is.Not.SameAs(firstSpoke));
            Assert.That(secondSpoke.Yet, Is.False, "the trunk has said nothing to the new INVITE");
        });
    }

    [Test]
    public void OnlyTheTrunksOwnFinalSaysItIsAlive()
    {
        var leg = Outside();
        leg.Rings();
        var silence = new CountingTimer();
        leg.WatchesSilence(silence);
        leg.FinalArrived(synthesized: true);
        var afterOurs = leg.Heard;
        leg.FinalArrived(synthesized: false);

        Assert.Multiple(() =>
        {
            Assert.That(afterOurs, Is.False, "our own 408 is no word of the trunk's");
            Assert.That(leg.Heard, Is.True);
            Assert.That(silence.Disposed, Is.GreaterThanOrEqualTo(1), "the silence timer is done once a final came");
        });
    }

    [Test]
    public void ACompletedConsultationNamesWhereItWasRecordedAndIsTheCallersLegAfter()
    {
        var leg = Outside(consult: true);
        var relay = (new LiveAudio(), new LiveAudio());
        leg.Joined(relay, recordedFrom: 12.5);
        var taken = leg.TakeRelay();
        var recordedFrom = leg.ConsultEnds();

        Assert.Multiple(() =>
        {
            Assert.That(taken, Is.EqualTo(relay));
            Assert.That(leg.Relay, Is.Null);
            Assert.That(recordedFrom, Is.EqualTo(12.5));
            Assert.That((leg.IsConsult, leg.RecordedFrom), Is.EqualTo((false, (double?)null)));
        });
    }

    [Test]
    public void ATrunkChallengeIsAnsweredOnceAndOnlyWhileRinging()
    {
        var leg = Outside();
        leg.ReinviteWithCredentials(leg.Invite);
        var authenticated = leg.Authenticated;
        leg.Take(LegLifecycle.GiveUp(leg.Phase));

        Assert.Multiple(() =>
        {
            Assert.That(authenticated, Is.True, "a second challenge is then a refusal");
            Assert.That(() => leg.ReinviteWithCredentials(leg.Invite), Throws.InvalidOperationException, "a leg being cancelled is not invited again");
        });
    }

    [Test]
    public void ASupervisorsNewModeGetsFreshBuffersForTheirVoice()
    {
        var agent = Agent();
        var leg = new MonitorLeg("1900", null!, _phone, null!, agent, MonitorMix.Whisper, _t0);
        leg.Rewire();
        var (fromCaller, toAgent) = (leg.FromCaller, leg.ToAgent);
        leg.Switch(MonitorMix.Listen);
        leg.Rewire();
        var listening = (leg.ToAgent, leg.ToCaller);
        leg.Switch(MonitorMix.Barge);
        leg.Rewire();

        Assert.Multiple(() =>
        {
            Assert.That(toAgent, Is.Not.Null, "a whisper reaches the agent");
            Assert.That(listening, Is.EqualTo(((LiveAudio?)null, (LiveAudio?)null)), "nobody hears a listening supervisor");
            Assert.That(leg.ToAgent, Is.Not.Null.And.Not.SameAs(toAgent), "no stale whisper plays after a barge");
            Assert.That(leg.ToCaller, Is.Not.Null);
            Assert.That(leg.FromCaller, Is.SameAs(fromCaller), "what the supervisor hears keeps its buffer");
        });
    }

    [Test]
    public void AnAttemptsFirstOutcomeStaysUnlessItIsResolvedOutright()
    {
        var attempt = new CallbackAttempt(null, Outside(), agentOwned: true);
        attempt.ResolveUnlessKnown(CallbackOutcomes.NoUsableCodec);
        attempt.ResolveUnlessKnown(CallbackOutcomes.AgentLeft);
        var kept = attempt.Outcome;
        attempt.Resolve(CallbackOutcomes.Reached);
        attempt.AgentWrappedUpAs("wrong-number");
        attempt.AgentWrappedUpAs("refused");

        Assert.Multiple(() =>
        {
            Assert.That(kept, Is.EqualTo(CallbackOutcomes.NoUsableCodec));
            Assert.That(attempt.Outcome, Is.EqualTo(CallbackOutcomes.Reached));
            Assert.That(attempt.AgentOutcome, Is.EqualTo("wrong-number"), "the first agent's word stays");
        });
    }

    [Test]
    public void AnAttemptsTimersStopWhenReplacedOrWhenTheQuestionEnds()
    {
        var first = Outside();
        var attempt = new CallbackAttempt(null, first, agentOwned: false);
        var ring = new CountingTimer();
        attempt.RingsFor(ring);
        var next = Outside();
        attempt.NextTrunk(next);
        attempt.RingsFor(new CountingTimer());
        attempt.Ask("en");
        var plays = (attempt.PlayQuestion(), attempt.PlayQuestion());
        var firstSilence = new CountingTimer();
        attempt.WaitsForKey(firstSilence);
        var silence = new CountingTimer();
        attempt.WaitsForKey(silence);
        attempt.QuestionEnds(ClientQuestion.Answered);

        Assert.Multiple(() =>
        {
            Assert.That(ring.Disposed, Is.EqualTo(1), "the first trunk's ring timer cannot time out the second's leg");
            Assert.That(attempt.Client, Is.SameAs(next));
            Assert.That((attempt.QuestionLanguage, plays), Is.EqualTo(("en", (1, 2))));
            Assert.That((firstSilence.Disposed, silence.Disposed), Is.EqualTo((1, 1)), "the question's replay stops the last play's timer, the answer the last");
            Assert.That((attempt.Question, attempt.QuestionTimer), Is.EqualTo((ClientQuestion.Answered, (ITimer?)null)));
        });
    }

    private static AgentLeg Agent(bool consult = false) => new("1001", null!, _phone, null!, _t0, consult);

    private static TrunkLeg Outside(bool consult = false) =>
        new(new DialableNumber("13800000001", "+8613800000001", NumberKind.Mobile), _trunk, new SipRequest { Method = SipMethods.Invite, RequestUri = new() { Scheme = "sip", User = "13800000001", Host = "192.0.2.1" } }, null!, _t0, consult);

    private sealed class CountingTimer : ITimer
    {
        public int Disposed { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose() => Disposed++;

        public ValueTask DisposeAsync()
        {
            Disposed++;
            return ValueTask.CompletedTask;
        }
    }
}
