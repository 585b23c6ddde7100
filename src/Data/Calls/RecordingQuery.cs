namespace CallCenter.Data.Calls;

/// <summary>
/// A supervisor's search of calls for their recordings: every field narrows (null: any). Calls that
/// started in [<see cref="From"/>, <see cref="To"/>), newest first, at most <see cref="Limit"/>.
/// </summary>
/// <param name="Number">Part of the caller's or the dialed number (digits, '+', '*', '#' only: checked by the endpoint).</param>
/// <param name="Disposition">The call's disposition (<c>agent-hung-up</c>...) or the agent's wrap-up code.</param>
public sealed record RecordingQuery(
    DateTimeOffset? From,
    DateTimeOffset? To,
    string? Number,
    string? Agent,
    string? Queue,
    string? Tier,
    string? Disposition,
    bool RecordedOnly,
    int Limit);
