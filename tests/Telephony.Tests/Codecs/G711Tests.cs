using CallCenter.Telephony.Codecs;

namespace CallCenter.Telephony.Tests.Codecs;

// Reference values are those of the ITU-T G.191 Software Tool Library (g711.c) and of the
// Sun Microsystems g711.c it was derived from: ulaw2linear(0x00) = -32124, alaw2linear(0x00) = -5504,
// and so on. Note that A-law 0x2A decodes to -32256 (its sign bit, after the XOR with 0x55, is 0),
// and 0xAA to +32256.
public sealed class G711Tests
{
    [TestCase(0x00, -32124)]
    [TestCase(0x01, -31100)]
    [TestCase(0x0F, -16764)]
    [TestCase(0x10, -15996)]
    [TestCase(0x70, -120)]
    [TestCase(0x7E, -8)]
    [TestCase(0x7F, 0)]
    [TestCase(0x80, 32124)]
    [TestCase(0xF0, 120)]
    [TestCase(0xFE, 8)]
    [TestCase(0xFF, 0)]
    public void MuLawDecodesToTheReferenceValues(int code, int expected)
    {
        Assert.That(G711.MuLawToLinear((byte)code), Is.EqualTo(expected));
    }

    [TestCase(0x00, -5504)]
    [TestCase(0x01, -5248)]
    [TestCase(0x02, -6016)]
    [TestCase(0x08, -7552)]
    [TestCase(0x2A, -32256)]
    [TestCase(0x55, -8)]
    [TestCase(0x80, 5504)]
    [TestCase(0xAA, 32256)]
    [TestCase(0xD5, 8)]
    public void ALawDecodesToTheReferenceValues(int code, int expected)
    {
        Assert.That(G711.ALawToLinear((byte)code), Is.EqualTo(expected));
    }

    [TestCase(0, 0xFF)]
    [TestCase(-1, 0x7F)]
    [TestCase(8, 0xFE)]
    [TestCase(-8, 0x7E)]
    [TestCase(short.MaxValue, 0x80)]
    [TestCase(short.MinValue, 0x00)]
    public void MuLawEncodesToTheReferenceCodes(int sample, int expected)
    {
        Assert.That(G711.LinearToMuLaw((short)sample), Is.EqualTo(expected));
    }

    [TestCase(0, 0xD5)]
    [TestCase(-1, 0x55)]
    [TestCase(short.MaxValue, 0xAA)]
    [TestCase(short.MinValue, 0x2A)]
    public void ALawEncodesToTheReferenceCodes(int sample, int expected)
    {
        Assert.That(G711.LinearToALaw((short)sample), Is.EqualTo(expected));
    }

    [Test]
    public void SilenceCodesDecodeToTheQuietestLevels()
    {
        Assert.That(G711.MuLawToLinear(G711.MuLawSilence), Is.Zero);
        Assert.That(Math.Abs((int)G711.ALawToLinear(G711.ALawSilence)), Is.EqualTo(8));
        Assert.That(G711.Silence(G711Law.MuLaw), Is.EqualTo(0xFF));
        Assert.That(G711.Silence(G711Law.ALaw), Is.EqualTo(0xD5));
    }

    [Test]
    public void MuLawRoundTripsEveryCodeButNegativeZero()
    {
        for (var code = 0; code < 256; code++)
        {
            var back = G711.LinearToMuLaw(G711.MuLawToLinear((byte)code));
            var expected = code == 0x7F ? 0xFF : code;
            Assert.That(back, Is.EqualTo(expected), $"code 0x{code:X2}");
        }
    }

    [Test]
    public void ALawRoundTripsEveryCode()
    {
        for (var code = 0; code < 256; code++)
        {
            Assert.That(G711.LinearToALaw(G711.ALawToLinear((byte)code)), Is.EqualTo(code), $"code 0x{code:X2}");
        }
    }

    [TestCase(G711Law.MuLaw)]
    [TestCase(G711Law.ALaw)]
    public void EncodingIsMonotonicOverTheLinearRange(G711Law law)
    {
        var previous = int.MinValue;
        for (int sample = short.MinValue; sample <= short.MaxValue; sample++)
        {
            int level = G711.ToLinear(G711.FromLinear((short)sample, law), law);
            Assert.That(level, Is.GreaterThanOrEqualTo(previous), $"sample {sample}");
            previous = level;
        }
    }

    // The quantiser reconstructs at the middle of each decision interval, so the error is at most
    // half the step of the chosen level's segment, give or take the low bits G.711 drops
    // (2 for µ-law, 3 for A-law). Past the largest level the error grows (clipping), so stop there.
    [TestCase(G711Law.MuLaw, 4)]
    [TestCase(G711Law.ALaw, 8)]
    public void QuantisationErrorIsAtMostHalfAStep(G711Law law, int droppedBitsSlack)
    {
        var levels = Enumerable.Range(0, 256).Select(c => (int)G711.ToLinear((byte)c, law)).Distinct().Order().ToArray();
        for (var sample = levels[0]; sample <= levels[^1]; sample++)
        {
            int level = G711.ToLinear(G711.FromLinear((short)sample, law), law);
            var at = Array.BinarySearch(levels, level);
            var below = at > 0 ? level - levels[at - 1] : 0;
            var above = at < levels.Length - 1 ? levels[at + 1] - level : 0;
            var halfStep = Math.Max(below, above) / 2;
            Assert.That(Math.Abs(level - sample), Is.LessThanOrEqualTo(halfStep + droppedBitsSlack), $"sample {sample}");
        }
    }

    [TestCase(G711Law.MuLaw)]
    [TestCase(G711Law.ALaw)]
    public void SpanVersionsMatchTheScalarOnes(G711Law law)
    {
        var pcm = new short[4096];
        var random = new Random(7);
        for (var i = 0; i < pcm.Length; i++)
        {
            pcm[i] = (short)random.Next(short.MinValue, short.MaxValue + 1);
        }

        var encoded = new byte[pcm.Length];
        G711.Encode(pcm, encoded, law);
        var decoded = new short[pcm.Length];
        G711.Decode(encoded, decoded, law);

        for (var i = 0; i < pcm.Length; i++)
        {
            Assert.That(encoded[i], Is.EqualTo(G711.FromLinear(pcm[i], law)));
            Assert.That(decoded[i], Is.EqualTo(G711.ToLinear(encoded[i], law)));
        }
    }

    [Test]
    public void SpanVersionsRejectShortDestinations()
    {
        Assert.That(() => G711.Decode(new byte[160], new short[159], G711Law.MuLaw), Throws.ArgumentException);
        Assert.That(() => G711.Encode(new short[160], new byte[159], G711Law.ALaw), Throws.ArgumentException);
    }

    [Test]
    public void SpanVersionsAllocateNothing()
    {
        var pcm = new short[160];
        var encoded = new byte[160];
        G711.Encode(pcm, encoded, G711Law.MuLaw);
        G711.Decode(encoded, pcm, G711Law.ALaw);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            G711.Encode(pcm, encoded, G711Law.MuLaw);
            G711.Decode(encoded, pcm, G711Law.MuLaw);
            G711.Encode(pcm, encoded, G711Law.ALaw);
            G711.Decode(encoded, pcm, G711Law.ALaw);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }
}
