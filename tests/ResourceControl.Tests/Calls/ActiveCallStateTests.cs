using System.Net;
using System.Reflection;
using CallCenter.Data.Calls;
using CallCenter.Data.Catalog;
using CallCenter.Ivr.Flows;
using CallCenter.ResourceControl.Calls;
using CallCenter.Telephony;
using CallCenter.Telephony.Codecs;
using CallCenter.Telephony.Rtp;
using CallCenter.Telephony.Transport;
using CallCenter.TestSupport;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>
/// A call's state values (<see cref="ActiveCall.Lifecycle"/>, <see cref="ActiveCall.Profile"/>, <see cref="ActiveCall.Handling"/>)
/// change only through the call's named steps, each one of the pure steps of its value: no room can set them outright.
/// </summary>
public sealed class ActiveCallStateTests
{
    [TestCase(nameof(ActiveCall.Lifecycle))]
    [TestCase(nameof(ActiveCall.Profile))]
    [TestCase(nameof(ActiveCall.Handling))]
    [TestCase(nameof(ActiveCall.Legs))]
    [TestCase(nameof(ActiveCall.IvrPath))]
    [TestCase(nameof(ActiveCall.IvrTrace))]
    [TestCase(nameof(ActiveCall.Queue))]
    [TestCase(nameof(ActiveCall.Waiting))]
    [TestCase(nameof(ActiveCall.VerifiedByPin))]
    [TestCase(nameof(ActiveCall.VerifiedAccount))]
    [TestCase(nameof(ActiveCall.LastPlaybackId))]
    [TestCase(nameof(ActiveCall.AgentLeg))]
    [TestCase(nameof(ActiveCall.ConsultLeg))]
    [TestCase(nameof(ActiveCall.OutsideLeg))]
    [TestCase(nameof(ActiveCall.Monitor))]
    [TestCase(nameof(ActiveCall.Relay))]
    public void AStateValueHasNoSetterOutsideTheCall(string name)
    {
        var setter = typeof(ActiveCall).GetProperty(name, BindingFlags.Public | BindingFlags.Instance)!.SetMethod;

        // An init accessor (the value a call is made with) is allowed; a setter anyone may call later is not.
        var settable = setter is { IsPrivate: false }
            && !setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(System.Runtime.CompilerServices.IsExternalInit));
        Assert.That(settable, Is.False, $"{name} can be set by anyone holding the call");
    }

    [Test]
    public async Task TheCallersStepsMoveTheLifecycleAndEndingCountsOnce()
    {
        var time = new ManualTimeProvider();
        var call = NewCall(time);
        try
        {
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
        finally
        {
            await call.Media.DisposeAsync();
        }
    }

    [Test]
    public async Task HandlingAddsRingAndHoldAndKeepsTheFirstAnswer()
    {
        var time = new ManualTimeProvider();
        var call = NewCall(time);
        try
        {
            var offered = time.GetUtcNow();
            call.Offered("tier Gold");
            call.RingEnded(offered, offered.AddSeconds(4));
            call.AgentAnswered("1001", offered.AddSeconds(5), offered.AddSeconds(7));
            call.Held(3.5);
            call.TakenOverBy("1002");

            Assert.That(call.Handling, Is.EqualTo(new CallHandling("1002", offered.AddSeconds(7), "tier Gold", 6, 3.5)));
        }
        finally
        {
            await call.Media.DisposeAsync();
        }
    }

    [Test]
    public async Task FinishedLegsHandedOutDoNotChangeWhenTheNextLegEnds()
    {
        var time = new ManualTimeProvider();
        var call = NewCall(time);
        try
        {
            var now = time.GetUtcNow();
            call.LegEnded(new CallLeg("agent", "1001", now, null, now.AddSeconds(15), "no-answer"));
            var handedToWrapUp = call.Legs;
            call.LegEnded(new CallLeg("agent", "1002", now.AddSeconds(15), now.AddSeconds(17), now.AddSeconds(90), "completed"));

            Assert.Multiple(() =>
            {
                Assert.That(handedToWrapUp.Select(l => l.Party), Is.EqualTo(new[] { "1001" }), "a list handed out stays as it was");
                Assert.That(call.Legs.Select(l => l.Party), Is.EqualTo(new[] { "1001", "1002" }));
                Assert.That(call.Legs is ICollection<CallLeg> { IsReadOnly: false }, Is.False, "no one can add to it in place");
                Assert.That(call.IvrPath is ICollection<string> { IsReadOnly: false }, Is.False, "nor to the path");
            });
        }
        finally
        {
            await call.Media.DisposeAsync();
        }
    }

    [Test]
    public async Task TheIvrsWalkReplacesThePathAndTraceAndAStepOfAFlowlessCallJoinsIt()
    {
        var time = new ManualTimeProvider();
        var call = NewCall(time);
        try
        {
            var now = time.GetUtcNow();
            var trace = new List<IvrTraceEntry> { new("welcome", now, ""), new("menu", now.AddSeconds(4), "2") };
            call.WalkedIvr(trace);
            trace.Add(new IvrTraceEntry("queue", now.AddSeconds(6), ""));

            Assert.That((string.Join('>', call.IvrPath), call.IvrTrace.Count), Is.EqualTo(("welcome>menu", 2)), "the runtime's own list moving on changes nothing held");

            call.WalkedIvr(trace);
            call.PassedThrough("callback:cb-1");

            Assert.That(string.Join('>', call.IvrPath), Is.EqualTo("welcome>menu>queue>callback:cb-1"));
        }
        finally
        {
            await call.Media.DisposeAsync();
        }
    }

    [Test]
    public async Task ATransferMovesTheWaitButTheRecordKeepsTheQueueTheIvrChose()
    {
        var time = new ManualTimeProvider();
        var call = NewCall(time);
        try
        {
            call.Enqueued("general", call.WaitingOrNew(time.GetUtcNow()) with { Queue = "general" });
            var transferred = call.WaitingOrNew(time.GetUtcNow()) with { Queue = "vip" };
            call.WaitsAs(transferred);

            Assert.That((call.Queue, call.Waiting?.Queue), Is.EqualTo(("general", "vip")));

            call.WaitsAs(null);
            Assert.That((call.Queue, call.Waiting), Is.EqualTo(("general", (CallCenter.ResourceControl.Routing.WaitingCall?)null)), "transferred out of the platform: no wait");
        }
        finally
        {
            await call.Media.DisposeAsync();
        }
    }

    [Test]
    public async Task PlatformPromptIdsRiseFarAboveTheIvrSessions()
    {
        var time = new ManualTimeProvider();
        var call = NewCall(time);
        try
        {
            var first = call.NextPlayback();
            var second = call.NextPlayback();

            Assert.That((first > 1L << 40, second), Is.EqualTo((true, first + 1)));
        }
        finally
        {
            await call.Media.DisposeAsync();
        }
    }

    private static ActiveCall NewCall(ManualTimeProvider time)
    {
        var first = FreePorts.InProcessBlock(2);
        var ports = new RtpPortAllocator(new RtpOptions { PortMin = first, PortMax = first + 1 });
        var media = RtpSession.Open(ports, IPAddress.Loopback, new IPEndPoint(IPAddress.Loopback, 9), new RtpMediaFormat(8, G711Law.ALaw, null), new RtpCounters(), time)!;
        return new ActiveCall("c-id", null, "sip-c-id", "13800000003", "95500", media, new SipRemote(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5060)), time.GetUtcNow())
        {
            Kind = new HotlineCallKind(new Dictionary<string, HotlineRecord>(), _ => true),
        };
    }
}
