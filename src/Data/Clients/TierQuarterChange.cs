namespace CallCenter.Data.Clients;

/// <summary>
/// One change of a quarter's review with what its account manager's list shows: the client's name and their manager,
/// an agent (<paramref name="ManagerExtension"/> and name) or someone outside the hotline (name and phone only); all
/// null for a client no longer in the directory or without a manager.
/// </summary>
public sealed record TierQuarterChange(TierChangeRecord Change, string? Name, string? ManagerExtension, string? ManagerName, string? ManagerPhone);
