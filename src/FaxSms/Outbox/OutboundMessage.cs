namespace CallCenter.FaxSms.Outbox;

/// <summary>A message as it is stored: the recipient already normalized (E.164 for SMS, an addr-spec or mailbox for e-mail).</summary>
public sealed record OutboundMessage(
    string Id,
    string Channel,
    string Recipient,
    string? Subject,
    string Body,
    string Kind,
    int Attempts);

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
