using System.Globalization;

namespace CallCenter.ResourceControl.Clients;

/// <summary>
/// The quarterly grading of a scheme other than the futures grades (the securities cards: 普通 / 银卡 / 金卡 / 白金卡, by
/// assets or commission), as a pure function: the highest tier whose <see cref="TierDefinition.MinEquity"/> the
/// quarter's average monthly equity (assets) reaches, or whose <see cref="TierDefinition.MinFees"/> the average fees
/// (commission) reach; else the scheme's lowest tier. As in <see cref="TierReview"/>, a client without figures for the
/// quarter keeps their tier, and a month reported twice counts once.
/// </summary>
internal static class SchemeReview
{
    /// <summary>The new tier (null: kept, no figures) and the rule with its numbers.</summary>
    public static (string? Tier, string Reason) Decide(string? currentTier, IReadOnlyList<MonthlyFigures> figures, Quarter quarter, IReadOnlyList<TierDefinition> tiers)
    {
        ArgumentNullException.ThrowIfNull(figures);
        ArgumentNullException.ThrowIfNull(tiers);
        var months = figures
            .Where(m => quarter.Contains(m.Year, m.Month))
            .GroupBy(m => m.Month)
            .Select(g => g.Last())
            .ToList();
        if (months.Count == 0 || tiers.Count == 0)
        {
            return (null, $"{currentTier ?? "no tier"} kept: no monthly figures for {quarter}");
        }

        var equity = months.Average(m => m.AverageEquity);
        var fees = months.Average(m => m.Fees);
        var basis = Format($"{quarter}, {months.Count} of 3 months");
        foreach (var tier in tiers)
        {
            if (tier.MinEquity is { } minEquity && equity >= minEquity)
            {
                return (tier.Name, Format($"{tier.Name}: average monthly assets {equity:N2} ≥ {minEquity:N0} ({basis})"));
            }

            if (tier.MinFees is { } minFees && fees >= minFees)
            {
                return (tier.Name, Format($"{tier.Name}: average monthly commission {fees:N2} ≥ {minFees:N0} (assets {equity:N2}) ({basis})"));
            }
        }

        var lowest = tiers[tiers.Count - 1].Name;
        return (lowest, Format($"{lowest}: average monthly assets {equity:N2} and commission {fees:N2} reach no card's threshold ({basis})"));
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
