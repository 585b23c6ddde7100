using System.Text;
using CallCenter.FaxSms.Outbox;

namespace CallCenter.ResourceControl.Clients;

/// <summary>
/// The review's lists to account managers (pure): each manager with clients whose tier changed gets one message
/// naming them, by the configured channel (<c>Tiers:ManagerNotices</c>: <c>sms</c> or <c>email</c>), or by the other
/// one when the manager has no contact for it; a manager with neither is skipped with the reason. Managers are
/// the brokerage's staff, so the lists are in Mandarin; client numbers appear masked (138****0001). An SMS names
/// at most <see cref="SmsClients"/> clients and says how many more (the e-mail and the admin page have them all).
/// </summary>
internal static class ManagerNotices
{
    public const string Sms = "sms";
    public const string Email = "email";
    public const string None = "none";

    /// <summary>The most clients an SMS list names.</summary>
    public const int SmsClients = 5;

    /// <summary>One manager: <paramref name="Key"/> is the agent's extension or, outside the hotline, the manager's phone.</summary>
    public sealed record Manager(string Key, string Name, string? Phone, string? Email);

    public sealed record Client(string Phone, string Name, string OldTier, string NewTier);

    public sealed record Skipped(string Manager, string Reason);

    /// <summary>
    /// The lists of <paramref name="quarter"/>. Message ids are the quarter's and the manager's, so a review that is
    /// applied once writes each list once.
    /// </summary>
    public static (IReadOnlyList<OutboundMessage> Notices, IReadOnlyList<Skipped> Skipped) Compose(
        string quarter,
        IEnumerable<(Manager Manager, IReadOnlyList<Client> Clients)> lists,
        string channel,
        IReadOnlyList<TierDefinition> tiers)
    {
        ArgumentNullException.ThrowIfNull(lists);
        var notices = new List<OutboundMessage>();
        var skipped = new List<Skipped>();
        if (channel == None)
        {
            return (notices, skipped);
        }

        foreach (var (manager, clients) in lists.Where(l => l.Clients.Count > 0))
        {
            var phone = Recipients.Phone(manager.Phone);
            var email = manager.Email is null ? (null, "no e-mail address") : Recipients.Email(manager.Email);
            var useEmail = channel == Email ? email.Normalized is not null : phone.Normalized is null && email.Normalized is not null;
            // The key as it is, hashed: its letters and digits alone would make "+8613…" and "8613…" one id, and the
            // second insert would roll back the whole review.
            var id = $"msg-tier-{quarter}-manager-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(manager.Key)))[..20]}";
            if (useEmail)
            {
                notices.Add(new OutboundMessage(id, MessageChannel.Email, email.Normalized!,
                    $"{quarter}季度客户分级考核：您的{clients.Count}位客户等级变化", EmailBody(quarter, manager, clients, tiers), MessageKind.ManagerList, 0));
            }
            else if (phone.Normalized is not null)
            {
                notices.Add(new OutboundMessage(id, MessageChannel.Sms, phone.Normalized, null, SmsText(quarter, manager, clients, tiers), MessageKind.ManagerList, 0));
            }
            else
            {
                skipped.Add(new Skipped(manager.Key, $"no mobile ({phone.Error ?? "none on file"}) and no e-mail address ({email.Error ?? "none on file"})"));
            }
        }

        return (notices, skipped);
    }

    /// <summary>138****0001: enough for the manager to know the client, not the whole number in a message.</summary>
    public static string Mask(string phone) => phone.Length >= 8 ? phone[..3] + "****" + phone[^4..] : phone;

    private static string Line(Client c, IReadOnlyList<TierDefinition> tiers) =>
        $"{c.Name}（{Mask(c.Phone)}）{TierNotices.NameOf(c.OldTier, false, tiers)}→{TierNotices.NameOf(c.NewTier, false, tiers)}";

    private static string SmsText(string quarter, Manager manager, IReadOnlyList<Client> clients, IReadOnlyList<TierDefinition> tiers)
    {
        var text = new StringBuilder($"{TierNotices.Signature}{manager.Name}您好，{quarter}季度考核您有{clients.Count}位客户等级变化：");
        text.AppendJoin("；", clients.Take(SmsClients).Select(c => Line(c, tiers)));
        if (clients.Count > SmsClients)
        {
            text.Append($"等{clients.Count}位");
        }

        return text.Append("。全部名单见管理台客户分级。").ToString();
    }

    private static string EmailBody(string quarter, Manager manager, IReadOnlyList<Client> clients, IReadOnlyList<TierDefinition> tiers)
    {
        var body = new StringBuilder($"{manager.Name}您好：\n\n{quarter}季度客户分级考核已发布，您的以下{clients.Count}位客户等级发生变化：\n\n");
        foreach (var client in clients)
        {
            body.Append("- ").Append(Line(client, tiers)).Append('\n');
        }

        return body.Append("\n全部记录见管理台“客户分级”页。\n客服中心").ToString();
    }
}
