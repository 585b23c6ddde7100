namespace CallCenter.Telephony.Codecs;

/// <summary>
/// ITU-T G.711 µ-law and A-law, table driven: one 256-entry table per law to decode and one table
/// per law to encode, indexed by the linear sample with the bits G.711 ignores dropped
/// (14 significant bits for µ-law, 13 for A-law). The tables are computed once from the segment
/// search of the reference implementation (ITU-T G.191 Software Tool Library, g711.c, and the
/// Sun Microsystems g711.c it derives from), so encode and decode are one load each.
/// </summary>
public static class G711
{
    /// <summary>µ-law code of a zero sample (positive zero), what silence frames are filled with.</summary>
    public const byte MuLawSilence = 0xFF;

    /// <summary>A-law code of the smallest positive sample, what silence frames are filled with.</summary>
    public const byte ALawSilence = 0xD5;

    private const int MuLawBias = 0x84;
    private const int MuLawClip = 8159;

    private static readonly short[] _muLawDecode = BuildMuLawDecode();
    private static readonly short[] _aLawDecode = BuildALawDecode();
    private static readonly byte[] _muLawEncode = BuildMuLawEncode();
    private static readonly byte[] _aLawEncode = BuildALawEncode();

    /// <summary>The code that stands for silence in the given law.</summary>
    public static byte Silence(G711Law law) => law == G711Law.MuLaw ? MuLawSilence : ALawSilence;

    public static short MuLawToLinear(byte code) => _muLawDecode[code];

    public static short ALawToLinear(byte code) => _aLawDecode[code];

    // µ-law keeps 14 bits: index by the sample shifted right by 2, offset to be non-negative.
    public static byte LinearToMuLaw(short sample) => _muLawEncode[(sample >> 2) + 8192];

    // A-law keeps 13 bits: index by the sample shifted right by 3, offset to be non-negative.
    public static byte LinearToALaw(short sample) => _aLawEncode[(sample >> 3) + 4096];

    public static short ToLinear(byte code, G711Law law) => law == G711Law.MuLaw ? _muLawDecode[code] : _aLawDecode[code];

    public static byte FromLinear(short sample, G711Law law) => law == G711Law.MuLaw ? LinearToMuLaw(sample) : LinearToALaw(sample);

    /// <summary>Decodes <paramref name="encoded"/> into <paramref name="pcm"/>, one sample per byte; allocates nothing.</summary>
    /// <exception cref="ArgumentException"><paramref name="pcm"/> is shorter than <paramref name="encoded"/>.</exception>
    public static void Decode(ReadOnlySpan<byte> encoded, Span<short> pcm, G711Law law)
    {
        if (pcm.Length < encoded.Length)
        {
            throw new ArgumentException($"Destination holds {pcm.Length} samples, {encoded.Length} are needed.", nameof(pcm));
        }

        var table = law == G711Law.MuLaw ? _muLawDecode : _aLawDecode;
        for (var i = 0; i < encoded.Length; i++)
        {
            pcm[i] = table[encoded[i]];
        }
    }

    /// <summary>Encodes <paramref name="pcm"/> into <paramref name="encoded"/>, one byte per sample; allocates nothing.</summary>
    /// <exception cref="ArgumentException"><paramref name="encoded"/> is shorter than <paramref name="pcm"/>.</exception>
    public static void Encode(ReadOnlySpan<short> pcm, Span<byte> encoded, G711Law law)
    {
        if (encoded.Length < pcm.Length)
        {
            throw new ArgumentException($"Destination holds {encoded.Length} bytes, {pcm.Length} are needed.", nameof(encoded));
        }

        if (law == G711Law.MuLaw)
        {
            var table = _muLawEncode;
            for (var i = 0; i < pcm.Length; i++)
            {
                encoded[i] = table[(pcm[i] >> 2) + 8192];
            }
        }
        else
        {
            var table = _aLawEncode;
            for (var i = 0; i < pcm.Length; i++)
            {
                encoded[i] = table[(pcm[i] >> 3) + 4096];
            }
        }
    }

    // G.191 ulaw_expand / Sun ulaw2linear: complement, 4 mantissa bits, 3 segment bits, remove the bias.
    private static short[] BuildMuLawDecode()
    {
        var table = new short[256];
        for (var code = 0; code < 256; code++)
        {
            var u = ~code & 0xFF;
            var t = (((u & 0x0F) << 3) + MuLawBias) << ((u & 0x70) >> 4);
            table[code] = (short)((u & 0x80) != 0 ? MuLawBias - t : t - MuLawBias);
        }

        return table;
    }

    // G.191 alaw_expand / Sun alaw2linear: even bits inverted (XOR 0x55), segment 0 has no implicit leading one.
    private static short[] BuildALawDecode()
    {
        var table = new short[256];
        for (var code = 0; code < 256; code++)
        {
            var a = code ^ 0x55;
            var t = (a & 0x0F) << 4;
            var segment = (a & 0x70) >> 4;
            t = segment switch
            {
                0 => t + 8,
                1 => t + 0x108,
                _ => (t + 0x108) << (segment - 1),
            };
            table[code] = (short)((a & 0x80) != 0 ? t : -t);
        }

        return table;
    }

    // G.191 ulaw_compress on the 14-bit sample: negative values by one's complement (so -1 is a
    // negative zero, not -8), clip, add the bias of 33, find the segment, keep 4 mantissa bits.
    private static byte[] BuildMuLawEncode()
    {
        var table = new byte[16384];
        for (var index = 0; index < table.Length; index++)
        {
            var value = index - 8192;
            var magnitude = value < 0 ? ~value : value;
            var mask = value < 0 ? 0x7F : 0xFF;
            magnitude = Math.Min(magnitude, MuLawClip) + (MuLawBias >> 2);
            var segment = 0;
            while (segment < 8 && magnitude > (0x40 << segment) - 1)
            {
                segment++;
            }

            var code = segment >= 8 ? 0x7F : (segment << 4) | ((magnitude >> (segment + 1)) & 0x0F);
            table[index] = (byte)(code ^ mask);
        }

        return table;
    }

    // G.191 alaw_compress / Sun linear2alaw on the 13-bit sample: one's complement for negatives,
    // segment 0 and 1 share a step size, codes have their even bits inverted (XOR 0x55).
    private static byte[] BuildALawEncode()
    {
        var table = new byte[8192];
        for (var index = 0; index < table.Length; index++)
        {
            var value = index - 4096;
            var magnitude = value < 0 ? ~value : value;
            var mask = value < 0 ? 0x55 : 0xD5;
            var segment = 0;
            while (segment < 8 && magnitude > (0x20 << segment) - 1)
            {
                segment++;
            }

            int code;
            if (segment >= 8)
            {
                code = 0x7F;
            }
            else
            {
                code = (segment << 4) | ((segment < 2 ? magnitude >> 1 : magnitude >> segment) & 0x0F);
            }

            table[index] = (byte)(code ^ mask);
        }

        return table;
    }
}
