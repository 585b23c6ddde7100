namespace CallCenter.Contracts.Desk;

/// <summary>Received faxes whose supervisors' task is not handled yet, for the wallboard.</summary>
/// <param name="New">How many: received (in full or in part) and not marked handled; not one still being received.</param>
/// <param name="OldestAt">When the oldest of them came in (its age is the view's time less this); null when there is none.</param>
public sealed record FaxTaskCount(int New, DateTimeOffset? OldestAt);

/// <summary>What the desk room needs of the messaging room's received faxes to show them on the wallboard (read from the database). Absent without that room.</summary>
public interface IFaxTaskCounts
{
    /// <summary>The received faxes still to handle, and the oldest one's time.</summary>
    Task<FaxTaskCount> CountAsync(CancellationToken cancellationToken);
}
