namespace CallCenter.Data.Calls;

/// <summary>
/// A call as the recordings page sees it: who, when, where it went, and what became of its recording
/// (the file and its SHA-256 as written; deleted by retention; flagged because the file changed).
/// </summary>
public sealed record RecordingEntry
{
    public required string Id { get; init; }

    public required string Caller { get; init; }

    public required string Dialed { get; init; }

    public string? Tier { get; init; }

    public string? Queue { get; init; }

    public string? Agent { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset EndedAt { get; init; }

    public double TalkSeconds { get; init; }

    public required string Disposition { get; init; }

    public string? WrapUpCode { get; init; }

    public string? Recording { get; init; }

    public string? RecordingSha256 { get; init; }

    public DateTimeOffset? RecordingDeletedAt { get; init; }

    /// <summary>What deleted the file: <see cref="RecordingDeletions.Retention"/>.</summary>
    public string? RecordingDeletedBy { get; init; }

    /// <summary><see cref="RecordingFlags.HashMismatch"/> once the file no longer matched its SHA-256.</summary>
    public string? RecordingFlag { get; init; }

    public DateTimeOffset? RecordingFlaggedAt { get; init; }

    /// <summary>The file's state as the recordings page and a list entry's proof show it: none, deleted, flagged or kept.</summary>
    public string State => Recording is null ? "none" : RecordingDeletedAt is not null ? "deleted" : RecordingFlag is not null ? "flagged" : "kept";

    /// <summary>Where a supervisor plays it (each playback audited); null when the call was not recorded.</summary>
    public string? AudioUrl => Recording is null ? null : $"/api/recordings/{Uri.EscapeDataString(Id)}/audio";
}

/// <summary>The values of <see cref="RecordingEntry.RecordingDeletedBy"/>.</summary>
public static class RecordingDeletions
{
    public const string Retention = "retention";
}

/// <summary>The values of <see cref="RecordingEntry.RecordingFlag"/>.</summary>
public static class RecordingFlags
{
    public const string HashMismatch = "hash-mismatch";
}
