using CallCenter.Contracts.Calls;
using CallCenter.Data.Callbacks;
using CallCenter.Data.CallLists;
using CallCenter.Data.Events;

namespace CallCenter.ResourceControl.Outbound;

/// <summary>
/// Preview dialling: an agent asks for the next entry (<see cref="ListDialPlanner.PreviewOrder"/> over the
/// preview lists whose queue their skills serve), which is held for them alone (a conditional write); they
/// dial it (held → calling, once: a second click or another agent finds it taken) or skip it with a reason
/// (back on its list, paused). An agent who signs out, loses their phone's registration or lets the entry
/// lie for <see cref="CallListOptions.PreviewSeconds"/> gives it back at the next tick.
/// </summary>
internal sealed partial class CallLists : IListPreview
{
    private const int MaxHoldTries = 20; // candidates tried when other agents take them first
    private const int OutOfHoursReadFactor = 5; // entries read per candidate tried, past those outside their calling hours
    private readonly SemaphoreSlim _previewGate = new(1, 1);

    public async Task<ListPreviewResult> CurrentAsync(string agent, CancellationToken cancellationToken)
    {
        var lists = await _store.ListsAsync(cancellationToken);
        var held = (await _store.PreviewingAsync(agent, cancellationToken)).FirstOrDefault();
        return held is null || lists.FirstOrDefault(l => l.Id == held.ListId) is not { } list
            ? new(404, $"agent {agent} holds no list entry")
            : new(200, null, ToPreview(held, list));
    }

    public async Task<ListPreviewResult> NextAsync(string agent, CancellationToken cancellationToken)
    {
        if (_presence.Find(agent) is not { } state)
        {
            return new(404, $"there is no agent {agent}");
        }

        if (!Present(state))
        {
            return new(409, $"agent {agent} is offline or their phone is not registered: a preview is dialled from their phone");
        }

        // One entry per agent: asking again shows the one already held (two requests at once are taken in turn).
        await _previewGate.WaitAsync(cancellationToken);
        try
        {
            return await CurrentAsync(agent, cancellationToken) is { Done: true } current ? current : await HoldNextAsync(agent, cancellationToken);
        }
        finally
        {
            _previewGate.Release();
        }
    }

    private async Task<ListPreviewResult> HoldNextAsync(string agent, CancellationToken cancellationToken)
    {
        var lists = await _store.ListsAsync(cancellationToken);
        var skills = _presence.Skills(agent);
        bool Serves(string queue) => _routing.Queues.TryGetValue(queue, out var q) && ListDialPlanner.Serves(skills, q.Skills);
        var now = _time.GetUtcNow();
        // An entry whose call may not ring now (the calling hours, or the client's own) is not offered: the agent could
        // not dial it, and would be handed it again at every ask. It stays on the list for its hours. So more entries are
        // read than are tried, and those that may ring now are tried in order.
        var read = await PreviewCandidatesAsync(_store, lists, Serves, agent, now, MaxHoldTries * OutOfHoursReadFactor, cancellationToken);
        var candidates = read.Where(c => MayOfferNow(_rules, c.List, c.Entry, now)).Take(MaxHoldTries).ToList();
        foreach (var candidate in candidates)
        {
            if (!await _store.TryHoldForPreviewAsync(candidate.Entry.Id, agent, now, cancellationToken))
            {
                continue; // another agent took it first
            }

            var held = candidate.Entry with { Status = CallListStatuses.Previewing, PreviewAgent = agent, PreviewAt = now, UpdatedAt = now };
            _events.Write(EventKind.ListPreviewed, null, agent, new { list = held.ListId, entry = held.Id, number = held.Number });
            LogPreviewed(_logger, held.Id, held.ListId, agent);
            return new(200, null, ToPreview(held, candidate.List));
        }

        return new(404, read.Count == 0
            ? $"no preview list entry is waiting for agent {agent}'s skills ({string.Join(", ", skills)})"
            : candidates.Count == 0
            ? $"the first {read.Count} waiting entries for agent {agent}'s skills are outside their calling hours now (the platform's, or the client's own)"
            : "every waiting entry was taken by other agents just now: ask again");
    }

    /// <summary>
    /// May an agent be shown <paramref name="entry"/> to dial at <paramref name="now"/>: within the platform's calling hours and
    /// the client's own as this node holds them (a risk notice at any hour). The best 100 entries of each list the agent
    /// serves are looked at, so when all of those are outside their hours the agent is told so even if a later one is not.
    /// </summary>
    internal static bool MayOfferNow(OutboundRules rules, CallListRow list, CallListEntryRow entry, DateTimeOffset now) =>
        rules.WaitUntil(entry.Number.Trim(), list.Kind == CallListKinds.RiskNotice, now) is null;

