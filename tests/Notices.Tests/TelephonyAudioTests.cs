using CallCenter.Notices.Audio;
using NAudio.Codecs;
using NAudio.Wave;

namespace CallCenter.Notices.Tests;

/// <summary>
/// WAV files in the encodings people send (made here with NAudio's writer) become 8 kHz mono of the
/// same duration with the tone where it was; files that are not such WAVs are refused with the reason.
/// </summary>
public sealed class TelephonyAudioTests
{
    private static readonly TimeSpan _longest = TimeSpan.FromMinutes(5);

    /// <summary>A WAV of <paramref name="seconds"/> of a <paramref name="frequency"/> Hz tone at half scale in every channel.</summary>
    private static byte[] Tone(WaveFormat format, double seconds, double frequency = 1000)
    {
        var memory = new MemoryStream();
        using (var writer = new WaveFileWriter(memory, format))
        {
            var frames = (int)(seconds * format.SampleRate);
            for (var i = 0; i < frames; i++)
            {
                var value = 0.5 * Math.Sin(2 * Math.PI * frequency * i / format.SampleRate);
                for (var c = 0; c < format.Channels; c++)
                {
                    if (format.Encoding == WaveFormatEncoding.ALaw)
                    {
                        writer.WriteByte(ALawEncoder.LinearToALawSample((short)(value * 32767)));
                    }
                    else if (format.BitsPerSample == 8)
                    {
                        writer.WriteByte((byte)(128 + Math.Round(value * 127)));
                    }
                    else
                    {
                        writer.WriteSample((float)value);
                    }
                }
            }
        }

        return memory.ToArray();
    }

    /// <summary>The amplitude of a <paramref name="frequency"/> Hz component (Goertzel over the whole clip): 0.5 full scale reads about 16384.</summary>
    private static double Amplitude(short[] samples, double frequency, int rate = 8000)
    {
        var coefficient = 2 * Math.Cos(2 * Math.PI * frequency / rate);
        double s1 = 0, s2 = 0;
        foreach (var x in samples)
        {
            var s0 = x + (coefficient * s1) - s2;
            s2 = s1;
            s1 = s0;
        }

        var power = (s1 * s1) + (s2 * s2) - (coefficient * s1 * s2);
        return 2 * Math.Sqrt(Math.Max(power, 0)) / samples.Length;
    }

    [Test]
    public void A44100HzStereoWavBecomes8kHzMonoOfTheSameDurationWithItsTone()
    {
        var wav = Tone(new WaveFormat(44100, 16, 2), 3.0);

        var result = TelephonyAudio.Convert(wav, _longest);

        Assert.That(result.Error, Is.Null);
        Assert.Multiple(() =>
        {
            Assert.That(result.Samples!.Length, Is.EqualTo(24_000).Within(80), "3 s at 8000 samples a second, one channel");
            Assert.That(result.Duration.TotalSeconds, Is.EqualTo(3.0).Within(0.01));
            Assert.That(Amplitude(result.Samples[800..^800], 1000), Is.EqualTo(16_384).Within(1_000), "the 1 kHz tone at the level it had");
            Assert.That(Amplitude(result.Samples[800..^800], 2000), Is.LessThan(200), "and nothing else");
        });
    }

    [TestCase(48000, 24, 1, WaveFormatEncoding.Pcm)]
    [TestCase(22050, 32, 2, WaveFormatEncoding.IeeeFloat)]
    [TestCase(16000, 8, 1, WaveFormatEncoding.Pcm)]
    [TestCase(11025, 32, 1, WaveFormatEncoding.Pcm)]
    [TestCase(8000, 8, 1, WaveFormatEncoding.ALaw)]
    [TestCase(8000, 16, 1, WaveFormatEncoding.Pcm)]
    public void CommonEncodingsConvertToTheSameDurationAndTone(int rate, int bits, int channels, WaveFormatEncoding encoding)
    {
        var format = encoding switch
        {
            WaveFormatEncoding.IeeeFloat => WaveFormat.CreateIeeeFloatWaveFormat(rate, channels),
            WaveFormatEncoding.ALaw => WaveFormat.CreateALawFormat(rate, channels),
            _ => new WaveFormat(rate, bits, channels),
        };

        var result = TelephonyAudio.Convert(Tone(format, 1.5), _longest);

        Assert.That(result.Error, Is.Null);
        Assert.That(result.Samples!.Length, Is.EqualTo(12_000).Within(60));
        Assert.That(Amplitude(result.Samples[800..^800], 1000), Is.EqualTo(16_384).Within(bits == 8 || encoding == WaveFormatEncoding.ALaw ? 1_500 : 1_000));
    }

