using CallCenter.Telephony.Codecs;
using CallCenter.Telephony.Media;

namespace CallCenter.Telephony.Tests.Media;

public sealed class PcmMixerTests
{
    [Test]
    public void SamplesAreSummed()
    {
        short[] into = [100, -200, 0, 3000];

        PcmMixer.AddSaturating(into, [50, 50, -7, -4000]);

        Assert.That(into, Is.EqualTo(new short[] { 150, -150, -7, -1000 }));
    }

    [Test]
    public void LoudSumsSaturateAtTheSixteenBitLimitsInsteadOfWrappingRound()
    {
        short[] into = [30000, -30000, short.MaxValue, short.MinValue, 20000];

        PcmMixer.AddSaturating(into, [10000, -10000, 1, -1, -30000]);

        Assert.That(into, Is.EqualTo(new short[] { short.MaxValue, short.MinValue, short.MaxValue, short.MinValue, -10000 }));
    }

    [Test]
    public void SpansOfDifferentLengthsAreRefused() =>
        Assert.That(() => PcmMixer.AddSaturating(new short[4], new short[3]), Throws.ArgumentException);

    [TestCase(G711Law.ALaw)]
    [TestCase(G711Law.MuLaw)]
    public void TwoG711FramesAreMixedInPlaceInTheirLaw(G711Law law)
    {
        var frame = Enumerable.Repeat(G711.FromLinear(4000, law), 160).ToArray();
        var other = Enumerable.Repeat(G711.FromLinear(-1000, law), 160).ToArray();

        var expected = G711.FromLinear((short)(G711.ToLinear(frame[0], law) + G711.ToLinear(other[0], law)), law);

        PcmMixer.MixInto(frame, other, law);

        Assert.That(frame, Has.All.EqualTo(expected), "the decoded sum, encoded again");
        Assert.That(G711.ToLinear(frame[0], law), Is.EqualTo(3000).Within(200), "4000 - 1000, within G.711's steps at those levels");
    }

    [TestCase(G711Law.ALaw)]
    [TestCase(G711Law.MuLaw)]
    public void MixingInSilenceLeavesAFrameAsItWas(G711Law law)
    {
        var original = Enumerable.Range(0, 160).Select(i => G711.FromLinear((short)(i * 150), law)).ToArray();
        var frame = original.ToArray();

        PcmMixer.MixInto(frame, Enumerable.Repeat(G711.Silence(law), 160).ToArray(), law);

        Assert.That(frame.Select(c => (int)G711.ToLinear(c, law)), Is.EqualTo(original.Select(c => (int)G711.ToLinear(c, law))).Within(16));
    }

    [Test]
    public void TwoFullScaleG711FramesSaturate()
    {
        var frame = Enumerable.Repeat(G711.FromLinear(30000, G711Law.ALaw), 160).ToArray();

        PcmMixer.MixInto(frame, frame.ToArray(), G711Law.ALaw);

        Assert.That(frame, Has.All.EqualTo(G711.FromLinear(short.MaxValue, G711Law.ALaw)));
    }

    [Test]
    public void FramesLongerThanTheStackLimitAreRefused() =>
        Assert.That(() => PcmMixer.MixInto(new byte[PcmMixer.MaxFrameSamples + 1], new byte[PcmMixer.MaxFrameSamples + 1], G711Law.ALaw), Throws.ArgumentException);
}
