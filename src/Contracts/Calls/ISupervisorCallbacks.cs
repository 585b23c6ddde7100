namespace CallCenter.Contracts.Calls;

/// <summary>
/// A callback still waiting (scheduled, queued, or waiting for a retry or the calling hours) as the supervisors'
/// wallboard lists it: the number masked as the waiting callers' are (<see cref="Queues.WaitingCallerView.Mask"/>),
/// its queue, when it is due (<paramref name="At"/>: the booked time, null for "as soon as an agent is free"; <paramref name="NextAttemptAt"/>:
/// a retry's or the calling hours' wait), its owner agent if any, and who booked it (<paramref name="RequestedBy"/>: the agent or
/// user; null when the caller asked for it in the queue, <paramref name="Source"/> <c>queue-key</c>, <c>queue-key-number</c> or <c>overflow</c>).
/// </summary>
public sealed record WaitingCallback(
    string Id,
    string MaskedNumber,
    string Queue,
    DateTimeOffset? At,
    DateTimeOffset? NextAttemptAt,
    string Status,
    int Attempts,
    string? Owner,
    string Source,
    string? RequestedBy,
    DateTimeOffset RequestedAt);

/// <summary>
/// Callbacks a supervisor (or an admin) books and cancels from the wallboard (the host implements it, with the same
/// checks and reasons as <c>POST /api/callbacks</c> and its cancel): a booking is for a time not in the past, in a queue that exists,
/// optionally owned by a known agent (within <c>Callbacks:MaxPendingPerAgent</c>), its number through the dial plan and the
/// do-not-call list, refused without a trunk. Absent when the host has no callbacks.
/// </summary>
public interface ISupervisorCallbacks
{
    /// <summary>
    /// Books a callback to <paramref name="number"/> at <paramref name="at"/> (ISO 8601) in <paramref name="queue"/> (null: <c>general</c>),
    /// owned by the agent <paramref name="owner"/> (null: none), asked for by <paramref name="by"/> (the supervisor's login).
    /// </summary>
    Task<DeskCallbackResult> BookAsync(string by, string number, string? at, string? queue, string? owner, CancellationToken cancellationToken);

    /// <summary>Cancels callback <paramref name="id"/> for <paramref name="by"/>, whoever owns it; only while it waits (not being dialled, not ended, not a call list's).</summary>
    Task<DeskCallbackResult> CancelAsync(string by, string id, CancellationToken cancellationToken);

    /// <summary>The callbacks still waiting that are not a call list's entries, the soonest due first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<WaitingCallback>> WaitingAsync(int limit, CancellationToken cancellationToken);
}
