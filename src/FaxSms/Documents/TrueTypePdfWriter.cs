using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace CallCenter.FaxSms.Documents;

/// <summary>
/// Draws a document with PDFsharp in one TrueType font: Unicode encoding (a Type 0 font with a
/// ToUnicode map, so any character the font has prints and the text can be extracted again), the font
/// embedded as a subset of the glyphs used, streams compressed. A4, 50 pt margins; paragraphs wrap by
/// measured width (<see cref="TextWrap"/>); a table's columns are as wide as their widest cell, numbers
/// right-aligned, and its header is repeated on a new page. The title and headings are simulated bold.
/// </summary>
internal static class TrueTypePdfWriter
{
    private const double Margin = 50;
    private const double TitleSize = 16;
    private const double TextSize = 10;
    private const double Leading = 15;
    private const double ColumnGap = 14;

    public static byte[] Write(DocumentLayout layout, string fontPath)
    {
        var family = DocumentFontResolver.FamilyOf(fontPath);
        var options = new XPdfFontOptions(PdfFontEncoding.Unicode, PdfFontEmbedding.TryComputeSubset);
        var fonts = new Fonts(
            new XFont(family, TitleSize, XFontStyleEx.Bold, options),
            new XFont(family, TextSize, XFontStyleEx.Regular, options),
            new XFont(family, TextSize, XFontStyleEx.Bold, options));
        using var document = new PdfDocument();
        document.Options.CompressContentStreams = true;
        document.Info.Title = layout.Title;
        using (var pages = new Pages(document, fonts))
        {
            pages.Line(layout.Title, fonts.Title, TitleSize + 12);
            foreach (var block in layout.Blocks)
            {
                switch (block)
                {
                    case HeadingBlock heading:
                        pages.Space(Leading / 2);
                        pages.Line(heading.Text, fonts.Bold, Leading);
                        break;
                    case TableBlock table:
                        pages.Table(table);
                        break;
                    case TextBlock text:
                        foreach (var line in TextWrap.Lines(text.Text, pages.Width, s => pages.Measure(s, fonts.Regular)))
                        {
                            pages.Line(line, fonts.Regular, Leading);
                        }

                        break;
                    default:
                        throw new ArgumentException($"Unknown block {block.GetType().Name}.", nameof(layout));
                }
            }
        }

        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    /// <summary>
    /// The text without control characters (a tab or a stray NUL in a name from an import is a space)
    /// and without unpaired surrogates ('?'): the rest the font draws, or leaves as its empty glyph.
    /// </summary>
    internal static string Printable(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsControl(chars[i]))
            {
                chars[i] = ' ';
            }
            else if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = '?';
            }
        }

        return new string(chars);
    }

    private sealed record Fonts(XFont Title, XFont Regular, XFont Bold);

    /// <summary>The page being drawn and the baseline of the next line; a new page when the next line would not fit.</summary>
    private sealed class Pages : IDisposable
    {
        private readonly PdfDocument _document;
        private readonly Fonts _fonts;
        private XGraphics _graphics;
        private double _y;
        private double _bottom;

        public Pages(PdfDocument document, Fonts fonts)
        {
            _document = document;
            _fonts = fonts;
            _graphics = NewPage();
        }

        public double Width { get; private set; }

        public double Measure(string text, XFont font) => _graphics.MeasureString(Printable(text), font).Width;

        public void Space(double height) => _y += height;

        public void Line(string text, XFont font, double height)
        {
            Advance(height);
            if (text.Length > 0)
            {
                _graphics.DrawString(Printable(text), font, XBrushes.Black, new XPoint(Margin, _y));
            }
        }

        public void Table(TableBlock table)
        {
            var columns = table.Header.Count;
            var rows = table.Rows.Select(r => Enumerable.Range(0, columns).Select(i => i < r.Count ? r[i] : "").ToArray()).ToList();
            var widths = Enumerable.Range(0, columns)
                .Select(i => Math.Max(Measure(table.Header[i], _fonts.Bold), rows.Count == 0 ? 0 : rows.Max(r => Measure(r[i], _fonts.Regular))))
                .ToArray();
            if (widths.Sum() + (ColumnGap * (columns - 1)) > Width)
            {
                // Too wide for the page (long names): each row as a wrapped line rather than cut cells.
                foreach (var line in new[] { table.Header }.Concat(rows.Count == 0 ? [[table.WhenEmpty]] : rows).Select(r => string.Join("  ", r)))
                {
                    foreach (var part in TextWrap.Lines(line, Width, s => Measure(s, _fonts.Regular)))
                    {
                        Line(part, _fonts.Regular, Leading);
                    }
                }

                return;
            }

            Row(table.Header, widths, table.AlignRight, _fonts.Bold);
            if (rows.Count == 0)
            {
                Line(table.WhenEmpty, _fonts.Regular, Leading);
            }

            foreach (var row in rows)
            {
                if (Advance(Leading))
                {
                    Row(table.Header, widths, table.AlignRight, _fonts.Bold, advance: false);
                    Advance(Leading);
                }

                Cells(row, widths, table.AlignRight, _fonts.Regular);
            }
        }

        public void Dispose() => _graphics.Dispose();

        private void Row(IReadOnlyList<string> cells, double[] widths, IReadOnlyList<bool> right, XFont font, bool advance = true)
        {
            if (advance)
            {
                Advance(Leading);
            }

            Cells(cells, widths, right, font);
        }

        private void Cells(IReadOnlyList<string> cells, double[] widths, IReadOnlyList<bool> right, XFont font)
        {
            var x = Margin;
            for (var i = 0; i < widths.Length; i++)
            {
                var text = i < cells.Count ? cells[i] : "";
                var left = i < right.Count && right[i] ? x + widths[i] - Measure(text, font) : x;
                if (text.Length > 0)
                {
                    _graphics.DrawString(Printable(text), font, XBrushes.Black, new XPoint(left, _y));
                }

                x += widths[i] + ColumnGap;
            }
        }

        /// <summary>Moves the baseline down by <paramref name="height"/>; true when that took a new page.</summary>
        private bool Advance(double height)
        {
            var turned = _y + height > _bottom;
            if (turned)
            {
                _graphics.Dispose();
                _graphics = NewPage();
            }

            _y += height;
            return turned;
        }

        private XGraphics NewPage()
        {
            var page = _document.AddPage();
            page.Size = PdfSharp.PageSize.A4;
            Width = page.Width.Point - (2 * Margin);
            _bottom = page.Height.Point - Margin;
            _y = Margin;
            return XGraphics.FromPdfPage(page);
        }
    }
}
