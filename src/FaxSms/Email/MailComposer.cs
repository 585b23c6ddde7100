using CallCenter.FaxSms.Outbox;
using MimeKit;

namespace CallCenter.FaxSms.Email;

/// <summary>
/// The MIME message for an outbox e-mail (pure). Non-ASCII subjects and display names are encoded
/// as RFC 2047 encoded-words in UTF-8 by MimeKit, the body is text/plain in UTF-8. The Message-ID is
/// made from the outbox id, so a resend after a crash carries the same id and a receiving system can
/// recognise the copy (RFC 5322 section 3.6.4).
/// </summary>
public static class MailComposer
{
    public static MimeMessage Compose(OutboundMessage message, string from, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(from));
        mime.To.Add(MailboxAddress.Parse(message.Recipient));
        mime.Subject = message.Subject ?? "";
        mime.Date = now;
        var domain = ((MailboxAddress)mime.From[0]).Domain;
        mime.MessageId = $"{message.Id}@{(string.IsNullOrEmpty(domain) ? "callcenter" : domain)}";
        mime.Body = new TextPart(MimeKit.Text.TextFormat.Plain) { Text = message.Body };
        foreach (var part in mime.BodyParts.OfType<TextPart>())
        {
            part.ContentType.Charset = "utf-8";
        }

        return mime;
    }
}
