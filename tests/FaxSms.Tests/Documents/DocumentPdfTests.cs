using System.Text;
using CallCenter.FaxSms.Documents;
using UglyToad.PdfPig;

namespace CallCenter.FaxSms.Tests.Documents;

/// <summary>
/// The PDFs themselves, with Debian's fonts-wqy-microhei (scripts/test.sh installs it): the text read
/// back with PdfPig holds the Chinese name, stock names and labels; the font goes in as a subset (a
/// one-page statement stays small though the font file is megabytes); without a font the platform
/// falls back to Helvetica; a font file PDFsharp cannot subset is refused with the reason.
/// </summary>
public sealed class DocumentPdfTests
{
    /// <summary>The most a one-page statement may weigh as a fax or e-mail attachment (the whole font would be megabytes).</summary>
    private const int MaxStatementBytes = 100 * 1024;

    /// <summary>A TrueType font without Chinese (Debian's fonts-dejavu-core, which scripts/test.sh installs).</summary>
    private const string LatinOnlyFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    private static DocumentPdf Chinese()
    {
        Assert.That(File.Exists(DocumentOptions.DefaultFont), $"{DocumentOptions.DefaultFont} is missing: apt-get install fonts-wqy-microhei");
        return new DocumentPdf(DocumentOptions.DefaultFont);
    }

    internal static string TextOf(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return string.Join("\n", document.GetPages().Select(p => p.Text));
    }

