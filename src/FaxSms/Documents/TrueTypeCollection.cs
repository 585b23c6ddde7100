using System.Buffers.Binary;

namespace CallCenter.FaxSms.Documents;

/// <summary>
/// One face of a TrueType collection (.ttc) as a font file of its own (pure), for PDFsharp, which
/// opens single fonts only. A collection (OpenType spec, "Font Collections") is a header with the
/// offset of each face's table directory; the tables, some shared between faces, sit at offsets from
/// the start of the file. The face is rewritten as its table directory followed by a copy of each of
/// its tables (4-byte aligned, the offsets adjusted); table data and checksums are left as they are.
/// </summary>
public static class TrueTypeCollection
{
    /// <summary>"ttcf": the first four bytes of a collection.</summary>
    public const uint Tag = 0x74746366;

    private const int MaxTables = 256;

    public static bool IsCollection(ReadOnlySpan<byte> file) => file.Length >= 4 && BinaryPrimitives.ReadUInt32BigEndian(file) == Tag;

    /// <summary>Face <paramref name="index"/> of the collection <paramref name="file"/> as a standalone sfnt.</summary>
    /// <exception cref="FormatException">Not a collection, no such face, or a table outside the file.</exception>
    public static byte[] Face(ReadOnlySpan<byte> file, int index)
    {
        if (!IsCollection(file) || file.Length < 12)
        {
            throw new FormatException("not a TrueType collection");
        }

        var faces = BinaryPrimitives.ReadUInt32BigEndian(file[8..]);
        if (index < 0 || index >= faces || 12 + (4L * (index + 1)) > file.Length)
        {
            throw new FormatException($"the collection has no face {index} (it has {faces})");
        }

        var directory = (long)BinaryPrimitives.ReadUInt32BigEndian(file[(12 + (4 * index))..]);
        if (directory + 12 > file.Length)
        {
            throw new FormatException("a face's table directory lies outside the file");
        }

        var at = (int)directory;
        var tables = BinaryPrimitives.ReadUInt16BigEndian(file[(at + 4)..]);
        if (tables > MaxTables || at + 12 + (16 * tables) > file.Length)
        {
            throw new FormatException($"a face's table directory of {tables} tables does not fit in the file");
        }

        var headerLength = 12 + (16 * tables);
        var total = (long)headerLength;
        for (var i = 0; i < tables; i++)
        {
            var record = file[(at + 12 + (16 * i))..];
            var offset = BinaryPrimitives.ReadUInt32BigEndian(record[8..]);
            var length = BinaryPrimitives.ReadUInt32BigEndian(record[12..]);
            if ((long)offset + length > file.Length)
            {
                throw new FormatException("a table lies outside the file");
            }

            total += Align(length);
        }

        var face = new byte[total];
        file.Slice(at, headerLength).CopyTo(face);
        var next = headerLength;
        for (var i = 0; i < tables; i++)
        {
            var record = face.AsSpan(12 + (16 * i));
            var offset = (int)BinaryPrimitives.ReadUInt32BigEndian(record[8..]);
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(record[12..]);
            file.Slice(offset, length).CopyTo(face.AsSpan(next));
            BinaryPrimitives.WriteUInt32BigEndian(record[8..], (uint)next);
            next += (int)Align((uint)length);
        }

        return face;
    }

    private static long Align(uint length) => (length + 3L) & ~3L;
}
