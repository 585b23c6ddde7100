using System.Reflection;
using CallCenter.Data.Calls;
using CallCenter.Data.Catalog;
using CallCenter.Ivr.Flows;
using CallCenter.ResourceControl.Calls;
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
    [TestCase(nameof(ActiveCall.Dialog))]
    [TestCase(nameof(ActiveCall.CallbackNumber))]
    [TestCase(nameof(ActiveCall.LastProgress))]
    [TestCase(nameof(ActiveCall.Fax))]
    public void AStateValueHasNoSetterOutsideTheCall(string name)
    {
        var setter = typeof(ActiveCall).GetProperty(name, BindingFlags.Public | BindingFlags.Instance)!.SetMethod;

        // An init accessor (the value a call is made with) is allowed; a setter anyone may call later is not.
        var settable = setter is { IsPrivate: false }
            && !setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(System.Runtime.CompilerServices.IsExternalInit));
        Assert.That(settable, Is.False, $"{name} can be set by anyone holding the call");
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
            Assert.That(call.Legs is ICollection<CallLeg> { IsReadOnly: false }, Is.False, "no one can add to it in place");
            Assert.That(call.IvrPath is ICollection<string> { IsReadOnly: false }, Is.False, "nor to the path");
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

        call.WalkedIvr(trace);
        call.PassedThrough("callback:cb-1");

        Assert.That(string.Join('>', call.IvrPath), Is.EqualTo("welcome>menu>queue>callback:cb-1"));
    }

    [Test]
    public void ATransferMovesTheWaitButTheRecordKeepsTheQueueTheIvrChose()
    {
        var time = new ManualTimeProvider();
        var call = _calls.New(time);
        call.Enqueued("general", call.WaitingOrNew(time.GetUtcNow()) with { Queue = "general" });
        var transferred = call.WaitingOrNew(time.GetUtcNow()) with { Queue = "vip" };
        call.WaitsAs(transferred);

        Assert.That((call.Queue, call.Waiting?.Queue), Is.EqualTo(("general", "vip")));

        call.WaitsAs(null);
        Assert.That((call.Queue, call.Waiting), Is.EqualTo(("general", (CallCenter.ResourceControl.Routing.WaitingCall?)null)), "transferred out of the platform: no wait");
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
}
