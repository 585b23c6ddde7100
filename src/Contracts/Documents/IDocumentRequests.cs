using CallCenter.Contracts.BackOffice;

namespace CallCenter.Contracts.Documents;

/// <summary>
/// Documents by SMS, e-mail or fax (文字回复) as the hotline asks for them: the channels this
/// platform can send on now (<see cref="Channels"/>: an SMS provider configured, an SMTP server
/// configured, fax always), and a request, which checks the recipient and writes the message to the
/// outbox (SMS, e-mail) or the fax queue, with an audit row naming the call. Owned by the messaging
/// room (src/FaxSms); the IVR asks off the call's loop. A request is queued, never sent at once:
/// the caller may only be told it "will be sent".
/// </summary>
public interface IDocumentRequests
{
    /// <summary>The channels a request may use now; a channel not in it answers <see cref="DocumentOutcome.ChannelUnavailable"/>.</summary>
    DocumentChannels Channels { get; }

    /// <summary>Queues the document, or says why not; bad input is an outcome, never an exception.</summary>
    Task<DocumentResult> RequestAsync(DocumentRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the document's owner (the verified account's holder for a statement, the believed caller for a note) has a
    /// fax number on file that this platform can fax: then the hotline offers "the number on file" beside keying one in.
    /// </summary>
    Task<bool> HasFaxOnFileAsync(DocumentKind document, string? callerNumber, string? verifiedAccount, CancellationToken cancellationToken);
}

/// <summary>What may be asked for.</summary>
public enum DocumentKind
{
    /// <summary>The latest research note (研究报告): public, for any caller.</summary>
    ResearchNote,

    /// <summary>The account's statement (对账单): only for an account the caller verified with its PIN.</summary>
    Statement,
}

/// <summary>How the document goes out.</summary>
public enum DocumentChannel
{
    Sms,
    Email,
    Fax,
}

/// <summary>The channels that can send now.</summary>
[Flags]
public enum DocumentChannels
{
    None = 0,
    Sms = 1,
    Email = 2,
    Fax = 4,
}

/// <summary>
/// One request from a call. <paramref name="CallerNumber"/> is the calling number only when it is
/// believed (a trusted peer's caller id), else null; <paramref name="VerifiedAccount"/> the account
/// whose PIN the caller keyed correctly in this call, else null; <paramref name="FaxNumber"/> the
/// number keyed for a fax, or <paramref name="FaxOnFile"/>: to the owner's fax number on file instead.
/// The context carries the call id, the recording and the step's key.
/// </summary>
public sealed record DocumentRequest(
    DocumentKind Document,
    DocumentChannel Channel,
    string Language,
    OperationContext Context,
    string? CallerNumber,
    string? VerifiedAccount,
    string? FaxNumber = null,
    bool FaxOnFile = false);

public enum DocumentOutcome
{
    /// <summary>Written to the outbox or the fax queue: it will be sent.</summary>
    Queued,

    /// <summary>The channel is not configured on this platform.</summary>
    ChannelUnavailable,

    /// <summary>A statement asked for without a verified account.</summary>
    NotVerified,

    /// <summary>No mobile number or e-mail address on file (or the calling number is not a believed mobile).</summary>
    NoContact,

    /// <summary>The keyed fax number cannot be faxed to from this platform.</summary>
    FaxNumberRefused,
}

/// <summary>The outcome and, when queued, the outbox message's or fax's id.</summary>
public sealed record DocumentResult(DocumentOutcome Outcome, string? Id = null);
