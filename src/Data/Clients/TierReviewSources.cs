namespace CallCenter.Data.Clients;

/// <summary>Who applied a quarter's review: the values of the <c>source</c> columns.</summary>
public static class TierReviewSources
{
    /// <summary>An operator's <c>tier-review</c> command.</summary>
    public const string Command = "command";

    /// <summary>The platform's scheduled review after a quarter's end.</summary>
    public const string Job = "job";

    /// <summary>Demo data: a quarter whose figures were seeded in step with the seeded tiers, so no review is due for it.</summary>
    public const string Seed = "seed";
}
