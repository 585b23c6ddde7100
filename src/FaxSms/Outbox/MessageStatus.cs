namespace CallCenter.FaxSms.Outbox;

/// <summary>A message's status as GET /api/messages/{id} shows it (design.md section 4).</summary>
public static class MessageStatus
{
    public const string Queued = "queued";
    public const string Sent = "sent";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
}

/// <summary>The two channels of the outbox.</summary>
public static class MessageChannel
{
    public const string Sms = "sms";
    public const string Email = "email";
}

/// <summary>Why a message exists: an ordinary one, or a reply the platform owes (an opt-out confirmation goes to a number that opted out).</summary>
public static class MessageKind
{
    public const string Ordinary = "ordinary";
    public const string OptOutConfirmation = "opt-out-confirmation";
}