    [TestCase(16)]
    [TestCase(24)]
    public void WaveFormatExtensibleIsReadByItsSubFormat(int bits)
    {
        var result = TelephonyAudio.Convert(Tone(new WaveFormatExtensible(44100, bits, 2), 1.0), _longest);

        Assert.That(result.Error, Is.Null);
        Assert.That(result.Samples!.Length, Is.EqualTo(8_000).Within(40));
        Assert.That(Amplitude(result.Samples[800..^800], 1000), Is.EqualTo(16_384).Within(1_000));
    }

    [Test]
    public void AToneAboveTheTelephoneBandIsFilteredNotFoldedBack()
    {
        // 7 kHz sampled at 8 kHz without a filter would alias to 1 kHz.
        var result = TelephonyAudio.Convert(Tone(new WaveFormat(44100, 16, 1), 1.0, frequency: 7000), _longest);

        Assert.That(Amplitude(result.Samples![800..^800], 1000), Is.LessThan(500));
    }

    [Test]
    public void BytesThatAreNotAWavAreRefused()
    {
        var result = TelephonyAudio.Convert("ID3\u0004 this is an mp3, honestly"u8.ToArray().Concat(new byte[100]).ToArray(), _longest);

        Assert.That((result.Samples, result.Error), Is.EqualTo(((short[]?)null, "the file is not a WAV file (no RIFF/WAVE header)")));
    }

    [Test]
    public void ATruncatedWavIsRefusedAsMalformed()
    {
        var wav = Tone(new WaveFormat(44100, 16, 2), 1.0)[..30].Concat(new byte[20]).ToArray();

        var result = TelephonyAudio.Convert(wav, _longest);

        Assert.That(result.Samples, Is.Null);
        Assert.That(result.Error, Does.StartWith("the WAV file is malformed"));
    }

    [Test]
    public void AnEncodingWithoutAManagedDecoderIsRefusedByName()
    {
        var adpcm = WaveFormat.CreateCustomFormat(WaveFormatEncoding.Adpcm, 8000, 1, 4096, 256, 4);
        var memory = new MemoryStream();
        using (var writer = new WaveFileWriter(memory, adpcm))
        {
            writer.Write(new byte[2048], 0, 2048);
        }

        var result = TelephonyAudio.Convert(memory.ToArray(), _longest);

        Assert.That(result.Error, Does.Contain("Adpcm").And.Contain("not supported"));
    }

    [Test]
    public void MoreThanTwoChannelsTooLongOrEmptyAreRefusedWithTheReason()
    {
        var surround = TelephonyAudio.Convert(Tone(new WaveFormat(8000, 16, 6), 0.1), _longest);
        var tooLong = TelephonyAudio.Convert(Tone(new WaveFormat(8000, 16, 1), 3.0), TimeSpan.FromSeconds(2));
        var empty = TelephonyAudio.Convert(Tone(new WaveFormat(8000, 16, 1), 0), _longest);

        Assert.Multiple(() =>
        {
            Assert.That(surround.Error, Is.EqualTo("the WAV has 6 channels; only mono and stereo are taken"));
            Assert.That(tooLong.Error, Is.EqualTo("the recording lasts 3 s; at most 2 s is taken"));
            Assert.That(empty.Error, Is.EqualTo("the WAV holds no audio"));
        });
    }
}
