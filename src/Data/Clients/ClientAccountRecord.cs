namespace CallCenter.Data.Clients;

/// <summary>The account facts the Effective and Dormant rules of the tier review need.</summary>
/// <param name="Phone">The client's caller number, the key of the client directory.</param>
/// <param name="OpenedOn">The day the account was opened.</param>
/// <param name="LastTradeOn">The day of the last trade; null if the client never traded.</param>
/// <param name="HasPositions">True if the client holds any position.</param>
public sealed record ClientAccountRecord(string Phone, DateOnly OpenedOn, DateOnly? LastTradeOn, bool HasPositions);
