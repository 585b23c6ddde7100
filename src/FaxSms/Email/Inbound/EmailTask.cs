namespace CallCenter.FaxSms.Email.Inbound;

/// <summary>An inbound mail as stored (table <c>email_tasks</c>): a task for an agent, or a mail kept for an operator.</summary>
public sealed record EmailTask(
    string Id,
    string MessageId,
    string Sender,
    string? SenderName,
    string Subject,
    string Body,
    string? InReplyTo,
    string? References,
    string? ClientPhone,
    string? Tier,
    string Status,
    string? Reason,
    string? Agent,
    string? ReplyId,
    string? AcknowledgementId,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? OfferedAt,
    DateTimeOffset? ClosedAt,
    IReadOnlyList<EmailAttachmentInfo> Attachments)
{
    /// <summary>When the agent it is offered to accepted it (null while not, and once it waits again).</summary>
    public DateTimeOffset? AcceptedAt { get; init; }

    /// <summary>The last agent who passed on it (declined, did not accept in time, went away); <see cref="Reason"/> says how.</summary>
    public string? PassedBy { get; init; }

    /// <summary>How many times it has been offered.</summary>
    public int Offers { get; init; }
}

/// <summary>An attachment's description (its bytes stay in the database).</summary>
public sealed record EmailAttachmentInfo(int Seq, string FileName, string ContentType, long Size, bool Kept);

/// <summary>An e-mail task's life: waiting for an agent, offered to one, closed by the reply; or never a task.</summary>
public static class EmailTaskStatus
{
    public const string Waiting = "waiting";
    public const string Offered = "offered";
    public const string Closed = "closed";
    public const string Ignored = "ignored";
    public const string Malformed = "malformed";

    /// <summary>A mail that asked to stop e-mail broadcasts: the opt-out is recorded and confirmed, no agent gets it.</summary>
    public const string OptedOut = "opted-out";
}

/// <summary>One mail read at a UID, on its way into the database.</summary>
public sealed record ReadMail(string Mailbox, long UidValidity, long Uid, InboundMail? Mail, string? MalformedReason, string FallbackMessageId);
