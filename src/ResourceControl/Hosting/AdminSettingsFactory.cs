using CallCenter.AgentDesk.Admin;
using CallCenter.ResourceControl.Clients;
using CallCenter.ResourceControl.Routing;
using CallCenter.Telephony;

namespace CallCenter.ResourceControl.Hosting;

/// <summary>The configuration the desk's admin pages show (read-only), taken from the host's own sections.</summary>
internal static class AdminSettingsFactory
{
    public static AdminSettings Create(SipOptions sip, RoutingOptions routing, TierOptions tiers)
    {
        ArgumentNullException.ThrowIfNull(sip);
        ArgumentNullException.ThrowIfNull(routing);
        ArgumentNullException.ThrowIfNull(tiers);
        var queues = routing.Queues
            .OrderBy(q => q.Key, StringComparer.OrdinalIgnoreCase)
            .Select(q => new AdminQueueSettings(
                q.Key, [.. q.Value.Skills], q.Value.MaxLength, q.Value.MaxWaitSeconds, q.Value.Overflow, q.Value.ParsedStrategy.ToString(), q.Value.Closed)
            {
                Priority = q.Value.ParsedPriority == QueuePriority.Strict ? "strict" : "headStart",
                StarvationGuardSeconds = q.Value.StarvationGuardSeconds,
            })
            .ToList();
        var thresholds = new Dictionary<string, decimal>
        {
            [nameof(TierOptions.DiamondEquity)] = tiers.DiamondEquity,
            [nameof(TierOptions.DiamondFees)] = tiers.DiamondFees,
            [nameof(TierOptions.PlatinumEquity)] = tiers.PlatinumEquity,
            [nameof(TierOptions.PlatinumFees)] = tiers.PlatinumFees,
            [nameof(TierOptions.GoldEquity)] = tiers.GoldEquity,
            [nameof(TierOptions.GoldFees)] = tiers.GoldFees,
            [nameof(TierOptions.QualityEquity)] = tiers.QualityEquity,
            [nameof(TierOptions.EffectiveEquity)] = tiers.EffectiveEquity,
            [nameof(TierOptions.DormantYearEndEquity)] = tiers.DormantYearEndEquity,
            [nameof(TierOptions.ActivityMonths)] = tiers.ActivityMonths,
        };

        // Highest first; the active scheme's names (with several businesses, all their schemes' names, by routing weight);
        // the import accepts a client's tier from their own business's scheme.
        var scheme = tiers.ActiveTiers().Where(t => t is not null).ToList();
        var names = scheme.Select(t => t.Name).ToList();
        return new AdminSettings(
            sip.Realm,
            queues,
            new AdminTierSettings(
                names,
                new Dictionary<string, int>(routing.TierBonusSeconds, StringComparer.OrdinalIgnoreCase),
                thresholds,
                tiers.ReviewJob,
                tiers.ReviewDay,
                tiers.ReviewHour)
            {
                Scheme = tiers.Scheme,
                Definitions =
                [
                    .. scheme.Select(t => new AdminTierDefinition(
                        t.Name, t.Zh, t.En, t.Colour, t.RoutingWeight, t.MinEquity, t.MinFees, tiers.ServesSeveralBusinesses ? string.Join("/", tiers.BusinessesOfTier(t.Name)) : null)),
                ],
                Businesses = tiers.ActiveBusinesses().ToDictionary<string, string, IReadOnlyCollection<string>>(
                    b => b, b => tiers.TiersOf(b).Where(t => t is not null).Select(t => t.Name).ToList(), StringComparer.OrdinalIgnoreCase),
            });
    }
}
