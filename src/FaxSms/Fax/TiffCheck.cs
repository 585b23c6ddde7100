namespace CallCenter.FaxSms.Fax;

/// <summary>
/// The first look at a file to fax, before a call is spent on it: it exists, and it starts with a
/// TIFF header (TIFF 6.0 section 2: "II*\0" or "MM\0*"). spandsp checks the rest (TIFF-F tags,
/// widths, resolutions) and ends the session with T30_ERR_FILEERROR or T30_ERR_BADTIFF.
/// </summary>
public static class TiffCheck
{
    public static void ThrowIfNotTiff(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FaxDocumentException($"The file to fax does not exist: {path}");
        }

        Span<byte> header = stackalloc byte[4];
        int read;
        using (var stream = File.OpenRead(path))
        {
            read = stream.ReadAtLeast(header, 4, throwOnEndOfStream: false);
        }

        if (read < 4)
        {
            throw new FaxDocumentException($"The file to fax is empty or truncated: {path}");
        }

        var little = header[0] == 'I' && header[1] == 'I' && header[2] == 42 && header[3] == 0;
        var big = header[0] == 'M' && header[1] == 'M' && header[2] == 0 && header[3] == 42;
        if (!little && !big)
        {
            throw new FaxDocumentException($"The file to fax is not a TIFF: {path}");
        }
    }
}
