using System.Buffers.Binary;
using System.Text;
using CallCenter.Telephony.Codecs;

namespace CallCenter.Telephony.Media.Audio;

/// <summary>
/// Reads and writes RIFF/WAVE files holding 16-bit PCM, A-law or µ-law. Unknown chunks (LIST, fact,
/// cue and the like) are skipped; a malformed file is rejected with an
/// <see cref="InvalidDataException"/> that names the fault.
/// </summary>
public static class WavFile
{
    /// <summary>Largest data chunk read into memory (about 9 hours of 8 kHz stereo 16-bit).</summary>
    public const int MaxDataBytes = 256 * 1024 * 1024;

    private const int MaxFmtBytes = 1024;
    private const ushort ExtensibleTag = 0xFFFE;

    public static WavAudio Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
        return Read(stream);
    }

    /// <summary>Reads a WAV file from the stream's current position.</summary>
    /// <exception cref="InvalidDataException">Not a WAV file, an unsupported format, or truncated.</exception>
    public static WavAudio Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> header = stackalloc byte[12];
        if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
        {
            throw new InvalidDataException("Not a WAV file: shorter than the 12-byte RIFF header.");
        }

        if (!header[..4].SequenceEqual("RIFF"u8))
        {
            throw new InvalidDataException($"Not a WAV file: starts with '{Printable(header[..4])}', not 'RIFF' (RIFX and RF64 are not supported).");
        }

        if (!header[8..12].SequenceEqual("WAVE"u8))
        {
            throw new InvalidDataException($"Not a WAV file: the RIFF form is '{Printable(header[8..12])}', not 'WAVE'.");
        }

        WavFormat? format = null;
        Span<byte> chunk = stackalloc byte[8];
        while (true)
        {
            if (stream.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false) < chunk.Length)
            {
                throw new InvalidDataException(format is null ? "No 'fmt ' chunk in the WAV file." : "No 'data' chunk in the WAV file.");
            }

            var size = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
            var id = chunk[..4];
            if (id.SequenceEqual("fmt "u8))
            {
                if (size is < 16 or > MaxFmtBytes)
                {
                    throw new InvalidDataException($"The 'fmt ' chunk is {size} bytes; 16 to {MaxFmtBytes} expected.");
                }

                var fmt = new byte[size + (size & 1)];
                ReadExactly(stream, fmt, "'fmt ' chunk");
                format = ParseFormat(fmt.AsSpan(0, (int)size));
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (format is not { } known)
                {
                    throw new InvalidDataException("The 'data' chunk comes before the 'fmt ' chunk.");
                }

                return new WavAudio(known, ReadData(stream, size, known));
            }
            else
            {
                Skip(stream, size + (size & 1), Printable(id));
            }
        }
    }

    /// <summary>Writes a WAV file: the header for <paramref name="format"/>, then <paramref name="data"/> as stored.</summary>
    public static void Write(Stream stream, WavFormat format, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(stream);
        format.Validate();
        if (data.Length % format.BlockAlign != 0)
        {
            throw new ArgumentException($"Data length {data.Length} is not a multiple of the frame size {format.BlockAlign}.", nameof(data));
        }

        Span<byte> header = stackalloc byte[WavHeader.MaxSize];
        var length = WavHeader.Write(header, format, data.Length);
        stream.Write(header[..length]);
        stream.Write(data);
        if ((data.Length & 1) != 0)
        {
            stream.WriteByte(0);
        }
    }

    /// <summary>Writes 16-bit PCM, mono or interleaved stereo (left first).</summary>
    public static void WritePcm16(Stream stream, int sampleRate, int channels, ReadOnlySpan<short> samples)
    {
        var bytes = new byte[samples.Length * 2];
        for (var i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * i), samples[i]);
        }

        Write(stream, new WavFormat(WavEncoding.Pcm16, sampleRate, channels), bytes);
    }

    /// <summary>Writes mono G.711 codes as a µ-law (format 7) or A-law (format 6) file.</summary>
    public static void WriteG711(Stream stream, G711Law law, int sampleRate, ReadOnlySpan<byte> codes) =>
        Write(stream, WavFormat.ForG711(law, sampleRate), codes);

    public static void Write(string path, WavFormat format, ReadOnlySpan<byte> data)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        Write(stream, format, data);
    }

    private static WavFormat ParseFormat(ReadOnlySpan<byte> fmt)
    {
        var tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        var channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        var sampleRate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
        var blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(fmt[12..]);
        var bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);

        // WAVE_FORMAT_EXTENSIBLE carries the real tag in the first two bytes of its sub-format GUID.
        if (tag == ExtensibleTag && fmt.Length >= 40)
        {
            tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]);
        }

        if (tag is not ((ushort)WavEncoding.Pcm16 or (ushort)WavEncoding.ALaw or (ushort)WavEncoding.MuLaw))
        {
            throw new InvalidDataException($"Unsupported WAV format tag {tag}: only PCM (1), A-law (6) and µ-law (7) are read.");
        }

        var encoding = (WavEncoding)tag;
        var expectedBits = encoding == WavEncoding.Pcm16 ? 16 : 8;
        if (bits != expectedBits)
        {
            throw new InvalidDataException($"Unsupported WAV format: {encoding} with {bits} bits per sample; {expectedBits} expected.");
        }

        if (channels is 0 or > WavFormat.MaxChannels)
        {
            throw new InvalidDataException($"WAV channel count {channels} is outside 1-{WavFormat.MaxChannels}.");
        }

        if (sampleRate is 0 or > WavFormat.MaxSampleRate)
        {
            throw new InvalidDataException($"WAV sample rate {sampleRate} is outside 1-{WavFormat.MaxSampleRate}.");
        }

        var format = new WavFormat(encoding, (int)sampleRate, channels);
        if (blockAlign != format.BlockAlign)
        {
            throw new InvalidDataException($"WAV block align {blockAlign} does not match {channels} channels of {bits} bits ({format.BlockAlign}).");
        }

        return format;
    }

    private static byte[] ReadData(Stream stream, uint size, WavFormat format)
    {
        if (size > MaxDataBytes)
        {
            throw new InvalidDataException($"The 'data' chunk declares {size} bytes, over the {MaxDataBytes}-byte limit.");
        }

        if (size % format.BlockAlign != 0)
        {
            throw new InvalidDataException($"The 'data' chunk size {size} is not a multiple of the frame size {format.BlockAlign}.");
        }

        // Fail before allocating when a seekable stream plainly holds less than declared.
        if (stream.CanSeek && stream.Length - stream.Position < size)
        {
            throw new InvalidDataException($"Truncated WAV data: the 'data' chunk declares {size} bytes, only {stream.Length - stream.Position} follow.");
        }

        var data = new byte[size];
        var read = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        return read == data.Length
            ? data
            : throw new InvalidDataException($"Truncated WAV data: the 'data' chunk declares {size} bytes, only {read} follow.");
    }

    private static void ReadExactly(Stream stream, byte[] buffer, string what)
    {
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read < buffer.Length)
        {
            throw new InvalidDataException($"Truncated WAV file: the {what} declares {buffer.Length} bytes, only {read} follow.");
        }
    }

    private static void Skip(Stream stream, long count, string id)
    {
        if (stream.CanSeek)
        {
            if (stream.Length - stream.Position < count)
            {
                throw new InvalidDataException($"Truncated WAV file: chunk '{id}' declares {count} bytes, only {stream.Length - stream.Position} follow.");
            }

            stream.Seek(count, SeekOrigin.Current);
            return;
        }

        Span<byte> scratch = stackalloc byte[512];
        var left = count;
        while (left > 0)
        {
            var read = stream.Read(scratch[..(int)Math.Min(left, scratch.Length)]);
            if (read == 0)
            {
                throw new InvalidDataException($"Truncated WAV file: chunk '{id}' declares {count} bytes, only {count - left} follow.");
            }

            left -= read;
        }
    }

    private static string Printable(ReadOnlySpan<byte> id)
    {
        var builder = new StringBuilder(id.Length);
        foreach (var b in id)
        {
            builder.Append(b is >= 0x20 and < 0x7F ? (char)b : '?');
        }

        return builder.ToString();
    }
}
