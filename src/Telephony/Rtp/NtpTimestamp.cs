namespace CallCenter.Telephony.Rtp;

/// <summary>
/// The 64-bit NTP timestamp format of RTCP (RFC 3550 4): seconds since 1900-01-01 UTC in the high
/// 32 bits, the fraction in the low 32; seconds wrap in 2036 (NTP era 1), which the 32-bit
/// LSR/DLSR arithmetic tolerates because it is modular.
/// </summary>
public static class NtpTimestamp
{
    private static readonly DateTimeOffset _epoch = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static ulong FromDateTimeOffset(DateTimeOffset time)
    {
        var ticks = (time - _epoch).Ticks;
        var seconds = (ulong)(ticks / TimeSpan.TicksPerSecond);
        var fraction = (ulong)(ticks % TimeSpan.TicksPerSecond);
        return (seconds << 32) + ((fraction << 32) / TimeSpan.TicksPerSecond);
    }

    /// <summary>The middle 32 bits, as the LSR field carries them (RFC 3550 6.4.1).</summary>
    public static uint Middle32(ulong ntpTimestamp) => (uint)(ntpTimestamp >> 16);

    /// <summary>A duration in the 1/65536 s units of DLSR, saturating at the field's maximum (RFC 3550 6.4.1).</summary>
    public static uint ToShortUnits(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return 0;
        }

        var units = (UInt128)(ulong)duration.Ticks * 65536 / TimeSpan.TicksPerSecond;
        return units > uint.MaxValue ? uint.MaxValue : (uint)units;
    }

    /// <summary>
    /// Round-trip time from a report block about our stream that arrived at <paramref name="arrival"/>
    /// (RFC 3550 6.4.1: A - LSR - DLSR); null while the peer has no SR of ours (LSR 0).
    /// </summary>
    public static TimeSpan? RoundTripTime(ulong arrival, in RtcpReportBlock block)
    {
        if (block.LastSenderReport == 0)
        {
            return null;
        }

        var units = unchecked(Middle32(arrival) - block.LastSenderReport - block.DelaySinceLastSenderReport);

        // A negative result (clock skew) shows up as a huge unsigned value; report it as zero.
        return units > int.MaxValue ? TimeSpan.Zero : TimeSpan.FromTicks((long)units * TimeSpan.TicksPerSecond / 65536);
    }
}
