using System.Globalization;
using MimeKit;

namespace CallCenter.FaxSms.Email.Inbound;

/// <summary>
/// Reads an inbound mail (pure): the sender and display name, the subject (RFC 2047 encoded-words, UTF-8 or
/// GB18030, are decoded by MimeKit), the body as text (text/plain, else text/html turned into text), the
/// attachments within <see cref="InboundMailLimits"/>, the Message-ID and the thread (In-Reply-To, References).
/// A mail without a usable sender is refused with the reason; it is kept for an operator, not dropped.
/// GB2312/GBK/GB18030 need <see cref="MailCharsets.Register"/> before MimeKit is first used.
/// </summary>
public static class InboundMailParser
{
    public static (InboundMail? Mail, string? Error) Parse(MimeMessage message, InboundMailLimits limits, string fallbackMessageId)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(limits);
        var from = message.From.Mailboxes.FirstOrDefault() ?? message.Sender;
        if (from is null || string.IsNullOrWhiteSpace(from.Address) || !from.Address.Contains('@', StringComparison.Ordinal))
        {
            return (null, "the mail has no sender address (From)");
        }

        var messageId = string.IsNullOrWhiteSpace(message.MessageId) ? fallbackMessageId : message.MessageId.Trim();
        if (messageId.Length > limits.MaxHeaderChars)
        {
            return (null, $"the Message-ID is longer than {limits.MaxHeaderChars} characters");
        }

        var subject = Clip(message.Subject ?? "", limits.MaxSubjectChars);
        var text = Clip(BodyText(message), limits.MaxBodyChars);
        var references = message.References.Where(r => r.Length <= limits.MaxHeaderChars).TakeLast(limits.MaxReferences).ToList();
        var inReplyTo = message.InReplyTo is { Length: > 0 } r && r.Length <= limits.MaxHeaderChars ? r : null;
        return (new InboundMail(
            messageId,
            from.Address.Trim().ToLowerInvariant(),
            string.IsNullOrWhiteSpace(from.Name) ? null : from.Name.Trim(),
            subject,
            text,
            inReplyTo,
            references,
            Attachments(message, limits),
            AutoReplyRule.Classify(message)), null);
    }

    private static string BodyText(MimeMessage message)
    {
        if (message.TextBody is { } plain)
        {
            return plain.ReplaceLineEndings("\n").Trim();
        }

        if (message.HtmlBody is { } html)
        {
            return HtmlText.Convert(html);
        }

        return "";
    }

    private static List<InboundAttachment> Attachments(MimeMessage message, InboundMailLimits limits)
    {
        var list = new List<InboundAttachment>();
        long total = 0;
        foreach (var part in message.Attachments.OfType<MimePart>().Take(limits.MaxAttachments))
        {
            var name = Clip(part.FileName ?? part.ContentType.Name ?? $"attachment-{list.Count + 1}", 200);
            using var stream = new MemoryStream();
            part.Content?.DecodeTo(stream);
            var size = stream.Length;
            string? reason = null;
            if (size > limits.MaxAttachmentBytes)
            {
                reason = string.Create(CultureInfo.InvariantCulture, $"over the limit of {limits.MaxAttachmentBytes} bytes per attachment");
            }
            else if (total + size > limits.MaxTotalAttachmentBytes)
            {
                reason = string.Create(CultureInfo.InvariantCulture, $"over the limit of {limits.MaxTotalAttachmentBytes} bytes for all attachments");
            }

            if (reason is null)
            {
                total += size;
            }

            list.Add(new InboundAttachment(name, part.ContentType.MimeType, size, reason is null ? stream.ToArray() : null, reason));
        }

        return list;
    }

    private static string Clip(string value, int max) => value.Length <= max ? value : value[..max];
}

/// <summary>Limits on what an inbound mail may bring in (<c>Mail:Imap</c>).</summary>
public sealed record InboundMailLimits(
    int MaxSubjectChars = 500,
    int MaxBodyChars = 100_000,
    int MaxAttachments = 20,
    long MaxAttachmentBytes = 5 * 1024 * 1024,
    long MaxTotalAttachmentBytes = 10 * 1024 * 1024,
    int MaxHeaderChars = 998,
    int MaxReferences = 20);
