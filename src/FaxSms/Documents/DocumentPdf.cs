using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace CallCenter.FaxSms.Documents;

/// <summary>
/// Writes a document (a title and lines of text) as an A4 PDF with PdfPig, in the PDF standard
/// Helvetica (no font file to ship or embed). Helvetica's encoding covers Latin text only, so any
/// other character is written as '?': the documents this platform renders (the statement, the
/// research note) are written in English for that reason. Long lines wrap; pages follow as needed.
/// </summary>
public static class DocumentPdf
{
    private const double Margin = 50;
    private const double TitleSize = 16;
    private const double TextSize = 10;
    private const double Leading = 14;
    private const int WrapAt = 95;

    public static byte[] Render(string title, IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(lines);
        var builder = new PdfDocumentBuilder();
        var regular = builder.AddStandard14Font(Standard14Font.Helvetica);
        var bold = builder.AddStandard14Font(Standard14Font.HelveticaBold);
        var page = builder.AddPage(PageSize.A4);
        var top = page.PageSize.Height - Margin;
        page.AddText(Latin(title), TitleSize, new PdfPoint(Margin, top), bold);
        var y = top - (2 * Leading);
        foreach (var line in lines.SelectMany(Wrap))
        {
            if (y < Margin)
            {
                page = builder.AddPage(PageSize.A4);
                y = top;
            }

            if (line.Length > 0)
            {
                page.AddText(line, TextSize, new PdfPoint(Margin, y), regular);
            }

            y -= Leading;
        }

        return builder.Build();
    }

    /// <summary>The text with every character Helvetica cannot draw replaced by '?'.</summary>
    public static string Latin(string text) =>
        new([.. (text ?? "").Select(c => c is >= ' ' and <= '~' ? c : c == '\t' ? ' ' : '?')]);

    private static IEnumerable<string> Wrap(string line)
    {
        var rest = Latin(line);
        while (rest.Length > WrapAt)
        {
            var cut = rest.LastIndexOf(' ', WrapAt);
            cut = cut <= 0 ? WrapAt : cut;
            yield return rest[..cut];
            rest = rest[cut..].TrimStart();
        }

        yield return rest;
    }
}
