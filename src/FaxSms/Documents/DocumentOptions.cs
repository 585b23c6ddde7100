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

    /// <summary>The research note's file once resolved against the config directory (set by the host).</summary>
    public string ResearchNotePath { get; set; } = "";

    public IEnumerable<string> Validate()
    {
        if (ResearchNoteUrl.Length > 0 && (!Uri.TryCreate(ResearchNoteUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")))
        {
            yield return "Documents:ResearchNoteUrl must be an http(s) URL (or empty).";
        }

        if (ResearchNotePath.Length > 0 && !File.Exists(ResearchNotePath))
        {
            yield return $"Documents:ResearchNote: no file {ResearchNotePath}.";
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return $"Documents:TimeZone: unknown time zone \"{TimeZone}\".";
        }
    }
}
