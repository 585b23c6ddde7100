using System.Diagnostics;
using CallCenter.Telephony.Dtmf;

namespace CallCenter.Telephony.Tests.Dtmf;

public sealed class DtmfToneDetectorTests
{
    private static IEnumerable<TestCaseData> DigitsWithOffsets() =>
        from digit in DtmfDigits.All
        from offset in new[] { -0.015, 0, 0.015 }
        select new TestCaseData(digit, offset);

    [TestCaseSource(nameof(DigitsWithOffsets))]
    public void EveryDigitInNoiseAndOffFrequencyIsDetectedOnce(char digit, double frequencyOffset)
    {
        var signal = new TestSignals(digit + (int)(frequencyOffset * 1000))
            .Silence(70).Dtmf(digit, 70, frequencyOffset: frequencyOffset).Silence(70)
            .AddNoise(-10, snrDb: 20);

        Assert.That(signal.Detect(new DtmfToneDetector()), Is.EqualTo(digit.ToString()));
    }

    [Test]
    public void ADialledSequenceComesOutInOrder()
    {
        var signal = new TestSignals();
        foreach (var digit in DtmfDigits.All + "1122")
        {
            signal.Dtmf(digit, 50).Silence(50);
        }

        signal.AddNoise(-10, snrDb: 20);

        Assert.That(signal.Detect(new DtmfToneDetector()), Is.EqualTo(DtmfDigits.All + "1122"));
    }

    [Test]
    public void FortyMillisecondTonesAreDetectedAtEveryBlockAlignment()
    {
        for (var lead = 0; lead < DtmfToneDetector.BlockSize; lead += 7)
        {
            var signal = new TestSignals(lead).Silence(lead / 8.0).Dtmf('5', 40).Silence(60);

            Assert.That(signal.Detect(new DtmfToneDetector()), Is.EqualTo("5"), $"lead {lead}");
        }
    }

    [Test]
    public void TwentyMillisecondTonesAreNotDetectedAtAnyBlockAlignment()
    {
        for (var lead = 0; lead < DtmfToneDetector.BlockSize; lead += 3)
        {
            var signal = new TestSignals(lead).Silence(lead / 8.0).Dtmf('8', 20).Silence(60);

            Assert.That(signal.Detect(new DtmfToneDetector()), Is.Empty, $"lead {lead}");
        }
    }

    [TestCase(6.0, "1")]
    [TestCase(-3.0, "1")]
    [TestCase(10.0, "")]
    [TestCase(-6.0, "")]
    public void TwistIsAcceptedWithinLimitsOnly(double twistDb, string expected)
    {
        var signal = new TestSignals().Silence(40).Dtmf('1', 80, twistDb: twistDb).Silence(40);

        Assert.That(signal.Detect(new DtmfToneDetector()), Is.EqualTo(expected));
    }

    [Test]
    public void ALongPressIsReportedOnceAndTwoPressesTwice()
    {
        Assert.That(new TestSignals().Dtmf('#', 2000).Silence(50).AddNoise(-10, 20).Detect(new DtmfToneDetector()), Is.EqualTo("#"));
        Assert.That(new TestSignals().Dtmf('#', 60).Silence(45).Dtmf('#', 60).Detect(new DtmfToneDetector()), Is.EqualTo("##"));
    }

    [Test]
    public void TonesTooQuietAreIgnored()
    {
        Assert.That(new TestSignals().Dtmf('2', 100, levelDbm0: -45).Detect(new DtmfToneDetector()), Is.Empty);
        Assert.That(new TestSignals().Dtmf('2', 100, levelDbm0: -30).Detect(new DtmfToneDetector()), Is.EqualTo("2"));
    }

    [Test]
    public void SilenceNoiseAndATestToneGiveNothing()
    {
        Assert.That(new TestSignals().Silence(2000).Detect(new DtmfToneDetector()), Is.Empty);
        Assert.That(new TestSignals().WhiteNoise(5000, -10).Detect(new DtmfToneDetector()), Is.Empty);
        Assert.That(new TestSignals().Tone(1000, 2000, 0).Detect(new DtmfToneDetector()), Is.Empty);
    }

    [Test]
    public void SpeechGivesNoDigits()
    {
        var speech = new TestSignals(42).SpeechLike(10_000);

        Assert.That(speech.Detect(new DtmfToneDetector()), Is.Empty);

        // The same detector still hears a digit after the speech.
        Assert.That(new TestSignals(43).SpeechLike(2000).Silence(50).Dtmf('7', 60).Silence(50).Detect(new DtmfToneDetector()), Is.EqualTo("7"));
    }

    [TestCase(1)]
    [TestCase(80)]
    [TestCase(160)]
    [TestCase(1000)]
    public void FrameSizeDoesNotMatter(int frameSize)
    {
        var signal = new TestSignals().Dtmf('4', 60).Silence(60).Dtmf('D', 60).Silence(60);

        Assert.That(signal.Detect(new DtmfToneDetector(), frameSize), Is.EqualTo("4D"));
    }

    [Test]
    public void TheSingleFrameOverloadRejectsFramesLongerThanTwoBlocks()
    {
        var detector = new DtmfToneDetector();

        Assert.That(() => detector.Process(new short[205]), Throws.ArgumentException);
        Assert.That(() => detector.Process(new short[1000], new char[1]), Throws.ArgumentException);
        Assert.That(detector.Process(new short[160]), Is.Null);
    }

    [Test]
    public void ProcessingAllocatesNothingAndIsCheap()
    {
        var audio = new TestSignals().Dtmf('9', 100).Silence(100).SpeechLike(800).Samples;
        var detector = new DtmfToneDetector();
        _ = detector.Process(audio.AsSpan(0, 160));

        var before = GC.GetAllocatedBytesForCurrentThread();

        // 1,000 calls for one second each: 50,000 frames of 20 ms. A generous sanity bound (real figures belong in bench/):
        // one second of 1,000 calls in well under a second of one core. The best of up to three runs counts: the wall clock
        // also counts the time a loaded machine (a CI run beside builds) keeps this thread waiting.
        var best = TimeSpan.MaxValue;
        for (var run = 0; run < 3 && best >= TimeSpan.FromSeconds(2); run++)
        {
            var start = Stopwatch.GetTimestamp(); // no object: the allocation count covers the loop
            for (var i = 0; i < 50_000; i++)
            {
                _ = detector.Process(audio.AsSpan(i % 50 * 160, 160));
            }

            var took = Stopwatch.GetElapsedTime(start);
            best = took < best ? took : best;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.Zero);
        Assert.That(best, Is.LessThan(TimeSpan.FromSeconds(2)));
    }
}
