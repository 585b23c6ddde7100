using CallCenter.Contracts.BackOffice;

namespace CallCenter.BackOffice;

/// <summary>One account as the built-in back office holds it (the operators' view, never the PIN).</summary>
public sealed record AccountView(string Phone, AccountFunds Funds, IReadOnlyList<Position> Positions, IReadOnlyList<BankLink> BankLinks, IReadOnlyList<Order> Orders, IReadOnlyList<Transfer> Transfers);
