using CallCenter.Telephony.Codecs;
using CallCenter.Telephony.Dtmf;
using CallCenter.Telephony.Media.Audio;
using CallCenter.Telephony.Tests.Dtmf;
using CallCenter.Telephony.Tones;
using CallCenter.TestSupport;

namespace CallCenter.Telephony.Tests.Tones;

/// <summary>
/// The calling fax's tone (T.30: 1,100 Hz ± 38 Hz, 0.5 s on, 3 s off) on generated audio, through
/// G.711 as a caller's audio arrives, and on spandsp's own recorded CNG: heard once after two bursts;
/// speech, DTMF, other tones, a steady tone, a recorded voice and every shipped prompt are not.
/// </summary>
public sealed class CngToneDetectorTests
{
    /// <summary>A fax machine's CNG: <paramref name="bursts"/> times <paramref name="onMs"/> of tone then <paramref name="offMs"/> of silence.</summary>
    private static TestSignals Cng(int bursts, double frequency = 1100, double onMs = 500, double offMs = 3000, double levelDbm0 = -11, int seed = 1)
    {
        var signal = new TestSignals(seed).Silence(130);
        for (var i = 0; i < bursts; i++)
        {
            signal.Tone(frequency, onMs, levelDbm0).Silence(offMs);
        }

        return signal;
    }

    /// <summary>Runs the audio through µ-law and the detector in frames; the sample indexes where it reported the tone.</summary>
    private static List<int> Detections(short[] samples, int frameSize = 160, CngToneDetector? detector = null)
    {
        var law = new byte[samples.Length];
        var heard = new short[samples.Length];
        G711.Encode(samples, law, G711Law.MuLaw);
        G711.Decode(law, heard, G711Law.MuLaw);
        detector ??= new CngToneDetector();
        var found = new List<int>();
        for (var at = 0; at < heard.Length; at += frameSize)
        {
            var length = Math.Min(frameSize, heard.Length - at);
            if (detector.Process(heard.AsSpan(at, length)))
            {
                found.Add(at + length);
            }
        }

        return found;
    }

    [Test]
    public void AFaxMachinesToneIsHeardOnceAtTheEndOfItsSecondBurst()
    {
        var detector = new CngToneDetector();

        var found = Detections(Cng(4).Samples, detector: detector);

        // Second burst: 130 ms + 3,500 ms + 500 ms; reported within two blocks and a frame of its end.
        Assert.Multiple(() =>
        {
            Assert.That(found, Has.Count.EqualTo(1));
            Assert.That(found[0] / 8.0, Is.InRange(4130.0, 4130.0 + 20 + 20 + 20));
            Assert.That(detector.Detected, Is.True);
            Assert.That(detector.BurstsHeard, Is.EqualTo(4));
        });
    }

    [TestCase(1062.0)]
    [TestCase(1138.0)]
    [TestCase(1100.0)]
    public void AToneWithinT30sFrequencyToleranceIsHeardInNoise(double frequency)
    {
        var signal = Cng(3, frequency).AddNoise(-11, snrDb: 20);

        Assert.That(Detections(signal.Samples), Has.Count.EqualTo(1));
    }

    [TestCase(-11.0)]
    [TestCase(-30.0)]
    [TestCase(-38.0)]
    [TestCase(3.0)]
    public void QuietAndLoudTonesAreHeard(double levelDbm0) =>
        Assert.That(Detections(Cng(3, levelDbm0: levelDbm0).Samples), Has.Count.EqualTo(1));

    [Test]
    public void ATooQuietToneIsNot() =>
        Assert.That(Detections(Cng(3, levelDbm0: -50).Samples), Is.Empty);

    [TestCase(430.0, 3000.0)]
    [TestCase(570.0, 3000.0)]
    [TestCase(500.0, 2550.0)]
    [TestCase(500.0, 3450.0)]
    public void TheCadenceIsHeardAtTheEdgesOfItsTolerance(double onMs, double offMs) =>
        Assert.That(Detections(Cng(3, onMs: onMs, offMs: offMs).Samples), Has.Count.EqualTo(1));

    [TestCase(250.0, 3000.0)]
    [TestCase(900.0, 3000.0)]
    [TestCase(500.0, 1000.0)]
    [TestCase(500.0, 5500.0)]
    public void BurstsOfTheWrongLengthOrSpacingAreNot(double onMs, double offMs) =>
        Assert.That(Detections(Cng(5, onMs: onMs, offMs: offMs).Samples), Is.Empty);

    [Test]
    public void OneBurstAloneIsNotEnough()
    {
        var detector = new CngToneDetector();

        Assert.Multiple(() =>
        {
            Assert.That(Detections(Cng(1).Samples, detector: detector), Is.Empty);
            Assert.That(detector.BurstsHeard, Is.EqualTo(1));
        });
    }

    [Test]
    public void ASteady1100HzToneIsNot() =>
        Assert.That(Detections(new TestSignals().Tone(1100, 12_000).Silence(500).Samples), Is.Empty);

    [TestCase(1000.0)]
    [TestCase(1200.0)]
    [TestCase(2100.0)]
    [TestCase(1300.0)]
    public void OtherTonesWithCngsCadenceAreNot(double frequency) =>
        Assert.That(Detections(Cng(4, frequency).Samples), Is.Empty);

