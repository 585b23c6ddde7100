using System.Globalization;

namespace CallCenter.ResourceControl.Clients;

/// <summary>
/// The quarterly client grading (domain.md, 按季核定) as a pure function: each client takes the highest tier whose
/// rule holds, with the rule and its numbers as the reason.
/// </summary>
/// <remarks>
/// Equity and fees are the averages of the monthly figures of the quarter's months that are present. A client
/// with no figures for the quarter keeps their tier: missing data is not evidence of a fall. "The last year" is
/// the <see cref="TierOptions.ActivityMonths"/> up to the quarter's last day; a trade on the first day of that
/// window counts as within it, and an account opened on it is not yet older than a year.
/// </remarks>
internal static class TierReview
{
    public static TierReviewResult Review(IEnumerable<TierReviewInput> clients, Quarter quarter, TierOptions options)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(options);
        List<TierDecision> decisions = [.. clients.Select(c => Decide(c, quarter, options))];
        return new TierReviewResult(quarter, decisions, [.. decisions.Where(d => d.Changed)]);
    }

    public static TierDecision Decide(TierReviewInput client, Quarter quarter, TierOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);

        // A month reported twice counts once (the last figures win).
        var months = client.Months
            .Where(m => quarter.Contains(m.Year, m.Month))
            .GroupBy(m => m.Month)
            .Select(g => g.Last())
            .ToList();
        if (months.Count == 0)
        {
            var kept = client.CurrentTier?.ToString() ?? "no tier";
            return new(client.ClientId, client.CurrentTier, client.CurrentTier, $"{kept} kept: no monthly equity or fee figures for {quarter}");
        }

        var equity = months.Average(m => m.AverageEquity);
        var fees = months.Average(m => m.Fees);
        var basis = Format($"{quarter}, {months.Count} of 3 months");
        var (tier, rule) = Grade(client, quarter, options, equity, fees);
        return new(client.ClientId, client.CurrentTier, tier, $"{tier}: {rule} ({basis})");
    }

    private static (ClientTier Tier, string Rule) Grade(TierReviewInput client, Quarter quarter, TierOptions o, decimal equity, decimal fees)
    {
        (ClientTier Tier, decimal Equity, decimal? Fees)[] bands =
        [
            (ClientTier.Diamond, o.DiamondEquity, o.DiamondFees),
            (ClientTier.Platinum, o.PlatinumEquity, o.PlatinumFees),
            (ClientTier.Gold, o.GoldEquity, o.GoldFees),
            (ClientTier.Quality, o.QualityEquity, null),
        ];
        foreach (var (tier, equityFloor, feeFloor) in bands)
        {
            if (equity >= equityFloor)
            {
                return (tier, Format($"average monthly equity {equity:N2} ≥ {equityFloor:N0}"));
            }

            // The fee rule lifts a client whose equity alone would place them lower ("or fees ≥ ...").
            if (feeFloor is { } floor && fees >= floor)
            {
                return (tier, Format($"average monthly fees {fees:N2} ≥ {floor:N0} (equity {equity:N2})"));
            }
        }

        var windowStart = quarter.LastDay.AddMonths(-o.ActivityMonths);
        if (client.LastTrade is { } traded && traded >= windowStart)
        {
            return (ClientTier.Effective, Format($"last trade {traded:yyyy-MM-dd} within the {o.ActivityMonths} months from {windowStart:yyyy-MM-dd}"));
        }

        if (equity > o.EffectiveEquity)
        {
            return (ClientTier.Effective, Format($"average monthly equity {equity:N2} > {o.EffectiveEquity:N0}"));
        }

        var lastTrade = client.LastTrade is { } t ? Format($"last trade {t:yyyy-MM-dd}") : "never traded";
        var notDormant = new List<string>();
        if (client.AccountOpened >= windowStart)
        {
            notDormant.Add(Format($"account opened {client.AccountOpened:yyyy-MM-dd}, not before {windowStart:yyyy-MM-dd}"));
        }

        if (client.HasPositions)
        {
            notDormant.Add("holds positions");
        }

        if (client.YearEndEquity is not { } yearEnd)
        {
            notDormant.Add("year-end equity unknown");
        }
        else if (yearEnd > o.DormantYearEndEquity)
        {
            notDormant.Add(Format($"year-end equity {yearEnd:N2} > {o.DormantYearEndEquity:N0}"));
        }

        if (notDormant.Count == 0)
        {
            return (ClientTier.Dormant, Format(
                $"account opened {client.AccountOpened:yyyy-MM-dd}, no position, {lastTrade} (none since {windowStart:yyyy-MM-dd}), year-end equity {client.YearEndEquity:N2} ≤ {o.DormantYearEndEquity:N0}"));
        }

        return (ClientTier.Ordinary, Format(
            $"neither effective ({lastTrade}, average monthly equity {equity:N2} ≤ {o.EffectiveEquity:N0}) nor dormant ({string.Join(", ", notDormant)})"));
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
