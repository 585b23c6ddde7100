using CallCenter.Contracts.Desk;

namespace CallCenter.ResourceControl.Outbound;

/// <summary>
/// The wallboard's due and overdue counts per call list, counted by <see cref="CallListPlanner.Summarize"/> as
/// <c>GET /api/call-lists</c> counts them (due: deadline within <c>CallLists:EscalateMinutesBefore</c>; overdue: past).
/// </summary>
internal sealed class ListDeadlineCounts(CallLists lists, TimeProvider time) : ICallListDeadlines
{
    public async Task<IReadOnlyList<ListDeadlineCount>> CountsAsync(CancellationToken cancellationToken)
    {
        var entries = (await lists.EntriesAsync(null, cancellationToken)).ToLookup(e => e.ListId, StringComparer.Ordinal);
        var now = time.GetUtcNow();
        return
        [
            .. (await lists.ListsAsync(cancellationToken))
                .Select(l => (List: l, Counts: CallListPlanner.Summarize(entries[l.Id], now, lists.Options)))
                .Where(x => x.Counts.Open > 0)
                .OrderByDescending(x => x.Counts.Overdue).ThenByDescending(x => x.Counts.Due).ThenBy(x => x.List.Name, StringComparer.Ordinal)
                .Select(x => new ListDeadlineCount(x.List.Id, x.List.Name, x.List.Kind, x.Counts.Open, x.Counts.Due, x.Counts.Overdue)),
        ];
    }
}
