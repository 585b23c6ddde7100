using System.Diagnostics;

namespace CallCenter.FaxSms.Fax;

/// <summary>
/// A PDF made into the TIFF-F a fax sends (ghostscript's <c>tiffg4</c> device: 1728 dots wide, A4,
/// fine or standard resolution, each page fitted to A4), and received TIFF-F pages made into a PDF
/// (libtiff's <c>tiff2pdf</c>, which carries the G3/G4 image across without re-encoding it). Both
/// run as child processes under <see cref="FaxRenderLimits"/> (a wall-clock limit, then the process tree
/// is killed; CPU, memory, output size and open files through <c>prlimit</c>); a document either tool
/// refuses, or that hits a limit, ends with a <see cref="FaxDocumentException"/> that says why, and
/// leaves no half-written output behind.
/// </summary>
public static class FaxDocuments
{
    /// <summary>The most pages a document to fax may have (a fax of more is a mistake, not a statement).</summary>
    public const int MaxPages = 50;

    /// <summary>ghostscript's arguments for <paramref name="pdf"/> to <paramref name="tiff"/> (pure, for the tests).</summary>
    public static IReadOnlyList<string> GhostscriptArguments(string pdf, string tiff, FaxResolution resolution) =>
    [
        "-q", "-dBATCH", "-dNOPAUSE", "-dSAFER", "-dPDFSTOPONERROR",
        "-sDEVICE=tiffg4",
        resolution == FaxResolution.Fine ? "-r204x196" : "-r204x98",
        "-sPAPERSIZE=a4", "-dFIXEDMEDIA", "-dPDFFitPage",
        "-dLastPage=" + MaxPages,
        "-sOutputFile=" + tiff,
        "--", pdf,
    ];

    /// <summary>Renders <paramref name="pdf"/> to a TIFF-F at <paramref name="tiff"/> under the default limits; returns its page count.</summary>
    /// <exception cref="FaxDocumentException">Not a PDF, or ghostscript could not render it (its reason).</exception>
    public static Task<int> PdfToTiffAsync(string pdf, string tiff, FaxResolution resolution, CancellationToken cancellationToken) =>
        PdfToTiffAsync(pdf, tiff, resolution, FaxRenderLimits.Default, cancellationToken);

    /// <summary>Renders <paramref name="pdf"/> to a TIFF-F at <paramref name="tiff"/> under <paramref name="limits"/>; returns its page count.</summary>
    /// <exception cref="FaxDocumentException">Not a PDF, ghostscript could not render it, or it hit a limit (the reason).</exception>
    /// <exception cref="System.ComponentModel.Win32Exception">ghostscript or prlimit is not installed.</exception>
    public static async Task<int> PdfToTiffAsync(string pdf, string tiff, FaxResolution resolution, FaxRenderLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ThrowIfNotPdf(pdf);
        var partial = tiff + ".part";
        await _renders.WaitAsync(cancellationToken);
        try
        {
            await RunAsync("gs", GhostscriptArguments(pdf, partial, resolution), limits, cancellationToken);
            var pages = TiffPages.Count(partial);
            if (pages == 0)
            {
                throw new FaxDocumentException("The PDF has no page that could be rendered.");
            }

            File.Move(partial, tiff, overwrite: true);
            return pages;
        }
        finally
        {
            _renders.Release();
            File.Delete(partial);
        }
    }

    /// <summary>Writes the pages of <paramref name="tiff"/> as one PDF at <paramref name="pdf"/> under the default limits.</summary>
    /// <exception cref="FaxDocumentException">tiff2pdf could not read the TIFF (its reason).</exception>
    public static Task TiffToPdfAsync(string tiff, string pdf, CancellationToken cancellationToken) =>
        TiffToPdfAsync(tiff, pdf, FaxRenderLimits.Default, cancellationToken);

