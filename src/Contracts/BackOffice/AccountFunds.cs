namespace CallCenter.Contracts.BackOffice;

/// <summary>A fund account's money (CNY): cash held, the part frozen by open buy orders, and what is available.</summary>
public sealed record AccountFunds(string Account, decimal Cash, decimal Frozen, decimal Available, string Currency);
