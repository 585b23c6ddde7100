using CallCenter.Telephony.Codecs;
using CallCenter.Telephony.Media;

namespace CallCenter.Telephony.Tests.Media;

public sealed class LiveAudioTests
{
    private static byte[] Frame(short value, G711Law law, int samples = 160) => Enumerable.Repeat(G711.FromLinear(value, law), samples).ToArray();

    [Test]
    public void NothingPlaysUntilTwoFramesAreBufferedThenFramesComeOutInOrder()
    {
        var live = new LiveAudio();
        var output = new byte[160];

        live.Write(Frame(1000, G711Law.ALaw), G711Law.ALaw);
        var early = live.TryRead(output, G711Law.ALaw);
        live.Write(Frame(-2000, G711Law.ALaw), G711Law.ALaw);
        var first = live.TryRead(output, G711Law.ALaw) ? output.ToArray() : null;
        var second = live.TryRead(output, G711Law.ALaw) ? output.ToArray() : null;

        Assert.That(early, Is.False);
        Assert.That(first, Has.All.EqualTo(G711.FromLinear(1000, G711Law.ALaw)));
        Assert.That(second, Has.All.EqualTo(G711.FromLinear(-2000, G711Law.ALaw)));
        Assert.That((live.SamplesIn, live.SamplesOut, live.SamplesDropped), Is.EqualTo((320L, 320L, 0L)));
    }

    [Test]
    public void AudioIsTranscodedBetweenLaws()
    {
        var live = new LiveAudio();
        var output = new byte[160];
        live.Write(Frame(4000, G711Law.ALaw, 320), G711Law.ALaw);

        Assert.That(live.TryRead(output, G711Law.MuLaw), Is.True);
        var decoded = G711.ToLinear(output[0], G711Law.MuLaw);
        Assert.That(decoded, Is.EqualTo(4000).Within(150));
    }

    [Test]
    public void RunningDryCountsAnUnderrunAndWaitsForTheBufferToFillAgain()
    {
        var live = new LiveAudio();
        var output = new byte[160];
        live.Write(Frame(100, G711Law.MuLaw, 320), G711Law.MuLaw);
        live.TryRead(output, G711Law.MuLaw);
        live.TryRead(output, G711Law.MuLaw);

        var dry = live.TryRead(output, G711Law.MuLaw);
        live.Write(Frame(100, G711Law.MuLaw), G711Law.MuLaw);
        var oneFrameOnly = live.TryRead(output, G711Law.MuLaw);
        live.Write(Frame(100, G711Law.MuLaw), G711Law.MuLaw);
        var refilled = live.TryRead(output, G711Law.MuLaw);

        Assert.That((dry, oneFrameOnly, refilled), Is.EqualTo((false, false, true)));
        Assert.That(live.Underruns, Is.EqualTo(1));
    }

    [Test]
    public void AWriterFarAheadOfTheReaderLosesTheOldestAudioAndTheDelayWithIt()
    {
        var live = new LiveAudio();
        for (var i = 0; i < 20; i++)
        {
            live.Write(Frame((short)(i * 500), G711Law.ALaw), G711Law.ALaw);
        }

        var output = new byte[160];
        live.TryRead(output, G711Law.ALaw);

        // 3,200 samples in: the backlog over 200 ms is cut to the 40 ms prefill (frames 18-19), of
        // which one frame is read.
        Assert.That(live.SamplesDropped, Is.EqualTo((20 * 160) - LiveAudio.PrefillSamples));
        Assert.That(output, Has.All.EqualTo(G711.FromLinear(9000, G711Law.ALaw)), "only the newest audio is kept");
        Assert.That(live.TryRead(output, G711Law.ALaw), Is.True);
        Assert.That(output, Has.All.EqualTo(G711.FromLinear(9500, G711Law.ALaw)));
    }

    [Test]
    public void ARecordingReaderKeepsTheBacklogAndOnlyAFullBufferLosesTheOldest()
    {
        var live = new LiveAudio();
        for (var i = 0; i < 20; i++)
        {
            live.Write(Frame((short)(i * 100), G711Law.ALaw), G711Law.ALaw);
        }

        var output = new byte[160];
        Assert.That(live.TryRead(output, G711Law.ALaw, keepBacklog: true), Is.True);
        Assert.That(live.SamplesDropped, Is.Zero, "a 400 ms burst is recorded whole");
        Assert.That(output, Has.All.EqualTo(G711.FromLinear(0, G711Law.ALaw)), "from its oldest frame");

        for (var i = 0; i < 50; i++)
        {
            live.Write(Frame(3000, G711Law.ALaw), G711Law.ALaw);
        }

        Assert.That(live.SamplesDropped, Is.EqualTo((19 + 50) * 160 - LiveAudio.CapacitySamples), "beyond a second of backlog the oldest goes");
    }

    [Test]
    public void APlayerWithALiveSourcePlaysItAheadOfTheBackgroundAndSilenceWhileItFills()
    {
        var player = new MediaPlayer();
        var live = new LiveAudio();
        player.SetBackground(new AudioClip("moh", Enumerable.Repeat((short)3000, 800).ToArray()));
        player.SetLive(live);
        var frame = new byte[160];

        player.NextFrame(frame, G711Law.MuLaw);
        var whileFilling = frame.ToArray();
        live.Write(Frame(-500, G711Law.MuLaw, 320), G711Law.MuLaw);
        player.NextFrame(frame, G711Law.MuLaw);
        var conversation = frame.ToArray();
        player.SetLive(null);
        player.NextFrame(frame, G711Law.MuLaw);

        Assert.That(whileFilling, Has.All.EqualTo(G711.MuLawSilence), "no music flickers into a conversation");
        Assert.That(conversation, Has.All.EqualTo(G711.FromLinear(-500, G711Law.MuLaw)));
        Assert.That(frame, Has.All.EqualTo(G711.FromLinear(3000, G711Law.MuLaw)), "music again once the live source is gone");
    }
}
