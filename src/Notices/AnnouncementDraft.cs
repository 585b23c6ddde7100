using System.Globalization;

namespace CallCenter.Notices;

/// <summary>
/// What an admin sends to make an announcement, checked before anything is converted or stored (pure):
/// a title, the language it is spoken in, when it starts (now if not given) and ends (ISO 8601 with an
/// offset), and exactly one of a WAV recording and a text. Each problem names its field.
/// </summary>
internal sealed record AnnouncementDraft(string? Title, string? Language, string? StartsAt, string? EndsAt, string? Text, long? RecordingBytes)
{
    public const int MaxTitle = 100;
    public const int MaxText = 1000;
    public const long MaxRecordingBytes = 20 * 1024 * 1024;

    /// <summary>The longest recording or spoken text kept.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromMinutes(5);

    /// <summary>The checked values, or the field and the reason of the first problem.</summary>
    public (Checked? Value, string? Field, string? Error) Check(DateTimeOffset now)
    {
        var title = Title?.Trim() ?? "";
        if (title.Length is 0 or > MaxTitle || title.Any(char.IsControl))
        {
            return (null, "title", $"a title of 1 to {MaxTitle} characters, without control characters, is required");
        }

        if (Language is not ("zh" or "en"))
        {
            return (null, "language", "language must be zh or en (the menu plays an announcement to callers who chose that language)");
        }

        var starts = now;
        if (!string.IsNullOrWhiteSpace(StartsAt) && !TryTime(StartsAt, out starts))
        {
            return (null, "startsAt", "startsAt must be an ISO 8601 time with an offset, e.g. 2026-12-05T09:00:00+08:00");
        }

        if (!TryTime(EndsAt, out var ends))
        {
            return (null, "endsAt", "endsAt is required: an ISO 8601 time with an offset, e.g. 2026-12-31T17:00:00+08:00");
        }

        if (ends <= starts)
        {
            return (null, "endsAt", "endsAt must be after startsAt");
        }

        var hasText = !string.IsNullOrWhiteSpace(Text);
        if (hasText == RecordingBytes is not null)
        {
            return (null, "recording", "send exactly one of a WAV file (field recording) and a text to speak (field text)");
        }

        if (hasText && (Text!.Trim().Length > MaxText || Text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'))))
        {
            return (null, "text", $"the text must be at most {MaxText} characters, without control characters");
        }

        if (RecordingBytes is { } size && size is 0 or > MaxRecordingBytes)
        {
            return (null, "recording", $"the recording must be a WAV file of at most {MaxRecordingBytes / (1024 * 1024)} MiB");
        }

        return (new Checked(title, Language, starts, ends, hasText ? Text!.Trim() : null), null, null);
    }

    private static bool TryTime(string? text, out DateTimeOffset value)
    {
        value = default;
        // An offset is required: "09:00" alone would be read in the server's zone, not the admin's.
        return text is not null
            && (text.EndsWith('Z') || text.LastIndexOfAny(['+', '-']) > text.IndexOf('T', StringComparison.Ordinal) && text.Contains('T', StringComparison.Ordinal))
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    internal sealed record Checked(string Title, string Language, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string? Text);
}
