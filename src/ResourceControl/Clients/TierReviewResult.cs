namespace CallCenter.ResourceControl.Clients;

/// <summary>The outcome of one quarter's review: a decision per client, and the decisions that change a tier.</summary>
internal sealed record TierReviewResult(Quarter Quarter, IReadOnlyList<TierDecision> Decisions, IReadOnlyList<TierDecision> Changes);
