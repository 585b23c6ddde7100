namespace CallCenter.Contracts.BackOffice;

/// <summary>A transfer made.</summary>
public sealed record Transfer(long Id, string Account, TransferDirection Direction, decimal Amount, string BankCode, DateTimeOffset At);
