namespace CallCenter.Telephony.Dtmf;

/// <summary>
/// In-band DTMF detector for peers that send digits as tones in the audio: Goertzel filters at
/// the eight DTMF frequencies over blocks of 102 samples (12.75 ms at 8 kHz), a per-block hit test,
/// and a duration and gap rule so that each key press is reported once.
/// </summary>
/// <remarks>
/// <para>Block size: 102 samples puts each row frequency's neighbour close to a null of the
/// filter's response (about -22 dB), which is what lets the "one row, one column clearly above the
/// others" test work, while keeping the block short enough for the duration rule below.</para>
/// <para>A block is a hit for a digit when: the block's power is at least <see cref="MinimumPowerDbm0"/>;
/// the strongest row and strongest column together hold at least half of the block's energy (speech,
/// noise and single tones spread their energy elsewhere); each is at least 8 dB above the other
/// filters of its group; and the twist is within limits (ITU-T Q.24: the high group may be up to
/// 8 dB louder, "normal" twist, the low group up to 4 dB louder, "reverse" twist).</para>
/// <para>Duration: a block only counts if the tone fills it: the energy of its weakest third
/// (34 samples, long enough to average out the beat of the two tones) must be at least half that
/// of its strongest. A digit is reported when two consecutive blocks are hits for it. Any 40 ms
/// tone fills two whole blocks (102 * 2 + 101 &lt; 320); a 20 ms tone (160 samples) cannot fill
/// two blocks to that degree (each would need about 85 samples of tone), so it is not reported.
/// Gap: the press ends after two consecutive blocks (25.5 ms) without it; only then can the same
/// digit be reported again, so one noisy block in the middle of a tone does not repeat the digit.</para>
/// <para>Samples are 8 kHz linear PCM; frames may be any length and need not align with blocks.
/// One detector per call leg; not thread safe; allocates nothing after construction.</para>
/// </remarks>
public sealed class DtmfToneDetector
{
    /// <summary>Samples per Goertzel block.</summary>
    public const int BlockSize = 102;

    /// <summary>The sample rate the detector is tuned for.</summary>
    public const int SampleRate = 8000;

    /// <summary>Weakest block power (both tones together) that is examined, in dBm0.</summary>
    public const double MinimumPowerDbm0 = -36;

    private const int Groups = 4;
    private const int SubBlocks = 3;
    private const int SubBlockSize = BlockSize / SubBlocks;
    private const int ConsecutiveHitsToReport = 2;
    private const int ConsecutiveMissesToEnd = 2;

    // 0 dBm0 is a sine of amplitude 22767 (full scale is +3.17 dBm0, ITU-T G.711): mean square 2.59e8.
    private const double ZeroDbm0MeanSquare = 22767.0 * 22767.0 / 2;
    private const float RelativeEnergyThreshold = 0.5f;
    private const float RelativePeak = 6.31f;      // 8 dB above the other filters of the group
    private const float NormalTwistLimit = 6.31f;  // 8 dB, high group louder
    private const float ReverseTwistLimit = 2.51f; // 4 dB, low group louder
    private const float SteadyRatio = 0.5f;        // weakest third of a block against the strongest

    private static readonly double[] _rowFrequencies = [697, 770, 852, 941];
    private static readonly double[] _columnFrequencies = [1209, 1336, 1477, 1633];

    // The digit at [row * 4 + column], as on the keypad.
    private const string Keypad = "123A456B789C*0#D";

    private readonly float[] _coefficients = new float[2 * Groups];
    private readonly float[] _s1 = new float[2 * Groups];
    private readonly float[] _s2 = new float[2 * Groups];
    private readonly float[] _power = new float[2 * Groups];
    private readonly float[] _subBlockEnergy = new float[SubBlocks];
    private readonly float _minimumBlockEnergy;
    private int _samplesInBlock;
    private int _previousHit = -1;
    private int _current = -1;
    private int _misses;

    public DtmfToneDetector()
    {
        for (var i = 0; i < Groups; i++)
        {
            _coefficients[i] = (float)(2 * Math.Cos(2 * Math.PI * _rowFrequencies[i] / SampleRate));
            _coefficients[Groups + i] = (float)(2 * Math.Cos(2 * Math.PI * _columnFrequencies[i] / SampleRate));
        }

        _minimumBlockEnergy = (float)(BlockSize * ZeroDbm0MeanSquare * Math.Pow(10, MinimumPowerDbm0 / 10));
    }

    /// <summary>The digit being pressed now (already reported), if any.</summary>
    public char? Current => _current >= 0 ? Keypad[_current] : null;

