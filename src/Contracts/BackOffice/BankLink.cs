namespace CallCenter.Contracts.BackOffice;

/// <summary>A bank account linked to the fund account (银证转账): the card number masked, and its balance.</summary>
public sealed record BankLink(string BankCode, string BankName, string MaskedCardNumber, decimal Balance);
