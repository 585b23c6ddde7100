namespace CallCenter.Contracts.Desk;

/// <summary>A call list entry escalated to the supervisors: its deadline is near (or past) and the client is still not reached.</summary>
public sealed record ListEscalation(
    string EntryId,
    string ListId,
    string ListName,
    string Kind,
    string Number,
    string? ClientName,
    DateTimeOffset DueBy,
    int Attempts,
    string Status,
    DateTimeOffset EscalatedAt);

/// <summary>Where the host's call lists send escalations as they happen (the desk pushes them to the supervisors' wallboards).</summary>
public interface IListAlerts
{
    /// <summary>Called once per escalated entry; must not block (the sending is queued).</summary>
    void Escalated(ListEscalation escalation);
}
