using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace CallCenter.TestSupport;

/// <summary>
/// A valid PDF that is costly to render: one A4 page whose content stream (FlateDecode) fills the whole page
/// black and white again <c>fills</c> times. Deflate squeezes the repetition about 300 to 1, so the file stays
/// small (200,000 fills: 25 KB) while ghostscript spends about a second of CPU for each 10,000 fills
/// (20 s for 200,000, measured on a build machine): a document a client can upload that keeps a
/// renderer busy as long as it is let.
/// </summary>
public static class HostilePdf
{
    public static byte[] Busy(int fills)
    {
        var fill = "0 0 595 842 re f 1 g 0 0 595 842 re f 0 g\n"u8.ToArray();
        var thousand = Enumerable.Repeat(fill, 1000).SelectMany(b => b).ToArray();
        byte[] compressed;
        using (var packed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(packed, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                for (var i = 0; i < fills / 1000; i++)
                {
                    zlib.Write(thousand);
                }

                for (var i = 0; i < fills % 1000; i++)
                {
                    zlib.Write(fill);
                }
            }

            compressed = packed.ToArray();
        }

        using var pdf = new MemoryStream();
        var offsets = new List<long>();
        void Write(string text) => pdf.Write(Encoding.ASCII.GetBytes(text));
        void Object(string body, byte[]? stream = null)
        {
            offsets.Add(pdf.Position);
            Write(string.Create(CultureInfo.InvariantCulture, $"{offsets.Count} 0 obj\n{body}"));
            if (stream is not null)
            {
                Write("\nstream\n");
                pdf.Write(stream);
                Write("\nendstream");
            }

            Write("\nendobj\n");
        }

        Write("%PDF-1.4\n");
        Object("<< /Type /Catalog /Pages 2 0 R >>");
        Object("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
        Object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>");
        Object(string.Create(CultureInfo.InvariantCulture, $"<< /Length {compressed.Length} /Filter /FlateDecode >>"), compressed);
        var xref = pdf.Position;
        Write(string.Create(CultureInfo.InvariantCulture, $"xref\n0 {offsets.Count + 1}\n0000000000 65535 f \n"));
        foreach (var offset in offsets)
        {
            Write(string.Create(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n"));
        }

        Write(string.Create(CultureInfo.InvariantCulture, $"trailer\n<< /Size {offsets.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"));
        return pdf.ToArray();
    }
}
