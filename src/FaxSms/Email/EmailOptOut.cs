using CallCenter.FaxSms.Email.Inbound;
using CallCenter.FaxSms.Outbox;
using CallCenter.FaxSms.Sms;
using MimeKit;

namespace CallCenter.FaxSms.Email;

/// <summary>
/// The e-mail opt-out's rules (pure). A person's mail opts its sender out of e-mail broadcasts when its
/// subject, its whole text or its first non-empty line is an opt-out keyword (the SMS ones:
/// <c>退订</c>, <c>TD</c>, <c>STOP</c>, <c>UNSUBSCRIBE</c>, any case, a closing stop allowed), with
/// a "Re:" before the subject allowed. An automatic mail (a bounce, an out-of-office that quotes
/// the word) opts no one out. Addresses are compared bare and in lower case.
/// </summary>
public static class EmailOptOut
{
    public const string ConfirmationText =
        "您已退订本公司的邮件群发，此后不再向您发送营销及资讯邮件；风险提示及您来信的回复不受影响。\n" +
        "You have unsubscribed from our e-mail broadcasts and will receive no more of them; risk notices and answers to your own mail still reach you.";

    /// <summary>The keyword that makes <paramref name="mail"/> an opt-out, or null.</summary>
    public static string? Keyword(InboundMail mail)
    {
        ArgumentNullException.ThrowIfNull(mail);
        if (mail.AutomaticReason is not null)
        {
            return null;
        }

        var subject = mail.Subject.Trim();
        foreach (var prefix in new[] { "re:", "回复:", "回复：" })
        {
            if (subject.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                subject = subject[prefix.Length..];
            }
        }

        var firstLine = mail.Text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
        return OptOutKeywords.Match(subject) ?? OptOutKeywords.Match(mail.Text) ?? OptOutKeywords.Match(firstLine);
    }

    /// <summary>The bare address in lower case (<c>张三 &lt;A@B.cn&gt;</c> → <c>a@b.cn</c>), the form opt-outs are kept and looked up in.</summary>
    public static string Address(string recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        return (MailboxAddress.TryParse(recipient, out var mailbox) ? mailbox.Address : recipient.Trim()).ToLowerInvariant();
    }

    /// <summary>The confirmation to the sender, threaded under the mail; it goes although the sender opted out.</summary>
    public static OutboundMessage Confirmation(InboundMail mail, string id)
    {
        ArgumentNullException.ThrowIfNull(mail);
        return new OutboundMessage(id, MessageChannel.Email, mail.FromAddress, MailAcknowledgement.ReplySubject(mail.Subject), ConfirmationText,
            MessageKind.OptOutConfirmation, 0, mail.MessageId, MailAcknowledgement.Thread(mail));
    }
}
