namespace CallCenter.FaxSms.Email.Inbound;

/// <summary>
/// An inbound mail as the platform uses it, read from MIME by <see cref="InboundMailParser"/>. Message-IDs are
/// without angle brackets; <see cref="References"/> is the thread, oldest first.
/// </summary>
public sealed record InboundMail(
    string MessageId,
    string FromAddress,
    string? FromName,
    string Subject,
    string Text,
    string? InReplyTo,
    IReadOnlyList<string> References,
    IReadOnlyList<InboundAttachment> Attachments,
    string? AutomaticReason);

/// <summary>An attachment; <see cref="Content"/> is null when it was over the size limit (then <see cref="Reason"/> says so).</summary>
public sealed record InboundAttachment(string FileName, string ContentType, long Size, byte[]? Content, string? Reason);

/// <summary>What a mail became: a task for an agent, an automatic mail kept but not routed, a malformed one kept with the reason, or an opt-out from e-mail broadcasts.</summary>
public static class InboundMailOutcome
{
    public const string Task = "task";
    public const string Ignored = "ignored";
    public const string Malformed = "malformed";
    public const string OptOut = "opt-out";
}