    [Test]
    public void AStatementInMandarinReadsBackWithTheClientsNameStockNamesAndLabels()
    {
        var pdf = Chinese().Render(DocumentTexts.Layout(DocumentTextsTests.Statement, DocumentLabels.Chinese));

        var text = TextOf(pdf);
        TestContext.Out.WriteLine($"one-page statement in Mandarin: {pdf.Length} bytes");
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("账户对账单").And.Contain("客户：王建国"));
            Assert.That(text, Does.Contain("贵州茅台").And.Contain("浦发银行").And.Contain("五粮液"));
            Assert.That(text, Does.Contain("资金余额：98,480.00元").And.Contain("日期：2026年12月4日"));
            Assert.That(text, Does.Not.Contain("?"), "no character fell back to '?'");
            using var document = PdfDocument.Open(pdf);
            Assert.That(document.NumberOfPages, Is.EqualTo(1));
        });
    }

    [Test]
    public void TheFontIsEmbeddedAsASubsetSoAOnePageStatementStaysSmall()
    {
        var pdf = Chinese().Render(DocumentTexts.Layout(DocumentTextsTests.Statement, DocumentLabels.Chinese));
        var raw = Encoding.Latin1.GetString(pdf);
        var fontBytes = new FileInfo(DocumentOptions.DefaultFont).Length;

        TestContext.Out.WriteLine($"statement {pdf.Length} bytes; font file {fontBytes} bytes");
        Assert.Multiple(() =>
        {
            Assert.That(pdf, Has.Length.LessThan(MaxStatementBytes), "a fax or e-mail attachment must stay small");
            Assert.That(pdf, Has.Length.LessThan(fontBytes / 20), "far smaller than the font: a subset, not the whole file");
            Assert.That(raw, Does.Contain("/FontFile2"), "the TrueType program is embedded (a PDF reader or ghostscript needs no font of its own)");
            Assert.That(raw, Does.Match(@"/BaseFont\s*/[A-Z]{6}\+"), "ISO 32000-1 9.6.4: a subset's name carries a six-letter tag");
        });
    }

    [Test]
    public void AnEnglishStatementStillReadsAsBefore()
    {
        var pdf = Chinese().Render(DocumentTexts.Layout(DocumentTextsTests.Statement, DocumentLabels.English));

        var text = TextOf(pdf);
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("Account statement").And.Contain("Client: 王建国"));
            Assert.That(text, Does.Contain("Available: 96,960.00 CNY").And.Contain("****0001").And.Contain("600519"));
            Assert.That(text, Does.Contain("Today's orders").And.Contain("Buy"));
        });
    }

    [Test]
    public void ALongNoteWrapsOntoASecondPageWithNothingLost()
    {
        var paragraph = string.Concat(Enumerable.Repeat("上证综指本周基本持平，大型银行股表现稳健。Banks held their ground this week. ", 12));
        var layout = new DocumentLayout("每周市场点评", [.. Enumerable.Range(1, 8).Select(i => new TextBlock($"第{i}段 " + paragraph))]);

        var pdf = Chinese().Render(layout);

        using var document = PdfDocument.Open(pdf);
        var text = string.Concat(document.GetPages().Select(p => p.Text)).Replace(" ", "", StringComparison.Ordinal);
        Assert.Multiple(() =>
        {
            Assert.That(document.NumberOfPages, Is.GreaterThanOrEqualTo(2));
            Assert.That(text, Does.Contain("第8段"), "the last paragraph is there");
            Assert.That(document.GetPages().SelectMany(p => p.Letters).Select(l => l.EndBaseLine.X).Max(), Is.LessThanOrEqualTo(595.3 - 49), "every line ends inside the right margin");
        });
    }

    [Test]
    public void ANameWithControlCharactersOrCharactersTheFontLacksStillRenders()
    {
        var odd = DocumentTextsTests.Statement with { ClientName = "王\u0000建国\t😀\uD800" };

        var pdf = Chinese().Render(DocumentTexts.Layout(odd, DocumentLabels.Chinese));

        Assert.That(TextOf(pdf), Does.Contain("客户：王").And.Contain("建国").And.Contain("贵州茅台"));
    }

    [Test]
    public void WithoutAFontTheDocumentIsHelveticaAndSaysSo()
    {
        var fallback = new DocumentPdf("");

        var text = TextOf(fallback.Render(DocumentTexts.Layout(DocumentTextsTests.Statement, DocumentLabels.English)));

        Assert.Multiple(() =>
        {
            Assert.That(fallback.DrawsChinese, Is.False);
            Assert.That(text, Does.Contain("Cash: 98,480.00 CNY").And.Contain("600519"));
            Assert.That(text, Does.Contain("Client: ???"), "Helvetica has no Chinese");
        });
    }

    [Test]
    public void AFontFileThatCannotBeUsedIsRefusedWithTheReason()
    {
        var directory = Directory.CreateTempSubdirectory("fonts-test").FullName;
        try
        {
            var collection = Path.Combine(directory, "broken.ttc");
            var cff = Path.Combine(directory, "noto.otf");
            var text = Path.Combine(directory, "notes.txt");
            File.WriteAllBytes(collection, [.. "ttcf"u8, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0x7F, 0xFF]);
            File.WriteAllBytes(cff, [.. "OTTO"u8, 0, 9]);
            File.WriteAllText(text, "not a font");

            Assert.Multiple(() =>
            {
                Assert.That(DocumentFontFile.Check(DocumentOptions.DefaultFont), Is.Null);
                Assert.That(DocumentFontFile.Check(collection), Does.Contain("cannot be read as a font").And.Contain("outside the file"));
                Assert.That(DocumentFontFile.Check(cff), Does.Contain("PostScript (CFF) outlines"));
                Assert.That(DocumentFontFile.Check(text), Does.Contain("not a TrueType font"));
                Assert.That(DocumentFontFile.Check(LatinOnlyFont), Does.Contain("cannot draw \"中文账户资金元\""), "DejaVu Sans: Latin, Greek, Cyrillic, no Chinese");
                Assert.That(DocumentFontFile.Check(Path.Combine(directory, "missing.ttf")), Does.StartWith("no file"));
                Assert.That(new DocumentOptions { Font = "fonts/missing.ttf", FontPath = Path.Combine(directory, "missing.ttf") }.Validate(),
                    Has.One.StartsWith("Documents:Font: no file"));
            });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void ACollectionsFirstFaceIsAFontOfItsOwn()
    {
        var collection = File.ReadAllBytes(DocumentOptions.DefaultFont);

        var face = TrueTypeCollection.Face(collection, 0);
        var second = TrueTypeCollection.Face(collection, 1);

        Assert.Multiple(() =>
        {
            Assert.That(TrueTypeCollection.IsCollection(collection), Is.True);
            Assert.That(face[..4], Is.EqualTo(new byte[] { 0, 1, 0, 0 }), "an sfnt of TrueType outlines");
            Assert.That(face, Has.Length.LessThan(collection.Length), "one face, not both");
            Assert.That(second, Is.Not.EqualTo(face), "the second face (Micro Hei Mono) differs");
            Assert.That(() => TrueTypeCollection.Face(collection, 2), Throws.TypeOf<FormatException>().With.Message.Contains("no face 2"));
            Assert.That(() => TrueTypeCollection.Face(collection.AsSpan(0, 400), 0), Throws.TypeOf<FormatException>(), "a truncated file");
        });
    }

    [Test]
    public void WithNoFontNamedTheDefaultIsUsedWhenInstalled()
    {
        var options = new DocumentOptions();

        options.ResolveFont("/nonexistent-config");

        Assert.Multiple(() =>
        {
            Assert.That(options.FontPath, Is.EqualTo(DocumentOptions.DefaultFont));
            Assert.That(options.Validate(), Is.Empty);
        });
    }
}