    /// <summary>
    /// The best <paramref name="take"/> entries <paramref name="agent"/> may preview now, in <see cref="ListDialPlanner.PreviewOrder"/>'s
    /// order. Only the first <paramref name="take"/> of each preview list they serve are read (an index walk, not the
    /// whole list): the best overall are among each list's best, since within one list the order is the same
    /// (deadline, attempts, age, id). A new-account entry checks the relationship with its manager: never the
    /// manager's own to call (<see cref="IsOwnRelationship"/>, asked of the database).
    /// </summary>
    internal static async Task<IReadOnlyList<PreviewCandidate>> PreviewCandidatesAsync(
        CallListRepository store, IReadOnlyList<CallListRow> lists, Func<string, bool> serves, string agent, DateTimeOffset now, int take, CancellationToken cancellationToken)
    {
        var entries = new List<CallListEntryRow>();
        foreach (var list in ListDialPlanner.PreviewLists(lists, serves))
        {
            var notManagedBy = list.Kind == CallListKinds.NewAccount ? agent : null;
            entries.AddRange(await store.PreviewCandidatesAsync(list.Id, now, notManagedBy, take, cancellationToken));
        }

        return [.. ListDialPlanner.PreviewOrder(entries, lists, serves, now).Take(take)];
    }

    public async Task<ListPreviewResult> DialAsync(string agent, string entryId, CancellationToken cancellationToken)
    {
        if (await _store.GetEntryAsync(entryId, cancellationToken) is not { } entry)
        {
            return new(404, $"no call list entry {entryId}");
        }

        if (entry.Status != CallListStatuses.Previewing || entry.PreviewAgent != agent)
        {
            return new(409, entry.Status == CallListStatuses.Calling && entry.PreviewAgent == agent
                ? $"entry {entryId} is being dialled already: one call per attempt"
                : $"entry {entryId} is not agent {agent}'s preview (it is {entry.Status}): ask for the next entry");
        }

        if ((await _store.ListsAsync(cancellationToken)).FirstOrDefault(l => l.Id == entry.ListId) is not { } list)
        {
            return new(404, $"entry {entryId}'s list is gone");
        }

        // A number put on the do-not-call list since the import is never dialled: the entry is refused with the reason.
        if (DialPlan.Normalize(entry.Number, _dialing).Number is { } number && _rules.DoNotCallReason(number.E164) is { } doNotCall)
        {
            var refused = entry with { Status = CallListStatuses.Refused, Reason = $"{number.E164} is on the do-not-call list ({doNotCall})", UpdatedAt = _time.GetUtcNow() };
            await _store.UpdateEntryAsync(refused, cancellationToken);
            return new(422, refused.Reason + "; the entry is closed, nothing was dialled");
        }

        if (!await _store.TryStartPreviewDialAsync(entry.Id, agent, _time.GetUtcNow(), cancellationToken))
        {
            return new(409, $"entry {entryId} was dialled or given back meanwhile: one call per attempt");
        }

        CallbackRow? callback = null;
        CallControlResult result;
        try
        {
            callback = await _callbacks.BeginPreviewAttemptAsync(entry, list, cancellationToken);
            await _store.UpdateEntryAsync(entry with { Status = CallListStatuses.Calling, CallbackId = callback.Id, UpdatedAt = _time.GetUtcNow() }, cancellationToken);
            result = await _dialer.DialEntryAsync(agent, callback);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
        {
            // Nothing rang (the database or the dialler failed on the way): the entry is the agent's preview
            // again rather than 'calling' for ever.
            LogPreviewDialFailed(_logger, e, entry.Id, agent);
            if (callback is not null)
            {
                await _callbacks.PreviewNotPlacedAsync(callback);
            }

            await _store.UndoPreviewDialAsync(entry.Id, agent, _time.GetUtcNow(), CancellationToken.None);
            return new(503, $"entry {entryId} could not be dialled now ({e.Message}); nothing was dialled, the entry is still yours");
        }

        if (result.CallId is { } placed)
        {
            // The row names the attempt's call while it lasts: an agent's wrap-up given meanwhile is kept on it.
            await _callbacks.PreviewDialledAsync(callback, placed);
        }

        if (result.Error == CallControlError.None)
        {
            LogPreviewDialled(_logger, entry.Id, result.CallId ?? "-", agent);
            return new(202, result.Message, ToPreview(entry, list), result.CallId);
        }

        if (result.CallId is null)
        {
            // Nothing rang: the entry is the agent's preview again (they may dial later, or skip it).
            await _callbacks.PreviewNotPlacedAsync(callback);
            await _store.UndoPreviewDialAsync(entry.Id, agent, _time.GetUtcNow(), cancellationToken);
            return new(result.Error == CallControlError.UnknownTarget ? 422 : 409, result.Message + "; nothing was dialled, the entry is still yours");
        }

        // The call was made but the agent's phone did not take it: its end reports the attempt, and the entry goes back to the list.
        return new(409, result.Message + "; the entry goes back to its list");
    }

    public async Task<ListPreviewResult> SkipAsync(string agent, string entryId, string? reason, CancellationToken cancellationToken)
    {
        var (why, refusal) = ListDialPlanner.SkipReason(reason);
        if (why is null)
        {
            return new(400, refusal);
        }

        var now = _time.GetUtcNow();
        if (!await _store.GiveBackPreviewAsync(entryId, agent, why, now.AddSeconds(_options.SkipPauseSeconds), now, cancellationToken))
        {
            return await _store.GetEntryAsync(entryId, cancellationToken) is null
                ? new(404, $"no call list entry {entryId}")
                : new(409, $"entry {entryId} is not agent {agent}'s preview: nothing was skipped");
        }

        _events.Write(EventKind.ListPreviewReturned, null, agent, new { entry = entryId, agent, reason = why, skipped = true });
        LogSkipped(_logger, entryId, agent, why);
        return new(200, $"skipped; offered again after {_options.SkipPauseSeconds} s");
    }

    /// <summary>Gives back the previews whose agent has gone or let them lie (on the tick).</summary>
    public async Task<int> GiveBackStalePreviewsAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var given = 0;
        foreach (var entry in await _store.PreviewingAsync(null, cancellationToken))
        {
            var present = entry.PreviewAgent is { } a && _presence.Find(a) is { } state && Present(state);
            if (!ListDialPlanner.GiveBack(entry, present, now, _options.PreviewSeconds)
                || !await _store.GiveBackPreviewAsync(entry.Id, entry.PreviewAgent ?? "", null, null, now, cancellationToken))
            {
                continue;
            }

            given++;
            var why = present ? $"not dialled in {_options.PreviewSeconds} s" : "the agent signed out or their phone went away";
            _events.Write(EventKind.ListPreviewReturned, null, entry.PreviewAgent, new { entry = entry.Id, agent = entry.PreviewAgent, reason = why, skipped = false });
            LogGivenBack(_logger, entry.Id, entry.PreviewAgent ?? "-", why);
        }

        return given;
    }

