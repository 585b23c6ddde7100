namespace CallCenter.Data.Clients;

/// <summary>A row of the tier history: one change applied by the review of <paramref name="Quarter"/>.</summary>
/// <param name="Seq">The history's order.</param>
/// <param name="Phone">The client's caller number.</param>
/// <param name="Quarter">The quarter reviewed, <c>2026Q3</c>.</param>
/// <param name="OldTier">The tier before; null if the client had none the review knew.</param>
/// <param name="NewTier">The tier after.</param>
/// <param name="Reason">The rule that decided, with its numbers.</param>
/// <param name="DecidedAt">When the change was applied.</param>
/// <param name="Source"><see cref="TierReviewSources.Command"/> or <see cref="TierReviewSources.Job"/>.</param>
public sealed record TierChangeRecord(long Seq, string Phone, string Quarter, string? OldTier, string NewTier, string Reason, DateTimeOffset DecidedAt, string Source);
