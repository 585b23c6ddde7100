using System.Net;
using CallCenter.Data.Calls;
using CallCenter.Data.Catalog;
using CallCenter.Ivr.Flows;
using CallCenter.Ivr.Prompts;
using CallCenter.ResourceControl.Calls;
using CallCenter.ResourceControl.Queues;
using CallCenter.ResourceControl.Routing;
using CallCenter.Telephony;
using CallCenter.Telephony.Codecs;
using CallCenter.Telephony.Media;
using CallCenter.Telephony.Rtp;
using CallCenter.Telephony.Transport;
using CallCenter.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>
/// The IVR on a call (<see cref="IvrCallRunner"/>): the session's actions become prompts on the caller's
/// leg, timers that post to the call's mailbox, a place in a queue, back-office requests and the call's
/// ending; keys are only posted; the record's path and a masked entry's silence follow the session; a
/// step that fails reaches the call's loop (which ends the call) and the hang-up after it never throws.
/// </summary>
public sealed class IvrCallRunnerTests
{
    private const string Flow = """
        {
          "id": "t",
          "start": "menu",
          "nodes": {
            "menu": { "type": "menu", "prompts": ["main-menu"], "keys": { "1": "bye", "2": "agent", "3": "account" }, "timeout": 5, "retries": 0, "onFailure": "bye" },
            "bye": { "type": "hangup", "prompts": ["goodbye"], "reason": "test-done" },
            "agent": { "type": "queue", "queue": "general", "priority": 5 },
            "account": { "type": "collect", "prompts": ["enter-account"], "variable": "account", "minDigits": 3, "maxDigits": 3, "next": "pin" },
            "pin": { "type": "collect", "prompts": ["enter-pin"], "variable": "pin", "masked": true, "minDigits": 3, "maxDigits": 3, "next": "verify" },
            "verify": { "type": "backOffice", "operation": "verifyPin", "results": { "verified": "bye", "wrong": "bye" }, "default": "bye", "timeout": 10 }
          }
        }
        """;

    private static readonly string _promptRoot = Path.Combine(Fixtures.RepositoryRoot, "config", "prompts");
    private static readonly Lazy<PromptLibrary> _prompts = new(() => new PromptLibrary(_promptRoot));
    private static readonly Lazy<IvrFlowSet> _flows = new(() => IvrFlowLoader.Load([("flows/t.json", Flow)], IvrPromptCatalog.FromDirectory(_promptRoot)));

    // NUnit keeps one instance for the fixture's tests: each test gets fresh ones in SetUp.
    private ManualTimeProvider _time = null!;
    private List<CallEvent> _posted = null!;
    private CapturedLog _log = null!;
    private AcdQueues _queues = null!;
    private ActiveCall _call = null!;
    private string _directory = "";

