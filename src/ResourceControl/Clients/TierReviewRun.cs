using CallCenter.Data.Clients;

namespace CallCenter.ResourceControl.Clients;

/// <summary>One change of a review as it is shown: the client, the stored tier and the new one, and why.</summary>
internal sealed record TierReviewLine(string Phone, string Name, string OldTier, string NewTier, string Reason);

/// <summary>
/// What a run of the tier review did: the quarter, the clients graded and the changes (applied, or only proposed in a
/// dry run), or the earlier review that had already applied the quarter; and how many client notices it queued.
/// </summary>
internal sealed record TierReviewRun(Quarter Quarter, int Clients, IReadOnlyList<TierReviewLine> Changes, bool Applied, TierReviewRecord? AlreadyReviewed, int Notices = 0);
