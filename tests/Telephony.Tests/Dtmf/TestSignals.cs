using CallCenter.Telephony.Dtmf;

namespace CallCenter.Telephony.Tests.Dtmf;

/// <summary>8 kHz test audio: DTMF tones, noise, single tones and speech-like sound.</summary>
internal sealed class TestSignals(int seed = 1)
{
    public const int SampleRate = 8000;

    // A sine at 0 dBm0 has amplitude 22767 (ITU-T G.711: full scale is +3.17 dBm0).
    private const double ZeroDbm0Amplitude = 22767;

    private static readonly double[] _rows = [697, 770, 852, 941];
    private static readonly double[] _columns = [1209, 1336, 1477, 1633];

    private readonly Random _random = new(seed);
    private readonly List<short> _samples = [];

    public short[] Samples => [.. _samples];

    public static double Amplitude(double dbm0) => ZeroDbm0Amplitude * Math.Pow(10, dbm0 / 20);

    public static (double Row, double Column) Frequencies(char digit)
    {
        var index = "123A456B789C*0#D".IndexOf(digit, StringComparison.Ordinal);
        return (_rows[index / 4], _columns[index % 4]);
    }

    public TestSignals Silence(double milliseconds) => Add(Count(milliseconds), _ => 0);

    /// <param name="twistDb">Positive: the high (column) tone is louder by this much ("normal" twist).</param>
    public TestSignals Dtmf(char digit, double milliseconds, double levelDbm0 = -10, double frequencyOffset = 0, double twistDb = 0)
    {
        var (row, column) = Frequencies(digit);
        row *= 1 + frequencyOffset;
        column *= 1 + frequencyOffset;
        var rowAmplitude = Amplitude(levelDbm0 - (twistDb / 2));
        var columnAmplitude = Amplitude(levelDbm0 + (twistDb / 2));
        var phaseRow = _random.NextDouble() * 2 * Math.PI;
        var phaseColumn = _random.NextDouble() * 2 * Math.PI;
        return Add(Count(milliseconds), n =>
            (rowAmplitude * Math.Sin((2 * Math.PI * row * n / SampleRate) + phaseRow))
            + (columnAmplitude * Math.Sin((2 * Math.PI * column * n / SampleRate) + phaseColumn)));
    }

    public TestSignals Tone(double frequency, double milliseconds, double levelDbm0 = -10)
    {
        var amplitude = Amplitude(levelDbm0);
        return Add(Count(milliseconds), n => amplitude * Math.Sin(2 * Math.PI * frequency * n / SampleRate));
    }

    public TestSignals WhiteNoise(double milliseconds, double levelDbm0)
    {
        // A sine's mean square is A^2 / 2, so Gaussian noise of the same power has sigma A / sqrt 2.
        var sigma = Amplitude(levelDbm0) / Math.Sqrt(2);
        return Add(Count(milliseconds), _ => sigma * Gaussian());
    }

    /// <summary>Adds Gaussian noise over everything so far, <paramref name="snrDb"/> below the given tone level.</summary>
    public TestSignals AddNoise(double signalDbm0, double snrDb)
    {
        // Two tones at signalDbm0 each: power A^2; noise power A^2 / 10^(snr / 10).
        var amplitude = Amplitude(signalDbm0);
        var sigma = amplitude / Math.Sqrt(Math.Pow(10, snrDb / 10));
        for (var i = 0; i < _samples.Count; i++)
        {
            _samples[i] = Clip(_samples[i] + (sigma * Gaussian()));
        }

        return this;
    }

    /// <summary>
    /// Speech-like sound: a glottal pulse train whose pitch wanders between 100 and 250 Hz, through
    /// three formant resonators whose vowel changes every 100 ms, with a syllable-rate envelope.
    /// </summary>
    public TestSignals SpeechLike(double milliseconds, double levelDbm0 = -15)
    {
        (double F1, double F2, double F3)[] vowels =
        [
            (730, 1090, 2440), (270, 2290, 3010), (300, 870, 2240), (530, 1840, 2480),
            (570, 840, 2410), (660, 1720, 2410), (490, 1350, 1690), (440, 1020, 2240),
        ];
        var count = Count(milliseconds);
        var raw = new double[count];
        var resonators = new Resonator[3];
        var phase = 0.0;
        var (f1, f2, f3) = vowels[0];
        for (var n = 0; n < count; n++)
        {
            if (n % (SampleRate / 10) == 0)
            {
                (f1, f2, f3) = vowels[_random.Next(vowels.Length)];
                resonators[0].Tune(f1, 80);
                resonators[1].Tune(f2, 100);
                resonators[2].Tune(f3, 140);
            }

            var t = (double)n / SampleRate;
            var pitch = 175 + (60 * Math.Sin(2 * Math.PI * 0.7 * t)) + (15 * Math.Sin(2 * Math.PI * 3.1 * t));
            phase += pitch / SampleRate;
            var pulse = 0.0;
            if (phase >= 1)
            {
                phase -= 1;
                pulse = 1;
            }

            var voiced = pulse + (0.02 * Gaussian());
            var formants = resonators[0].Next(voiced);
            formants = resonators[1].Next(formants) + (0.5 * formants);
            formants = resonators[2].Next(formants) + formants;
            var envelope = 0.55 + (0.45 * Math.Sin(2 * Math.PI * 4 * t));
            raw[n] = formants * envelope;
        }

        var rms = Math.Sqrt(raw.Average(v => v * v));
        var gain = Amplitude(levelDbm0) / Math.Sqrt(2) / rms;
        foreach (var v in raw)
        {
            _samples.Add(Clip(v * gain));
        }

        return this;
    }

    /// <summary>Runs the samples through a detector in frames of <paramref name="frameSize"/>.</summary>
    public string Detect(DtmfToneDetector detector, int frameSize = 160)
    {
        var samples = Samples;
        var found = new List<char>();
        var digits = new char[DtmfToneDetector.MaxDigits(frameSize)];
        for (var at = 0; at < samples.Length; at += frameSize)
        {
            var frame = samples.AsSpan(at, Math.Min(frameSize, samples.Length - at));
            var count = detector.Process(frame, digits);
            found.AddRange(digits.AsSpan(0, count));
        }

        return new string([.. found]);
    }

    private static int Count(double milliseconds) => (int)Math.Round(milliseconds * SampleRate / 1000);

    private static short Clip(double value) => (short)Math.Clamp(Math.Round(value), short.MinValue, short.MaxValue);

    private TestSignals Add(int count, Func<int, double> sample)
    {
        for (var n = 0; n < count; n++)
        {
            _samples.Add(Clip(sample(n)));
        }

        return this;
    }

    private double Gaussian()
    {
        var u1 = 1 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>A two-pole resonator (digital formant filter), unity gain at DC.</summary>
    private struct Resonator
    {
        private double _a1;
        private double _a2;
        private double _gain;
        private double _y1;
        private double _y2;

        public void Tune(double frequency, double bandwidth)
        {
            var r = Math.Exp(-Math.PI * bandwidth / SampleRate);
            _a1 = 2 * r * Math.Cos(2 * Math.PI * frequency / SampleRate);
            _a2 = -r * r;
            _gain = 1 - _a1 - _a2;
        }

        public double Next(double x)
        {
            var y = (_gain * x) + (_a1 * _y1) + (_a2 * _y2);
            _y2 = _y1;
            _y1 = y;
            return y;
        }
    }
}
