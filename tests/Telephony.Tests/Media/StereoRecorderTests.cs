using System.Net;
using System.Security.Cryptography;
using CallCenter.Telephony.Codecs;
using CallCenter.Telephony.Media;
using CallCenter.Telephony.Media.Audio;
using CallCenter.Telephony.Rtp;

namespace CallCenter.Telephony.Tests.Media;

public sealed class StereoRecorderTests
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("callcenter-recorder-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private static RtpSession Open(RtpPortAllocator ports, G711Law law) =>
        RtpSession.Open(ports, IPAddress.Loopback, new IPEndPoint(IPAddress.Loopback, 0), new RtpMediaFormat(law == G711Law.MuLaw ? 0 : 8, law, null), new RtpCounters(), TimeProvider.System)!;

    private static byte[] Frame(short value, G711Law law) => Enumerable.Repeat(G711.FromLinear(value, law), 160).ToArray();

    [Test]
    public async Task EachLegsFramesGoToItsChannelAndTheFileLastsAsLongAsTheFramesWithItsHash()
    {
        var ports = new RtpPortAllocator(new RtpOptions { PortMin = 41000, PortMax = 41999 });
        await using var agentLeg = Open(ports, G711Law.ALaw);
        await using var callerLeg = Open(ports, G711Law.MuLaw);
        var path = Path.Combine(_directory, "sub", "call.wav");
        var recorder = StereoRecorder.Start(path, left: agentLeg, right: callerLeg);

        for (var tick = 0; tick < 100; tick++)
        {
            recorder.OnFrame(agentLeg, Frame(1000, G711Law.ALaw));
            recorder.OnFrame(callerLeg, Frame(-3000, G711Law.MuLaw));
        }

        var (sha, seconds) = await recorder.CompleteAsync();
        var wav = WavFile.Read(path);

        Assert.That(seconds, Is.EqualTo(2.0));
        Assert.That(wav.Format, Is.EqualTo(WavFormat.Recording));
        Assert.That(wav.Data.Length, Is.EqualTo(100 * 160 * 4));
        Assert.That(BitConverter.ToInt16(wav.Data, 0), Is.EqualTo(G711.ToLinear(G711.FromLinear(1000, G711Law.ALaw), G711Law.ALaw)));
        Assert.That(BitConverter.ToInt16(wav.Data, 2), Is.EqualTo(G711.ToLinear(G711.FromLinear(-3000, G711Law.MuLaw), G711Law.MuLaw)));
        Assert.That(sha, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))));
        Assert.That(agentLeg.Tap, Is.Null, "the legs are untapped when recording ends");
    }

    [Test]
    public async Task ARightChannelGivenToAnotherLegTakesItsFramesUntilItIsGivenBackAndTheLegsAreUntapped()
    {
        var ports = new RtpPortAllocator(new RtpOptions { PortMin = 41000, PortMax = 41999 });
        await using var agentLeg = Open(ports, G711Law.ALaw);
        await using var callerLeg = Open(ports, G711Law.ALaw);
        await using var consultedLeg = Open(ports, G711Law.ALaw);
        var path = Path.Combine(_directory, "consult.wav");
        var recorder = StereoRecorder.Start(path, agentLeg, callerLeg);
        void Tick(int ticks, short caller)
        {
            for (var tick = 0; tick < ticks; tick++)
            {
                recorder.OnFrame(agentLeg, Frame(1000, G711Law.ALaw));
                recorder.OnFrame(callerLeg, Frame(caller, G711Law.ALaw));
                recorder.OnFrame(consultedLeg, Frame(-2000, G711Law.ALaw));
            }
        }

        Tick(10, caller: 500);
        recorder.ReplaceRight(consultedLeg); // a consultation: what the consulted party hears instead of the hold music
        var consulting = (callerLeg.Tap, consultedLeg.Tap);
        Tick(10, caller: 9000);
        recorder.ReplaceRight(callerLeg);
        recorder.ReplaceRight(callerLeg); // the same leg again: a no-op
        Tick(10, caller: 500);
        await recorder.CompleteAsync();
        var wav = WavFile.Read(path);
        short Right(int frame) => BitConverter.ToInt16(wav.Data, (4 * frame) + 2);

        Assert.Multiple(() =>
        {
            Assert.That(wav.Data.Length, Is.EqualTo(30 * 160 * 4), "no frame lost or doubled across the changes");
            Assert.That(consulting, Is.EqualTo(((IRtpFrameTap?)null, (IRtpFrameTap?)recorder)), "only the right channel's leg is tapped");
            Assert.That(Right(5 * 160), Is.EqualTo(G711.ToLinear(G711.FromLinear(500, G711Law.ALaw), G711Law.ALaw)));
            Assert.That(Right(15 * 160), Is.EqualTo(G711.ToLinear(G711.FromLinear(-2000, G711Law.ALaw), G711Law.ALaw)), "the consulted leg's frames");
            Assert.That(Right(25 * 160), Is.EqualTo(G711.ToLinear(G711.FromLinear(500, G711Law.ALaw), G711Law.ALaw)), "the caller's again");
            Assert.That((callerLeg.Tap, consultedLeg.Tap, agentLeg.Tap), Is.EqualTo(((IRtpFrameTap?)null, (IRtpFrameTap?)null, (IRtpFrameTap?)null)), "all untapped at the end");
        });
    }

    [Test]
    public async Task WhileRecordingTheFileOnDiskSaysEachWholeSecondItHolds()
    {
        var ports = new RtpPortAllocator(new RtpOptions { PortMin = 41000, PortMax = 41999 });
        await using var agentLeg = Open(ports, G711Law.ALaw);
        await using var callerLeg = Open(ports, G711Law.ALaw);
        var path = Path.Combine(_directory, "live.wav");
        var recorder = StereoRecorder.Start(path, agentLeg, callerLeg);

        // 2.5 s of frames: a process killed now must leave a file that says at least 2 s of audio.
        for (var tick = 0; tick < 125; tick++)
        {
            recorder.OnFrame(agentLeg, Frame(1000, G711Law.ALaw));
            recorder.OnFrame(callerLeg, Frame(-1000, G711Law.ALaw));
        }

        var deadline = DateTime.UtcNow.AddSeconds(5);
        var seconds = 0.0;
        while (seconds < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var wav = WavFile.Read(file);
            seconds = wav.Data.Length / (double)wav.Format.ByteRate;
        }

        Assert.That(seconds, Is.EqualTo(2.0), "the header rewritten each second, the audio handed to the OS with it");
        await recorder.CompleteAsync();
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task TheRecordingAndTheFolderItMadeAreTheUsersAlone()
    {
        var ports = new RtpPortAllocator(new RtpOptions { PortMin = 41000, PortMax = 41999 });
        await using var agentLeg = Open(ports, G711Law.ALaw);
        await using var callerLeg = Open(ports, G711Law.ALaw);
        var path = Path.Combine(_directory, "made", "call.wav");
        var recorder = StereoRecorder.Start(path, agentLeg, callerLeg);
        recorder.OnFrame(agentLeg, Frame(1000, G711Law.ALaw));
        await recorder.CompleteAsync();

        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(File.GetUnixFileMode(Path.GetDirectoryName(path)!), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
    }

    [Test]
    public async Task WhileMutedBothChannelsAreSilentAndAShorterChannelIsPaddedAtTheEnd()
    {
        var ports = new RtpPortAllocator(new RtpOptions { PortMin = 42000, PortMax = 42999 });
        await using var agentLeg = Open(ports, G711Law.ALaw);
        await using var callerLeg = Open(ports, G711Law.ALaw);
        var path = Path.Combine(_directory, "muted.wav");
        var recorder = StereoRecorder.Start(path, agentLeg, callerLeg);

        recorder.Muted = true;
        recorder.OnFrame(agentLeg, Frame(5000, G711Law.ALaw));
        recorder.OnFrame(callerLeg, Frame(5000, G711Law.ALaw));
        recorder.Muted = false;
        recorder.OnFrame(agentLeg, Frame(5000, G711Law.ALaw));
        var (_, seconds) = await recorder.CompleteAsync();
        var samples = WavFile.Read(path).Data;

        Assert.That(seconds, Is.EqualTo(0.04));
        Assert.That(Enumerable.Range(0, 320).Select(i => BitConverter.ToInt16(samples, 2 * i)), Has.All.EqualTo(0), "the masked entry is silence");
        Assert.That(BitConverter.ToInt16(samples, 4 * 160), Is.Not.Zero, "the left channel after unmuting");
        Assert.That(BitConverter.ToInt16(samples, (4 * 160) + 2), Is.Zero, "the missing right frame is padded with silence");
    }
}
