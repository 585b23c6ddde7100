namespace CallCenter.FaxSms.Documents;

/// <summary>The <c>Documents</c> section: what the hotline's documents menu (文字回复) sends.</summary>
public sealed class DocumentOptions
{
    public const string Section = "Documents";

    /// <summary>
    /// The latest research note: a text file, its first line the title, the rest the body; relative
    /// to the config directory. Empty: <c>documents/research-note.txt</c> there.
    /// </summary>
    public string ResearchNote { get; set; } = "";

    /// <summary>Where the full note can be read (put in the SMS); empty for none.</summary>
    public string ResearchNoteUrl { get; set; } = "";

    /// <summary>The time zone of the statement's date (the brokerage's).</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>
    /// The TrueType font (.ttf, or a .ttc collection's first face) the PDFs are drawn in, embedded as a
    /// subset: it must hold Chinese, Latin letters and digits.
    /// Relative to the config directory. Empty: <see cref="DefaultFont"/> when it is installed, else
    /// the PDF's built-in Helvetica (no Chinese: labels in English, other characters as '?'), with a
    /// warning at start-up. Named but missing or unusable: start-up stops and says why.
    /// </summary>
    public string Font { get; set; } = "";

    /// <summary>Debian's fonts-wqy-microhei (WenQuanYi Micro Hei: a sans serif with Chinese and Latin, TrueType outlines).</summary>
    public const string DefaultFont = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

    /// <summary>The research note's file once resolved against the config directory (set by the host).</summary>
    public string ResearchNotePath { get; set; } = "";

    /// <summary>The font file once resolved (set by the host, <see cref="ResolveFont"/>); empty for Helvetica.</summary>
    public string FontPath { get; set; } = "";

    /// <summary>
    /// The research note in <paramref name="language"/>: beside the configured file, the same name with
    /// ".zh" or ".en" before its extension (research-note.zh.txt) when there is one, else the configured file.
    /// </summary>
    public string ResearchNoteFor(string language)
    {
        var tag = language == "en" ? "en" : "zh";
        var translated = Path.Combine(
            Path.GetDirectoryName(ResearchNotePath) ?? "",
            Path.GetFileNameWithoutExtension(ResearchNotePath) + "." + tag + Path.GetExtension(ResearchNotePath));
        return File.Exists(translated) ? translated : ResearchNotePath;
    }

    /// <summary>Sets <see cref="FontPath"/>: the named font against <paramref name="configRoot"/>, else the default if installed.</summary>
    public void ResolveFont(string configRoot) =>
        FontPath = Font.Length > 0
            ? Path.GetFullPath(Path.Combine(configRoot, Font))
            : File.Exists(DefaultFont) ? DefaultFont : "";

    /// <summary>
    /// Faxes a believed caller may have sent in a day to a number they key in (not the one on file), so the
    /// documents menu is no way to fax any number over and over; 0: keyed numbers are never faxed.
    /// </summary>
    public int KeyedFaxesPerCallerPerDay { get; set; } = 3;

    public IEnumerable<string> Validate()
    {
        if (KeyedFaxesPerCallerPerDay is < 0 or > 100)
        {
            yield return $"Documents:KeyedFaxesPerCallerPerDay must be 0-100, not {KeyedFaxesPerCallerPerDay}.";
        }

        if (ResearchNoteUrl.Length > 0 && (!Uri.TryCreate(ResearchNoteUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")))
        {
            yield return "Documents:ResearchNoteUrl must be an http(s) URL (or empty).";
        }

        if (ResearchNotePath.Length > 0 && !File.Exists(ResearchNotePath))
        {
            yield return $"Documents:ResearchNote: no file {ResearchNotePath}.";
        }

        // A font named on purpose must work; the default may be absent (Helvetica, with a warning).
        if ((Font.Length > 0 || FontPath.Length > 0) && DocumentFontFile.Check(FontPath.Length > 0 ? FontPath : Font) is { } fontError)
        {
            yield return $"Documents:Font: {fontError}.";
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return $"Documents:TimeZone: unknown time zone \"{TimeZone}\".";
        }
    }
}
