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

/// <summary>
/// Why a message exists: an ordinary one, one of a broadcast, or one the platform owes: an opt-out
/// confirmation (it goes to a number that opted out) or a risk notice (a margin call or forced
/// liquidation warning: it goes despite an SMS opt-out and in quiet hours).
/// </summary>
public static class MessageKind
{
    public const string Ordinary = "ordinary";
    public const string Broadcast = "broadcast";
    public const string OptOutConfirmation = "opt-out-confirmation";
    public const string RiskNotice = "risk-notice";

    /// <summary>The quarterly review's notice to a client whose tier changed (an opt-out stops it).</summary>
    public const string TierNotice = "tier-notice";

    /// <summary>The quarterly review's list, to an account manager, of their clients whose tier changed.</summary>
    public const string ManagerList = "manager-list";

    /// <summary>The automatic acknowledgement of an inbound e-mail: sent with <c>Auto-Submitted: auto-replied</c> (RFC 3834).</summary>
    public const string MailAcknowledgement = "mail-acknowledgement";

    /// <summary>An agent's answer to an inbound e-mail task.</summary>
    public const string MailReply = "mail-reply";

    /// <summary>A document the client asked for on the phone just now (文字回复): their request is their consent, so an opt-out of broadcasts does not stop it.</summary>
    public const string Requested = "requested";

    /// <summary>Whether an SMS opt-out stops this kind of message.</summary>
    public static bool HonoursOptOut(string kind) => kind is not (OptOutConfirmation or RiskNotice or Requested);

    /// <summary>
    /// Whether an e-mail opt-out stops this kind of message: only broadcasts. A client who stopped
    /// e-mail broadcasts still gets the answer to their own mail, its acknowledgement, an e-mail sent to
    /// them on purpose, and risk notices.
    /// </summary>
    public static bool HonoursEmailOptOut(string kind) => kind == Broadcast;
}
