using System.Buffers.Binary;

namespace CallCenter.Telephony.Media.Audio;

/// <summary>Writes the RIFF/WAVE header shared by <see cref="WavFile"/> and <see cref="WavWriter"/>.</summary>
internal static class WavHeader
{
    /// <summary>Largest header written: RIFF (12) + fmt with cbSize (26) + fact (12) + data header (8).</summary>
    public const int MaxSize = 58;

    /// <summary>Data bytes a RIFF file can describe (its sizes are 32-bit).</summary>
    public const long MaxDataBytes = uint.MaxValue - MaxSize - 1;

    /// <summary>Header length for a format: non-PCM formats carry cbSize and a fact chunk.</summary>
    public static int SizeFor(WavFormat format) => format.Encoding == WavEncoding.Pcm16 ? 44 : 58;

    /// <summary>Writes the header for <paramref name="dataBytes"/> of data; returns its length.</summary>
    public static int Write(Span<byte> destination, WavFormat format, long dataBytes)
    {
        var size = SizeFor(format);
        var pad = dataBytes & 1; // RIFF chunks are padded to an even length
        var span = destination[..size];
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)(size - 8 + dataBytes + pad));
        "WAVE"u8.CopyTo(span[8..]);
        "fmt "u8.CopyTo(span[12..]);
        var pcm = format.Encoding == WavEncoding.Pcm16;
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], pcm ? 16u : 18u);
        BinaryPrimitives.WriteUInt16LittleEndian(span[20..], (ushort)format.Encoding);
        BinaryPrimitives.WriteUInt16LittleEndian(span[22..], (ushort)format.Channels);
        BinaryPrimitives.WriteUInt32LittleEndian(span[24..], (uint)format.SampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(span[28..], (uint)format.ByteRate);
        BinaryPrimitives.WriteUInt16LittleEndian(span[32..], (ushort)format.BlockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(span[34..], (ushort)format.BitsPerSample);
        var at = 36;
        if (!pcm)
        {
            // Non-PCM formats: cbSize, then a fact chunk with the number of sample frames.
            BinaryPrimitives.WriteUInt16LittleEndian(span[36..], 0);
            "fact"u8.CopyTo(span[38..]);
            BinaryPrimitives.WriteUInt32LittleEndian(span[42..], 4);
            BinaryPrimitives.WriteUInt32LittleEndian(span[46..], (uint)(dataBytes / format.BlockAlign));
            at = 50;
        }

        "data"u8.CopyTo(span[at..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(at + 4)..], (uint)dataBytes);
        return size;
    }
}