    [Test]
    public void DtmfKeysWithCngsCadenceAreNot()
    {
        foreach (var digit in DtmfDigits.All)
        {
            var signal = new TestSignals(digit).Silence(130);
            for (var i = 0; i < 3; i++)
            {
                signal.Dtmf(digit, 500, levelDbm0: -8).Silence(3000);
            }

            Assert.That(Detections(signal.Samples), Is.Empty, $"key {digit}");
        }
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void SpeechLikeSoundIsNot(int seed)
    {
        var detector = new CngToneDetector();

        var found = Detections(new TestSignals(seed).SpeechLike(20_000, levelDbm0: -10).Samples, detector: detector);

        Assert.Multiple(() =>
        {
            Assert.That(found, Is.Empty);
            Assert.That(detector.BurstsHeard, Is.Zero);
        });
    }

    public static IEnumerable<string> Prompts() =>
        Directory.EnumerateFiles(Path.Combine(Fixtures.RepositoryRoot, "config", "prompts"), "*.wav", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    [Test]
    public void NoShippedPromptHoldsABurstOfCng()
    {
        // Every prompt (synthesized speech in both languages, music on hold), one after the other as a
        // caller's line might carry them: not one burst of CNG's length, let alone its cadence.
        var all = Prompts().SelectMany(file => WavFile.Read(file).ToLinear()).ToArray();
        var detector = new CngToneDetector();

        var found = Detections(all, detector: detector);

        Assert.Multiple(() =>
        {
            Assert.That(all, Has.Length.GreaterThan(8000 * 60), "a minute of prompts at least");
            Assert.That(found, Is.Empty);
            Assert.That(detector.BurstsHeard, Is.Zero);
        });
    }

    [Test]
    public void AFaxSendersRecordedToneIsHeardAtTheEndOfItsSecondBurst()
    {
        // What spandsp's calling fax session sent at the start of a call, recorded as G.711 µ-law
        // (scripts/record-cng-tone.py; README.md beside the file): three bursts at 0, 3.5 and 7 s.
        // spandsp's tone, not a commercial fax machine's: none is to be had on these machines.
        var tone = WavFile.Read(Path.Combine(Fixtures.RepositoryRoot, "tests", "Telephony.Tests", "Tones", "spandsp-cng.wav")).ToLinear();
        var detector = new CngToneDetector();

        var found = Detections(tone, detector: detector);

        Assert.Multiple(() =>
        {
            Assert.That(tone, Has.Length.EqualTo(8000 * 15 / 2), "7.5 s at 8 kHz");
            Assert.That(found, Has.Count.EqualTo(1));
            Assert.That(found.FirstOrDefault() / 8.0, Is.InRange(4000.0, 4000.0 + 60), "heard within three frames of the second burst's end (3.5–4.0 s)");
            Assert.That(detector.BurstsHeard, Is.EqualTo(2), "the third burst runs to the end of the file, so it is not over yet");
        });
    }

    [Test]
    public void ARecordedVoiceIsNot()
    {
        // The one recording of a voice on these machines: sipp's A-law capture (sip-tester), 7 s of a
        // person speaking, RTP as captured off a line. Played three times over, as a caller who keeps
        // talking through the greeting would. (No recording of a commercial fax machine's CNG is to be
        // had here; spandsp's is recorded in spandsp-cng.wav, FaxTests hear it live over RTP.)
        var path = Path.Combine(SippDtmfCaptures.Folder, "g711a.pcap");
        if (!File.Exists(path))
        {
            Assert.Fail($"{path} is missing: install sipp's captures with `apt-get install -y sip-tester`.");
        }

        var packets = Pcap.ReadUdp(path).Select(p => RtpView.Parse(p.Payload)).Where(r => r.PayloadType == 8).ToList();
        var voice = new short[packets.Sum(p => p.Payload.Length)];
        var at = 0;
        foreach (var packet in packets)
        {
            G711.Decode(packet.Payload, voice.AsSpan(at, packet.Payload.Length), G711Law.ALaw);
            at += packet.Payload.Length;
        }

        var detector = new CngToneDetector();
        var found = Detections([.. voice, .. voice, .. voice], detector: detector);

        Assert.Multiple(() =>
        {
            Assert.That(voice, Has.Length.GreaterThan(8000 * 6), "six seconds of voice at least");
            Assert.That(voice.Max(s => Math.Abs((int)s)), Is.GreaterThan(4000), "not silence");
            Assert.That(found, Is.Empty);
            Assert.That(detector.BurstsHeard, Is.Zero);
        });
    }

    [TestCase(1)]
    [TestCase(37)]
    [TestCase(80)]
    [TestCase(480)]
    public void FramesOfAnyLengthGiveTheSameAnswer(int frameSize) =>
        Assert.That(Detections(Cng(3).Samples, frameSize), Has.Count.EqualTo(1));

    [Test]
    public void CngBehindSpeechPausesIsStillHeardAfterASpokenStart()
    {
        // A person speaks first (a fax machine dialled by hand), then the machine's tone starts.
        var signal = new TestSignals(7).SpeechLike(3_000, levelDbm0: -12).Silence(200);
        for (var i = 0; i < 3; i++)
        {
            signal.Tone(1100, 500, -11).Silence(3000);
        }

        Assert.That(Detections(signal.Samples), Has.Count.EqualTo(1));
    }

    [Test]
    public void ResetForgetsWhatWasHeard()
    {
        var detector = new CngToneDetector();
        Detections(Cng(3).Samples, detector: detector);

        detector.Reset();

        Assert.Multiple(() =>
        {
            Assert.That(detector.Detected, Is.False);
            Assert.That(detector.BurstsHeard, Is.Zero);
            Assert.That(Detections(Cng(3).Samples, detector: detector), Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void ProcessingAllocatesNothing()
    {
        var samples = Cng(3).Samples;
        var detector = new CngToneDetector();
        detector.Process(samples.AsSpan(0, 160));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var at = 160; at + 160 <= samples.Length; at += 160)
        {
            detector.Process(samples.AsSpan(at, 160));
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }
}
