using CallCenter.Contracts.Calls;
using Microsoft.AspNetCore.SignalR;

namespace CallCenter.AgentDesk.Hubs;

/// <summary>
/// Callbacks from the wallboard (<see cref="ISupervisorCallbacks"/>): the signed-in supervisor (or admin; agents cannot
/// open this hub) books one for a time in a queue, for a known agent to own or for the queue, with the same checks and
/// reasons as <c>POST /api/callbacks</c>; cancels any callback still waiting (as <c>POST /api/callbacks/{id}/cancel</c>);
/// and lists the waiting ones. Bookings and cancellations are audited (<c>book-callback</c>, <c>cancel-callback</c>)
/// with the supervisor's login and role, done or refused.
/// </summary>
internal sealed partial class WallboardHub
{
    /// <summary>The most waiting callbacks the wallboard lists (the soonest due).</summary>
    public const int MaxWaitingCallbacksListed = 50;

    private const int MaxIdLength = 64;

    public async Task<DeskCallback> BookCallback(string number, string at, string? queue, string? owner)
    {
        var callbacks = supervisorCallbacks.FirstOrDefault() ?? throw new HubException(DeskHubText.NoCallbacks);
        var user = Context.User!;
        var by = user.Identity?.Name ?? "?";
        if (string.IsNullOrWhiteSpace(number) || number.Length > Endpoints.RequestLimits.MaxTarget)
        {
            await audit.RefusedAsync(user, "book-callback", null, $"a number of {number?.Length ?? 0} characters");
            throw new HubException(DeskHubText.NumberRequired);
        }

        if (at is { Length: > MaxIdLength } || queue is { Length: > MaxIdLength } || owner is { Length: > MaxIdLength })
        {
            await audit.RefusedAsync(user, "book-callback", number.Trim(), "the time, the queue or the owner is too long");
            throw new HubException(DeskHubText.CallbackRefused("the time, the queue or the owner is too long"));
        }

        var wanted = string.IsNullOrWhiteSpace(queue) ? null : queue.Trim();
        var ownedBy = string.IsNullOrWhiteSpace(owner) ? null : owner.Trim();
        var detail = $"at {at} in {wanted ?? "general"}" + (ownedBy is null ? "" : $" for agent {ownedBy}");
        var result = await callbacks.BookAsync(by, number.Trim(), at, wanted, ownedBy, Context.ConnectionAborted);
        if (result is not { Done: true, Callback: { } booked })
        {
            await audit.RefusedAsync(user, "book-callback", number.Trim(), $"{detail}: {result.Message}");
            throw new HubException(DeskHubText.CallbackRefused(result.Message));
        }

        await audit.DoneAsync(user, "book-callback", booked.Number, $"{detail}: {booked.Id} for {booked.At:u}");
        return booked;
    }

    /// <summary>Cancels a callback still waiting, whoever owns it: it is never dialled.</summary>
    public async Task<DeskCallback> CancelCallback(string id)
    {
        var callbacks = supervisorCallbacks.FirstOrDefault() ?? throw new HubException(DeskHubText.NoCallbacks);
        var user = Context.User!;
        if (string.IsNullOrWhiteSpace(id) || id.Length > MaxIdLength)
        {
            await audit.RefusedAsync(user, "cancel-callback", null, $"an id of {id?.Length ?? 0} characters");
            throw new HubException(DeskHubText.CallbackCancelRefused("give the callback's id"));
        }

        var result = await callbacks.CancelAsync(user.Identity?.Name ?? "?", id.Trim(), Context.ConnectionAborted);
        if (result is not { Done: true, Callback: { } cancelled })
        {
            await audit.RefusedAsync(user, "cancel-callback", id.Trim(), result.Message ?? "refused");
            throw new HubException(DeskHubText.CallbackCancelRefused(result.Message));
        }

        await audit.DoneAsync(user, "cancel-callback", cancelled.Id, $"to {cancelled.Number} in {cancelled.Queue}");
        return cancelled;
    }

    /// <summary>The callbacks still waiting (not a call list's entries), the soonest due first; empty without callbacks.</summary>
    public async Task<IReadOnlyList<WaitingCallback>> WaitingCallbacks() =>
        supervisorCallbacks.FirstOrDefault() is { } callbacks ? await callbacks.WaitingAsync(MaxWaitingCallbacksListed, Context.ConnectionAborted) : [];
}
