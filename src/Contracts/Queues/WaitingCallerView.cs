namespace CallCenter.Contracts.Queues;

/// <summary>A caller waiting in a queue as supervisors see it: the number masked (the middle digits hidden), the tier, since when.</summary>
public sealed record WaitingCallerView(string CallId, string MaskedNumber, string? Tier, DateTimeOffset WaitingSince)
{
    /// <summary>The tier's Mandarin name in the configured scheme (金卡, 黄金); null for an ordinary caller or a tier the scheme does not name.</summary>
    public string? TierZh { get; init; }

    /// <summary>The tier's English name in the configured scheme.</summary>
    public string? TierEn { get; init; }

    /// <summary>The desk's colour for the tier in the configured scheme, <c>#rrggbb</c>.</summary>
    public string? TierColour { get; init; }

    /// <summary>Held for the caller's busy account manager (no other agent takes it until the hold ends or a supervisor picks an agent).</summary>
    public bool Held { get; init; }

    /// <summary>"138****0001": the first three and last four digits of a number of eight or more, otherwise all but the last two hidden.</summary>
    public static string Mask(string? number)
    {
        if (string.IsNullOrEmpty(number))
        {
            return "****";
        }

        return number.Length >= 8
            ? string.Concat(number.AsSpan(0, 3), new string('*', number.Length - 7), number.AsSpan(number.Length - 4))
            : string.Concat(new string('*', Math.Max(0, number.Length - 2)), number.AsSpan(Math.Max(0, number.Length - 2)));
    }
}
