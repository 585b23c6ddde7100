using System.Text.Json.Serialization;

namespace CallCenter.FaxSms.Broadcasts;

/// <summary>
/// Who a broadcast goes to (pure): clients of the directory by tier, by subscription to a topic
/// (for example <c>morning-note</c>), by birthday today, or every client (<c>all</c>). Criteria given
/// together must all hold. An audience with no criterion and without <c>all</c> is refused, so an
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

    public string? Validate()
    {
        if (!All && (Tiers is null || Tiers.Count == 0) && string.IsNullOrWhiteSpace(Subscription) && !BirthdayToday)
        {
            return "the audience needs \"all\": true or at least one of \"tiers\", \"subscription\", \"birthdayToday\"";
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
