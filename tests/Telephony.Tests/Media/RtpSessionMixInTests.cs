using System.Net;
using CallCenter.Telephony.Codecs;
using CallCenter.Telephony.Media;
using CallCenter.Telephony.Rtp;

namespace CallCenter.Telephony.Tests.Media;

/// <summary>
/// A leg's mix-in (a supervisor's voice) on the clock: added to what the leg sends, and seen by the
/// recording tap or not as asked, so a whisper stays out of the recording's caller channel.
/// </summary>
public sealed class RtpSessionMixInTests
{
    private static readonly byte[] _frame = Enumerable.Repeat(G711.FromLinear(2000, G711Law.ALaw), 160).ToArray();

    private static RtpSession Open(RtpPortAllocator ports) =>
        RtpSession.Open(ports, IPAddress.Loopback, new IPEndPoint(IPAddress.Loopback, 0), new RtpMediaFormat(8, G711Law.ALaw, null), new RtpCounters(), TimeProvider.System)!;

    private static LiveAudio Filled(short level)
    {
        var live = new LiveAudio();
        var frame = Enumerable.Repeat(G711.FromLinear(level, G711Law.ALaw), 160).ToArray();
        for (var i = 0; i < 4; i++)
        {
            live.Write(frame, G711Law.ALaw);
        }

        return live;
    }

    [TestCase(false, 1000, TestName = "AMixInNotRecordedIsAddedAfterTheTapSawTheFrame")]
    [TestCase(true, 3000, TestName = "ARecordedMixInIsInTheFrameTheTapSees")]
    public async Task TheTapSeesTheFrameBeforeOrAfterTheMix(bool recorded, int tapped)
    {
        var ports = new RtpPortAllocator(new RtpOptions { PortMin = 43000, PortMax = 43099 });
        await using var leg = Open(ports);
        var tap = new Capture();
        leg.Tap = tap;
        leg.Player.SetLive(Filled(1000));
        leg.SetMixIn(Filled(2000), recorded);

        leg.OnTick(1);

        Assert.That(tap.Frames, Has.Count.EqualTo(1));
        Assert.That(tap.Frames[0].Select(c => (int)G711.ToLinear(c, G711Law.ALaw)), Has.All.EqualTo(tapped).Within(70));
        Assert.That(leg.MixIn, Is.Not.Null);
    }

    [Test]
    public async Task WithoutAMixInTheLegPlaysItsLiveSourceAlone()
    {
        var ports = new RtpPortAllocator(new RtpOptions { PortMin = 43100, PortMax = 43199 });
        await using var leg = Open(ports);
        var tap = new Capture();
        leg.Tap = tap;
        leg.Player.SetLive(Filled(1000));
        leg.SetMixIn(Filled(2000), recorded: true);
        leg.SetMixIn(null, recorded: true);

        leg.OnTick(1);

        Assert.That(tap.Frames[0].Select(c => (int)G711.ToLinear(c, G711Law.ALaw)), Has.All.EqualTo(1000).Within(40));
    }

    [Test]
    public void ASilentMixInSourceLeavesTheFrameAlone()
    {
        var frame = _frame.ToArray();
        PcmMixer.MixInto(frame, Enumerable.Repeat(G711.Silence(G711Law.ALaw), 160).ToArray(), G711Law.ALaw);

        Assert.That(frame, Is.EqualTo(_frame));
    }

    private sealed class Capture : IRtpFrameTap
    {
        public List<byte[]> Frames { get; } = [];

        public void OnFrame(RtpSession session, ReadOnlySpan<byte> payload) => Frames.Add(payload.ToArray());
    }
}
