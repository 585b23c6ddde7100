namespace CallCenter.Telephony.Dtmf;

/// <summary>
/// Generates the RFC 4733 packet sequence for one digit: updates every packet interval with the
/// duration so far, the first with the marker bit, then the end packet three times.
/// </summary>
/// <remarks>
/// RFC 4733 2.5.1.2: updates keep the start timestamp and carry the cumulative duration, the first
/// packet of an event has the marker bit. RFC 4733 2.5.1.4: the final packet is sent three times
/// at the update interval so a lost one does not lose the end. Pure: nothing is sent or timed here.
/// </remarks>
public static class DtmfEventSender
{
    /// <summary>Default tone length: comfortably over the 40 ms receivers need.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromMilliseconds(100);

    /// <summary>Default update interval, the audio packet time.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>How many times the end packet is sent (RFC 4733 2.5.1.4).</summary>
    public const int EndPacketCount = 3;

    /// <summary>Default volume, -10 dBm0.</summary>
    public const byte DefaultVolume = 10;

    /// <summary>The packets for one digit, in sending order.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a digit; duration or interval not positive;
    /// duration longer than the 16-bit field holds (long events are not segmented here).</exception>
    public static IReadOnlyList<DtmfEventPacket> Packets(
        char digit,
        TimeSpan duration,
        TimeSpan interval,
        int clockRate = 8000,
        byte volume = DefaultVolume)
    {
        var eventCode = DtmfDigits.ToEventCode(digit);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clockRate);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(volume, TelephoneEvent.MaxVolume);
        var total = ToUnits(duration, clockRate, nameof(duration));
        var step = ToUnits(interval, clockRate, nameof(interval));
        if (total > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "Longer than one RFC 4733 event segment (65535 timestamp units).");
        }

        var packets = new List<DtmfEventPacket>();
        for (var elapsed = step; elapsed < total; elapsed += step)
        {
            var update = new TelephoneEvent(eventCode, false, volume, (ushort)elapsed);
            packets.Add(new DtmfEventPacket(update, (uint)elapsed, packets.Count == 0));
        }

        var end = new TelephoneEvent(eventCode, true, volume, (ushort)total);
        for (var i = 0; i < EndPacketCount; i++)
        {
            packets.Add(new DtmfEventPacket(end, (uint)(total + (i * step)), packets.Count == 0));
        }

        return packets;
    }

    /// <summary>The packets for one digit with the default duration (100 ms) and interval (20 ms).</summary>
    public static IReadOnlyList<DtmfEventPacket> Packets(char digit) => Packets(digit, DefaultDuration, DefaultInterval);

    private static long ToUnits(TimeSpan span, int clockRate, string name)
    {
        var units = span.Ticks * clockRate / TimeSpan.TicksPerSecond;
        return units > 0 ? units : throw new ArgumentOutOfRangeException(name, span, "Must be at least one timestamp unit.");
    }
}
