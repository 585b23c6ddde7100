using CallCenter.FaxSms.Fax;

namespace CallCenter.FaxSms.Tests.Fax;

/// <summary>PDF to TIFF-F and back with the real ghostscript and tiff2pdf.</summary>
public sealed class FaxDocumentsTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory()
    {
        _dir = Path.Combine(Path.GetTempPath(), "fax-docs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    [TestCase(FaxResolution.Fine, 196)]
    [TestCase(FaxResolution.Standard, 98)]
    public async Task APdfBecomesATiffFOfTheSamePages(FaxResolution resolution, int yDpi)
    {
        var pdf = TestDocuments.TwoPagePdf(_dir);
        var tiff = Path.Combine(_dir, "out.tif");

        var pages = await FaxDocuments.PdfToTiffAsync(pdf, tiff, resolution, CancellationToken.None);

        var read = TiffPages.Read(tiff);
        Assert.Multiple(() =>
        {
            Assert.That(pages, Is.EqualTo(2));
            Assert.That(read, Has.Count.EqualTo(2));
            Assert.That(read.Select(p => p.Width), Is.All.EqualTo(1728), "T.4's A4 width at 204 dpi");
            Assert.That(read.Select(p => p.XDpi), Is.All.EqualTo(204));
            Assert.That(read.Select(p => p.YDpi), Is.All.EqualTo(yDpi));
            Assert.That(File.Exists(tiff + ".part"), Is.False);
        });
    }

    [Test]
    public async Task ReceivedPagesBecomeAPdfThatRendersToTheSamePages()
    {
        var tiff = Path.Combine(_dir, "first.tif");
        await FaxDocuments.PdfToTiffAsync(TestDocuments.TwoPagePdf(_dir), tiff, FaxResolution.Fine, CancellationToken.None);
        var pdf = Path.Combine(_dir, "received.pdf");

        await FaxDocuments.TiffToPdfAsync(tiff, pdf, CancellationToken.None);
        var again = Path.Combine(_dir, "again.tif");
        var pages = await FaxDocuments.PdfToTiffAsync(pdf, again, FaxResolution.Fine, CancellationToken.None);

        Assert.That(pages, Is.EqualTo(2));
    }

    [Test]
    public void SomethingThatIsNotAPdfIsRefusedWithTheReason()
    {
        var path = Path.Combine(_dir, "statement.pdf");
        File.WriteAllText(path, "Dear client, ...");

        var error = Assert.ThrowsAsync<FaxDocumentException>(() => FaxDocuments.PdfToTiffAsync(path, Path.Combine(_dir, "x.tif"), FaxResolution.Fine, CancellationToken.None));

        Assert.That(error!.Message, Is.EqualTo("The document is not a PDF."));
    }

    [Test]
    public void PostScriptWithAPdfHeaderOnItsSecondLineIsRefusedBeforeGhostscriptRunsIt()
    {
        // ghostscript reads a file that starts "%!" as PostScript, whatever comes after: the whole language, not a document.
        // Before the header check was strict, this program drew a page and was faxed.
        var path = Path.Combine(_dir, "statement.pdf");
        File.WriteAllText(path, "%!PS\n% %PDF-1.4\n/Helvetica findfont 20 scalefont setfont 100 700 moveto (PostScript ran) show showpage\n");
        var tiff = Path.Combine(_dir, "x.tif");

        var error = Assert.ThrowsAsync<FaxDocumentException>(() => FaxDocuments.PdfToTiffAsync(path, tiff, FaxResolution.Fine, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Is.EqualTo("The document is not a PDF."));
            Assert.That(File.Exists(tiff), Is.False);
        });
    }

    [TestCase("%PDF-1.7\n", true)]
    [TestCase("\uFEFF%PDF-1.4\n", true)]
    [TestCase("\r\n%PDF-1.4\n", true)]
    [TestCase("%!PS-Adobe-3.0\n%PDF-1.4\n", false)]
    [TestCase("junk %PDF-1.4\n", false)]
    [TestCase("", false)]
    public void APdfStartsWithItsHeader(string start, bool pdf) =>
        Assert.That(FaxDocuments.LooksLikePdf(System.Text.Encoding.UTF8.GetBytes(start)), Is.EqualTo(pdf));

    [Test]
    public async Task AToolsEndlessOutputIsDrainedAndOnlyItsTailKept()
    {
        using var reader = new StringReader(new string('x', 1_000_000) + "the reason");

        var tail = await FaxDocuments.TailAsync(reader, 64);

        Assert.Multiple(() =>
        {
            Assert.That(tail, Has.Length.EqualTo(64));
            Assert.That(tail, Does.EndWith("the reason"));
        });
    }

    [Test]
    public void ABrokenPdfIsRefusedWithGhostscriptsReasonAndLeavesNothing()
    {
        var path = Path.Combine(_dir, "broken.pdf");
        File.WriteAllText(path, "%PDF-1.4\ngarbage garbage\n%%EOF\n");
        var tiff = Path.Combine(_dir, "x.tif");

        var error = Assert.ThrowsAsync<FaxDocumentException>(() => FaxDocuments.PdfToTiffAsync(path, tiff, FaxResolution.Fine, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.StartWith("gs could not convert the document:"));
            Assert.That(File.Exists(tiff), Is.False);
            Assert.That(File.Exists(tiff + ".part"), Is.False);
        });
    }

    [Test]
    public void AFileNamedLikeAnOptionIsTakenAsAFile()
    {
        var arguments = FaxDocuments.GhostscriptArguments("-sOutputFile=/etc/passwd", "out.tif", FaxResolution.Fine);

        Assert.That(arguments[^2], Is.EqualTo("--"), "ghostscript reads what follows -- as files, never options");
    }

    // The limits a rendering runs under (FaxRenderLimits, through prlimit). Each test gives one limit small enough
    // to be hit and the others as configured by default; without the limits, each of these documents renders.
    private static FaxRenderLimits Limits(int timeoutSeconds = 60, int cpuSeconds = 30, int memoryMb = 512, long outputBytes = 64L << 20) =>
        new(TimeSpan.FromSeconds(timeoutSeconds), cpuSeconds, (long)memoryMb << 20, outputBytes);

    [Test]
    public void ADocumentThatKeepsGhostscriptBusyIsStoppedAtItsCpuLimitAndLeavesNothing()
    {
        // About 20 s of CPU unlimited; valid, small (25 KB), and accepted before the limits.
        var path = Path.Combine(_dir, "busy.pdf");
        File.WriteAllBytes(path, HostilePdf.Busy(200_000));
        var tiff = Path.Combine(_dir, "busy.tif");

        var error = Assert.ThrowsAsync<FaxDocumentException>(() => FaxDocuments.PdfToTiffAsync(path, tiff, FaxResolution.Fine, Limits(cpuSeconds: 1), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Is.EqualTo("gs used more than 1 s of CPU on the document (Fax:RenderCpuSeconds) and was stopped."));
            Assert.That(File.Exists(tiff), Is.False);
            Assert.That(File.Exists(tiff + ".part"), Is.False);
        });
    }

    [Test]
    public void ARenderingPastTheWallClockLimitIsKilledAndLeavesNoProcessNorFile()
    {
        var path = Path.Combine(_dir, "busy.pdf");
        File.WriteAllBytes(path, HostilePdf.Busy(200_000));
        var tiff = Path.Combine(_dir, "slow.tif");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var error = Assert.ThrowsAsync<FaxDocumentException>(() => FaxDocuments.PdfToTiffAsync(path, tiff, FaxResolution.Fine, Limits(timeoutSeconds: 2, cpuSeconds: 600), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Is.EqualTo("gs took longer than 2 s on the document (Fax:RenderTimeoutSeconds) and was stopped."));
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)), "killed at the limit, not after the 20 s the document takes");
            Assert.That(ProcessesNaming(tiff), Is.Empty, "ghostscript was killed, not left running");
            Assert.That(File.Exists(tiff), Is.False);
            Assert.That(File.Exists(tiff + ".part"), Is.False);
        });
    }

    [Test]
    public void ARenderingThatNeedsMoreMemoryThanAllowedIsRefusedNamingTheKey()
    {
        // 40 MiB of address space: less than ghostscript needs for an ordinary two-page statement.
        var tiff = Path.Combine(_dir, "small.tif");

        var error = Assert.ThrowsAsync<FaxDocumentException>(() => FaxDocuments.PdfToTiffAsync(TestDocuments.TwoPagePdf(_dir), tiff, FaxResolution.Fine, Limits(memoryMb: 40), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Is.EqualTo("gs needed more memory than the 40 MiB allowed (Fax:RenderMemoryMb)."));
            Assert.That(File.Exists(tiff), Is.False);
            Assert.That(File.Exists(tiff + ".part"), Is.False);
        });
    }

    [Test]
    public void ARenderingWhoseOutputGrowsPastTheLimitIsStoppedAndLeavesNothing()
    {
        // The two pages' TIFF-F is about 2.6 KB: 1,000 bytes is not enough.
        var tiff = Path.Combine(_dir, "big.tif");

        var error = Assert.ThrowsAsync<FaxDocumentException>(() => FaxDocuments.PdfToTiffAsync(TestDocuments.TwoPagePdf(_dir), tiff, FaxResolution.Fine, Limits(outputBytes: 1000), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.StartWith("gs's output grew past").And.Contain("(Fax:RenderMaxOutputMb)"));
            Assert.That(File.Exists(tiff), Is.False);
            Assert.That(File.Exists(tiff + ".part"), Is.False);
        });
    }

    [Test]
    public async Task AnOrdinaryDocumentRendersWellWithinTheDefaultLimits()
    {
        var tiff = Path.Combine(_dir, "ordinary.tif");

        var pages = await FaxDocuments.PdfToTiffAsync(TestDocuments.TwoPagePdf(_dir), tiff, FaxResolution.Fine, new FaxOptions().ToRenderLimits(), CancellationToken.None);

        Assert.That(pages, Is.EqualTo(2));
    }

    [Test]
    public void ReceivedPagesAreMadeAPdfUnderTheLimitsToo()
    {
        var tiff = Path.Combine(_dir, "received.tif");
        File.Copy(TestDocuments.TwoPageTiff(_dir), tiff);
        var pdf = Path.Combine(_dir, "received.pdf");

        var error = Assert.ThrowsAsync<FaxDocumentException>(() => FaxDocuments.TiffToPdfAsync(tiff, pdf, Limits(outputBytes: 100), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.StartWith("tiff2pdf's output grew past"));
            Assert.That(File.Exists(pdf), Is.False);
            Assert.That(File.Exists(pdf + ".part"), Is.False);
        });
    }

    [Test]
    public async Task GhostscriptRendersAtTheLowestPrioritySoLiveCallsMediaComesFirst()
    {
        var path = Path.Combine(_dir, "busy.pdf");
        File.WriteAllBytes(path, HostilePdf.Busy(200_000));
        var tiff = Path.Combine(_dir, "niced.tif");
        using var stop = new CancellationTokenSource();
        var rendering = FaxDocuments.PdfToTiffAsync(path, tiff, FaxResolution.Fine, Limits(timeoutSeconds: 30, cpuSeconds: 600), stop.Token);

        int? nice = null;
        for (var i = 0; i < 200 && nice is null; i++)
        {
            foreach (var pid in ProcessesNaming(tiff))
            {
                try
                {
                    // /proc/<pid>/stat: the 19th field is the nice value (counted after the command's closing parenthesis).
                    var stat = await File.ReadAllTextAsync($"/proc/{pid}/stat");
                    nice = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16], System.Globalization.CultureInfo.InvariantCulture);
                }
                catch (IOException)
                {
                    // Gone while we looked.
                }
            }

            await Task.Delay(25);
        }

        await stop.CancelAsync();
        Assert.CatchAsync(() => rendering);
        Assert.That(nice, Is.EqualTo(19), "ghostscript seen running at nice 19");
    }

    [Test]
    public void TheLimitsArePassedToPrlimitBeforeTheTool() =>
        Assert.That(Limits(cpuSeconds: 7, memoryMb: 100, outputBytes: 5 << 20).PrlimitArguments(),
            Is.EqualTo(new[] { "--cpu=7:8", "--as=104857600", "--fsize=5242880", "--nofile=64", "--core=0", "--" }));

    /// <summary>The processes whose command line names <paramref name="path"/> (ours: the output file is unique to the test).</summary>
    private static List<int> ProcessesNaming(string path)
    {
        var found = new List<int>();
        foreach (var directory in Directory.GetDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid))
            {
                try
                {
                    if (File.ReadAllText(Path.Combine(directory, "cmdline")).Contains(path, StringComparison.Ordinal))
                    {
                        found.Add(pid);
                    }
                }
                catch (IOException)
                {
                    // Gone while we looked.
                }
                catch (UnauthorizedAccessException)
                {
                    // Not ours.
                }
            }
        }

        return found;
    }
}
