namespace CallCenter.ResourceControl.Clients;

/// <summary>The review's verdict on one client: the old and the new tier and which rule decided, with its numbers.</summary>
internal sealed record TierDecision(string ClientId, ClientTier? OldTier, ClientTier? NewTier, string Reason)
{
    public bool Changed => OldTier != NewTier;

    /// <summary>True for a move to a higher tier (or a first grading).</summary>
    public bool IsUpgrade => Changed && (OldTier is null || NewTier > OldTier);
}
