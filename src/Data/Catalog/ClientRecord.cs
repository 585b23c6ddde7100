namespace CallCenter.Data.Catalog;

/// <summary>
/// A brokerage client as the client directory knows them, looked up by caller number. Their account manager is either
/// a hotline agent (<paramref name="ManagerExtension"/>, who can take the client's calls) or a person outside the
/// hotline, such as a branch's sales staff (<paramref name="ManagerName"/> and <paramref name="ManagerPhone"/>): shown
/// on the pop, but calls are not routed to them. <paramref name="Business"/> is the business whose grading scheme the
/// tier is of when the hotline serves several (<c>securities</c>, <c>futures</c>); null: the default one.
/// <paramref name="CallHours"/>: the client's own calling hours as <see cref="ClientCallHours.Format"/> (null: none; the
/// platform's calling hours alone apply to the calls it places to them).
/// </summary>
public sealed record ClientRecord(
    string Phone,
    string Name,
    string AccountMasked,
    string Tier,
    string? ManagerExtension,
    string Language,
    string Branch,
    string? ManagerName = null,
    string? ManagerPhone = null,
    string? Business = null,
    string? CallHours = null);
