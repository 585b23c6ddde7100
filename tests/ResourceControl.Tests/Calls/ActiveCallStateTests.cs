using System.Net;
using CallCenter.Data.Calls;
using CallCenter.Data.Catalog;
using CallCenter.Ivr.Flows;
using CallCenter.ResourceControl.Calls;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Transport;
using CallCenter.TestSupport;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>
/// What says where a call stands (its lifecycle, caller profile and handling, its legs ringing or up, its queue entry,
/// its finished legs and IVR path, …) changes only through the call's named steps, the three values among them
/// through their own pure steps: no room can set any of it outright, and a list handed out never changes.
/// </summary>
public sealed class ActiveCallStateTests
{
    private readonly TestCalls _calls = new();

    [TearDown]
    public Task FreeTheCallsPortsAsync() => _calls.DisposeAllAsync();

    [Test]
    public async Task ACallIsRecordedIntoOneFileOnly()
    {
        var time = new ManualTimeProvider();
        var call = _calls.New(time);
        var directory = Directory.CreateTempSubdirectory("cc-records-").FullName;
        try
        {
            var path = Path.Combine(directory, "c-id.wav");
            call.Records(() => Telephony.Media.StereoRecorder.StartFromAnswer(path, call.Media));
            var first = call.Recorder!;
            var started = false;
            try
            {
                Assert.That(() => call.Records(() => { started = true; return Telephony.Media.StereoRecorder.StartFromAnswer(path, call.Media); }), Throws.InvalidOperationException);
                Assert.That(started, Is.False, "refused before a second recorder could overwrite the file or tap the media");
                Assert.That(call.Recorder, Is.SameAs(first));
            }
            finally
            {
                await first.CompleteAsync();
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void TheNumberEntryEndingStopsItsTimer()
    {
        var time = new ManualTimeProvider();
        var call = _calls.New(time);
        call.KeysNumber(CallbackNumberEntry.Start);
        var firstFired = 0;
        var first = time.CreateTimer(_ => firstFired++, null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        call.NumberTimerStarts(first);
        var fired = 0;
        var second = time.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        call.NumberTimerStarts(second);
        call.KeysNumber(null);
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Multiple(() =>
        {
            Assert.That(firstFired, Is.Zero, "a timer a key replaced posts nothing");
            Assert.That(fired, Is.Zero, "a timer of an entry that ended posts nothing");
            Assert.That((call.CallbackNumber, call.CallbackNumberTimer), Is.EqualTo(((CallbackNumberEntry?)null, (ITimer?)null)));
        });
    }

    [Test]
    public void TheCallersStepsMoveTheLifecycleAndEndingCountsOnce()
    {
        var time = new ManualTimeProvider();
        var call = _calls.New(time);
        call.Answer(trusted: true, marked: false);
        var acknowledged = call.StepCaller(CallerInput.Acknowledged);
        var identified = call.StepCaller(CallerInput.Identified);
        var first = call.TryEnd();
        var second = call.TryEnd();

        Assert.Multiple(() =>
        {
            Assert.That(acknowledged, Is.EqualTo(CallerActions.None), "the IVR waits for the directory's answer");
            Assert.That(identified, Is.EqualTo(CallerActions.ApplyIdentity | CallerActions.StartIvr));
            Assert.That(call.Lifecycle, Is.EqualTo(new CallLifecycle(Confirmed: true, Identified: true, Ended: true, Admitted: false, CallerVerified: true)));
            Assert.That((first, second), Is.EqualTo((true, false)), "records and agent effects are done once");
        });
    }

    [Test]
    public void HandlingAddsRingAndHoldAndKeepsTheFirstAnswer()
    {
        var time = new ManualTimeProvider();
        var call = _calls.New(time);
        var offered = time.GetUtcNow();
        call.Offered("tier Gold");
        call.RingEnded(offered, offered.AddSeconds(4));
        call.AgentAnswered("1001", offered.AddSeconds(5), offered.AddSeconds(7));
        call.Held(3.5);
        call.TakenOverBy("1002");

        Assert.That(call.Handling, Is.EqualTo(new CallHandling("1002", offered.AddSeconds(7), "tier Gold", 6, 3.5)));
    }

    [Test]
    public void FinishedLegsHandedOutDoNotChangeWhenTheNextLegEnds()
    {
        var time = new ManualTimeProvider();
        var call = _calls.New(time);
        var now = time.GetUtcNow();
        call.LegEnded(new CallLeg("agent", "1001", now, null, now.AddSeconds(15), "no-answer"));
        var handedToWrapUp = call.Legs;
        call.LegEnded(new CallLeg("agent", "1002", now.AddSeconds(15), now.AddSeconds(17), now.AddSeconds(90), "completed"));

        Assert.Multiple(() =>
        {
            Assert.That(handedToWrapUp.Select(l => l.Party), Is.EqualTo(new[] { "1001" }), "a list handed out stays as it was");
            Assert.That(call.Legs.Select(l => l.Party), Is.EqualTo(new[] { "1001", "1002" }));
            Assert.That(() => ((IList<CallLeg>)call.Legs)[0] = handedToWrapUp[0], Throws.InstanceOf<NotSupportedException>(), "no one can change it in place");
        });
    }

    [Test]
    public void TheIvrsWalkReplacesThePathAndTraceAndAStepOfAFlowlessCallJoinsIt()
    {
        var time = new ManualTimeProvider();
        var call = _calls.New(time);
        var now = time.GetUtcNow();
        var trace = new List<IvrTraceEntry> { new("welcome", now, ""), new("menu", now.AddSeconds(4), "2") };
        call.WalkedIvr(trace);
        trace.Add(new IvrTraceEntry("queue", now.AddSeconds(6), ""));

        Assert.That((string.Join('>', call.IvrPath), call.IvrTrace.Count), Is.EqualTo(("welcome>menu", 2)), "the runtime's own list moving on changes nothing held");
        Assert.That(() => ((IList<string>)call.IvrPath)[0] = "forged", Throws.InstanceOf<NotSupportedException>(), "no one can change the path in place");

        call.WalkedIvr(trace);
        call.PassedThrough("callback:cb-1");

        Assert.That(string.Join('>', call.IvrPath), Is.EqualTo("welcome>menu>queue>callback:cb-1"));
    }

    [Test]
    public void ATransferMovesTheWaitButTheRecordKeepsTheQueueTheIvrChose()
    {
        var time = new ManualTimeProvider();
        var call = _calls.New(time);
        // WaitingOrNew names "general" for a call that never queued: the IVR's queue here is another one.
        call.Enqueued("vip", call.WaitingOrNew(time.GetUtcNow()) with { Queue = "vip" });
        Assert.That((call.Queue, call.Waiting?.Queue), Is.EqualTo(("vip", "vip")));

        call.WaitsAs(call.WaitingOrNew(time.GetUtcNow()) with { Queue = "sales" });
        Assert.That((call.Queue, call.Waiting?.Queue), Is.EqualTo(("vip", "sales")), "the wait moves, the record keeps the IVR's queue");

        call.WaitsAs(null);
        Assert.That((call.Queue, call.Waiting), Is.EqualTo(("vip", (CallCenter.ResourceControl.Routing.WaitingCall?)null)), "transferred out of the platform: no wait");
    }

    [Test]
    public void AVerifiedPinNamesItsAccount()
    {
        var call = _calls.New(new ManualTimeProvider());
        Assert.That((call.VerifiedByPin, call.VerifiedAccount), Is.EqualTo((false, (string?)null)));

        call.PinVerified("880000000002");

        Assert.That((call.VerifiedByPin, call.VerifiedAccount), Is.EqualTo((true, "880000000002")));
    }

    [Test]
    public void AConsultedAgentsLegRingsBesideTheCallsOwnAndIsNotItsOffer()
    {
        var time = new ManualTimeProvider();
        var call = _calls.New(time);
        var own = AgentLegOf(call, "1001", consult: false, time);
        var consulted = AgentLegOf(call, "1002", consult: true, time);

        call.AgentRung(own, "tier Gold");
        call.AgentRung(consulted, "consult");

        Assert.That((call.AgentLeg, call.ConsultLeg, call.Handling.RoutingReason), Is.EqualTo((own, consulted, "tier Gold")));
    }

    [Test]
    public void AnAttendedTransferMakesTheConsultedLegTheCallsAgentLegInOneStep()
    {
        var time = new ManualTimeProvider();
        var call = _calls.New(time);
        var first = AgentLegOf(call, "1001", consult: false, time);
        var consulted = AgentLegOf(call, "1002", consult: true, time);
        call.AgentRung(first, "tier Gold");
        call.AgentRung(consulted, "consult");
        call.Bridged(new Telephony.Media.LiveAudio(), new Telephony.Media.LiveAudio());

        call.ConsultedTakesOver(consulted);

        Assert.That((call.AgentLeg, call.ConsultLeg, call.Relay, consulted.IsConsult), Is.EqualTo((consulted, (AgentLeg?)null, ((Telephony.Media.LiveAudio, Telephony.Media.LiveAudio)?)null, false)));
    }

    [Test]
    public void PlatformPromptIdsRiseFarAboveTheIvrSessions()
    {
        var time = new ManualTimeProvider();
        var call = _calls.New(time);
        var first = call.NextPlayback();
        var second = call.NextPlayback();

        Assert.That((first > 1L << 40, second), Is.EqualTo((true, first + 1)));
    }

    // An agent's leg as the rooms make one: an INVITE to the phone, the call's own media (nothing is sent in these tests).
    private static AgentLeg AgentLegOf(ActiveCall call, string extension, bool consult, ManualTimeProvider time) =>
        new(
            extension,
            new SipRequest { Method = SipMethods.Invite, RequestUri = new() { Scheme = "sip", User = extension, Host = "127.0.0.1", Port = 5062 } },
            new SipRemote(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5062)),
            call.Media,
            time.GetUtcNow(),
            consult);
}
