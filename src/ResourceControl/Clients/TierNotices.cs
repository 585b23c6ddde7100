using CallCenter.FaxSms.Outbox;

namespace CallCenter.ResourceControl.Clients;

/// <summary>
/// The review's publication (pure): for each client whose tier changed, the SMS that tells them, in their language,
/// with the tiers' names as the scheme spells them and their account manager to ask; and how many clients each tier
/// had before and after. A client whose number cannot take an SMS (a fixed line, a malformed number) gets no notice,
/// and the skip says why.
/// </summary>
internal static class TierNotices
{
    /// <summary>The SMS sender's signature, as Chinese carriers require one at the head of a service SMS.</summary>
    public const string Signature = "【客服中心】";

    /// <summary>A change as the notice needs it.</summary>
    public sealed record Change(string Phone, string Name, string Language, string OldTier, string NewTier, string? Manager);

    /// <summary>Why a changed client got no notice.</summary>
    public sealed record Skipped(string Phone, string Reason);

    /// <summary>
    /// The notices of <paramref name="quarter"/>'s changes. Message ids are the quarter's and the number's, so a
    /// review that is applied once writes each notice once.
    /// </summary>
    public static (IReadOnlyList<OutboundMessage> Notices, IReadOnlyList<Skipped> Skipped) Compose(
        string quarter,
        IEnumerable<Change> changes,
        IReadOnlyList<TierDefinition> tiers)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(tiers);
        var notices = new List<OutboundMessage>();
        var skipped = new List<Skipped>();
        foreach (var change in changes)
        {
            var (number, error) = Recipients.Phone(change.Phone);
            if (number is null)
            {
                skipped.Add(new Skipped(change.Phone, error!));
                continue;
            }

            var english = change.Language == "en";
            var from = NameOf(change.OldTier, english, tiers);
            var to = NameOf(change.NewTier, english, tiers);
            var text = english
                ? $"[Customer Service] Dear {change.Name}, after the {quarter} review your client grade is now {to} (was {from})."
                    + (change.Manager is { Length: > 0 } m ? $" Your account manager {m} will gladly explain." : " Call 95500 for details.")
                    + " Reply STOP to opt out"
                : $"{Signature}{change.Name}您好，根据{quarter}季度考核，您的客户等级由{from}调整为{to}。"
                    + (change.Manager is { Length: > 0 } n ? $"详询您的客户经理{n}。" : "详询95500。")
                    + "退订回TD";
            notices.Add(new OutboundMessage(
                $"msg-tier-{quarter}-{number.TrimStart('+')}",
                MessageChannel.Sms,
                number,
                null,
                text,
                MessageKind.TierNotice,
                0));
        }

        return (notices, skipped);
    }

    /// <summary>How many of <paramref name="tiersByClient"/> are in each tier (tier name → count).</summary>
    public static IReadOnlyDictionary<string, int> Counts(IEnumerable<string> tiersByClient) =>
        tiersByClient.GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>The tier's name in the client's language; a name the scheme does not know is shown as stored.</summary>
    public static string NameOf(string tier, bool english, IReadOnlyList<TierDefinition> tiers)
    {
        var definition = tiers.FirstOrDefault(t => string.Equals(t.Name, tier, StringComparison.OrdinalIgnoreCase));
        return definition is null ? tier : english ? definition.En : definition.Zh;
    }
}
