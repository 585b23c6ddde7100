using CallCenter.FaxSms.Outbox;

namespace CallCenter.FaxSms.Email.Inbound;

/// <summary>
/// The automatic acknowledgement of a client's mail (pure). A person's mail that became a task is
/// acknowledged, at most once per sender within <c>window</c> (RFC 3834 section 2: an automatic reply
/// must not be sent again and again to the same address), never to our own address, and never for an
/// automatic or malformed mail. The acknowledgement is threaded under the mail it answers.
/// </summary>
public static class MailAcknowledgement
{
    public static OutboundMessage? Decide(
        InboundMail mail,
        string outcome,
        string ownAddress,
        DateTimeOffset? lastAcknowledgedAt,
        DateTimeOffset now,
        TimeSpan window,
        string id)
    {
        ArgumentNullException.ThrowIfNull(mail);
        if (outcome != InboundMailOutcome.Task || mail.AutomaticReason is not null)
        {
            return null;
        }

        if (string.Equals(mail.FromAddress, ownAddress, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (lastAcknowledgedAt is { } last && now - last < window)
        {
            return null;
        }

        var body =
            "您好，我们已收到您的邮件，客服人员将尽快回复您。\n" +
            "Hello, we have received your e-mail; an agent will answer you soon.\n\n" +
            $"主题 Subject: {mail.Subject}";
        return new OutboundMessage(
            id,
            MessageChannel.Email,
            mail.FromAddress,
            ReplySubject(mail.Subject),
            body,
            MessageKind.MailAcknowledgement,
            0,
            mail.MessageId,
            Thread(mail));
    }

    /// <summary>"Re: " before the subject once, whatever case the sender used.</summary>
    public static string ReplySubject(string subject)
    {
        var trimmed = subject.Trim();
        var line = trimmed.Length == 0 ? "您的邮件 Your e-mail" : trimmed;
        line = line.ReplaceLineEndings(" ");
        line = line.StartsWith("re:", StringComparison.OrdinalIgnoreCase) ? line : "Re: " + line;
        return line.Length <= MessageRequest.MaxSubjectLength ? line : line[..MessageRequest.MaxSubjectLength];
    }

    /// <summary>The References of an answer: the mail's own References, then the mail itself (RFC 5322 section 3.6.4).</summary>
    public static string Thread(InboundMail mail)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var ids = mail.References.Count > 0 ? mail.References.ToList() : mail.InReplyTo is { } parent ? [parent] : [];
        ids.Add(mail.MessageId);
        return string.Join(' ', ids.Distinct(StringComparer.Ordinal));
    }
}
