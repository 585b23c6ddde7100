using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace CallCenter.FaxSms.Documents;

/// <summary>
/// The fallback writer when no font file is configured: PdfPig with the PDF standard Helvetica (no
/// font to embed). Its encoding covers Latin text only, so any other character is written as '?'.
/// Tables become lines of cells two spaces apart; long lines wrap at a fixed count; pages follow as needed.
/// </summary>
internal static class HelveticaPdfWriter
{
    private const double Margin = 50;
    private const double TitleSize = 16;
    private const double TextSize = 10;
    private const double Leading = 14;
    private const int WrapAt = 95;

    public static byte[] Write(DocumentLayout layout)
    {
        var builder = new PdfDocumentBuilder();
        var regular = builder.AddStandard14Font(Standard14Font.Helvetica);
        var bold = builder.AddStandard14Font(Standard14Font.HelveticaBold);
        var page = builder.AddPage(PageSize.A4);
        var top = page.PageSize.Height - Margin;
        page.AddText(Latin(layout.Title), TitleSize, new PdfPoint(Margin, top), bold);
        var y = top - (2 * Leading);
        foreach (var (line, isBold) in layout.Blocks.SelectMany(Lines))
        {
            if (y < Margin)
            {
                page = builder.AddPage(PageSize.A4);
                y = top;
            }

            if (line.Length > 0)
            {
                page.AddText(line, TextSize, new PdfPoint(Margin, y), isBold ? bold : regular);
            }

            y -= Leading;
        }

        return builder.Build();
    }

    /// <summary>The text with every character Helvetica cannot draw replaced by '?'.</summary>
    public static string Latin(string text) =>
        new([.. (text ?? "").Select(c => c is >= ' ' and <= '~' ? c : c == '\t' ? ' ' : '?')]);

    private static IEnumerable<(string Line, bool Bold)> Lines(DocumentBlock block)
    {
        switch (block)
        {
            case HeadingBlock heading:
                yield return ("", false);
                yield return (Latin(heading.Text), true);
                break;
            case TableBlock table:
                yield return (Latin(string.Join("  ", table.Header)), false);
                var rows = table.Rows.Count == 0 ? [[table.WhenEmpty]] : table.Rows;
                foreach (var line in rows.SelectMany(r => Wrap("  " + string.Join("  ", r))))
                {
                    yield return (line, false);
                }

                break;
            case TextBlock text:
                foreach (var line in Wrap(text.Text))
                {
                    yield return (line, false);
                }

                break;
        }
    }

    private static IEnumerable<string> Wrap(string line) =>
        TextWrap.Lines(Latin(line), WrapAt, s => s.Length);
}
