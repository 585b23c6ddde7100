namespace CallCenter.Contracts.Calls;

/// <summary>A preview list's entry as the agent's desk shows it: the client, the list, why the call is owed, and by when.</summary>
public sealed record ListPreviewEntry(
    string EntryId,
    string ListId,
    string ListName,
    string Kind,
    string Number,
    string? ClientName,
    string? AccountManager,
    string? Note,
    DateTimeOffset DueBy,
    int Attempts,
    int MaxAttempts);

/// <summary>
/// What a preview request came to: an HTTP-like <paramref name="Status"/> (200 the entry, 202 dialled, 400 bad input,
/// 404 nothing to preview or no such entry, 409 not the agent's preview or not now, 422 a number the rules refuse),
/// the reason in words, and the entry or the call placed.
/// </summary>
public sealed record ListPreviewResult(int Status, string? Message, ListPreviewEntry? Entry = null, string? CallId = null)
{
    public bool Done => Status is >= 200 and < 300;
}

/// <summary>
/// Preview dialling for call lists (the host implements it): an agent asks for the next entry, sees it,
/// and dials it (their phone first, then the client) or skips it with a reason. One entry per agent at
/// a time, one agent per entry; an entry the agent leaves goes back to its list.
/// </summary>
public interface IListPreview
{
    /// <summary>The entry <paramref name="agent"/> holds, or the next one their skills serve, now held for them.</summary>
    Task<ListPreviewResult> NextAsync(string agent, CancellationToken cancellationToken);

    /// <summary>The entry <paramref name="agent"/> holds, if any (200 with it, 404 without).</summary>
    Task<ListPreviewResult> CurrentAsync(string agent, CancellationToken cancellationToken);

    Task<ListPreviewResult> DialAsync(string agent, string entryId, CancellationToken cancellationToken);

    Task<ListPreviewResult> SkipAsync(string agent, string entryId, string? reason, CancellationToken cancellationToken);
}
