using System.Buffers.Binary;

namespace CallCenter.Telephony.Media.Audio;

/// <summary>What <see cref="WavHeaderRepair.Repair"/> found.</summary>
public enum WavRepairOutcome
{
    /// <summary>The sizes already say what the file holds.</summary>
    Sound,

    /// <summary>The sizes were rewritten from the file's length.</summary>
    Repaired,

    /// <summary>Not a RIFF/WAVE header with 'fmt ' then 'data' in the bytes given: left alone.</summary>
    NotRepairable,
}

/// <summary>
/// Repairs the header of a WAV file whose writer died before rewriting its sizes (a recording cut by
/// a crash says 0 bytes of audio, or less than it holds): pure over the file's first bytes and its
/// length. The data chunk is taken to run to the end of the file, whole frames only, as
/// <see cref="WavWriter"/> writes it (nothing follows its data chunk); the RIFF size, the data size
/// and a fact chunk's frame count are rewritten to match.
/// </summary>
public static class WavHeaderRepair
{
    /// <summary>Bytes of the file's start to pass: enough for any header <see cref="WavWriter"/> writes and a few unknown chunks.</summary>
    public const int HeaderBytes = 512;

    /// <param name="header">The file's first bytes (up to <see cref="HeaderBytes"/>); changed in place when repaired.</param>
    /// <param name="fileLength">The file's length in bytes.</param>
    /// <param name="dataBytes">The data size the header says afterwards (0 when not repairable).</param>
    public static WavRepairOutcome Repair(Span<byte> header, long fileLength, out long dataBytes)
    {
        dataBytes = 0;
        if (header.Length < 12 || !header[..4].SequenceEqual("RIFF"u8) || !header[8..12].SequenceEqual("WAVE"u8))
        {
            return WavRepairOutcome.NotRepairable;
        }

        var blockAlign = 0;
        var factAt = -1;
        var at = 12;
        while (at + 8 <= header.Length)
        {
            var id = header.Slice(at, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(header[(at + 4)..]);
            if (id.SequenceEqual("data"u8))
            {
                return blockAlign == 0 ? WavRepairOutcome.NotRepairable : Fix(header, at, size, factAt, blockAlign, fileLength, out dataBytes);
            }

            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16 || at + 8 + 14 > header.Length)
                {
                    return WavRepairOutcome.NotRepairable;
                }

                blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(header[(at + 8 + 12)..]);
            }
            else if (id.SequenceEqual("fact"u8) && size >= 4)
            {
                factAt = at + 8;
            }

            // A chunk's size is ours to trust only before the data chunk, which the writer never moved.
            var next = at + 8L + size + (size & 1);
            if (next > header.Length)
            {
                return WavRepairOutcome.NotRepairable;
            }

            at = (int)next;
        }

        return WavRepairOutcome.NotRepairable;
    }

    private static WavRepairOutcome Fix(Span<byte> header, int dataAt, uint stored, int factAt, int blockAlign, long fileLength, out long dataBytes)
    {
        var dataStart = dataAt + 8L;
        var held = Math.Max(0, fileLength - dataStart);

        // A completed file with an odd data size carries one pad byte (RIFF chunks are even).
        if (stored + (stored & 1) == held)
        {
            dataBytes = stored;
            return WavRepairOutcome.Sound;
        }

        // A crash mid-write can leave part of a frame: only whole frames count.
        dataBytes = Math.Min(held - (held % blockAlign), WavHeader.MaxDataBytes - (WavHeader.MaxDataBytes % blockAlign));
        var riff = (uint)(dataStart - 8 + dataBytes + (dataBytes & 1));
        var changed = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != riff || stored != dataBytes;
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], riff);
        BinaryPrimitives.WriteUInt32LittleEndian(header[(dataAt + 4)..], (uint)dataBytes);
        if (factAt >= 0)
        {
            var frames = (uint)(dataBytes / blockAlign);
            changed |= BinaryPrimitives.ReadUInt32LittleEndian(header[factAt..]) != frames;
            BinaryPrimitives.WriteUInt32LittleEndian(header[factAt..], frames);
        }

        return changed ? WavRepairOutcome.Repaired : WavRepairOutcome.Sound;
    }

    /// <summary>
    /// The shell: reads the start of the file at <paramref name="path"/>, repairs it as
    /// <see cref="Repair"/> says, and writes the header back only when it changed.
    /// </summary>
    public static WavRepairOutcome RepairFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        var header = new byte[(int)Math.Min(HeaderBytes, stream.Length)];
        stream.ReadExactly(header);
        var outcome = Repair(header, stream.Length, out _);
        if (outcome == WavRepairOutcome.Repaired)
        {
            stream.Position = 0;
            stream.Write(header);
            stream.Flush(flushToDisk: true);
        }

        return outcome;
    }
}
