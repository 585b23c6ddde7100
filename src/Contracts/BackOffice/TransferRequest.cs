namespace CallCenter.Contracts.BackOffice;

/// <summary>A transfer of <see cref="Amount"/> CNY with the account's (first) linked bank.</summary>
public sealed record TransferRequest(string Account, TransferDirection Direction, decimal Amount);
