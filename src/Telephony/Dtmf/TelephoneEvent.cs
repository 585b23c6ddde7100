using System.Buffers.Binary;

namespace CallCenter.Telephony.Dtmf;

/// <summary>
/// One RFC 4733 telephone-event payload (RFC 4733 2.3): event code (8 bits), E (end) bit,
/// R (reserved) bit, volume (6 bits, the power level in -dBm0), duration (16 bits, in RTP
/// timestamp units since the event's RTP timestamp).
/// </summary>
/// <remarks>
/// The R bit is sent as zero and ignored on receipt (RFC 4733 2.3.3), so it is not kept.
/// A payload may carry several 4-byte events (RFC 4733 2.5.1.5); only the first is read here,
/// which is the one the packet's RTP timestamp refers to.
/// </remarks>
public readonly record struct TelephoneEvent(byte EventCode, bool End, byte Volume, ushort Duration)
{
    /// <summary>Size of one event on the wire.</summary>
    public const int Size = 4;

    /// <summary>Largest volume the 6-bit field holds (-63 dBm0).</summary>
    public const byte MaxVolume = 63;

    /// <summary>The DTMF digit, or null for events that are not DTMF (codes 16 and up).</summary>
    public char? Digit => DtmfDigits.TryFromEventCode(EventCode, out var digit) ? digit : null;

    /// <summary>Reads the first event of a payload; false when it is shorter than 4 bytes.</summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out TelephoneEvent value)
    {
        if (payload.Length < Size)
        {
            value = default;
            return false;
        }

        value = new TelephoneEvent(
            payload[0],
            (payload[1] & 0x80) != 0,
            (byte)(payload[1] & 0x3F),
            BinaryPrimitives.ReadUInt16BigEndian(payload[2..]));
        return true;
    }

    /// <summary>Reads the first event of a payload.</summary>
    /// <exception cref="FormatException">The payload is shorter than 4 bytes.</exception>
    public static TelephoneEvent Parse(ReadOnlySpan<byte> payload) =>
        TryParse(payload, out var value)
            ? value
            : throw new FormatException($"A telephone-event payload is {Size} bytes, this one is {payload.Length}.");

    /// <summary>Writes the 4-byte payload, R bit zero.</summary>
    /// <exception cref="ArgumentException">The destination is shorter than 4 bytes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The volume does not fit in 6 bits.</exception>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"A telephone-event payload needs {Size} bytes.", nameof(destination));
        }

        if (Volume > MaxVolume)
        {
            throw new ArgumentOutOfRangeException(nameof(destination), Volume, "Volume is 0-63 (-dBm0).");
        }

        destination[0] = EventCode;
        destination[1] = (byte)((End ? 0x80 : 0) | Volume);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Duration);
    }
}
