namespace CallCenter.FaxSms.Documents;

/// <summary>
/// Writes a document (<see cref="DocumentLayout"/>) as an A4 PDF. With a font file
/// (<see cref="DocumentOptions.Font"/>) it is drawn by PDFsharp in that TrueType font, embedded as a
/// subset of the glyphs used (a one-page statement stays a few tens of KB though the font is
/// megabytes), so Chinese names and labels print and can be read back from the PDF's text. Without
/// one it falls back to PdfPig's standard Helvetica, which has no Chinese: <see cref="DrawsChinese"/>
/// is false and every character outside printable ASCII becomes '?'.
/// </summary>
public sealed class DocumentPdf
{
    /// <param name="fontPath">A TrueType file that <see cref="DocumentFontFile.Check(string)"/> accepts, or empty for Helvetica.</param>
    public DocumentPdf(string fontPath)
    {
        ArgumentNullException.ThrowIfNull(fontPath);
        FontPath = fontPath;
        if (fontPath.Length > 0)
        {
            DocumentFontResolver.Install();
        }
    }

    /// <summary>The font file the documents are drawn in; empty for Helvetica.</summary>
    public string FontPath { get; }

    /// <summary>Whether Chinese text prints (a font file is configured); if not, documents should be worded in English.</summary>
    public bool DrawsChinese => FontPath.Length > 0;

    public byte[] Render(DocumentLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return DrawsChinese ? TrueTypePdfWriter.Write(layout, FontPath) : HelveticaPdfWriter.Write(layout);
    }
}
