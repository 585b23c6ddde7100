namespace CallCenter.Telephony.Tones;

/// <summary>
/// Hears a calling fax machine: its CNG tone (ITU-T T.30 section 4.1.1; the same in V.25) is
/// 1,100 Hz ± 38 Hz, on for 0.5 s ± 15 % and off for 3 s ± 15 %, repeated until the far end answers
/// in fax mode. A Goertzel filter at 1,100 Hz over blocks of 80 samples (10 ms at 8 kHz) says which
/// blocks are that tone, and a cadence check says when two bursts of the right length came the
/// right time apart.
/// </summary>
/// <remarks>
/// <para>Block size: 80 samples put the filter's bins 100 Hz apart, so 1,000 Hz and 1,200 Hz (a test
/// tone, a neighbouring signalling tone) sit exactly on nulls of its response, while a CNG at the edge
/// of its tolerance (± 38 Hz, 0.38 of a bin) still keeps about 60 % of its power in the bin.</para>
/// <para>A block is a tone block when its power is at least <see cref="MinimumPowerDbm0"/> and the
/// 1,100 Hz bin holds at least <see cref="ToneFraction"/> of its energy. Speech spreads its energy over
/// many harmonics and formants (even a voice whose fifth harmonic is 1,100 Hz keeps most of it
/// elsewhere), DTMF splits it between two tones that are both more than a bin away, and noise spreads
/// it over the whole band, so none of them passes; a single tone has to be within about ± 45 Hz of
/// 1,100 Hz.</para>
/// <para>Cadence: tone blocks make a burst; one missing block inside a burst (a lost packet, a
/// quantization dip) is bridged, two end it. A burst counts when it lasts
/// <see cref="MinimumBurstMilliseconds"/>–<see cref="MaximumBurstMilliseconds"/> (0.5 s ± 15 %, with a
/// block's play at each end); a longer one (a steady tone, music) or a shorter one is not CNG and
/// starts the count again. The fax tone is reported when a counted burst ends
/// <see cref="MinimumGapMilliseconds"/>–<see cref="MaximumGapMilliseconds"/> after the previous counted
/// one ended (3 s ± 15 % of silence plus the burst, with room for jitter): about four seconds after a
/// fax machine's first full burst. It is reported once; <see cref="Reset"/> starts again.</para>
/// <para>Samples are 8 kHz linear PCM; frames may be any length and need not align with blocks.
/// One detector per call leg; not thread safe; allocates nothing after construction.</para>
/// </remarks>
public sealed class CngToneDetector
{
    /// <summary>Samples per Goertzel block (10 ms at 8 kHz).</summary>
    public const int BlockSize = 80;

    /// <summary>The sample rate the detector is tuned for.</summary>
    public const int SampleRate = 8000;

    /// <summary>The CNG frequency (T.30 4.1.1).</summary>
    public const double Frequency = 1100;

    /// <summary>Weakest block power that is examined, in dBm0 (T.30 puts a fax's tones well above it).</summary>
    public const double MinimumPowerDbm0 = -43;

    /// <summary>The least share of a block's energy the 1,100 Hz bin must hold.</summary>
    public const double ToneFraction = 0.5;

    public const int MinimumBurstMilliseconds = 380;
    public const int MaximumBurstMilliseconds = 700;
    public const int MinimumGapMilliseconds = 2600;
    public const int MaximumGapMilliseconds = 4600;

    private const int BlockMilliseconds = BlockSize * 1000 / SampleRate;
    private const int MissesToEndBurst = 2;

    // 0 dBm0 is a sine of amplitude 22767 (full scale is +3.17 dBm0, ITU-T G.711): mean square 2.59e8.
    private const double ZeroDbm0MeanSquare = 22767.0 * 22767.0 / 2;

    private readonly float _coefficient = (float)(2 * Math.Cos(2 * Math.PI * Frequency / SampleRate));
    private readonly float _minimumBlockEnergy = (float)(BlockSize * ZeroDbm0MeanSquare * Math.Pow(10, MinimumPowerDbm0 / 10));
    private float _s1;
    private float _s2;
    private float _energy;
    private int _samplesInBlock;

    // Time in blocks since the detector started; bursts are measured on it.
    private long _block;
    private long _burstStart = -1;
    private long _lastToneBlock = -1;
    private long _previousBurstEnd = -1;

    /// <summary>True once the fax tone has been reported.</summary>
    public bool Detected { get; private set; }

    /// <summary>Bursts of CNG's length heard so far (whether or not their spacing was right).</summary>
    public int BurstsHeard { get; private set; }

    /// <summary>Feeds samples of any length; true when the fax tone's cadence completed in them (once).</summary>
    public bool Process(ReadOnlySpan<short> samples)
    {
        var reported = false;
        foreach (var sample in samples)
        {
            float x = sample;
            _energy += x * x;
            var s0 = x + (_coefficient * _s1) - _s2;
            _s2 = _s1;
            _s1 = s0;
            if (++_samplesInBlock == BlockSize)
            {
                reported |= EndBlock();
            }
        }

        return reported;
    }

    /// <summary>Forgets everything heard, for a new stream.</summary>
    public void Reset()
    {
        _s1 = _s2 = _energy = 0;
        _samplesInBlock = 0;
        _block = 0;
        _burstStart = _lastToneBlock = _previousBurstEnd = -1;
        Detected = false;
        BurstsHeard = 0;
    }

    private bool EndBlock()
    {
        var tone = IsToneBlock();
        _s1 = _s2 = _energy = 0;
        _samplesInBlock = 0;
        var block = _block++;

        if (tone)
        {
            if (_burstStart < 0)
            {
                _burstStart = block;
            }

            _lastToneBlock = block;
            return false;
        }

        if (_burstStart < 0 || block - _lastToneBlock < MissesToEndBurst)
        {
            return false;
        }

        // The burst ended with its last tone block.
        var length = (_lastToneBlock - _burstStart + 1) * BlockMilliseconds;
        var end = _lastToneBlock + 1;
        _burstStart = -1;
        if (length is < MinimumBurstMilliseconds or > MaximumBurstMilliseconds)
        {
            _previousBurstEnd = -1;
            return false;
        }

        BurstsHeard++;
        var gap = _previousBurstEnd < 0 ? -1 : (end - _previousBurstEnd) * BlockMilliseconds;
        _previousBurstEnd = end;
        if (Detected || gap is < MinimumGapMilliseconds or > MaximumGapMilliseconds)
        {
            return false;
        }

        Detected = true;
        return true;
    }

    private bool IsToneBlock()
    {
        if (_energy < _minimumBlockEnergy)
        {
            return false;
        }

        // Goertzel power of a sine at its bin is (N * A / 2)^2 while its energy is N * A^2 / 2, so the
        // bin holds a fraction 2 * power / (N * energy) of the block's energy.
        var power = (_s1 * _s1) + (_s2 * _s2) - (_coefficient * _s1 * _s2);
        return 2 * power >= ToneFraction * BlockSize * _energy;
    }
}
