using BitMiracle.LibTiff.Classic;

namespace CallCenter.FaxSms.Fax;

/// <summary>Reads a fax TIFF's pages with LibTiff.NET: how many, and each one's size and resolution.</summary>
public static class TiffPages
{
    /// <summary>The number of pages (image directories) in <paramref name="path"/>; 0 for a file that is missing or not a TIFF.</summary>
    public static int Count(string path)
    {
        if (!File.Exists(path) || new FileInfo(path).Length == 0)
        {
            return 0;
        }

        using var tiff = Open(path);
        return tiff is null ? 0 : tiff.NumberOfDirectories();
    }

    /// <summary>Each page's width, length (pixels) and resolution (dots per inch, rounded).</summary>
    public static IReadOnlyList<TiffPage> Read(string path)
    {
        using var tiff = Open(path) ?? throw new FaxDocumentException($"Not a readable TIFF: {path}");
        var pages = new List<TiffPage>();
        do
        {
            var width = tiff.GetField(TiffTag.IMAGEWIDTH)[0].ToInt();
            var length = tiff.GetField(TiffTag.IMAGELENGTH)[0].ToInt();
            var x = tiff.GetField(TiffTag.XRESOLUTION)?[0].ToFloat() ?? 0;
            var y = tiff.GetField(TiffTag.YRESOLUTION)?[0].ToFloat() ?? 0;
            var unit = tiff.GetField(TiffTag.RESOLUTIONUNIT)?[0].ToInt() ?? (int)ResUnit.INCH;
            var perInch = unit == (int)ResUnit.CENTIMETER ? 2.54f : 1f;
            pages.Add(new TiffPage(width, length, (int)MathF.Round(x * perInch), (int)MathF.Round(y * perInch)));
        }
        while (tiff.ReadDirectory());

        return pages;
    }

    private static Tiff? Open(string path)
    {
        // LibTiff.NET reports errors through a static handler that prints to the console: quiet it.
        Tiff.SetErrorHandler(new QuietErrors());
        return Tiff.Open(path, "r");
    }

    private sealed class QuietErrors : TiffErrorHandler
    {
        public override void ErrorHandler(Tiff tif, string method, string format, params object[] args)
        {
        }

        public override void WarningHandler(Tiff tif, string method, string format, params object[] args)
        {
        }
    }
}

/// <summary>One page of a fax TIFF.</summary>
public sealed record TiffPage(int Width, int Length, int XDpi, int YDpi);
