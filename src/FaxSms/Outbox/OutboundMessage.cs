namespace CallCenter.FaxSms.Outbox;

/// <summary>
/// A message as it is stored: the recipient already normalized (E.164 for SMS, an addr-spec or mailbox for e-mail).
/// An e-mail that answers another carries the Message-IDs it answers (<paramref name="InReplyTo"/>, and
/// <paramref name="References"/> space-separated, without angle brackets), RFC 5322 section 3.6.4.
/// </summary>
public sealed record OutboundMessage(
    string Id,
    string Channel,
    string Recipient,
    string? Subject,
    string Body,
    string Kind,
    int Attempts,
    string? InReplyTo = null,
    string? References = null,
    IReadOnlyList<MessageAttachment>? Attachments = null);

/// <summary>A file sent with an e-mail: its name as the recipient sees it, its MIME type and its bytes.</summary>
public sealed record MessageAttachment(string FileName, string ContentType, byte[] Content);

/// <summary>A message with its status and history, as GET /api/messages/{id} shows it.</summary>
public sealed record MessageView(
    string Id,
    string Channel,
    string Recipient,
    string? Subject,
    string Status,
    int Attempts,
    string? LastError,
    DateTimeOffset CreatedAt,
    IReadOnlyList<MessageHistoryEntry> History);

/// <summary>One step of a message's life.</summary>
public sealed record MessageHistoryEntry(DateTimeOffset At, string Status, string? Detail);
