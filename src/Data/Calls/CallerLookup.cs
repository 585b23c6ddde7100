using CallCenter.Data.Catalog;

namespace CallCenter.Data.Calls;

/// <summary>
/// What the platform knows of a caller when it answers: the directory entry (if any), the account manager's name and the
/// last calls, newest first; <paramref name="ManagerDeniedAt"/>: when the client last said on a new-account confirmation
/// call that the directory's manager is not theirs (null when never).
/// </summary>
public sealed record CallerLookup(ClientRecord? Client, string? ManagerName, IReadOnlyList<RecentCall> Recent, DateTimeOffset? ManagerDeniedAt = null);
