namespace CallCenter.Data.Clients;

/// <summary>A tier change to apply: the client, the tier held and the tier decided, and the rule that decided.</summary>
public sealed record TierChange(string Phone, string? OldTier, string NewTier, string Reason);
