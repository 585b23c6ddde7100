using System.Globalization;

namespace CallCenter.ResourceControl.Clients;

/// <summary>
/// The check of <c>Tiers:Businesses</c>, the businesses a hotline serves each with its own grading scheme (a securities
/// firm's cards and its futures business's grades). Every business names a scheme, <c>Tiers:Scheme</c> (the business
/// of a client the directory names none for) is one of them, and a tier name means one tier across them all: the
/// directory, the call records and the routing weights store a tier by its name alone.
/// </summary>
internal static class TierBusinesses
{
    /// <summary>Problems, each naming its key; none when <paramref name="businesses"/> is empty (one business).</summary>
    public static IEnumerable<string> Validate(string scheme, IReadOnlyList<string> businesses, IReadOnlyDictionary<string, List<TierDefinition>> schemes)
    {
        ArgumentNullException.ThrowIfNull(businesses);
        ArgumentNullException.ThrowIfNull(schemes);
        if (businesses.Count == 0)
        {
            yield break;
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var listed = new List<string>();
        for (var i = 0; i < businesses.Count; i++)
        {
            var business = businesses[i];
            if (!schemes.ContainsKey(business ?? ""))
            {
                yield return Format($"Tiers:Businesses:{i} \"{business}\" is not a scheme (one of {string.Join(", ", schemes.Keys)}).");
            }
            else if (!seen.Add(business!))
            {
                yield return Format($"Tiers:Businesses:{i} \"{business}\" is listed twice.");
            }
            else
            {
                listed.Add(business!);
            }
        }

        if (!seen.Contains(scheme))
        {
            yield return $"Tiers:Scheme \"{scheme}\" must be one of Tiers:Businesses ({string.Join(", ", businesses)}): it is the business of a client the directory names none for.";
        }

        // Later businesses are checked against earlier ones, so each collision is reported once, at the later tier.
        for (var later = 1; later < listed.Count; later++)
        {
            var tiers = schemes[listed[later]];
            for (var i = 0; i < tiers.Count; i++)
            {
                if (tiers[i] is not { } tier)
                {
                    continue;
                }

                foreach (var earlier in listed.Take(later))
                {
                    var other = schemes[earlier];
                    var j = other.FindIndex(t => t is not null && string.Equals(t.Name, tier.Name, StringComparison.OrdinalIgnoreCase));
                    if (j >= 0 && !Alike(tier, other[j]))
                    {
                        yield return Format(
                            $"Tiers:Schemes:{listed[later]}:{i}:Name \"{tier.Name}\" collides with Tiers:Schemes:{earlier}:{j}:Name, a tier of the other business with other names, colour, weight or thresholds: a tier's name must say which one it is (only a tier listed alike in both, such as Ordinary 普通, may be shared).");
                    }
                }
            }
        }
    }

    /// <summary>The same tier in two schemes: every field alike (then the name means one thing wherever it is stored).</summary>
    public static bool Alike(TierDefinition a, TierDefinition b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return string.Equals(a.Name, b.Name, StringComparison.OrdinalIgnoreCase) && a.Zh == b.Zh && a.En == b.En
            && string.Equals(a.Colour, b.Colour, StringComparison.OrdinalIgnoreCase) && a.RoutingWeight == b.RoutingWeight
            && a.MinEquity == b.MinEquity && a.MinFees == b.MinFees;
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
