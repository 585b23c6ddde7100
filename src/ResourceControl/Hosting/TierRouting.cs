using CallCenter.ResourceControl.Clients;
using CallCenter.ResourceControl.Routing;

namespace CallCenter.ResourceControl.Hosting;

/// <summary>
/// The routing weights the queues use: the active schemes' <see cref="TierDefinition.RoutingWeight"/>s (with several
/// businesses, both schemes' tiers on one scale, and each tier's business named for the routing explanation), each overridden
/// by a <c>Routing:TierBonusSeconds:&lt;tier&gt;</c> the configuration sets. A key there that names no tier of the scheme
/// is refused (a typo, or a tier of the other scheme), with the key named.
/// </summary>
internal static class TierRouting
{
    public static IReadOnlyList<string> Apply(RoutingOptions routing, TierOptions tiers, IEnumerable<string> configuredKeys)
    {
        ArgumentNullException.ThrowIfNull(routing);
        ArgumentNullException.ThrowIfNull(tiers);
        ArgumentNullException.ThrowIfNull(configuredKeys);
        var scheme = tiers.ActiveTiers();
        if (scheme.Count == 0)
        {
            return []; // Tiers:Scheme names no scheme: TierOptions.Validate says so.
        }

        var errors = new List<string>();
        var weights = scheme.Where(t => t is not null)
            .GroupBy(t => t.Name, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().RoutingWeight, StringComparer.OrdinalIgnoreCase);
        foreach (var key in configuredKeys)
        {
            if (!weights.ContainsKey(key))
            {
                errors.Add(tiers.ServesSeveralBusinesses
                    ? $"{RoutingOptions.Section}:TierBonusSeconds:{key} names no tier of Tiers:Businesses ({string.Join(", ", tiers.ActiveBusinesses())}; their tiers: {string.Join(", ", weights.Keys)})."
                    : $"{RoutingOptions.Section}:TierBonusSeconds:{key} names no tier of Tiers:Scheme \"{tiers.Scheme}\" (its tiers: {string.Join(", ", weights.Keys)}).");
            }
            else if (routing.TierBonusSeconds.TryGetValue(key, out var configured))
            {
                weights[key] = configured;
            }
        }

        routing.TierBonusSeconds = weights;
        if (tiers.ServesSeveralBusinesses)
        {
            // One scale for both schemes (seconds of head start, or the strict order): the explanation names the business
            // so that "GoldCard 400 s" and "Diamond 600 s" read as the two schemes' weights side by side.
            routing.NameBusinesses(weights.Keys.ToDictionary(t => t, t => string.Join("/", tiers.BusinessesOfTier(t)), StringComparer.OrdinalIgnoreCase));
        }

        return errors;
    }
}
