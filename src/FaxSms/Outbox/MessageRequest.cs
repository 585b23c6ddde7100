namespace CallCenter.FaxSms.Outbox;

/// <summary>The body of POST /api/messages (design.md section 4).</summary>
public sealed record MessageRequest(string? Channel, string? To, string? Subject, string? Text)
{
    public const int MaxSmsLength = 1000;
    public const int MaxEmailLength = 100_000;
    public const int MaxSubjectLength = 500;

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

                return (new OutboundMessage(id, MessageChannel.Email, address!, Subject, Text, MessageKind.Ordinary, 0), null);
            default:
                return (null, "\"channel\" must be \"sms\" or \"email\".");
        }
    }

    /// <summary>A new message id: "msg-" and 32 hex digits.</summary>
    public static string NewId() => "msg-" + Guid.NewGuid().ToString("N");
}
