using System.Numerics;
using BitMiracle.LibTiff.Classic;

namespace CallCenter.TestSupport;

/// <summary>
/// One fax page as 1-bit pixels (black set), read from a TIFF with LibTiff.NET whatever its coding
/// (T.4 1-D/2-D, T.6, uncompressed), fill order or photometric, with its resolution. Rows are packed
/// 64 pixels to a word so that comparing two pages is a few word operations a row.
/// </summary>
public sealed class FaxPageImage
{
    private readonly ulong[][] _rows;

    private FaxPageImage(int width, int xDpi, int yDpi, ulong[][] rows)
    {
        Width = width;
        XDpi = xDpi;
        YDpi = yDpi;
        _rows = rows;
    }

    public int Width { get; }

    public int Height => _rows.Length;

    public int XDpi { get; }

    public int YDpi { get; }

    /// <summary>The number of black pixels.</summary>
    public long Ink => _rows.Sum(r => r.Sum(w => (long)BitOperations.PopCount(w)));

    private int Words => (Width + 63) / 64;

    /// <summary>Every page of <paramref name="path"/>, in order.</summary>
    public static IReadOnlyList<FaxPageImage> ReadAll(string path)
    {
        using var tiff = Tiff.Open(path, "r") ?? throw new InvalidDataException("Not a readable TIFF: " + path);
        var pages = new List<FaxPageImage>();
        do
        {
            pages.Add(ReadPage(tiff, path));
        }
        while (tiff.ReadDirectory());

        return pages;
    }

    private static FaxPageImage ReadPage(Tiff tiff, string path)
    {
        var width = tiff.GetField(TiffTag.IMAGEWIDTH)[0].ToInt();
        var height = tiff.GetField(TiffTag.IMAGELENGTH)[0].ToInt();
        var bits = tiff.GetField(TiffTag.BITSPERSAMPLE)?[0].ToInt() ?? 1;
        if (bits != 1)
        {
            throw new InvalidDataException($"{path}: {bits} bits a pixel, not a fax page");
        }

        // TIFF 6.0 section 3: MinIsWhite (fax's own) has 1 for black; MinIsBlack has 0 for black.
        var photometric = tiff.GetField(TiffTag.PHOTOMETRIC)?[0].ToInt() ?? (int)Photometric.MINISWHITE;
        var blackIsOne = photometric == (int)Photometric.MINISWHITE;
        var unit = tiff.GetField(TiffTag.RESOLUTIONUNIT)?[0].ToInt() ?? (int)ResUnit.INCH;
        var perInch = unit == (int)ResUnit.CENTIMETER ? 2.54f : 1f;
        var xDpi = (int)MathF.Round((tiff.GetField(TiffTag.XRESOLUTION)?[0].ToFloat() ?? 204) * perInch);
        var yDpi = (int)MathF.Round((tiff.GetField(TiffTag.YRESOLUTION)?[0].ToFloat() ?? 196) * perInch);

        var line = new byte[tiff.ScanlineSize()];
        var words = (width + 63) / 64;
        var rows = new ulong[height][];
        for (var y = 0; y < height; y++)
        {
            if (!tiff.ReadScanline(line, y))
            {
                throw new InvalidDataException($"{path}: row {y} of {height} could not be decoded");
            }

            var row = new ulong[words];
            for (var x = 0; x < width; x++)
            {
                var one = ((line[x >> 3] >> (7 - (x & 7))) & 1) == 1;
                if (one == blackIsOne)
                {
                    row[x >> 6] |= 1UL << (x & 63);
                }
            }

            rows[y] = row;
        }

        return new FaxPageImage(width, xDpi, yDpi, rows);
    }

