using CallCenter.FaxSms.Outbox;
using MimeKit;

namespace CallCenter.FaxSms.Email;

/// <summary>
/// The MIME message for an outbox e-mail (pure). Non-ASCII subjects and display names are encoded
/// as RFC 2047 encoded-words in UTF-8 by MimeKit, the body is text/plain in UTF-8, and files go
/// after it in a multipart/mixed. The Message-ID is
/// made from the outbox id, so a resend after a crash carries the same id and a receiving system can
/// recognise the copy (RFC 5322 section 3.6.4); an answer carries In-Reply-To and References, and an
/// automatic acknowledgement or opt-out confirmation <c>Auto-Submitted: auto-replied</c>.
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
        if (message.InReplyTo is { Length: > 0 } inReplyTo)
        {
            mime.InReplyTo = inReplyTo;
        }

        foreach (var reference in (message.References ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            mime.References.Add(reference);
        }

        if (message.Kind is MessageKind.MailAcknowledgement or MessageKind.OptOutConfirmation)
        {
            // RFC 3834 section 5: marks it automatic, so the sender's own auto-responder does not answer it.
            mime.Headers.Add("Auto-Submitted", "auto-replied");
        }

        var text = new TextPart(MimeKit.Text.TextFormat.Plain) { Text = message.Body };
        text.ContentType.Charset = "utf-8";
        if (message.Attachments is not { Count: > 0 } files)
        {
            mime.Body = text;
            return mime;
        }

        // multipart/mixed: the text, then each file base64-encoded; MimeKit writes a non-ASCII file
        // name as an RFC 2231 parameter (filename*=utf-8''…).
        var mixed = new Multipart("mixed") { text };
        foreach (var file in files)
        {
            var part = new MimePart(ContentType.Parse(file.ContentType))
            {
                Content = new MimeContent(new MemoryStream(file.Content, writable: false)),
                ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
                ContentTransferEncoding = ContentEncoding.Base64,
                FileName = file.FileName,
            };
            mixed.Add(part);
        }

        mime.Body = mixed;

        return mime;
    }
}
