namespace CallCenter.Notices;

/// <summary>An announcement as the API lists it (its audio is fetched on its own).</summary>
public sealed record Announcement(
    long Id,
    string Title,
    string Language,
    string Source,
    string? Text,
    TimeSpan Duration,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    DateTimeOffset CreatedAt,
    string CreatedBy)
{
    public const string FromRecording = "recording";

    public const string FromText = "text";

    /// <summary>Whether it plays at <paramref name="now"/>: from its start, until (not including) its end.</summary>
    public bool IsCurrentAt(DateTimeOffset now) => StartsAt <= now && now < EndsAt;
}
