using System.Globalization;
using CallCenter.Contracts.Agents;
using CallCenter.Contracts.Calls;
using CallCenter.Data.Callbacks;

namespace CallCenter.ResourceControl.Outbound;

/// <summary>
/// Books a callback for a person (the REST API's <c>POST /api/callbacks</c>, an agent's desk through
/// <see cref="IDeskCallbacks"/>): the time read and checked, the owner agent checked, the client looked up
/// in the directory for their tier, language and account manager (as for a caller), then
/// <see cref="Callbacks.BookAsync"/>'s own checks (dial plan, do-not-call list, queue, trunk).
/// </summary>
internal sealed class CallbackBooking(Callbacks callbacks, Data.Calls.CallerLookupRepository callers, IAgentStates agents, TimeProvider time) : IDeskCallbacks
{
    /// <summary>The furthest ahead a callback may be booked.</summary>
    public const int MaxDaysAhead = 90;

    /// <summary>How far in the past a desk's time may be (a slow click): later, it is refused as a mistake.</summary>
    private static readonly TimeSpan _deskSlack = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Books; on refusal the reason and an HTTP status: 400 for bad input, 409 without a trunk. <paramref name="timeRequired"/>: a
    /// desk's booking is for a time, not in the past; the API's may leave it out (as soon as an agent is free).
    /// </summary>
    public async Task<(CallbackRow? Row, int Status, string? Refusal)> BookAsync(string number, string? queue, string? at, string? owner, string source, bool timeRequired, CancellationToken cancellationToken)
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

        var client = (await callers.FindAsync(number.Trim(), 0, cancellationToken)).Client;
        var (row, refusal) = await callbacks.BookAsync(
            new CallbackRequest(number, queue ?? "general", source, due ?? now, due, client?.Tier, client?.Language, client?.ManagerExtension, OwnerAgent: owner),
            cancellationToken);
        return row is null ? (null, 400, refusal) : (row, 201, null);
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
        var (row, status, refusal) = await BookAsync(number, queue, at, owner, "desk", timeRequired: true, cancellationToken);
        return row is null ? new(status, refusal) : new(status, $"callback {row.Id} booked for {row.DueAt:u}", ToDesk(row));
    }

    public async Task<IReadOnlyList<DeskCallback>> OwnedAsync(string owner, int limit, CancellationToken cancellationToken) =>
        [.. (await callbacks.ListOwnedAsync(owner, limit, cancellationToken)).Select(ToDesk)];

    private static DeskCallback ToDesk(CallbackRow r) => new(r.Id, r.Number, r.Queue, r.DueAt, r.Status, r.Attempts, r.Outcome);
}
