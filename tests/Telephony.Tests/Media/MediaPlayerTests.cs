using CallCenter.Telephony.Codecs;
using CallCenter.Telephony.Media;

namespace CallCenter.Telephony.Tests.Media;

public sealed class MediaPlayerTests
{
    private static AudioClip Clip(string name, int samples, short value) => new(name, Enumerable.Repeat(value, samples).ToArray());

    [Test]
    public void ClipsPlayBackToBackAndTheEndIsReportedOnceOnTheLastFrame()
    {
        var player = new MediaPlayer();
        var a = Clip("a", 200, 1000);
        var b = Clip("b", 200, -1000);
        player.Play(7, [a, b]);
        var frame = new byte[160];

        var results = Enumerable.Range(0, 4).Select(_ =>
        {
            var finished = player.NextFrame(frame, G711Law.MuLaw);
            return (finished, frame.ToArray());
        }).ToList();

        Assert.That(results.Select(r => r.finished), Is.EqualTo(new long[] { 0, 0, 7, 0 }));
        Assert.That(results[0].Item2, Has.All.EqualTo(a.MuLaw[0]));
        Assert.That(results[1].Item2.Take(40), Has.All.EqualTo(a.MuLaw[0]));
        Assert.That(results[1].Item2.Skip(40), Has.All.EqualTo(b.MuLaw[0]));
        Assert.That(results[2].Item2.Take(80), Has.All.EqualTo(b.MuLaw[0]));
        Assert.That(results[2].Item2.Skip(80), Has.All.EqualTo(G711.MuLawSilence));
        Assert.That(results[3].Item2, Has.All.EqualTo(G711.MuLawSilence));
    }

    [Test]
    public void StoppedPlaybackNeverReportsFinishedAndAReplacedOneNeitherDoes()
    {
        var player = new MediaPlayer();
        var frame = new byte[160];
        player.Play(1, [Clip("a", 1000, 500)]);
        player.NextFrame(frame, G711Law.ALaw);

        Assert.That(player.Stop(2), Is.False);
        Assert.That(player.Stop(1), Is.True);
        Assert.That(player.NextFrame(frame, G711Law.ALaw), Is.Zero);
        Assert.That(frame, Has.All.EqualTo(G711.ALawSilence));

        player.Play(3, [Clip("long", 1000, 500)]);
        player.Play(4, [Clip("short", 160, 500)]);
        Assert.That(player.NextFrame(frame, G711Law.ALaw), Is.EqualTo(4));
    }

    [Test]
    public void BackgroundLoopsWhenNothingElsePlaysAndPausesForAPrompt()
    {
        var player = new MediaPlayer();
        var music = Clip("moh", 240, 3000);
        var prompt = Clip("prompt", 160, -3000);
        var frame = new byte[160];
        player.SetBackground(music);

        player.NextFrame(frame, G711Law.MuLaw);
        player.NextFrame(frame, G711Law.MuLaw); // 80 samples left of the loop, then it wraps
        Assert.That(frame, Has.All.EqualTo(music.MuLaw[0]));
        player.Play(9, [prompt]);
        Assert.That(player.NextFrame(frame, G711Law.MuLaw), Is.EqualTo(9));
        Assert.That(frame, Has.All.EqualTo(prompt.MuLaw[0]));
        player.NextFrame(frame, G711Law.MuLaw);
        Assert.That(frame, Has.All.EqualTo(music.MuLaw[0]));
    }
}
