using System.Net;
using System.Security.Cryptography;
using CallCenter.Data.Catalog;
using CallCenter.ResourceControl.Calls;
using CallCenter.ResourceControl.Hosting;
using CallCenter.Telephony;
using CallCenter.Telephony.Codecs;
using CallCenter.Telephony.Media.Audio;
using CallCenter.Telephony.Rtp;
using CallCenter.Telephony.Transport;
using CallCenter.TestSupport;
using Microsoft.Extensions.Logging;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>
/// A call's one recording (<see cref="CallRecording"/>): it starts at the first agent (or at the answer),
/// follows the call from agent to agent, and is completed with its hash; a disk that fails costs the
/// recording, never the call, and is logged with both of the call's ids.
/// </summary>
public sealed class CallRecordingTests
{
    private readonly List<RtpSession> _sessions = [];
    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("callcenter-recording-").FullName;

    [TearDown]
    public async Task CleanUp()
    {
        foreach (var session in _sessions)
        {
            await session.DisposeAsync();
        }

        _sessions.Clear();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task TheFirstAgentStartsTheRecordingNamedByTheCallIdWithTheAgentLeftAndTheCallerRightAndItEndsWithItsHash()
    {
        var call = Call("c-first");
        var agent = Open();
        var recording = new CallRecording(Options(), new CapturedLog());

        recording.Attach(call, agent);

        var recorder = call.Recorder;
        Assert.That(recorder, Is.Not.Null);
        Assert.That(recorder!.Path, Is.EqualTo(Path.Combine(_directory, "c-first.wav")));
        Assert.That(agent.Tap, Is.SameAs(recorder), "the agent's leg is recorded");
        Assert.That(call.Media.Tap, Is.SameAs(recorder), "the caller's leg is recorded");
        for (var tick = 0; tick < 50; tick++)
        {
            recorder.OnFrame(agent, Frame(1000));
            recorder.OnFrame(call.Media, Frame(-3000));
        }

        var (path, sha) = await recording.CompleteAsync(call);

        Assert.That(path, Is.EqualTo(recorder.Path));
        Assert.That(sha, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path!)))));
        var wav = WavFile.Read(path!);
        Assert.That(wav.FrameCount, Is.EqualTo(50 * 160));
        Assert.That(BitConverter.ToInt16(wav.Data, 0), Is.EqualTo(Decoded(1000)), "left: the agent");
        Assert.That(BitConverter.ToInt16(wav.Data, 2), Is.EqualTo(Decoded(-3000)), "right: the caller");
        Assert.That(agent.Tap, Is.Null, "completed: the legs are untapped");
    }

    [Test]
    public async Task TheNextAgentTakesTheLeftChannelOfTheSameRecordingAndTheFirstIsNoLongerRecorded()
    {
        var call = Call("c-next");
        var first = Open();
        var second = Open();
        var recording = new CallRecording(Options(), new CapturedLog());

        recording.Attach(call, first);
        var recorder = call.Recorder;
        recording.Attach(call, second);

        Assert.That(call.Recorder, Is.SameAs(recorder), "one recording per call");
        Assert.That(first.Tap, Is.Null);
        Assert.That(second.Tap, Is.SameAs(recorder));
        recorder!.OnFrame(first, Frame(1000));
        recorder.OnFrame(second, Frame(2000));
        recorder.OnFrame(call.Media, Frame(-3000));
        var (path, _) = await recording.CompleteAsync(call);
        var wav = WavFile.Read(path!);
        Assert.That(BitConverter.ToInt16(wav.Data, 0), Is.EqualTo(Decoded(2000)), "the first agent's frame after the change went nowhere");
    }

    [Test]
    public async Task BetweenTwoAgentsTheLeftChannelIsSilentAndInStep()
    {
        var call = Call("c-detach");
        var agent = Open();
        var recording = new CallRecording(Options(), new CapturedLog());
        recording.Attach(call, agent);
        var recorder = call.Recorder!;

        CallRecording.Detach(call);
        for (var tick = 0; tick < 10; tick++)
        {
            recorder.OnFrame(call.Media, Frame(-3000));
        }

        var (path, sha) = await recording.CompleteAsync(call);

        Assert.That(agent.Tap, Is.Null);
        Assert.That(sha, Is.Not.Null);
        var wav = WavFile.Read(path!);
        Assert.That(wav.FrameCount, Is.EqualTo(10 * 160));
        var samples = Enumerable.Range(0, wav.FrameCount).Select(i => (Left: BitConverter.ToInt16(wav.Data, 4 * i), Right: BitConverter.ToInt16(wav.Data, (4 * i) + 2))).ToList();
        Assert.That(samples.Select(s => s.Left), Is.All.EqualTo(0));
        Assert.That(samples.Select(s => s.Right), Is.All.EqualTo(Decoded(-3000)));
    }

    [Test]
    public void WithoutFromAnswerNothingIsRecordedBeforeAnAgent()
    {
        var call = Call("c-off");
        var recording = new CallRecording(Options(fromAnswer: false), new CapturedLog());

        recording.StartFromAnswer(call);

        Assert.That(call.Recorder, Is.Null);
        Assert.That(call.Media.ReceiveTap, Is.Null);
        Assert.That(Directory.EnumerateFileSystemEntries(_directory), Is.Empty);
    }

    [Test]
    public async Task FromTheAnswerTheCallersVoiceIsOnTheLeftUntilTheFirstAgentAndTheRecordingGoesOn()
    {
        var call = Call("c-answer");
        var agent = Open();
        var recording = new CallRecording(Options(fromAnswer: true), new CapturedLog());

        recording.StartFromAnswer(call);
        var recorder = call.Recorder;
        Assert.That(recorder, Is.Not.Null);
        Assert.That(call.Media.ReceiveTap, Is.SameAs(recorder), "what the caller says is recorded");
        recording.StartFromAnswer(call);
        Assert.That(call.Recorder, Is.SameAs(recorder), "started once");

        recorder!.OnReceived(call.Media, Frame(500));
        recorder.OnFrame(call.Media, Frame(-3000));
        recording.Attach(call, agent);
        Assert.That(call.Recorder, Is.SameAs(recorder), "the agent joins the same recording");
        Assert.That(agent.Tap, Is.SameAs(recorder));
        recorder.OnFrame(agent, Frame(1000));
        recorder.OnFrame(call.Media, Frame(-3000));

        var (path, sha) = await recording.CompleteAsync(call);

        Assert.That(sha, Is.Not.Null);
        var wav = WavFile.Read(path!);
        Assert.That(wav.FrameCount, Is.EqualTo(2 * 160));
        Assert.That(BitConverter.ToInt16(wav.Data, 0), Is.EqualTo(Decoded(500)), "left before the agent: the caller");
        Assert.That(BitConverter.ToInt16(wav.Data, 4 * 160), Is.EqualTo(Decoded(1000)), "left after: the agent");
    }

    [Test]
    public async Task AFileThatCannotBeCreatedCostsTheRecordingNotTheCallAndIsLoggedWithBothIds()
    {
        // Where the file should go there is a folder: creating it fails as a full or read-only disk would.
        Directory.CreateDirectory(Path.Combine(_directory, "c-blocked.wav"));
        var call = Call("c-blocked");
        var agent = Open();
        var log = new CapturedLog();
        var recording = new CallRecording(Options(fromAnswer: true), log);

        Assert.That(() => recording.StartFromAnswer(call), Throws.Nothing);
        Assert.That(() => recording.Attach(call, agent), Throws.Nothing);

        Assert.That(call.Recorder, Is.Null);
        Assert.That(agent.Tap, Is.Null, "nothing left tapped on the legs");
        Assert.That(call.Media.Tap, Is.Null);
        Assert.That(await recording.CompleteAsync(call), Is.EqualTo(((string?)null, (string?)null)), "the record says: no recording");
        AssertLoggedFailure(log, call, times: 2);
    }

    [Test]
    public async Task AFolderThatCannotBeCreatedCostsTheRecordingNotTheCall()
    {
        // The recordings folder's parent is a file: the folder cannot be made.
        var file = Path.Combine(_directory, "not-a-folder");
        await File.WriteAllTextAsync(file, "x");
        var call = Call("c-nofolder");
        var log = new CapturedLog();
        var recording = new CallRecording(new RecordingOptions { Directory = Path.Combine(file, "recordings") }, log);

        Assert.That(() => recording.Attach(call, Open()), Throws.Nothing);

        Assert.That(call.Recorder, Is.Null);
        AssertLoggedFailure(log, call, times: 1);
    }

    [Test]
    public async Task AFileLostBeforeTheEndGivesThePathWithoutAHashAndIsLogged()
    {
        var call = Call("c-lost");
        var agent = Open();
        var log = new CapturedLog();
        var recording = new CallRecording(Options(), log);
        recording.Attach(call, agent);
        call.Recorder!.OnFrame(agent, Frame(1000));
        call.Recorder.OnFrame(call.Media, Frame(1000));

        // Someone (a clean-up script, a full disk's operator) removed the file during the call.
        File.Delete(call.Recorder.Path);
        var (path, sha) = await recording.CompleteAsync(call);

        Assert.That(path, Is.EqualTo(Path.Combine(_directory, "c-lost.wav")), "the record still names where it should be");
        Assert.That(sha, Is.Null, "no hash for a file that is not there");
        AssertLoggedFailure(log, call, times: 1);
    }

    [Test]
    public async Task ADiskThatFillsUpDuringTheCallCostsTheHashNotTheCall()
    {
        if (!File.Exists("/dev/full"))
        {
            Assert.Ignore("needs /dev/full (Linux)");
        }

        // The recording's file is a link to /dev/full: it opens, and every write fails with ENOSPC.
        File.CreateSymbolicLink(Path.Combine(_directory, "c-full.wav"), "/dev/full");
        var call = Call("c-full");
        var agent = Open();
        var log = new CapturedLog();
        var recording = new CallRecording(Options(), log);

        Assert.That(() => recording.Attach(call, agent), Throws.Nothing);
        if (call.Recorder is { } recorder)
        {
            // Opened (the header sits in the file's buffer): a second of audio makes the writer flush.
            for (var tick = 0; tick < 100; tick++)
            {
                recorder.OnFrame(agent, Frame(1000));
                recorder.OnFrame(call.Media, Frame(1000));
            }
        }

        var (_, sha) = await recording.CompleteAsync(call);

        Assert.That(sha, Is.Null);
        AssertLoggedFailure(log, call, times: 1);
    }

    private static void AssertLoggedFailure(CapturedLog log, ActiveCall call, int times)
    {
        var failures = log.Lines.Where(l => l.EventId == 2115).ToList();
        Assert.That(failures, Has.Count.EqualTo(times), string.Join("\n", log.Lines.Select(l => l.Text)));
        Assert.That(failures.Select(l => l.Level), Is.All.EqualTo(LogLevel.Error));
        Assert.That(failures.Select(l => l.Fields["CallId"]), Is.All.EqualTo(call.Id));
        Assert.That(failures.Select(l => l.Fields["SipCallId"]), Is.All.EqualTo(call.CallId));
        Assert.That(failures.Select(l => l.Exception), Is.All.Not.Null);
    }

    private RecordingOptions Options(bool fromAnswer = false) => new() { Directory = _directory, FromAnswer = fromAnswer };

    private ActiveCall Call(string id) =>
        new(id, null, "sip-" + id, "13900000001", "95500", Open(), new SipRemote(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5060)), DateTimeOffset.UnixEpoch)
        {
            Kind = new HotlineCallKind(new Dictionary<string, HotlineRecord>(), _ => true),
        };

    private RtpSession Open()
    {
        var first = FreePorts.InProcessBlock(10); // free now, not a fixed range (other test processes run beside)
        var ports = new RtpPortAllocator(new RtpOptions { PortMin = first, PortMax = first + 9 });
        var session = RtpSession.Open(ports, IPAddress.Loopback, new IPEndPoint(IPAddress.Loopback, 9), new RtpMediaFormat(8, G711Law.ALaw, null), new RtpCounters(), TimeProvider.System)!;
        _sessions.Add(session);
        return session;
    }

    private static byte[] Frame(short value) => Enumerable.Repeat(G711.FromLinear(value, G711Law.ALaw), 160).ToArray();

    private static short Decoded(short value) => G711.ToLinear(G711.FromLinear(value, G711Law.ALaw), G711Law.ALaw);
}
