using System.Diagnostics;

namespace CallCenter.FaxSms.Tests.Fax;

/// <summary>Small fax documents made with ghostscript (a Debian package the tests install).</summary>
internal static class TestDocuments
{
    public const string TwoPagePostScript = """
        %!PS
        /Helvetica findfont 28 scalefont setfont
        72 700 moveto (CallCenter fax test, page one) show
        72 650 moveto (Statement of account 880000000001) show
        showpage
        72 700 moveto (Page two: research note) show
        100 100 moveto 500 600 lineto 4 setlinewidth stroke
        showpage
        """;

    public static string TwoPageTiff(string directory)
    {
        var ps = Path.Combine(directory, "two-pages.ps");
        var tiff = Path.Combine(directory, "two-pages.tif");
        if (!File.Exists(tiff))
        {
            File.WriteAllText(ps, TwoPagePostScript);
            Run("gs", "-q", "-dBATCH", "-dNOPAUSE", "-dSAFER", "-sDEVICE=tiffg4", "-r204x196", "-sPAPERSIZE=a4", "-sOutputFile=" + tiff, ps);
        }

        return tiff;
    }

    /// <summary>A TIFF-F (fine, A4) of <paramref name="postScript"/>, made once per directory and name.</summary>
    public static string Tiff(string directory, string name, string postScript)
    {
        var ps = Path.Combine(directory, name + ".ps");
        var tiff = Path.Combine(directory, name + ".tif");
        if (!File.Exists(tiff))
        {
            File.WriteAllText(ps, postScript);
            Run("gs", "-q", "-dBATCH", "-dNOPAUSE", "-dSAFER", "-sDEVICE=tiffg4", "-r204x196", "-sPAPERSIZE=a4", "-sOutputFile=" + tiff, ps);
        }

        return tiff;
    }

    public static string TwoPagePdf(string directory)
    {
        var ps = Path.Combine(directory, "two-pages.ps");
        var pdf = Path.Combine(directory, "two-pages.pdf");
        if (!File.Exists(pdf))
        {
            File.WriteAllText(ps, TwoPagePostScript);
            Run("gs", "-q", "-dBATCH", "-dNOPAUSE", "-dSAFER", "-sDEVICE=pdfwrite", "-sOutputFile=" + pdf, ps);
        }

        return pdf;
    }

    public static void Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} exited {process.ExitCode}: {error}");
        }
    }
}
