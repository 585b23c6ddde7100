namespace CallCenter.Contracts.Calls;

/// <summary>A callback as the agent's desk lists it: the number, when it is due, and how it stands.</summary>
public sealed record DeskCallback(string Id, string Number, string Queue, DateTimeOffset? At, string Status, int Attempts, string? Outcome);

/// <summary>
/// What a booking came to: an HTTP-like <paramref name="Status"/> (201 booked, 400 bad input, 409 no trunk to call
/// through), the reason in words, and the callback booked.
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

    /// <summary>The newest callbacks <paramref name="owner"/> owns.</summary>
    Task<IReadOnlyList<DeskCallback>> OwnedAsync(string owner, int limit, CancellationToken cancellationToken);
}
