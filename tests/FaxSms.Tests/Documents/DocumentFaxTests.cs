using BitMiracle.LibTiff.Classic;
using CallCenter.FaxSms.Documents;
using CallCenter.FaxSms.Fax;

namespace CallCenter.FaxSms.Tests.Documents;

/// <summary>
/// The fax path of a Chinese document: the PDF rendered to TIFF-F by the real ghostscript, as
/// <see cref="FaxOutbox"/> does before a fax is queued, and the page's pixels read back with LibTiff.NET.
/// The Chinese text must leave ink where it was drawn, as wide as four full-width characters (four
/// '?' in Helvetica would be about half as wide, a missing glyph nothing), and two different names
/// must leave different ink.
/// </summary>
public sealed class DocumentFaxTests
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("document-fax-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private async Task<Page> FaxPageAsync(string name, DocumentLayout layout)
    {
        var pdf = Path.Combine(_directory, name + ".pdf");
        var tiff = Path.Combine(_directory, name + ".tif");
        await File.WriteAllBytesAsync(pdf, new DocumentPdf(DocumentOptions.DefaultFont).Render(layout));
        var pages = await FaxDocuments.PdfToTiffAsync(pdf, tiff, FaxResolution.Fine, CancellationToken.None);
        Assert.That(pages, Is.EqualTo(1));
        return Page.Read(tiff);
    }

    [Test]
    public async Task AChineseStockNameFaxedLeavesFullWidthInkWhereItWasDrawn()
    {
        Assert.That(File.Exists(DocumentOptions.DefaultFont), $"{DocumentOptions.DefaultFont} is missing: apt-get install fonts-wqy-microhei");

        var moutai = await FaxPageAsync("moutai", new DocumentLayout("贵州茅台", []));
        var wuliangye = await FaxPageAsync("wuliangye", new DocumentLayout("五粮液", []));

        // The title is drawn 16 pt high on a baseline 78 pt below the page's top edge, from 50 pt in.
        var ink = moutai.InkBox();
        TestContext.Out.WriteLine($"ink {ink}; {moutai.Black} black pixels; page {moutai.Width}x{moutai.Height}");
        var dotsX = 204.0 / 72;
        var dotsY = 196.0 / 72;
        Assert.Multiple(() =>
        {
            Assert.That(moutai.Black, Is.GreaterThan(500), "the page is not blank");
            Assert.That(ink.Top, Is.InRange(55 * dotsY, 80 * dotsY), "ink starts where the title's characters are");
            Assert.That(ink.Bottom, Is.InRange(70 * dotsY, 85 * dotsY), "and ends at its baseline (the characters stand on it)");
            Assert.That(ink.Right - ink.Left, Is.GreaterThan(3.5 * 16 * dotsX), "four full-width characters, not four '?'");
            Assert.That(moutai.Rows(ink.Top, ink.Bottom), Is.Not.EqualTo(wuliangye.Rows(ink.Top, ink.Bottom)), "other characters, other ink");
        });
    }

    [Test]
    public async Task AFaxedStatementInMandarinKeepsTheClientsNameOnItsLine()
    {
        var statement = await FaxPageAsync("statement", DocumentTexts.Layout(DocumentTextsTests.Statement, DocumentLabels.Chinese));
        var withoutName = await FaxPageAsync("no-name", DocumentTexts.Layout(DocumentTextsTests.Statement with { ClientName = "" }, DocumentLabels.Chinese));

        // The name's line (客户：王建国) is the first after the title: baseline at 93 pt.
        var dotsY = 196.0 / 72;
        var (top, bottom) = ((int)(80 * dotsY), (int)(96 * dotsY));
        Assert.Multiple(() =>
        {
            Assert.That(statement.Black, Is.GreaterThan(withoutName.Black), "the name's line adds ink");
            Assert.That(statement.BlackIn(top, bottom), Is.GreaterThan(400), "客户：王建国 is drawn, not blank");
        });
    }

    /// <summary>One fax page's pixels (1 bit each), black true.</summary>
    private sealed class Page(int width, int height, bool[][] rows)
    {
        public int Width => width;

        public int Height => height;

        public int Black => rows.Sum(r => r.Count(b => b));

        public static Page Read(string path)
        {
            using var tiff = Tiff.Open(path, "r") ?? throw new InvalidOperationException("not a TIFF: " + path);
            var width = tiff.GetField(TiffTag.IMAGEWIDTH)[0].ToInt();
            var height = tiff.GetField(TiffTag.IMAGELENGTH)[0].ToInt();
            var whiteIsZero = (Photometric)tiff.GetField(TiffTag.PHOTOMETRIC)[0].ToInt() == Photometric.MINISWHITE;
            var line = new byte[tiff.ScanlineSize()];
            var rows = new bool[height][];
            for (var y = 0; y < height; y++)
            {
                tiff.ReadScanline(line, y);
                rows[y] = [.. Enumerable.Range(0, width).Select(x => (((line[x >> 3] >> (7 - (x & 7))) & 1) == 1) == whiteIsZero)];
            }

            return new Page(width, height, rows);
        }

        public int BlackIn(int top, int bottom) => rows[top..bottom].Sum(r => r.Count(b => b));

        public string Rows(double top, double bottom) =>
            string.Join("\n", rows[(int)top..((int)bottom + 1)].Select(r => new string([.. r.Select(b => b ? '#' : '.')])));

        public (double Left, double Top, double Right, double Bottom) InkBox()
        {
            var inked = Enumerable.Range(0, height).Where(y => rows[y].Contains(true)).ToList();
            Assert.That(inked, Is.Not.Empty, "a blank page");
            var columns = inked.SelectMany(y => Enumerable.Range(0, width).Where(x => rows[y][x])).ToList();
            return (columns.Min(), inked.Min(), columns.Max(), inked.Max());
        }
    }
}
