using CallCenter.Data.CallLists;

namespace CallCenter.ResourceControl.Outbound;

/// <summary>
/// Progressive dialling: a progressive list's entries wait on the list, and a pacing pass (every second,
/// and at once after an import) hands them to the ACD as callbacks only while a queue has more free
/// agents than calls waiting (<see cref="ListDialPlanner.ProgressiveRoom"/>). The ACD gives each to a free
/// agent with the queue's skills; the agent's phone rings first and the client once the agent answers,
/// so there is one client line per agent and never an answered client without an agent. A risk notice's
/// entry is booked at once instead (it is urgent), and still waits for a free agent.
/// </summary>
internal sealed partial class CallLists
{
    private const int MaxReleasePerPass = 200;
    private readonly SemaphoreSlim _pacing = new(1, 1);
    private ITimer? _paceTick;

    /// <summary>Entries a stopped process handed to the dialler without booking their callback are open again; then the ticks start.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var entry in await _store.EntriesAsync(null, cancellationToken))
        {
            if (entry.Status == CallListStatuses.Calling && entry.CallbackId is { } id && await _callbacks.GetAsync(id, cancellationToken) is null)
            {
                await _store.ReopenUnbookedAsync(entry.Id, id, _time.GetUtcNow(), cancellationToken);
            }
            else if (entry.Status == CallListStatuses.Calling && entry.CallbackId is null && entry.PreviewAgent is { } agent)
            {
                // A preview dial stopped before its callback was booked: the agent's preview again, which the
                // preview tick gives back to the list while that agent is away.
                await _store.UndoPreviewDialAsync(entry.Id, agent, _time.GetUtcNow(), cancellationToken);
            }
        }

        Start();
        _paceTick = _time.CreateTimer(static s => _ = ((CallLists)s!).PaceSafelyAsync(), this, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>One pacing pass over the progressive lists' queues; the entries handed to the ACD (0 when a pass is already running).</summary>
    public async Task<int> PaceAsync(CancellationToken cancellationToken = default)
    {
        if (!await _pacing.WaitAsync(0, cancellationToken))
        {
            return 0;
        }

        try
        {
            // In quiet hours only risk notices go (the others would wait for the morning holding no agent, all at once).
            var quiet = _rules.Quiet.IsQuiet(_time.GetUtcNow());
            var released = 0;
            var progressive = (await _store.ListsAsync(cancellationToken)).Where(l => l.Mode == CallListModes.Progressive && (!quiet || l.Kind == CallListKinds.RiskNotice));
            foreach (var queue in progressive.GroupBy(l => l.Queue, StringComparer.Ordinal))
            {
                var (waiting, free) = _queues.Load(queue.Key);
                var room = ListDialPlanner.ProgressiveRoom(free, waiting, MaxReleasePerPass);
                if (room == 0)
                {
                    continue;
                }

                var lists = queue.ToDictionary(l => l.Id, StringComparer.Ordinal);
                foreach (var entry in await _store.ReadyForDialAsync(lists.Keys, room, cancellationToken))
                {
                    released += await ReleaseAsync(lists[entry.ListId], entry, cancellationToken) ? 1 : 0;
                }
            }

            return released;
        }
        finally
        {
            _pacing.Release();
        }
    }

    private async Task PaceSafelyAsync()
    {
        try
        {
            await PaceAsync();
        }
        catch (Exception e)
        {
            LogPacingFailed(_logger, e);
        }
    }

    /// <summary>
    /// Hands one entry to the ACD: the entry names its callback first (a conditional write: one pass only),
    /// then the callback is booked with the client's tier (a risk notice also goes ahead of every caller waiting); a refusal (a number put on the do-not-call list since) closes the entry.
    /// </summary>
    private async Task<bool> ReleaseAsync(CallListRow list, CallListEntryRow entry, CancellationToken cancellationToken)
    {
        // The client's tier, looked up as for a caller (before the entry is handed: a failed lookup leaves it open for
        // the next pass), so a list call keeps the client's place among the queue's callers; null for a non-client.
        var client = _callers is null ? null : await _callers.FindAsync(entry.Number.Trim(), 0, cancellationToken);
        var tier = client?.Client?.Tier;
        var callbackId = Callbacks.NewId();
        if (!await _store.TryHandToDiallerAsync(entry.Id, callbackId, _time.GetUtcNow(), cancellationToken))
        {
            return false;
        }

        var (callback, refusal) = await _callbacks.BookAsync(
            new CallbackRequest(entry.Number, list.Queue, "list", _time.GetUtcNow(), null, tier, null, RoutedManager(list, entry, client), null, null, entry.Id, list.MaxAttempts, list.RetrySeconds, list.Kind == CallListKinds.RiskNotice, callbackId, list.Id),
            cancellationToken);
        if (callback is null)
        {
            await _store.UpdateEntryAsync(entry with { Status = CallListStatuses.Refused, Reason = refusal, CallbackId = null, UpdatedAt = _time.GetUtcNow() }, cancellationToken);
            return false;
        }

        LogReleased(_logger, entry.Id, list.Id, callback.Id, list.Queue);
        return true;
    }

    [LoggerMessage(4210, LogLevel.Information, "Call list entry {EntryId} (list {ListId}): handed to queue {Queue} as callback {CallbackId} for the next free agent")]
    private static partial void LogReleased(ILogger logger, string entryId, string listId, string callbackId, string queue);

    [LoggerMessage(4211, LogLevel.Error, "Call lists: a pacing pass failed; tried again in a second")]
    private static partial void LogPacingFailed(ILogger logger, Exception exception);
}
