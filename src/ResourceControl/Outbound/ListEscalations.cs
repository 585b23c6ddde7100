using CallCenter.Data.CallLists;
using CallCenter.Data.Events;

namespace CallCenter.ResourceControl.Outbound;

/// <summary>
/// The escalation of call-list deadlines, on its own tick (<see cref="CallListOptions.CheckSeconds"/>): each open
/// entry whose deadline is within <see cref="CallListOptions.EscalateMinutesBefore"/> (or past) is marked escalated
/// once (the row first: two passes crossing escalate it once), written as an event, logged, and pushed live to the
/// supervisors' wallboards (<see cref="Contracts.Desk.IListAlerts"/>). <see cref="CallListPlanner.NeedsEscalation"/>
/// is the rule; this is its shell, driven by whatever <see cref="TimeProvider"/> it is given.
/// </summary>
internal sealed partial class ListEscalations(
    CallListRepository store, Records.EventLog events, IEnumerable<Contracts.Desk.IListAlerts> alerts, CallListOptions options, TimeProvider time, ILogger<ListEscalations> logger)
    : IDisposable
{
    private readonly IReadOnlyList<Contracts.Desk.IListAlerts> _alerts = [.. alerts];
    private ITimer? _tick;
    private int _running;

    /// <summary>Starts the tick (once).</summary>
    public void Start() =>
        _tick ??= time.CreateTimer(static s => _ = ((ListEscalations)s!).TickAsync(), this, TimeSpan.FromSeconds(options.CheckSeconds), TimeSpan.FromSeconds(options.CheckSeconds));

    /// <summary>Escalates every open entry whose deadline is near (once each); the escalated entries.</summary>
    public async Task<IReadOnlyList<CallListEntryRow>> EscalateAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var escalated = new List<CallListEntryRow>();
        IReadOnlyList<CallListRow>? lists = null;
        foreach (var entry in await store.EntriesAsync(null, cancellationToken))
        {
            if (!CallListPlanner.NeedsEscalation(entry, now, options))
            {
                continue;
            }

            var flagged = entry with { EscalatedAt = now, UpdatedAt = now };
            if (!await store.MarkEscalatedAsync(entry.Id, now, cancellationToken))
            {
                continue; // escalated meanwhile (another pass): once only
            }

            events.Write(EventKind.ListEscalated, entry.LastCallId, null, new { list = entry.ListId, entry = entry.Id, number = entry.Number, dueBy = entry.DueBy, attempts = entry.Attempts, status = entry.Status });
            LogEscalated(logger, entry.Id, entry.ListId, entry.Number, entry.DueBy, entry.Attempts);
            var list = (lists ??= await store.ListsAsync(cancellationToken)).FirstOrDefault(l => l.Id == entry.ListId);
            var alert = new Contracts.Desk.ListEscalation(entry.Id, entry.ListId, list?.Name ?? entry.ListId, list?.Kind ?? "", entry.Number, entry.ClientName, entry.DueBy, entry.Attempts, entry.Status, now);
            foreach (var alerts in _alerts)
            {
                alerts.Escalated(alert); // pushed live to the supervisors' wallboards
            }

            escalated.Add(flagged);
        }

        return escalated;
    }

    private async Task TickAsync()
    {
        // One pass at a time: a slow database never stacks passes up.
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            return;
        }

        try
        {
            await EscalateAsync();
        }
        catch (Exception e)
        {
            LogEscalationFailed(logger, e);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    public void Dispose() => _tick?.Dispose();

    [LoggerMessage(7310, LogLevel.Warning, "Call list entry {EntryId} (list {ListId}) to {Number} is due by {DueBy:u} and still open after {Attempts} attempts: escalated to the supervisors")]
    private static partial void LogEscalated(ILogger logger, string entryId, string listId, string number, DateTimeOffset dueBy, int attempts);

    [LoggerMessage(7317, LogLevel.Error, "Call lists: the escalation check failed; tried again at the next tick")]
    private static partial void LogEscalationFailed(ILogger logger, Exception exception);
}
