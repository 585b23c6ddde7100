using System.Globalization;

namespace CallCenter.ResourceControl.Clients;

/// <summary>
/// The two grading schemes a brokerage runs (客户分级), built in so that a configuration need not list them:
/// <c>futures</c> (钻石 … 休眠, by equity or fees; its thresholds are the quarterly review's <c>Tiers:*Equity</c> and
/// <c>Tiers:*Fees</c> keys, one truth) and <c>securities</c> (普通 / 银卡 / 金卡 / 白金卡, by assets or commission).
/// A scheme under <c>Tiers:Schemes:&lt;name&gt;</c> replaces the built-in one of that name, or adds one.
/// </summary>
internal static class TierSchemes
{
    public const string Futures = "futures";
    public const string Securities = "securities";

    /// <summary>The futures grades, highest first, with the thresholds of <paramref name="options"/>.</summary>
    public static List<TierDefinition> FuturesTiers(TierOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return
        [
            Tier(nameof(ClientTier.Diamond), "钻石", "Diamond", "#6f42c1", 600, options.DiamondEquity, options.DiamondFees),
            Tier(nameof(ClientTier.Platinum), "白金", "Platinum", "#5a6b7b", 400, options.PlatinumEquity, options.PlatinumFees),
            Tier(nameof(ClientTier.Gold), "黄金", "Gold", "#c99a06", 240, options.GoldEquity, options.GoldFees),
            Tier(nameof(ClientTier.Quality), "优质", "Quality", "#2e8b57", 60, options.QualityEquity, null),
            Tier(nameof(ClientTier.Effective), "有效", "Effective", "#3b7dd8", 0, null, null),
            Tier(nameof(ClientTier.Ordinary), "普通", "Ordinary", "#888888", 0, null, null),
            Tier(nameof(ClientTier.Dormant), "休眠", "Dormant", "#b0b0b0", 0, null, null),
        ];
    }

    /// <summary>The securities cards, highest first, by average assets or monthly commission (CNY).</summary>
    public static List<TierDefinition> SecuritiesTiers() =>
    [
        Tier("PlatinumCard", "白金卡", "Platinum card", "#5a6b7b", 600, 5_000_000m, 30_000m),
        Tier("GoldCard", "金卡", "Gold card", "#c99a06", 400, 1_000_000m, 8_000m),
        Tier("SilverCard", "银卡", "Silver card", "#8a9ba8", 120, 200_000m, 2_000m),
        Tier("Ordinary", "普通", "Ordinary", "#888888", 0, null, null),
    ];

    private static TierDefinition Tier(string name, string zh, string en, string colour, int weight, decimal? minEquity, decimal? minFees) =>
        new() { Name = name, Zh = zh, En = en, Colour = colour, RoutingWeight = weight, MinEquity = minEquity, MinFees = minFees };

    /// <summary>Problems of one scheme, each naming its key (<c>Tiers:Schemes:securities:2:MinEquity</c>).</summary>
    public static IEnumerable<string> Validate(string scheme, IReadOnlyList<TierDefinition> tiers)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        var key = $"{TierOptions.Section}:Schemes:{scheme}";
        if (tiers.Count == 0)
        {
            yield return $"{key} has no tiers.";
            yield break;
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        (int Index, decimal Value)? lastEquity = null;
        (int Index, decimal Value)? lastFees = null;
        for (var i = 0; i < tiers.Count; i++)
        {
            var tier = tiers[i];
            var at = Format($"{key}:{i}");
            if (tier is null)
            {
                yield return $"{at} is empty.";
                continue;
            }

            if (string.IsNullOrWhiteSpace(tier.Name) || tier.Name.Length > 32 || !tier.Name.All(char.IsLetterOrDigit))
            {
                yield return $"{at}:Name \"{tier.Name}\" must be 1 to 32 letters or digits.";
            }
            else if (!names.Add(tier.Name))
            {
                yield return $"{at}:Name \"{tier.Name}\" names a tier twice.";
            }

            if (string.IsNullOrWhiteSpace(tier.Zh))
            {
                yield return $"{at}:Zh (the Mandarin name) is missing.";
            }

            if (string.IsNullOrWhiteSpace(tier.En))
            {
                yield return $"{at}:En (the English name) is missing.";
            }

            if (tier.Colour is not { Length: 7 } colour || colour[0] != '#' || !colour.Skip(1).All(char.IsAsciiHexDigit))
            {
                yield return $"{at}:Colour \"{tier.Colour}\" is not #rrggbb.";
            }

            if (tier.RoutingWeight < 0)
            {
                yield return Format($"{at}:RoutingWeight ({tier.RoutingWeight}) must be 0 or more.");
            }
            else if (i > 0 && tiers[i - 1] is { } above && tier.RoutingWeight > above.RoutingWeight)
            {
                yield return Format($"{at}:RoutingWeight ({tier.RoutingWeight}) must not be above the higher tier's {key}:{i - 1}:RoutingWeight ({above.RoutingWeight}).");
            }

            foreach (var message in Descending(at, "MinEquity", tier.MinEquity, ref lastEquity, key, i)
                .Concat(Descending(at, "MinFees", tier.MinFees, ref lastFees, key, i)))
            {
                yield return message;
            }
        }
    }

    // Tiers are listed highest first, so a threshold must fall down the list: a lower tier asking as much as a
    // higher one would overlap it. Collected eagerly because an iterator cannot take a ref.
    private static List<string> Descending(string at, string field, decimal? value, ref (int Index, decimal Value)? last, string key, int index)
    {
        var errors = new List<string>();
        if (value is not { } v)
        {
            return errors;
        }

        if (v < 0)
        {
            errors.Add(Format($"{at}:{field} ({v:N0}) must not be negative."));
        }
        else if (last is { } higher && v >= higher.Value)
        {
            errors.Add(Format($"{at}:{field} ({v:N0}) overlaps the higher tier's {key}:{higher.Index}:{field} ({higher.Value:N0}): a lower tier must ask less."));
        }

        last = (index, v);
        return errors;
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
