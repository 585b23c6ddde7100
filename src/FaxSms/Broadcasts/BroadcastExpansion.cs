using System.Globalization;
using CallCenter.Contracts.BackOffice;
using CallCenter.FaxSms.Outbox;

namespace CallCenter.FaxSms.Broadcasts;

/// <summary>A client of the directory as an audience sees it.</summary>
public sealed record AudienceMember(string Phone, string Name, string Tier, string AccountMasked, string Language, string? Manager, string? Email = null);

/// <summary>One message of a broadcast: to whom (E.164 or an address), the subject (e-mail only) and the text in the client's language.</summary>
public sealed record BroadcastSms(string Recipient, string Body, string? Subject = null);

/// <summary>A template's parsed texts: the channel, the body in Mandarin and optionally English, and for e-mail the subjects.</summary>
public sealed record BroadcastContent(string Channel, MessageTemplate Zh, MessageTemplate? En, MessageTemplate? SubjectZh = null, MessageTemplate? SubjectEn = null)
{
    public static BroadcastContent Sms(MessageTemplate zh, MessageTemplate? en) => new(MessageChannel.Sms, zh, en);
}

/// <summary>
/// Turns an audience into a broadcast's messages (pure). SMS: each member's number normalized (one
/// that is not a mobile number is skipped with the reason), members who opted out of SMS skipped
/// unless it is a risk notice. E-mail: the member's address on file (none, or not an address, is
/// skipped with the reason), members who opted out of e-mail broadcasts skipped unless it is a risk
/// notice. <c>optedOut</c> holds the channel's own opt-outs (numbers, or bare lower-case addresses):
/// an SMS opt-out does not stop e-mail, nor the reverse. Either way a recipient reached
/// twice is sent once, and the text (and subject) rendered in the member's language (Mandarin unless
/// the client's language is English and the template has an English text).
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
        ["PlatinumCard"] = "白金卡",
        ["GoldCard"] = "金卡",
        ["SilverCard"] = "银卡",
    };

    /// <param name="holdings">Each member's positions by phone, when the template uses <c>{{holdings}}</c>; a member absent holds nothing.</param>
    public static (IReadOnlyList<BroadcastSms> Messages, IReadOnlyDictionary<string, int> Skipped) Expand(
        IReadOnlyList<AudienceMember> members, BroadcastContent content, IReadOnlySet<string> optedOut, bool riskNotice, DateOnly today,
        IReadOnlyDictionary<string, IReadOnlyList<Position>>? holdings = null)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(content);
        var email = content.Channel == MessageChannel.Email;
        var messages = new List<BroadcastSms>(members.Count);
        var skipped = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var member in members)
        {
            string? recipient;
            if (email)
            {
                if (string.IsNullOrWhiteSpace(member.Email))
                {
                    Count(skipped, "no e-mail address on file");
                    continue;
                }

                (recipient, _) = Recipients.Email(member.Email);
                if (recipient is null)
                {
                    Count(skipped, "not an e-mail address");
                    continue;
                }

                if (!riskNotice && optedOut.Contains(Email.EmailOptOut.Address(recipient)))
                {
                    Count(skipped, "opted out of e-mail");
                    continue;
                }
            }
            else
            {
                (recipient, _) = Recipients.Phone(member.Phone);
                if (recipient is null)
                {
                    Count(skipped, "not a mobile number");
                    continue;
                }

                if (!riskNotice && optedOut.Contains(recipient))
                {
                    Count(skipped, "opted out of SMS");
                    continue;
                }
            }

            if (!seen.Add(recipient))
            {
                Count(skipped, email ? "address already in this broadcast" : "number already in this broadcast");
                continue;
            }

            var english = content.En is not null && member.Language.StartsWith("en", StringComparison.OrdinalIgnoreCase);
            var values = Values(member, english, today, holdings?.GetValueOrDefault(member.Phone) ?? []);
            var subject = english && content.SubjectEn is not null ? content.SubjectEn : content.SubjectZh;
            messages.Add(new BroadcastSms(recipient, (english ? content.En! : content.Zh).Render(values), subject?.Render(values)));
        }

        return (messages, skipped);
    }

    public static IReadOnlyDictionary<string, string?> Values(AudienceMember member, bool english, DateOnly today, IReadOnlyList<Position>? positions = null)
    {
        ArgumentNullException.ThrowIfNull(member);
        return new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["name"] = member.Name,
            ["tier"] = english ? member.Tier : _tierZh.GetValueOrDefault(member.Tier, member.Tier),
            ["manager"] = member.Manager,
            ["account"] = member.AccountMasked,
            ["holdings"] = Holdings(positions ?? [], english),
            ["date"] = english
                ? today.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)
                : $"{today.Year}年{today.Month}月{today.Day}日",
        };
    }

    /// <summary>
    /// A client's positions as a template's <c>{{holdings}}</c>: "600000 1,000 shares; 600036 200 shares"
    /// in English, "600000 浦发银行 1,000股；600036 招商银行 200股" in Mandarin; none is said as such.
    /// </summary>
    public static string Holdings(IReadOnlyList<Position> positions, bool english)
    {
        ArgumentNullException.ThrowIfNull(positions);
        var held = positions.Where(p => p.Quantity > 0).OrderBy(p => p.Code, StringComparer.Ordinal).ToList();
        if (held.Count == 0)
        {
            return english ? "no holdings" : "无持仓";
        }

        return english
            ? string.Join("; ", held.Select(p => $"{p.Code} {p.Quantity.ToString("N0", CultureInfo.InvariantCulture)} shares"))
            : string.Join("；", held.Select(p => $"{p.Code} {p.Name} {p.Quantity.ToString("N0", CultureInfo.InvariantCulture)}股"));
    }

    private static void Count(SortedDictionary<string, int> skipped, string reason) =>
        skipped[reason] = skipped.GetValueOrDefault(reason) + 1;
}
