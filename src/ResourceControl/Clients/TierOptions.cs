using System.Globalization;

namespace CallCenter.ResourceControl.Clients;

/// <summary>
/// The <c>Tiers</c> section: the thresholds of the quarterly grading, in CNY (domain.md: firms pick their own,
/// so they are configuration). Equity and fees are monthly averages over the quarter.
/// </summary>
internal sealed class TierOptions
{
    public const string Section = "Tiers";

    public decimal DiamondEquity { get; set; } = 10_000_000m;

    public decimal DiamondFees { get; set; } = 100_000m;

    public decimal PlatinumEquity { get; set; } = 5_000_000m;

    public decimal PlatinumFees { get; set; } = 50_000m;

    public decimal GoldEquity { get; set; } = 1_000_000m;

    public decimal GoldFees { get; set; } = 10_000m;

    public decimal QualityEquity { get; set; } = 500_000m;

    /// <summary>Effective: average equity strictly above this.</summary>
    public decimal EffectiveEquity { get; set; } = 1_000m;

    /// <summary>Dormant: year-end equity at most this.</summary>
    public decimal DormantYearEndEquity { get; set; } = 1_000m;

    /// <summary>"The last year" of the Effective and Dormant rules, counted back from the quarter's last day.</summary>
    public int ActivityMonths { get; set; } = 12;

    /// <summary>
    /// The grading scheme the client directory uses: <c>futures</c> (default: 钻石 … 休眠) or <c>securities</c>
    /// (普通 / 银卡 / 金卡 / 白金卡), or one of <see cref="Schemes"/>. Its tiers are the names imports accept, and their
    /// routing weights order the queues.
    /// </summary>
    public string Scheme { get; set; } = TierSchemes.Futures;

    /// <summary>Schemes by name, each a list of tiers highest first; one named like a built-in scheme replaces it.</summary>
    public Dictionary<string, List<TierDefinition>> Schemes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The built-in schemes overlaid with <see cref="Schemes"/>.</summary>
    public IReadOnlyDictionary<string, List<TierDefinition>> AllSchemes()
    {
        var all = new Dictionary<string, List<TierDefinition>>(StringComparer.OrdinalIgnoreCase)
        {
            [TierSchemes.Futures] = TierSchemes.FuturesTiers(this),
            [TierSchemes.Securities] = TierSchemes.SecuritiesTiers(),
        };
        foreach (var (name, tiers) in Schemes)
        {
            all[name] = tiers ?? [];
        }

        return all;
    }

    /// <summary>
    /// The businesses the hotline serves when it serves more than one (a securities firm with a futures business, or the
    /// other way round): each is graded by the scheme of its name (<c>futures</c>, <c>securities</c>, or one of
    /// <see cref="Schemes"/>), and each client belongs to one (the directory's <c>business</c>; none means
    /// <see cref="Scheme"/>, which must be listed). Empty (the default): one business, graded by <see cref="Scheme"/>.
    /// </summary>
    public List<string> Businesses { get; set; } = [];

