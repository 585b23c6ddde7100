namespace CallCenter.Data.Clients;

/// <summary>
/// What the database knows for one client's tier review: the directory entry (with the client's language and their
/// account manager as the client would know them: the agent's name, or the name of a manager outside the hotline; and
/// how the platform reaches that manager: the agent's mobile and e-mail address, or the outside manager's phone),
/// the account and the months asked for; and the business whose scheme grades the client (null: the default one).
/// </summary>
public sealed record ClientReviewData(
    string Phone,
    string Name,
    string Tier,
    ClientAccountRecord? Account,
    IReadOnlyList<ClientMonthFigures> Months,
    string Language = "zh",
    string? ManagerExtension = null,
    string? ManagerName = null,
    string? ManagerPhone = null,
    string? ManagerEmail = null,
    string? Business = null);
