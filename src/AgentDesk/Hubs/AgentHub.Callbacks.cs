using CallCenter.Contracts.Calls;
using Microsoft.AspNetCore.SignalR;

namespace CallCenter.AgentDesk.Hubs;

/// <summary>
/// Scheduled callbacks from the desk (<see cref="IDeskCallbacks"/>): the signed-in agent books one for a time,
/// owned by themselves (there is no owner parameter: an agent books only for themselves), lists their own, and cancels
/// one of their own while it waits (another agent's is refused, as is one being dialled or ended).
/// When it is due it is offered to them first, then to the queue.
/// </summary>
internal sealed partial class AgentHub
{
    private const int MaxCallbacksListed = 50;

    public async Task<DeskCallback> BookCallback(string number, string at, string? queue)
    {
        var callbacks = deskCallbacks.FirstOrDefault() ?? throw new HubException(DeskHubText.NoCallbacks);
        var extension = Extension();
        if (string.IsNullOrWhiteSpace(number) || number.Length > Endpoints.RequestLimits.MaxTarget)
        {
            throw new HubException(DeskHubText.NumberRequired);
        }

        if (at is { Length: > MaxIdLength } || queue is { Length: > MaxIdLength })
        {
            throw new HubException(DeskHubText.CallbackRefused("the time or the queue is too long"));
        }

        var result = await callbacks.BookAsync(extension, number.Trim(), at, string.IsNullOrWhiteSpace(queue) ? null : queue.Trim(), Context.ConnectionAborted);
        if (result is not { Done: true, Callback: { } booked })
        {
            await audit.RefusedAsync(Context.User!, "book-callback", extension, $"{number.Trim()} at {at}: {result.Message}");
            throw new HubException(DeskHubText.CallbackRefused(result.Message));
        }

        await audit.DoneAsync(Context.User!, "book-callback", extension, $"{booked.Number} at {booked.At:u}: {booked.Id}");
        return booked;
    }

    /// <summary>Cancels a callback this agent owns while it waits: it is never dialled.</summary>
    public async Task<DeskCallback> CancelCallback(string id)
    {
        var callbacks = deskCallbacks.FirstOrDefault() ?? throw new HubException(DeskHubText.NoCallbacks);
        var extension = Extension();
        if (string.IsNullOrWhiteSpace(id) || id.Length > MaxIdLength)
        {
            throw new HubException(DeskHubText.CallbackCancelRefused("give the callback's id"));
        }

        var result = await callbacks.CancelAsync(extension, id.Trim(), Context.ConnectionAborted);
        if (result is not { Done: true, Callback: { } cancelled })
        {
            await audit.RefusedAsync(Context.User!, "cancel-callback", extension, $"{Shorten(id)}: {result.Message}");
            throw new HubException(DeskHubText.CallbackCancelRefused(result.Message));
        }

        await audit.DoneAsync(Context.User!, "cancel-callback", extension, $"{cancelled.Id} to {cancelled.Number}");
        return cancelled;
    }

    /// <summary>The callbacks this agent owns, newest first.</summary>
    public async Task<IReadOnlyList<DeskCallback>> MyCallbacks() =>
        deskCallbacks.FirstOrDefault() is { } callbacks ? await callbacks.OwnedAsync(Extension(), MaxCallbacksListed, Context.ConnectionAborted) : [];
}
