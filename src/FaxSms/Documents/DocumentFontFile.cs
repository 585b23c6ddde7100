using System.Buffers.Binary;
using UglyToad.PdfPig.Fonts.TrueType;
using UglyToad.PdfPig.Fonts.TrueType.Parser;

namespace CallCenter.FaxSms.Documents;

/// <summary>
/// The font file the documents are drawn in, and whether it will do. PDFsharp 6.2.4 subsets
/// TrueType outlines (an sfnt of version 1.0 or "true"); it cannot open a TrueType collection (.ttc,
/// such as Debian's wqy-microhei.ttc), so a collection's first face is taken out of it
/// (<see cref="TrueTypeCollection"/>); it would embed an OpenType font with PostScript outlines
/// ("OTTO", such as Noto Sans CJK's .otf) whole, megabytes per PDF, so that is refused. And the face
/// must draw both Chinese and Latin letters and digits (read with PdfPig's TrueType parser: its
/// Unicode cmap maps each probe character to a glyph): Droid Sans Fallback, for one, has no Latin,
/// and every amount would print blank.
/// </summary>
public static class DocumentFontFile
{
    /// <summary>Characters a statement cannot do without: the font must have a glyph for each.</summary>
    private const string Probe = "中文账户资金元Aa0,.";

    /// <summary>The font's bytes as PDFsharp can read them: the file, or a collection's first face.</summary>
    public static byte[] Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return TrueTypeCollection.IsCollection(bytes) ? TrueTypeCollection.Face(bytes, 0) : bytes;
    }

    /// <summary>The reason <paramref name="path"/> cannot be used, or null when it can.</summary>
    public static string? Check(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            return $"no file {path}";
        }

        byte[] face;
        try
        {
            face = Load(path);
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            return $"{path} cannot be read as a font: {e.Message}";
        }

        return Check(face, path) ?? Glyphs(face, path);
    }

    /// <summary>The reason a font whose (face's) bytes start with <paramref name="start"/> cannot be used, or null.</summary>
    public static string? Check(ReadOnlySpan<byte> start, string path) =>
        start.Length < 4 ? $"{path} is not a font file" : BinaryPrimitives.ReadUInt32BigEndian(start) switch
        {
            0x00010000 or 0x74727565 => null, // OpenType 5 (the sfnt version of TrueType outlines) or Apple's 'true'
            0x4F54544F => $"{path} has PostScript (CFF) outlines, which PDFsharp embeds whole instead of a subset: name a TrueType .ttf or .ttc such as {DocumentOptions.DefaultFont}",
            _ => $"{path} is not a TrueType font file",
        };

    private static string? Glyphs(byte[] face, string path)
    {
        try
        {
            var cmap = TrueTypeFontParser.Parse(new TrueTypeDataBytes(face)).WindowsUnicodeCMap;
            var missing = Probe.Where(c => cmap is null || cmap.CharacterCodeToGlyphIndex(c) <= 0).ToArray();
            return missing.Length == 0 ? null : $"{path} cannot draw \"{new string(missing)}\" (a font for documents needs Chinese, Latin letters and digits)";
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"{path} is not a readable TrueType font ({e.Message})";
        }
    }
}
