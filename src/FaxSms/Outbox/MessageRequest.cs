namespace CallCenter.FaxSms.Outbox;

/// <summary>A file for an e-mail as POST /api/messages takes it: its name, MIME type and base64 bytes.</summary>
public sealed record AttachmentRequest(string? Name, string? ContentType, string? Data);

/// <summary>The body of POST /api/messages (design.md section 4); e-mails may carry <see cref="Attachments"/>.</summary>
public sealed record MessageRequest(string? Channel, string? To, string? Subject, string? Text, IReadOnlyList<AttachmentRequest>? Attachments = null)
{
    public const int MaxSmsLength = 1000;
    public const int MaxEmailLength = 100_000;
    public const int MaxSubjectLength = 500;
    public const int MaxAttachments = 10;
    public const int MaxAttachmentBytes = 10 * 1024 * 1024;

    /// <summary>The message to store (a new id, the recipient normalized), or the reason it is refused (pure).</summary>
    public (OutboundMessage? Message, string? Error) Validate(string id)
    {
        switch (Channel)
        {
            case MessageChannel.Sms:
                var (number, numberError) = Recipients.Phone(To);
                if (numberError is not null)
                {
                    return (null, numberError);
                }

                if (string.IsNullOrWhiteSpace(Text))
                {
                    return (null, "\"text\" must not be empty.");
                }

                if (Text.Length > MaxSmsLength)
                {
                    return (null, $"\"text\" is longer than {MaxSmsLength} characters.");
                }

                if (Attachments is { Count: > 0 })
                {
                    return (null, "an SMS has no attachments.");
                }

                return (new OutboundMessage(id, MessageChannel.Sms, number!, null, Text, MessageKind.Ordinary, 0), null);
            case MessageChannel.Email:
                var (address, addressError) = Recipients.Email(To);
                if (addressError is not null)
                {
                    return (null, addressError);
                }

                if (Text is null || Text.Length > MaxEmailLength)
                {
                    return (null, $"\"text\" must be present and at most {MaxEmailLength} characters.");
                }

                if (string.IsNullOrWhiteSpace(Subject) || Subject.Length > MaxSubjectLength || Subject.Contains('\n', StringComparison.Ordinal) || Subject.Contains('\r', StringComparison.Ordinal))
                {
                    return (null, $"\"subject\" must be one line of 1-{MaxSubjectLength} characters.");
                }

                var (files, filesError) = ReadAttachments(Attachments);
                if (filesError is not null)
                {
                    return (null, filesError);
                }

                return (new OutboundMessage(id, MessageChannel.Email, address!, Subject, Text, MessageKind.Ordinary, 0, Attachments: files), null);
            default:
                return (null, "\"channel\" must be \"sms\" or \"email\".");
        }
    }

    /// <summary>
    /// The files of an e-mail (pure): at most <see cref="MaxAttachments"/>, together at most
    /// <see cref="MaxAttachmentBytes"/> decoded; a name without a path, quotes or control characters;
    /// a MIME type as type/subtype; the bytes as base64.
    /// </summary>
    public static (IReadOnlyList<MessageAttachment>? Files, string? Error) ReadAttachments(IReadOnlyList<AttachmentRequest>? attachments)
    {
        if (attachments is not { Count: > 0 })
        {
            return (null, null);
        }

        if (attachments.Count > MaxAttachments)
        {
            return (null, $"at most {MaxAttachments} attachments.");
        }

        var files = new List<MessageAttachment>(attachments.Count);
        long total = 0;
        for (var i = 0; i < attachments.Count; i++)
        {
            var a = attachments[i];
            var where = $"attachment {i + 1}";
            if (a is null || string.IsNullOrWhiteSpace(a.Name) || a.Name.Length > 200 || a.Name.Any(c => char.IsControl(c) || c is '/' or '\\' or '"'))
            {
                return (null, $"{where}: \"name\" must be a file name of 1-200 characters, without a path, quotes or control characters.");
            }

            if (a.ContentType is null || !System.Text.RegularExpressions.Regex.IsMatch(a.ContentType, "^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,63}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,63}$"))
            {
                return (null, $"{where} ({a.Name}): \"contentType\" must be a MIME type such as application/pdf.");
            }

            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(a.Data ?? "");
            }
            catch (FormatException)
            {
                return (null, $"{where} ({a.Name}): \"data\" is not base64.");
            }

            if (bytes.Length == 0)
            {
                return (null, $"{where} ({a.Name}) is empty.");
            }

            total += bytes.Length;
            if (total > MaxAttachmentBytes)
            {
                return (null, $"the attachments come to more than {MaxAttachmentBytes / (1024 * 1024)} MiB.");
            }

            files.Add(new MessageAttachment(a.Name.Trim(), a.ContentType.ToLowerInvariant(), bytes));
        }

        return (files, null);
    }

    /// <summary>A new message id: "msg-" and 32 hex digits.</summary>
    public static string NewId() => "msg-" + Guid.NewGuid().ToString("N");
}