    /// <summary>Writes the pages of <paramref name="tiff"/> (a received fax: the far end's data) as one PDF at <paramref name="pdf"/> under <paramref name="limits"/>.</summary>
    /// <exception cref="FaxDocumentException">tiff2pdf could not read the TIFF, or it hit a limit (the reason).</exception>
    public static async Task TiffToPdfAsync(string tiff, string pdf, FaxRenderLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        TiffCheck.ThrowIfNotTiff(tiff);
        var partial = pdf + ".part";
        try
        {
            await RunAsync("tiff2pdf", ["-o", partial, "--", tiff], limits, cancellationToken);
            File.Move(partial, pdf, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    /// <summary>
    /// The first bytes of a PDF: "%PDF-" at the very start (after a UTF-8 byte-order mark or blank lines at most).
    /// ISO 32000-1 tolerates the header anywhere in the first 1024 bytes, but ghostscript picks its interpreter from the
    /// first bytes: a file that starts "%!PS" with "%PDF-" on its second line would run as PostScript, a whole programming
    /// language, under the one flag (<c>-dSAFER</c>) that stands between it and the machine. Only a file ghostscript
    /// itself reads as a PDF is let through.
    /// </summary>
    public static bool LooksLikePdf(ReadOnlySpan<byte> start)
    {
        if (start.StartsWith("\uFEFF"u8))
        {
            start = start[3..];
        }

        return start.TrimStart("\r\n\t "u8).StartsWith("%PDF-"u8);
    }

    /// <summary>
    /// Documents rendered at once. A render is a ghostscript process of up to <see cref="FaxRenderLimits.CpuSeconds"/> of CPU; unbounded,
    /// a burst of uploads would take both cores from the media clock. The rest wait their turn.
    /// </summary>
    public const int MaxRendersAtOnce = 2;

    /// <summary>The most of a tool's error output kept for its reason (its standard output is read and dropped).</summary>
    public const int KeptErrorChars = 4096;

    private static readonly SemaphoreSlim _renders = new(MaxRendersAtOnce, MaxRendersAtOnce);

    private static void ThrowIfNotPdf(string path)
    {
        if (!File.Exists(path))
        {
            throw new FaxDocumentException($"The document does not exist: {path}");
        }

        var start = new byte[1024];
        int read;
        using (var stream = File.OpenRead(path))
        {
            read = stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        }

        if (!LooksLikePdf(start.AsSpan(0, read)))
        {
            throw new FaxDocumentException("The document is not a PDF.");
        }
    }

    /// <summary>
    /// Runs <paramref name="tool"/> under <c>prlimit</c> with <paramref name="limits"/> (prlimit sets them and then
    /// becomes the tool: one process, killed with its tree at the wall-clock limit).
    /// </summary>
    private static async Task RunAsync(string tool, IReadOnlyList<string> arguments, FaxRenderLimits limits, CancellationToken cancellationToken)
    {
        // Found here, so that a missing tool is the host's fault (not installed) rather than prlimit's exit code.
        var path = OnPath(tool) ?? throw new System.ComponentModel.Win32Exception(2, $"{tool} is not installed (not found on PATH)");
        var prlimit = OnPath("prlimit") ?? throw new System.ComponentModel.Win32Exception(2, "prlimit (util-linux) is not installed (not found on PATH); documents are not rendered without limits");
        var start = new ProcessStartInfo(prlimit)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in limits.PrlimitArguments().Append(path).Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new FaxDocumentException($"{tool} could not be started.");
        try
        {
            // The lowest priority (nice 19): a render must not take the cores from live calls' media (the media clock,
            // RTP); with 100 faxes on the clock, renders at the default priority doubled its worst lateness.
            process.PriorityClass = ProcessPriorityClass.Idle;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already ended (a document refused at once): nothing to lower.
        }

        // A document can make a tool print without end (PostScript's "print" in a loop): the output is drained, not kept.
        var error = TailAsync(process.StandardError, KeptErrorChars);
        var output = TailAsync(process.StandardOutput, KeptErrorChars);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(limits.Timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            throw new FaxDocumentException($"{tool} took longer than {limits.Timeout.TotalSeconds:0} s on the document (Fax:RenderTimeoutSeconds) and was stopped.");
        }

        var errorText = await error;
        var outputText = await output;
        if (process.ExitCode != 0)
        {
            throw new FaxDocumentException(limits.Hit(tool, process.ExitCode, errorText + "\n" + outputText)
                ?? $"{tool} could not convert the document: {FirstLines(errorText.Length > 0 ? errorText : outputText)}");
        }
    }

    /// <summary>The full path of <paramref name="tool"/> on PATH, or null.</summary>
    private static string? OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(File.Exists);

    /// <summary>Reads <paramref name="reader"/> to its end and returns its last <paramref name="keep"/> characters at most.</summary>
    internal static async Task<string> TailAsync(TextReader reader, int keep)
    {
        var buffer = new char[4096];
        var kept = new System.Text.StringBuilder();
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            kept.Append(buffer, 0, read);
            if (kept.Length > keep)
            {
                kept.Remove(0, kept.Length - keep);
            }
        }

        return kept.ToString();
    }

    private static string FirstLines(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var first = string.Join(" ", lines.Take(2));
        return first.Length > 200 ? first[..200] : first;
    }
}
