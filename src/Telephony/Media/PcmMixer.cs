using CallCenter.Telephony.Codecs;

namespace CallCenter.Telephony.Media;

/// <summary>
/// Sums 16-bit PCM from several talkers into what one listener hears (a supervisor joining an agent
/// call). Pure and allocation-free: it runs on the media clock's thread, once per leg and frame.
/// </summary>
public static class PcmMixer
{
    /// <summary>The longest frame <see cref="MixInto(Span{byte}, ReadOnlySpan{byte}, G711Law)"/> mixes on the stack (60 ms).</summary>
    public const int MaxFrameSamples = 480;

    /// <summary>
    /// Adds <paramref name="add"/> to <paramref name="into"/> sample by sample, clipped to the 16-bit
    /// range: two loud talkers saturate instead of wrapping round into a loud crack.
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static void AddSaturating(Span<short> into, ReadOnlySpan<short> add)
    {
        if (into.Length != add.Length)
        {
            throw new ArgumentException($"Mixing {add.Length} samples into {into.Length}.", nameof(add));
        }

        for (var i = 0; i < into.Length; i++)
        {
            into[i] = Saturate(into[i] + add[i]);
        }
    }

    /// <summary>
    /// Mixes the G.711 frame <paramref name="add"/> into the G.711 frame <paramref name="frame"/>
    /// (both in <paramref name="law"/>): decoded, summed with saturation, encoded again in place.
    /// </summary>
    /// <exception cref="ArgumentException">The frames differ in length or are longer than <see cref="MaxFrameSamples"/>.</exception>
    public static void MixInto(Span<byte> frame, ReadOnlySpan<byte> add, G711Law law)
    {
        if (frame.Length != add.Length || frame.Length > MaxFrameSamples)
        {
            throw new ArgumentException($"Mixing a {add.Length}-sample frame into a {frame.Length}-sample one (at most {MaxFrameSamples}).", nameof(add));
        }

        Span<short> sum = stackalloc short[frame.Length];
        Span<short> other = stackalloc short[frame.Length];
        G711.Decode(frame, sum, law);
        G711.Decode(add, other, law);
        AddSaturating(sum, other);
        G711.Encode(sum, frame, law);
    }

    private static short Saturate(int sample) => (short)Math.Clamp(sample, short.MinValue, short.MaxValue);
}
