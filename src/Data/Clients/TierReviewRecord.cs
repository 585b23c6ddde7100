namespace CallCenter.Data.Clients;

/// <summary>
/// A quarter whose review was applied: when, by whom, how many clients it graded and how many it changed; how many
/// clients each tier had before and after it (null for a review applied before these were kept), and how many
/// client notices and how many account-manager lists it queued.
/// </summary>
public sealed record TierReviewRecord(
    string Quarter,
    DateTimeOffset ReviewedAt,
    string Source,
    int Clients,
    int Changes,
    IReadOnlyDictionary<string, int>? TiersBefore = null,
    IReadOnlyDictionary<string, int>? TiersAfter = null,
    int Notices = 0,
    int ManagerNotices = 0);