    /// <summary>
    /// How well <paramref name="received"/> reproduces <paramref name="sent"/>, allowing for what T.4 may
    /// change: a page at standard resolution (98 lines an inch) against one at fine (196) is compared
    /// with each pair of fine rows merged into one; pixels may be one dot or one row apart; the page may
    /// start a few rows later or earlier (<paramref name="maxRowShift"/>). A page that is shorter loses
    /// the ink it lacks. See <see cref="FaxPageMatch"/> for the figure.
    /// </summary>
    public static FaxPageMatch Compare(FaxPageImage sent, FaxPageImage received, int maxRowShift = 8)
    {
        ArgumentNullException.ThrowIfNull(sent);
        ArgumentNullException.ThrowIfNull(received);
        var (a, b) = (sent, received);
        if (a.YDpi > b.YDpi * 3 / 2)
        {
            a = a.MergeRows((int)Math.Round(a.YDpi / (double)b.YDpi));
        }
        else if (b.YDpi > a.YDpi * 3 / 2)
        {
            b = b.MergeRows((int)Math.Round(b.YDpi / (double)a.YDpi));
        }

        var words = Math.Min(a.Words, b.Words);
        var nearA = a.Near(words);
        var nearB = b.Near(words);
        var inkA = a.InkIn(words);
        var inkB = b.InkIn(words);
        var best = new FaxPageMatch(inkA, inkB, 0, 0, 0);
        // 0, -1, 1, -2, 2, ...: of equal scores, the smallest shift is kept.
        for (var step = 0; step <= 2 * maxRowShift; step++)
        {
            var shift = (step + 1) / 2 * (step % 2 == 1 ? -1 : 1);
            long foundA = 0;
            long foundB = 0;
            for (var y = 0; y < a.Height; y++)
            {
                var yb = y + shift;
                if (yb < 0 || yb >= b.Height)
                {
                    continue;
                }

                for (var w = 0; w < words; w++)
                {
                    foundA += BitOperations.PopCount(a._rows[y][w] & nearB[yb][w]);
                    foundB += BitOperations.PopCount(b._rows[yb][w] & nearA[y][w]);
                }
            }

            var candidate = new FaxPageMatch(inkA, inkB, foundA, foundB, shift);
            if (candidate.Score > best.Score)
            {
                best = candidate;
            }
        }

        return best;
    }

    private long InkIn(int words) => _rows.Sum(r => r.Take(words).Sum(w => (long)BitOperations.PopCount(w)));

    /// <summary>Every row of <paramref name="factor"/> rows ORed into one: a fine page seen at standard resolution.</summary>
    private FaxPageImage MergeRows(int factor)
    {
        var rows = new ulong[(Height + factor - 1) / factor][];
        for (var y = 0; y < rows.Length; y++)
        {
            var row = new ulong[Words];
            for (var k = 0; k < factor && (y * factor) + k < Height; k++)
            {
                var source = _rows[(y * factor) + k];
                for (var w = 0; w < row.Length; w++)
                {
                    row[w] |= source[w];
                }
            }

            rows[y] = row;
        }

        return new FaxPageImage(Width, XDpi, YDpi / factor, rows);
    }

    /// <summary>The page thickened by one pixel each way (a 3 x 3 dilation): where a pixel "near" black is.</summary>
    private ulong[][] Near(int words)
    {
        var wide = new ulong[Height][];
        for (var y = 0; y < Height; y++)
        {
            var row = _rows[y];
            var spread = new ulong[words];
            for (var w = 0; w < words; w++)
            {
                var left = w > 0 ? row[w - 1] >> 63 : 0;
                var right = w + 1 < words ? row[w + 1] << 63 : 0;
                spread[w] = row[w] | (row[w] << 1) | left | (row[w] >> 1) | right;
            }

            wide[y] = spread;
        }

        var near = new ulong[Height][];
        for (var y = 0; y < Height; y++)
        {
            var row = new ulong[words];
            for (var w = 0; w < words; w++)
            {
                row[w] = wide[y][w] | (y > 0 ? wide[y - 1][w] : 0) | (y + 1 < Height ? wide[y + 1][w] : 0);
            }

            near[y] = row;
        }

        return near;
    }
}

/// <summary>
/// What <see cref="FaxPageImage.Compare"/> found: the black pixels of each page, how many of each found
/// black near them on the other page (at the best row shift), and the share of all black pixels that
/// did. <see cref="Score"/> is 1 for the same image and falls towards 0 as the ink differs; white
/// is not counted, so a blank page never matches a page with something on it.
/// </summary>
public sealed record FaxPageMatch(long InkSent, long InkReceived, long SentFound, long ReceivedFound, int RowShift)
{
    /// <summary>The score from which two pages are taken for the same image (T.4 itself is lossless; this allows for resolution).</summary>
    public const double SameDocument = 0.98;

    public double Score => InkSent + InkReceived == 0 ? 1 : (SentFound + ReceivedFound) / (double)(InkSent + InkReceived);

    public override string ToString() =>
        $"{Score:P2} of the ink matches ({SentFound}/{InkSent} sent, {ReceivedFound}/{InkReceived} received, rows shifted {RowShift})";
}
