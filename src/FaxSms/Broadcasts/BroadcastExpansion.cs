using System.Globalization;
using CallCenter.FaxSms.Outbox;

namespace CallCenter.FaxSms.Broadcasts;

/// <summary>A client of the directory as an audience sees it.</summary>
public sealed record AudienceMember(string Phone, string Name, string Tier, string AccountMasked, string Language, string? Manager);

/// <summary>One SMS of a broadcast: to whom (E.164) and the text in the client's language.</summary>
public sealed record BroadcastSms(string Recipient, string Body);

/// <summary>
/// Turns an audience into a broadcast's messages (pure): each member's number normalized (one that is
/// not a mobile number is skipped with the reason), members who opted out of SMS skipped unless it
/// is a risk notice, a number reached twice sent once, and the text rendered in the member's
/// language (Mandarin unless the client's language is English and the template has an English text).
/// </summary>
public static class BroadcastExpansion
{
    private static readonly Dictionary<string, string> _tierZh = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Diamond"] = "钻石",
        ["Platinum"] = "白金",
        ["Gold"] = "黄金",
        ["Quality"] = "优质",
        ["Effective"] = "有效",
        ["Dormant"] = "休眠",
        ["Ordinary"] = "普通",
    };

    public static (IReadOnlyList<BroadcastSms> Messages, IReadOnlyDictionary<string, int> Skipped) Expand(
        IReadOnlyList<AudienceMember> members, MessageTemplate zh, MessageTemplate? en, IReadOnlySet<string> optedOut, bool riskNotice, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(zh);
        var messages = new List<BroadcastSms>(members.Count);
        var skipped = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            var (number, _) = Recipients.Phone(member.Phone);
            if (number is null)
            {
                Count(skipped, "not a mobile number");
                continue;
            }

            if (!riskNotice && optedOut.Contains(number))
            {
                Count(skipped, "opted out of SMS");
                continue;
            }

            if (!seen.Add(number))
            {
                Count(skipped, "number already in this broadcast");
                continue;
            }

            var english = en is not null && member.Language.StartsWith("en", StringComparison.OrdinalIgnoreCase);
            messages.Add(new BroadcastSms(number, (english ? en! : zh).Render(Values(member, english, today))));
        }

        return (messages, skipped);
    }

    public static IReadOnlyDictionary<string, string?> Values(AudienceMember member, bool english, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(member);
        return new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["name"] = member.Name,
            ["tier"] = english ? member.Tier : _tierZh.GetValueOrDefault(member.Tier, member.Tier),
            ["manager"] = member.Manager,
            ["account"] = member.AccountMasked,
            ["date"] = english
                ? today.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)
                : $"{today.Year}年{today.Month}月{today.Day}日",
        };
    }

    private static void Count(SortedDictionary<string, int> skipped, string reason) =>
        skipped[reason] = skipped.GetValueOrDefault(reason) + 1;
}