    /// <summary>The businesses served, the default (<see cref="Scheme"/>) first; one when <see cref="Businesses"/> is empty.</summary>
    public IReadOnlyList<string> ActiveBusinesses() =>
        Businesses.Count == 0 ? [Scheme] : [Scheme, .. Businesses.Where(b => !string.Equals(b, Scheme, StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase)];

    /// <summary>Whether more than one business (and so more than one scheme) is served.</summary>
    public bool ServesSeveralBusinesses => ActiveBusinesses().Count > 1;

    /// <summary>
    /// The tiers of every business served, highest routing weight first, each name once: with one business, the tiers of
    /// <see cref="Scheme"/> as listed; empty when it names no scheme (validation reports that). With several, a tier
    /// both schemes list alike (<c>Ordinary</c> 普通, the ungraded client) is one tier; validation refuses names that
    /// collide otherwise, so a tier's name alone says which scheme it is.
    /// </summary>
    public IReadOnlyList<TierDefinition> ActiveTiers()
    {
        var all = AllSchemes();
        if (!ServesSeveralBusinesses)
        {
            return all.GetValueOrDefault(Scheme) ?? [];
        }

        return
        [
            .. ActiveBusinesses()
                .SelectMany(b => all.GetValueOrDefault(b) ?? [])
                .Where(t => t is not null)
                .DistinctBy(t => t.Name, StringComparer.OrdinalIgnoreCase)
                .OrderByDescending(t => t.RoutingWeight),
        ];
    }

    /// <summary>The tiers of one business's scheme, highest first (empty for a business not served); null or empty: <see cref="Scheme"/>.</summary>
    public IReadOnlyList<TierDefinition> TiersOf(string? business)
    {
        var name = string.IsNullOrEmpty(business) ? Scheme : business;
        return ActiveBusinesses().Contains(name, StringComparer.OrdinalIgnoreCase) ? AllSchemes().GetValueOrDefault(name) ?? [] : [];
    }

    /// <summary>
    /// The businesses whose scheme has the tier <paramref name="tier"/>, in <see cref="ActiveBusinesses"/> order (two for a
    /// tier both list alike, none for an unknown name).
    /// </summary>
    public IReadOnlyList<string> BusinessesOfTier(string? tier)
    {
        if (tier is null)
        {
            return [];
        }

        var all = AllSchemes();
        return [.. ActiveBusinesses().Where(b => (all.GetValueOrDefault(b) ?? []).Any(t => t is not null && string.Equals(t.Name, tier, StringComparison.OrdinalIgnoreCase)))];
    }

    /// <summary>
    /// Whether the quarterly review can grade the clients: each business by its own scheme (TierReviewRunner), the futures
    /// grades by the domain's rules and any other known scheme (the securities cards) by its tiers' thresholds; not for a
    /// scheme that is not known (refused at start anyway).
    /// </summary>
    public bool ReviewGradesActiveScheme => ServesSeveralBusinesses || AllSchemes().ContainsKey(Scheme);

    /// <summary>
    /// How each account manager gets the list of their clients whose tier a review changed: <c>sms</c> (default),
    /// <c>email</c>, or <c>none</c>. A manager without a contact for it gets the other one (see ManagerNotices).
    /// </summary>
    public string ManagerNotices { get; set; } = Clients.ManagerNotices.Sms;

    /// <summary>Whether the platform reviews each quarter by itself once it has ended (TierReviewJob).</summary>
    public bool ReviewJob { get; set; } = true;

    /// <summary>The day of the month after a quarter's end from which the job may review it (1-28): time for late figures.</summary>
    public int ReviewDay { get; set; } = 1;

    /// <summary>The hour (0-23, the host's local time) of <see cref="ReviewDay"/> from which the job may review.</summary>
    public int ReviewHour { get; set; } = 2;

    /// <summary>One message per bad key, naming it; the tiers' thresholds must rise from Effective to Diamond.</summary>
    public IEnumerable<string> Validate()
    {
        if (ManagerNotices is not (Clients.ManagerNotices.Sms or Clients.ManagerNotices.Email or Clients.ManagerNotices.None))
        {
            yield return $"Tiers:ManagerNotices must be \"sms\", \"email\" or \"none\", not \"{ManagerNotices}\".";
        }

        (string Key, decimal Value)[] equities =
        [
            ("EffectiveEquity", EffectiveEquity), ("QualityEquity", QualityEquity), ("GoldEquity", GoldEquity),
            ("PlatinumEquity", PlatinumEquity), ("DiamondEquity", DiamondEquity),
        ];
        (string Key, decimal Value)[] fees = [("GoldFees", GoldFees), ("PlatinumFees", PlatinumFees), ("DiamondFees", DiamondFees)];

        foreach (var (key, value) in equities.Concat(fees).Append(("DormantYearEndEquity", DormantYearEndEquity)))
        {
            if (value < 0)
            {
                yield return Format($"Tiers:{key} ({value:N0}) must not be negative.");
            }
        }

        if (GoldFees <= 0)
        {
            // A fee threshold of zero would make every client Gold.
            yield return Format($"Tiers:GoldFees ({GoldFees:N0}) must be above 0.");
        }

        foreach (var message in Ordered(equities).Concat(Ordered(fees)))
        {
            yield return message;
        }

        var schemes = AllSchemes();
        if (!schemes.ContainsKey(Scheme ?? ""))
        {
            yield return $"Tiers:Scheme \"{Scheme}\" is not one of {string.Join(", ", schemes.Keys)}.";
        }

        foreach (var (name, tiers) in Schemes)
        {
            foreach (var message in TierSchemes.Validate(name, tiers ?? []))
            {
                yield return message;
            }
        }

        foreach (var message in TierBusinesses.Validate(Scheme ?? "", Businesses, schemes))
        {
            yield return message;
        }

        if (Schemes.TryGetValue(TierSchemes.Futures, out var futures) && futures is not null)
        {
            // The quarterly review's rules write the futures grades' names: a replaced futures scheme must keep them.
            var review = Enum.GetNames<ClientTier>();
            var missing = review.Where(n => !futures.Any(t => string.Equals(t?.Name, n, StringComparison.OrdinalIgnoreCase))).ToList();
            var unknown = futures.Where(t => t is not null && !review.Contains(t.Name, StringComparer.OrdinalIgnoreCase)).Select(t => t.Name).ToList();
            if (missing.Count > 0 || unknown.Count > 0)
            {
                yield return $"Tiers:Schemes:futures must list the review's grades {string.Join(", ", review.Reverse())} (missing: {string.Join(", ", missing)}; unknown: {string.Join(", ", unknown)}); name another scheme instead.";
            }
        }

        if (ActivityMonths is < 1 or > 120)
        {
            yield return Format($"Tiers:ActivityMonths ({ActivityMonths}) must be between 1 and 120.");
        }

        if (ReviewDay is < 1 or > 28)
        {
            // Up to 28: every month has the day.
            yield return Format($"Tiers:ReviewDay ({ReviewDay}) must be between 1 and 28.");
        }

        if (ReviewHour is < 0 or > 23)
        {
            yield return Format($"Tiers:ReviewHour ({ReviewHour}) must be between 0 and 23.");
        }
    }

    private static IEnumerable<string> Ordered((string Key, decimal Value)[] ascending)
    {
        for (var i = 1; i < ascending.Length; i++)
        {
            var (lowerKey, lower) = ascending[i - 1];
            var (higherKey, higher) = ascending[i];
            if (higher <= lower)
            {
                yield return Format($"Tiers:{higherKey} ({higher:N0}) must be above Tiers:{lowerKey} ({lower:N0}): a higher tier needs more.");
            }
        }
    }

    private static string Format(FormattableString message) => message.ToString(CultureInfo.InvariantCulture);
}
