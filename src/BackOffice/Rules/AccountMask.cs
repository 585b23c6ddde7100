namespace CallCenter.BackOffice.Rules;

/// <summary>A fund account as logs and the desk's pop show it: the last four digits only (issue 14: masked everywhere but the audit).</summary>
public static class AccountMask
{
    public static string Mask(string? account) =>
        account is null || account.Length <= 4 ? "****" : new string('*', account.Length - 4) + account[^4..];
}
