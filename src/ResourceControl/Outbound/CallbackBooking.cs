using System.Globalization;
using CallCenter.Contracts.Agents;
using CallCenter.Contracts.Calls;
using CallCenter.Data.Callbacks;

namespace CallCenter.ResourceControl.Outbound;

/// <summary>
/// Books a callback for a person (the REST API's <c>POST /api/callbacks</c>, an agent's desk through
/// <see cref="IDeskCallbacks"/>, a supervisor's wallboard through <see cref="ISupervisorCallbacks"/>): the time read and checked, the owner agent checked, the client looked up
/// in the directory for their tier, language and account manager (as for a caller), then
/// <see cref="Callbacks.BookAsync"/>'s own checks (dial plan, do-not-call list, queue, trunk).
/// </summary>
internal sealed class CallbackBooking(Callbacks callbacks, Data.Calls.CallerLookupRepository callers, IAgentStates agents, TimeProvider time, DialingOptions? dialing = null)
    : IDeskCallbacks, ISupervisorCallbacks
{
    /// <summary>The <c>source</c> of a callback a supervisor booked on the wallboard.</summary>
    public const string WallboardSource = "wallboard";

    /// <summary>The furthest ahead a callback may be booked.</summary>
    public const int MaxDaysAhead = 90;

    /// <summary>How far in the past a desk's time may be (a slow click): later, it is refused as a mistake.</summary>
    private static readonly TimeSpan _deskSlack = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Books; on refusal the reason and an HTTP status: 400 for bad input, 409 without a trunk or beyond the owner's cap
    /// (<c>Callbacks:MaxPendingPerAgent</c>). <paramref name="timeRequired"/>: a desk's booking is for a time, not in the past;
    /// the API's may leave it out (as soon as an agent is free). <paramref name="by"/>: who books (kept as the row's requester).
    /// </summary>
    public async Task<(CallbackRow? Row, int Status, string? Refusal)> BookAsync(string number, string? queue, string? at, string? owner, string source, bool timeRequired, string by, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (due, timeRefusal) = ParseTime(at, now);
        if (timeRefusal is not null)
        {
            return (null, 400, timeRefusal);
        }

        if (timeRequired && due is null)
        {
            return (null, 400, "a callback from the desk needs its time (\"at\")");
        }

        if (timeRequired && due < now - _deskSlack)
        {
            return (null, 400, $"\"at\" is in the past: {due:u}");
        }

        if (owner is not null && !agents.List().Any(a => a.Id == owner))
        {
            return (null, 400, $"there is no agent \"{owner}\" to own the callback");
        }

        if (!callbacks.Available)
        {
            return (null, 409, "no trunk is configured (Trunks:0:Address), so the platform cannot call anyone back");
        }

        // The directory keys a client by the number as dialled: "139 0000 0051" or "+86 139…" typed on a form is that client too.
        var dialled = dialing is not null && DialPlan.Normalize(number, dialing).Number is { } normal ? normal.Dial : number.Trim();
        var found = await callers.FindAsync(dialled, 0, cancellationToken);
        var client = found.Client;

        // A manager the client denied on a new-account call does not take their callback (as their calls in).
        var manager = found.ManagerDeniedAt is null ? client?.ManagerExtension : null;
        var booked = await callbacks.BookAsync(
            new CallbackRequest(number, queue ?? "general", source, due ?? now, due, client?.Tier, client?.Language, manager, OwnerAgent: owner, RequestedBy: by),
            cancellationToken);
        return booked.Callback is { } row ? (row, 201, null) : (null, booked.Limited ? 409 : 400, booked.Refusal);
    }

    /// <summary>
    /// Cancels a waiting callback for <paramref name="by"/> (<paramref name="owner"/>: an agent, only their own); on refusal
    /// an HTTP status (404 unknown, or not the agent's; 409 being dialled, a call list's, ended, or moving into its queue) and the reason.
    /// </summary>
    public async Task<(CallbackRow? Row, int Status, string? Refusal)> CancelAsync(string id, string by, string? owner, CancellationToken cancellationToken)
    {
        var (row, refusal) = await callbacks.CancelAsync(id, by, owner, cancellationToken);
        return refusal switch
        {
            CancelRefusal.None => (row, 200, null),
            CancelRefusal.NotFound => (null, 404, CallbackLimits.Describe(refusal, id, row)),
            CancelRefusal.NotOwner => (null, 403, CallbackLimits.Describe(refusal, id, row)),
            _ => (null, 409, CallbackLimits.Describe(refusal, id, row)),
        };
    }

    /// <summary>An ISO 8601 time (no zone: UTC), at most <see cref="MaxDaysAhead"/> days ahead; null for none.</summary>
    public static (DateTimeOffset? At, string? Refusal) ParseTime(string? at, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(at))
        {
            return (null, null);
        }

        if (!DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return (null, $"\"at\" is not an ISO 8601 time: \"{at}\"");
        }

        return parsed > now.AddDays(MaxDaysAhead)
            ? (null, $"\"at\" is more than {MaxDaysAhead} days ahead: {parsed:u}")
            : (parsed.ToUniversalTime(), null);
    }

    async Task<DeskCallbackResult> IDeskCallbacks.BookAsync(string owner, string number, string? at, string? queue, CancellationToken cancellationToken)
    {
        var (row, status, refusal) = await BookAsync(number, queue, at, owner, "desk", timeRequired: true, owner, cancellationToken);
        return row is null ? new(status, refusal) : new(status, $"callback {row.Id} booked for {row.DueAt:u}", ToDesk(row));
    }

    async Task<DeskCallbackResult> IDeskCallbacks.CancelAsync(string owner, string id, CancellationToken cancellationToken)
    {
        var (row, status, refusal) = await CancelAsync(id, owner, owner, cancellationToken);
        return row is null ? new(status, refusal) : new(status, $"callback {row.Id} cancelled", ToDesk(row));
    }

    async Task<DeskCallbackResult> ISupervisorCallbacks.BookAsync(string by, string number, string? at, string? queue, string? owner, CancellationToken cancellationToken)
    {
        var (row, status, refusal) = await BookAsync(number, queue, at, owner, WallboardSource, timeRequired: true, by, cancellationToken);
        return row is null ? new(status, refusal) : new(status, $"callback {row.Id} booked for {row.DueAt:u}", ToDesk(row));
    }

    async Task<DeskCallbackResult> ISupervisorCallbacks.CancelAsync(string by, string id, CancellationToken cancellationToken)
    {
        var (row, status, refusal) = await CancelAsync(id, by, owner: null, cancellationToken);
        return row is null ? new(status, refusal) : new(status, $"callback {row.Id} cancelled", ToDesk(row));
    }

    async Task<IReadOnlyList<WaitingCallback>> ISupervisorCallbacks.WaitingAsync(int limit, CancellationToken cancellationToken) =>
        [.. (await callbacks.ListWaitingAsync(limit, cancellationToken)).Select(r => new WaitingCallback(
            r.Id, Contracts.Queues.WaitingCallerView.Mask(r.Number), r.Queue, r.DueAt, r.NextAttemptAt, r.Status, r.Attempts, r.OwnerAgent, r.Source,
            CallbackLimits.IsQueueSource(r.Source) ? null : r.RequestedBy, r.RequestedAt))]; // a caller's own request names their number: not shown

    public async Task<IReadOnlyList<DeskCallback>> OwnedAsync(string owner, int limit, CancellationToken cancellationToken) =>
        [.. (await callbacks.ListOwnedAsync(owner, limit, cancellationToken)).Select(ToDesk)];

    private static DeskCallback ToDesk(CallbackRow r) => new(r.Id, r.Number, r.Queue, r.DueAt, r.Status, r.Attempts, r.Outcome);
}
