namespace CallCenter.Telephony.Rtp.Srtp;

/// <summary>
/// The replay list of RFC 3711 3.3.2 as a 64-packet sliding window over packet indices (SRTP's
/// 48-bit index per stream, SRTCP's 31-bit index per context): a packet newer than the highest
/// taken, or within the window and not yet taken, is allowed; anything else is a replay or too old.
/// Not thread-safe: its context serializes it.
/// </summary>
internal sealed class SrtpReplayWindow
{
    private const int Size = 64;

    private bool _started;
    private ulong _highest;

    // Bit n set: the packet _highest - n was taken.
    private ulong _bits;

    public bool Allows(ulong index)
    {
        if (!_started || index > _highest)
        {
            return true;
        }

        var age = _highest - index;
        return age < Size && (_bits & (1UL << (int)age)) == 0;
    }

    /// <summary>Takes <paramref name="index"/> (allowed first); true when it became the highest taken.</summary>
    public bool Take(ulong index)
    {
        if (!_started || index > _highest)
        {
            var shift = _started ? index - _highest : 0;
            _bits = shift >= Size ? 1UL : (_bits << (int)shift) | 1UL;
            _highest = index;
            _started = true;
            return true;
        }

        _bits |= 1UL << (int)(_highest - index);
        return false;
    }
}
