using CallCenter.Telephony.Codecs;

namespace CallCenter.Telephony.Media.Audio;

/// <summary>What a WAV file's samples are: encoding, rate and channel count.</summary>
public readonly record struct WavFormat(WavEncoding Encoding, int SampleRate, int Channels)
{
    /// <summary>Most channels accepted: plenty for telephony, a bound for hostile headers.</summary>
    public const int MaxChannels = 8;

    /// <summary>Highest sample rate accepted.</summary>
    public const int MaxSampleRate = 192_000;

    /// <summary>8 kHz mono 16-bit PCM, the platform's prompt format.</summary>
    public static WavFormat Telephony { get; } = new(WavEncoding.Pcm16, 8000, 1);

    /// <summary>8 kHz stereo 16-bit PCM, call recordings (caller left, agent right).</summary>
    public static WavFormat Recording { get; } = new(WavEncoding.Pcm16, 8000, 2);

    public int BitsPerSample => Encoding == WavEncoding.Pcm16 ? 16 : 8;

    public int BytesPerSample => BitsPerSample / 8;

    /// <summary>Bytes per sample frame (one sample of every channel).</summary>
    public int BlockAlign => BytesPerSample * Channels;

    public int ByteRate => BlockAlign * SampleRate;

    /// <summary>The G.711 law of a µ-law or A-law format.</summary>
    /// <exception cref="InvalidOperationException">The format is PCM.</exception>
    public G711Law Law => Encoding switch
    {
        WavEncoding.MuLaw => G711Law.MuLaw,
        WavEncoding.ALaw => G711Law.ALaw,
        _ => throw new InvalidOperationException("PCM has no G.711 law."),
    };

    public static WavFormat ForG711(G711Law law, int sampleRate = 8000, int channels = 1) =>
        new(law == G711Law.MuLaw ? WavEncoding.MuLaw : WavEncoding.ALaw, sampleRate, channels);

    /// <summary>Throws unless the format can be written.</summary>
    public void Validate()
    {
        if (Encoding is not (WavEncoding.Pcm16 or WavEncoding.ALaw or WavEncoding.MuLaw))
        {
            throw new ArgumentOutOfRangeException(nameof(Encoding), Encoding, "Only 16-bit PCM, A-law and µ-law are supported.");
        }

        if (SampleRate is <= 0 or > MaxSampleRate)
        {
            throw new ArgumentOutOfRangeException(nameof(SampleRate), SampleRate, $"Sample rate must be 1-{MaxSampleRate}.");
        }

        if (Channels is <= 0 or > MaxChannels)
        {
            throw new ArgumentOutOfRangeException(nameof(Channels), Channels, $"Channels must be 1-{MaxChannels}.");
        }
    }
}
