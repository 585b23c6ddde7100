namespace CallCenter.Data.Desk;

/// <summary>One line of the desk's audit log: who (login and role) did what to which target, and whether it was done or refused.</summary>
public sealed record AuditEntry(DateTimeOffset At, string Actor, string Role, string Action, string? Target, string Outcome, string? Detail)
{
    public const string Done = "done";
    public const string Refused = "refused";

    public long Seq { get; init; }
}
