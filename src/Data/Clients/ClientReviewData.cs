namespace CallCenter.Data.Clients;

/// <summary>What the database knows for one client's tier review: the directory entry, the account and the months asked for.</summary>
public sealed record ClientReviewData(string Phone, string Name, string Tier, ClientAccountRecord? Account, IReadOnlyList<ClientMonthFigures> Months);