    [SetUp]
    public void SetUp()
    {
        _time = new ManualTimeProvider();
        _posted = [];
        _log = new CapturedLog();
        _queues = new AcdQueues(new RoutingOptions { AnnouncementSeconds = 0 }, _time, NullLogger<AcdQueues>.Instance);
        var first = FreePorts.InProcessBlock(10); // free now, not a fixed range (other test processes run beside)
        var ports = new RtpPortAllocator(new RtpOptions { PortMin = first, PortMax = first + 9 });
        var media = RtpSession.Open(ports, IPAddress.Loopback, new IPEndPoint(IPAddress.Loopback, 9), new RtpMediaFormat(8, G711Law.ALaw, null), new RtpCounters(), _time)!;
        _call = new ActiveCall("c-ivr", null, "sip-c-ivr", "13900000001", "t", media, new SipRemote(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5060)), _time.GetUtcNow())
        {
            Kind = new HotlineCallKind(new Dictionary<string, HotlineRecord>(), _ => true),
        };
        _directory = Directory.CreateTempSubdirectory("callcenter-ivr-").FullName;
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_call.Recorder is { } recorder)
        {
            await recorder.CompleteAsync();
        }

        await _call.Media.DisposeAsync();
        _queues.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public void TheFlowStartsWithItsFirstPromptOnTheCallersLegAndThePathOnTheCall()
    {
        var runner = Runner();

        Assert.That(runner.Start(), Is.Null, "the flow goes on");

        Assert.That(_call.Media.Player.Current, Is.GreaterThan(0), "the menu's prompt is playing");
        Assert.That(_call.IvrPath, Is.EqualTo(new[] { "t.menu" }));
        Assert.That(_posted, Is.Empty);
    }

    [Test]
    public void KeysAndPromptEndsFromTheMediaThreadsAreOnlyPosted()
    {
        var runner = Runner();
        runner.Start();
        IRtpSessionEvents media = runner;

        media.OnDigit(_call.Media, '2');
        media.OnPlaybackFinished(_call.Media, 7);

        Assert.That(_posted, Is.EqualTo(new CallEvent[] { new CallEvent.Digit('2'), new CallEvent.PlaybackFinished(7) }));
        Assert.That(_call.Queue, Is.Null, "nothing happened to the call: its loop takes the events");
        Assert.That(_call.IvrPath, Is.EqualTo(new[] { "t.menu" }));
    }

    [Test]
    public void AKeyStopsThePromptAndTheQueueStepPutsTheCallerInTheQueueNamingBothIds()
    {
        var runner = Runner();
        runner.Start();

        Assert.That(runner.Handle(new IvrEvent.Digit('2')), Is.Null);

        Assert.That(_call.Media.Player.Current, Is.Zero, "barge-in stopped the menu's prompt");
        Assert.That(_call.Queue, Is.EqualTo("general"));
        Assert.That(_call.Waiting, Is.Not.Null);
        Assert.That(_call.Waiting!.Id, Is.EqualTo("c-ivr"));
        Assert.That(_call.Waiting.SipCallId, Is.EqualTo("sip-c-ivr"));
        Assert.That(_call.Waiting.Caller, Is.EqualTo("13900000001"));
        Assert.That(_call.Waiting.PriorityHint, Is.EqualTo(5));
        Assert.That(_call.Waiting.Language, Is.EqualTo("zh"));
        Assert.That(_queues.Load("general").Waiting, Is.EqualTo(1));
        Assert.That(_posted.OfType<CallEvent.Announce>(), Is.Not.Empty, "the queue's announcement comes back through the mailbox");
        Assert.That(_call.IvrPath, Is.EqualTo(new[] { "t.menu", "t.agent" }));
        var queued = _log.Lines.Single(l => l.EventId == 2400);
        Assert.That(queued.Fields["CallId"], Is.EqualTo("c-ivr"));
        Assert.That(queued.Fields["SipCallId"], Is.EqualTo("sip-c-ivr"));
    }

    [Test]
    public void TheMenusTimerFiresThroughTheMailboxAndTheFlowsHangUpIsTheCallsEnding()
    {
        var runner = Runner();
        runner.Start();
        runner.Handle(new IvrEvent.PlaybackFinished(_call.Media.Player.Current));

        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.That(_posted, Is.Empty, "the menu waits its 5 s");
        _time.Advance(TimeSpan.FromSeconds(0.2));
        var fired = _posted.OfType<CallEvent.IvrTimerFired>().Single();

        Assert.That(runner.Handle(new IvrEvent.TimerFired(fired.TimerId)), Is.Null, "the goodbye plays first");
        Assert.That(_call.IvrPath, Is.EqualTo(new[] { "t.menu", "t.bye" }));
        var ending = runner.Handle(new IvrEvent.PlaybackFinished(_call.Media.Player.Current));

        Assert.That(ending, Is.EqualTo(CallDisposition.IvrHangUp("test-done")));
    }

    [Test]
    public void TheHangUpStopsEveryTimerAndTheSessionTakesNothingAfterIt()
    {
        var runner = Runner();
        runner.Start();
        runner.Handle(new IvrEvent.PlaybackFinished(_call.Media.Player.Current));

        runner.CallerHungUp();
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.That(_posted, Is.Empty, "no timer fired after the call ended");
        Assert.That(runner.Handle(new IvrEvent.Digit('2')), Is.Null);
        Assert.That(_call.Queue, Is.Null, "a late key changes nothing");
        Assert.That(_queues.Load("general").Waiting, Is.Zero);
    }

    [Test]
    public void AMaskedEntryIsSilenceOnTheRecordingAndStarsInTheTrace()
    {
        var recorder = StereoRecorder.StartFromAnswer(Path.Combine(_directory, "c-ivr.wav"), _call.Media);
        _call.Records(() => recorder);
        var runner = Runner();
        runner.Start();

        Press(runner, "3");
        Assert.That(recorder.Muted, Is.False, "the account number is heard");
        Press(runner, "123");
        Assert.That(recorder.Muted, Is.True, "the PIN's node is silent from its start");
        Press(runner, "456");
        Assert.That(recorder.Muted, Is.False, "and heard again after it");

        Assert.That(_call.IvrTrace.Select(t => (t.Node, t.Keys)), Is.EqualTo(new[] { ("t.menu", "3"), ("t.account", "123"), ("t.pin", "***"), ("t.verify", "") }));
    }

    [Test]
    public void WithoutSelfServiceABackOfficeStepIsAnsweredErrorThroughTheMailbox()
    {
        var runner = Runner();
        runner.Start();
        Press(runner, "3123456");

        var answer = _posted.OfType<CallEvent.IvrAnswered>().Single().Answer;
        Assert.That(answer.Result, Is.EqualTo("error"));
        runner.Handle(answer);

        Assert.That(_call.VerifiedByPin, Is.False);
        Assert.That(_call.IvrPath[^1], Is.EqualTo("t.bye"));
    }

    [Test]
    public void TheBackOfficesVerifiedMakesTheCallerVerifiedForTheAccountKeyed()
    {
        var runner = Runner();
        runner.Start();
        Press(runner, "3123456");
        var request = _posted.OfType<CallEvent.IvrAnswered>().Single().Answer.RequestId;

        runner.Handle(Verified(request + 1));
        Assert.That(_call.VerifiedByPin, Is.False, "an answer to another request verifies nothing");
        runner.Handle(Verified(request));

        Assert.That(_call.VerifiedByPin, Is.True);
        Assert.That(_call.VerifiedAccount, Is.EqualTo("123"));
    }

    [Test]
    public void AVerifiedThatComesAfterTheStepGaveUpVerifiesNothing()
    {
        var runner = Runner();
        runner.Start();
        Press(runner, "3123456");
        var request = _posted.OfType<CallEvent.IvrAnswered>().Single().Answer.RequestId;

        // The back office did not answer within the node's 10 s: the step goes on as "error".
        _time.Advance(TimeSpan.FromSeconds(10));
        var timeout = _posted.OfType<CallEvent.IvrTimerFired>().Single();
        runner.Handle(new IvrEvent.TimerFired(timeout.TimerId));
        runner.Handle(Verified(request));

        Assert.That(_call.VerifiedByPin, Is.False);
        Assert.That(_call.VerifiedAccount, Is.Null);
    }

    [Test]
    public void AStepThatThrowsReachesTheCallsLoopWithThePathShownAndTheHangUpAfterItIsQuiet()
    {
        // The step's effect fails (here: the mailbox refuses the back office's answer by throwing).
        var runner = Runner(e => e is CallEvent.IvrAnswered ? throw new InvalidOperationException("mailbox gone") : Record(e));
        runner.Start();
        Press(runner, "3123");

        Assert.That(() => runner.Handle(new IvrEvent.Digit('4')), Throws.Nothing);
        Assert.That(() => Press(runner, "56"), Throws.InvalidOperationException, "the loop sees the failure and ends the call");
        Assert.That(_call.IvrPath[^1], Is.EqualTo("t.verify"), "the record shows where the flow was");

        // The loop ends the call: the IVR's hang-up neither throws nor leaves a timer behind.
        Assert.That(() => runner.CallerHungUp(), Throws.Nothing);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.That(_posted.OfType<CallEvent.IvrTimerFired>(), Is.Empty);
    }

    [Test]
    public void AHangUpOnASessionThatNeverStartedIsLoggedWithBothIdsNotThrownSoTheCallStillTearsDown()
    {
        // The flow failed before its session started (the endpoint then hangs up as "ivr-failed"): the
        // tear-down's hang-up must not throw, or the call's media and record would be left behind.
        var runner = Runner();

        Assert.That(() => runner.CallerHungUp(), Throws.Nothing);

        var line = _log.Lines.Single(l => l.EventId == 9057);
        Assert.That(line.Level, Is.EqualTo(LogLevel.Warning));
        Assert.That(line.Fields["CallId"], Is.EqualTo("c-ivr"));
        Assert.That(line.Fields["SipCallId"], Is.EqualTo("sip-c-ivr"));
        Assert.That(line.Exception, Is.TypeOf<InvalidOperationException>());
        Assert.That(runner.Handle(new IvrEvent.Digit('1')), Is.Null, "and it takes nothing after");
    }

    private IvrCallRunner Runner(Func<CallEvent, PostOutcome>? post = null)
    {
        var session = new IvrSession(_flows.Value, "t", new IvrCallContext(_call.Caller, _call.Dialed));
        return new IvrCallRunner(_call, session, _prompts.Value, _queues, _time, post ?? Record, _log);
    }

    private PostOutcome Record(CallEvent e)
    {
        _posted.Add(e);
        return PostOutcome.Posted;
    }

    private static void Press(IvrCallRunner runner, string keys)
    {
        foreach (var key in keys)
        {
            runner.Handle(new IvrEvent.Digit(key));
        }
    }

    private static IvrEvent.Answered Verified(long request) => new(request, "verified", new Dictionary<string, string>(), []);
}
