using System.Text.Json.Serialization;

namespace CallCenter.FaxSms.Broadcasts;

/// <summary>
/// Who a broadcast goes to (pure): clients of the directory by tier, by subscription to a topic
/// (for example <c>morning-note</c>), by birthday today, by holding a stock (<c>holding</c>: a
/// six-digit code), by having no bank account bound (<c>noBankLink</c>), or every client
/// (<c>all</c>). The last two are asked of the back office. Criteria given together must all hold. An audience with no criterion and without <c>all</c> is refused, so an
/// empty form never mails the whole directory by accident.
/// </summary>
public sealed record Audience
{
    [JsonPropertyName("all")]
    public bool All { get; init; }

    /// <summary>Tier names as the directory stores them (Diamond, Platinum, …).</summary>
    [JsonPropertyName("tiers")]
    public IReadOnlyList<string>? Tiers { get; init; }

    [JsonPropertyName("subscription")]
    public string? Subscription { get; init; }

    [JsonPropertyName("birthdayToday")]
    public bool BirthdayToday { get; init; }

    /// <summary>A six-digit stock code: clients whose fund accounts hold it.</summary>
    [JsonPropertyName("holding")]
    public string? Holding { get; init; }

    /// <summary>Clients whose fund accounts have no bank account bound (the reminder to bind one).</summary>
    [JsonPropertyName("noBankLink")]
    public bool NoBankLink { get; init; }

    /// <summary>Whether the back office must be asked who is in this audience.</summary>
    [JsonIgnore]
    public bool NeedsBackOffice => Holding is not null || NoBankLink;

    public string? Validate()
    {
        if (!All && (Tiers is null || Tiers.Count == 0) && string.IsNullOrWhiteSpace(Subscription) && !BirthdayToday && Holding is null && !NoBankLink)
        {
            return "the audience needs \"all\": true or at least one of \"tiers\", \"subscription\", \"birthdayToday\", \"holding\", \"noBankLink\"";
        }

        if (Holding is { } code && !(code.Length == 6 && code.All(char.IsAsciiDigit)))
        {
            return $"\"holding\" must be a six-digit stock code such as 600000, not \"{(code.Length > 20 ? code[..20] + "…" : code)}\"";
        }

        if (Tiers is { } tiers && tiers.Any(t => string.IsNullOrWhiteSpace(t) || t.Length > 40))
        {
            return "\"tiers\" must be tier names";
        }

        if (Subscription is { Length: > 60 })
        {
            return "\"subscription\" is a topic name of at most 60 characters";
        }

        return null;
    }
}
