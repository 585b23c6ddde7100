namespace CallCenter.Contracts.Desk;

/// <summary>A call list's entries still owed, against their deadlines, for the supervisors' wallboard.</summary>
/// <param name="ListId">The list.</param>
/// <param name="Name">Its name.</param>
/// <param name="Kind">Its kind (new-account, complaint-callback, core-client, risk-notice, ...).</param>
/// <param name="Open">Entries still owed.</param>
/// <param name="Due">Open entries whose deadline is within the escalation lead (<c>CallLists:EscalateMinutesBefore</c>).</param>
/// <param name="Overdue">Open entries whose deadline has passed.</param>
public sealed record ListDeadlineCount(string ListId, string Name, string Kind, int Open, int Due, int Overdue);

/// <summary>What the desk room needs of the host's call lists to show due and overdue counts.</summary>
public interface ICallListDeadlines
{
    /// <summary>Every list with at least one open entry, most overdue first.</summary>
    Task<IReadOnlyList<ListDeadlineCount>> CountsAsync(CancellationToken cancellationToken);
}
