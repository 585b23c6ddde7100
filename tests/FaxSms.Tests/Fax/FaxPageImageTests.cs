namespace CallCenter.FaxSms.Tests.Fax;

/// <summary>
/// The page comparer the fax tests judge received images with (<see cref="FaxPageImage"/>, in
/// TestSupport): pages drawn by the real ghostscript from small PostScript files. The same page
/// matches whatever its T.4 coding, its resolution or a small shift; another page, a missing line or
/// a blank page does not.
/// </summary>
public sealed class FaxPageImageTests
{
    private const string PageOne = "72 700 moveto (Fax test page one) show 72 650 moveto (Statement of account 880000000001) show";
    private const string PageTwo = "72 700 moveto (Page two: research note) show 100 100 moveto 500 600 lineto 4 setlinewidth stroke";

    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("fax-page-image-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    private FaxPageImage Render(string name, string drawing, string device = "tiffg4", string resolution = "-r204x196")
    {
        var ps = Path.Combine(_dir, name + ".ps");
        var tiff = Path.Combine(_dir, name + ".tif");
        File.WriteAllText(ps, "%!PS\n/Helvetica findfont 28 scalefont setfont\n" + drawing + "\nshowpage\n");
        TestDocuments.Run("gs", "-q", "-dBATCH", "-dNOPAUSE", "-dSAFER", "-sDEVICE=" + device, resolution, "-sPAPERSIZE=a4", "-sOutputFile=" + tiff, ps);
        return FaxPageImage.ReadAll(tiff).Single();
    }

    [Test]
    public void ThePageMatchesItselfWhateverItsT4Coding()
    {
        var g4 = Render("g4", PageOne);
        var g3 = Render("g3", PageOne, device: "tiffg32d");
        var uncompressed = Render("raw", PageOne, device: "tiffpack");

        var coded = FaxPageImage.Compare(g4, g3);
        var plain = FaxPageImage.Compare(g4, uncompressed);

        Assert.Multiple(() =>
        {
            Assert.That(g4.Width, Is.EqualTo(1728), "ghostscript's fax devices make A4 1728 dots wide");
            Assert.That(g4.Ink, Is.GreaterThan(1000), "the text left ink");
            Assert.That(coded.Score, Is.EqualTo(1.0), coded.ToString());
            Assert.That(coded.RowShift, Is.Zero);
            Assert.That(plain.Score, Is.EqualTo(1.0), plain.ToString());
        });
    }

    [Test]
    public void TheSamePageAtStandardResolutionMatchesItsFineRendering()
    {
        var fine = Render("fine", PageOne);
        var standard = Render("standard", PageOne, resolution: "-r204x98");

        var match = FaxPageImage.Compare(fine, standard);
        TestContext.Out.WriteLine(match);

        Assert.Multiple(() =>
        {
            Assert.That(standard.YDpi, Is.EqualTo(98));
            Assert.That(standard.Height, Is.EqualTo(fine.Height / 2).Within(1));
            Assert.That(match.Score, Is.GreaterThanOrEqualTo(FaxPageMatch.SameDocument), match.ToString());
        });
    }

    [Test]
    public void APageMovedDownAFewRowsStillMatches()
    {
        var page = Render("page", PageOne);
        var moved = Render("moved", "0 -1.5 translate " + PageOne);

        var match = FaxPageImage.Compare(page, moved);

        Assert.Multiple(() =>
        {
            Assert.That(match.Score, Is.GreaterThanOrEqualTo(FaxPageMatch.SameDocument), match.ToString());
            Assert.That(match.RowShift, Is.InRange(3, 5), "1.5 points at 196 lines an inch");
        });
    }

    [Test]
    public void AnotherPageDoesNotMatch()
    {
        var one = Render("one", PageOne);
        var two = Render("two", PageTwo);

        var match = FaxPageImage.Compare(one, two);
        TestContext.Out.WriteLine(match);

        Assert.That(match.Score, Is.LessThan(0.5), match.ToString());
    }

    [Test]
    public void APageWithALineMissingDoesNotMatch()
    {
        var whole = Render("whole", PageOne);
        var lacking = Render("lacking", "72 700 moveto (Fax test page one) show");

        var match = FaxPageImage.Compare(whole, lacking);
        TestContext.Out.WriteLine(match);

        Assert.That(match.Score, Is.LessThan(FaxPageMatch.SameDocument), match.ToString());
    }

    [Test]
    public void ABlankPageMatchesNothingButABlankPage()
    {
        var blank = Render("blank", "");
        var page = Render("page", PageOne);

        Assert.Multiple(() =>
        {
            Assert.That(blank.Ink, Is.Zero);
            Assert.That(FaxPageImage.Compare(page, blank).Score, Is.Zero);
            Assert.That(FaxPageImage.Compare(blank, page).Score, Is.Zero);
            Assert.That(FaxPageImage.Compare(blank, blank).Score, Is.EqualTo(1.0));
        });
    }
}