    /// <summary>An agent who can hold a preview: their phone registered and not offline.</summary>
    private static bool Present(Agents.AgentState state) => state.Registered && state.Status != Agents.AgentStatus.Offline;

    private static ListPreviewEntry ToPreview(CallListEntryRow e, CallListRow list) =>
        new(e.Id, list.Id, list.Name, list.Kind, e.Number, e.ClientName, e.AccountManager, e.Note, e.DueBy, e.Attempts, list.MaxAttempts);

    [LoggerMessage(4200, LogLevel.Information, "Call list entry {EntryId} (list {ListId}) held for agent {Agent}'s preview")]
    private static partial void LogPreviewed(ILogger logger, string entryId, string listId, string agent);

    [LoggerMessage(4201, LogLevel.Information, "Call list entry {EntryId}: dialled by agent {Agent} from the preview, call {CallId}")]
    private static partial void LogPreviewDialled(ILogger logger, string entryId, string callId, string agent);

    [LoggerMessage(4202, LogLevel.Information, "Call list entry {EntryId}: skipped by agent {Agent}: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string entryId, string agent, string reason);

    [LoggerMessage(4203, LogLevel.Warning, "Call list entry {EntryId}: agent {Agent}'s preview went back to its list: {Reason}")]
    private static partial void LogGivenBack(ILogger logger, string entryId, string agent, string reason);

    [LoggerMessage(4205, LogLevel.Error, "Call list entry {EntryId}: agent {Agent}'s preview dial failed before anything rang; the entry is their preview again")]
    private static partial void LogPreviewDialFailed(ILogger logger, Exception exception, string entryId, string agent);

    [LoggerMessage(4204, LogLevel.Error, "Call lists: giving back stale previews failed; tried again at the next tick")]
    private static partial void LogGiveBackFailed(ILogger logger, Exception exception);
}
