namespace CallCenter.Contracts.Calls;

/// <summary>A callback as the agent's desk lists it: the number, when it is due, and how it stands.</summary>
public sealed record DeskCallback(string Id, string Number, string Queue, DateTimeOffset? At, string Status, int Attempts, string? Outcome);

/// <summary>
/// What a booking or a cancellation came to: an HTTP-like <paramref name="Status"/> (201 booked, 200 cancelled, 400 bad
/// input, 403 not the agent's own, 404 unknown, 409 no trunk to call through, the agent's cap reached, or the callback
/// being dialled or ended), the reason in words, and the callback.
/// </summary>
public sealed record DeskCallbackResult(int Status, string? Message, DeskCallback? Callback = null)
{
    public bool Done => Status is >= 200 and < 300;
}

/// <summary>
/// Scheduled callbacks an agent books for themselves from the desk (the host implements it): due at the time
/// given, offered to the agent first, then to the queue after <c>Callbacks:OwnerGraceSeconds</c>.
/// </summary>
public interface IDeskCallbacks
{
    /// <summary>Books a callback to <paramref name="number"/> at <paramref name="at"/> (ISO 8601) owned by <paramref name="owner"/>.</summary>
    Task<DeskCallbackResult> BookAsync(string owner, string number, string? at, string? queue, CancellationToken cancellationToken);

    /// <summary>Cancels callback <paramref name="id"/>, which <paramref name="owner"/> must own; only while it waits (not being dialled, not ended).</summary>
    Task<DeskCallbackResult> CancelAsync(string owner, string id, CancellationToken cancellationToken);

    /// <summary>The newest callbacks <paramref name="owner"/> owns.</summary>
    Task<IReadOnlyList<DeskCallback>> OwnedAsync(string owner, int limit, CancellationToken cancellationToken);
}
