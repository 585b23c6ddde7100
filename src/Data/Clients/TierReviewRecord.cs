namespace CallCenter.Data.Clients;

/// <summary>A quarter whose review was applied: when, by whom, how many clients it graded and how many it changed.</summary>
public sealed record TierReviewRecord(string Quarter, DateTimeOffset ReviewedAt, string Source, int Clients, int Changes);
