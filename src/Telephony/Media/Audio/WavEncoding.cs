namespace CallCenter.Telephony.Media.Audio;

/// <summary>The sample encodings read and written, by their WAVE format tags (RFC 2361 appendix A).</summary>
public enum WavEncoding
{
    /// <summary>WAVE_FORMAT_PCM with 16-bit little-endian samples.</summary>
    Pcm16 = 1,

    /// <summary>WAVE_FORMAT_ALAW, 8 bits per sample.</summary>
    ALaw = 6,

    /// <summary>WAVE_FORMAT_MULAW, 8 bits per sample.</summary>
    MuLaw = 7,
}
