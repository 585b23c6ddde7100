using CallCenter.Data.Catalog;

namespace CallCenter.Data.Calls;

/// <summary>What the platform knows of a caller when it answers: the directory entry (if any), the account manager's name and the last calls, newest first.</summary>
public sealed record CallerLookup(ClientRecord? Client, string? ManagerName, IReadOnlyList<RecentCall> Recent);
