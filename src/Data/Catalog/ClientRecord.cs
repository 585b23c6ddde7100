namespace CallCenter.Data.Catalog;

/// <summary>A brokerage client as the client directory knows them, looked up by caller number.</summary>
public sealed record ClientRecord(
    string Phone,
    string Name,
    string AccountMasked,
    string Tier,
    string? ManagerExtension,
    string Language,
    string Branch);
