using CallCenter.ResourceControl.Clients;
using CallCenter.ResourceControl.Routing;

namespace CallCenter.ResourceControl.Hosting;

/// <summary>
/// The routing weights the queues use: the active scheme's <see cref="TierDefinition.RoutingWeight"/>s, each overridden
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
                errors.Add($"{RoutingOptions.Section}:TierBonusSeconds:{key} names no tier of Tiers:Scheme \"{tiers.Scheme}\" (its tiers: {string.Join(", ", weights.Keys)}).");
            }
            else if (routing.TierBonusSeconds.TryGetValue(key, out var configured))
            {
                weights[key] = configured;
            }
        }

        routing.TierBonusSeconds = weights;
        return errors;
    }
}