    /// <summary>
    /// Feeds one frame of at most two blocks (204 samples, so 20 ms frames and shorter) and returns
    /// the digit whose press was recognised in it, if any.
    /// </summary>
    /// <exception cref="ArgumentException">The frame is longer than 204 samples; use the other overload.</exception>
    public char? Process(ReadOnlySpan<short> frame)
    {
        if (frame.Length > 2 * BlockSize)
        {
            throw new ArgumentException($"Frames of up to {2 * BlockSize} samples; pass a digit buffer for longer ones.", nameof(frame));
        }

        Span<char> digits = stackalloc char[1];
        return Process(frame, digits) == 1 ? digits[0] : null;
    }

    /// <summary>
    /// Feeds samples of any length; writes the digits recognised in them to <paramref name="digits"/>
    /// and returns how many. <paramref name="digits"/> must hold <see cref="MaxDigits"/> entries.
    /// </summary>
    public int Process(ReadOnlySpan<short> samples, Span<char> digits)
    {
        var needed = MaxDigits(samples.Length);
        if (digits.Length < needed)
        {
            throw new ArgumentException($"Room for {needed} digits is needed for {samples.Length} samples.", nameof(digits));
        }

        var count = 0;
        var coefficients = _coefficients;
        var s1 = _s1;
        var s2 = _s2;
        foreach (var sample in samples)
        {
            float x = sample;
            _subBlockEnergy[_samplesInBlock / SubBlockSize] += x * x;
            for (var k = 0; k < coefficients.Length; k++)
            {
                var s0 = x + (coefficients[k] * s1[k]) - s2[k];
                s2[k] = s1[k];
                s1[k] = s0;
            }

            if (++_samplesInBlock == BlockSize)
            {
                if (EndBlock() is var reported and >= 0)
                {
                    digits[count++] = Keypad[reported];
                }
            }
        }

        return count;
    }

    /// <summary>The most digits <paramref name="sampleCount"/> samples can yield (a press needs two blocks).</summary>
    public static int MaxDigits(int sampleCount) => (sampleCount / BlockSize / ConsecutiveHitsToReport) + 1;

    /// <summary>Forgets any tone in progress, for a new stream.</summary>
    public void Reset()
    {
        Array.Clear(_s1);
        Array.Clear(_s2);
        Array.Clear(_subBlockEnergy);
        _samplesInBlock = 0;
        _previousHit = -1;
        _current = -1;
        _misses = 0;
    }

    // Returns the key index to report, or -1.
    private int EndBlock()
    {
        var hit = ClassifyBlock();
        Array.Clear(_s1);
        Array.Clear(_s2);
        Array.Clear(_subBlockEnergy);
        _samplesInBlock = 0;

        if (hit == _current)
        {
            _misses = 0;
        }
        else if (_current >= 0 && ++_misses >= ConsecutiveMissesToEnd)
        {
            _current = -1;
            _misses = 0;
        }

        var report = -1;
        if (hit >= 0 && hit == _previousHit && _current < 0)
        {
            _current = hit;
            _misses = 0;
            report = hit;
        }

        _previousHit = hit;
        return report;
    }

    // Returns the key index this block is a hit for, or -1.
    private int ClassifyBlock()
    {
        var energy = 0f;
        var weakest = float.MaxValue;
        var strongest = 0f;
        foreach (var part in _subBlockEnergy)
        {
            energy += part;
            weakest = Math.Min(weakest, part);
            strongest = Math.Max(strongest, part);
        }

        // A tone that starts or stops inside the block leaves a third of it (nearly) empty.
        if (energy < _minimumBlockEnergy || weakest < strongest * SteadyRatio)
        {
            return -1;
        }

        for (var k = 0; k < _power.Length; k++)
        {
            _power[k] = (_s1[k] * _s1[k]) + (_s2[k] * _s2[k]) - (_coefficients[k] * _s1[k] * _s2[k]);
        }

        var row = Strongest(0);
        var column = Strongest(Groups);
        var rowPower = _power[row];
        var columnPower = _power[Groups + column];

        // Goertzel power of a sine at its bin is (N * A / 2)^2 while its energy is N * A^2 / 2, so the
        // two bins hold a fraction 2 * (row + column) / (N * energy) of the block's energy.
        var fraction = 2 * (rowPower + columnPower) / (BlockSize * energy);
        if (fraction < RelativeEnergyThreshold)
        {
            return -1;
        }

        if (columnPower > rowPower * NormalTwistLimit || rowPower > columnPower * ReverseTwistLimit)
        {
            return -1;
        }

        for (var i = 0; i < Groups; i++)
        {
            if ((i != row && _power[i] * RelativePeak > rowPower)
                || (i != column && _power[Groups + i] * RelativePeak > columnPower))
            {
                return -1;
            }
        }

        return (row * Groups) + column;
    }

    private int Strongest(int offset)
    {
        var best = 0;
        for (var i = 1; i < Groups; i++)
        {
            if (_power[offset + i] > _power[offset + best])
            {
                best = i;
            }
        }

        return best;
    }
}
