namespace CallCenter.FaxSms.Fax;

/// <summary>
/// One fax as the <c>faxes</c> table keeps it (0018; 0028 the supervisors' task: handled when and by whom;
/// 0058 whether a received fax's sender number was verified; 0059 the node that last claimed an outbound one).
/// </summary>
public sealed record FaxRecord(
    string Id,
    string Direction,
    string Status,
    string Remote,
    string LocalNumber,
    string? CallId,
    int Pages,
    int? DocumentPages,
    int BitRate,
    bool Ecm,
    int? ResultCode,
    string? ResultText,
    string? TiffPath,
    string? PdfPath,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? HandledAt = null,
    string? HandledBy = null,
    bool RemoteVerified = true)
{
    /// <summary>
    /// The node that last claimed this outbound fax (to send it, or to render its document): the holder while it is
    /// "sending" or a render is under way; null when no node was named (never claimed, or claimed before 0059).
    /// </summary>
    public string? ClaimedBy { get; init; }

    /// <summary>A received fax as the supervisors' task: <c>new</c> until marked handled, then <c>handled</c>; null for a fax sent.</summary>
    public string? Task => Direction != FaxStatus.Inbound ? null : HandledAt is null ? FaxStatus.TaskNew : FaxStatus.TaskHandled;
}

/// <summary>The words of <see cref="FaxRecord.Direction"/> and <see cref="FaxRecord.Status"/>.</summary>
public static class FaxStatus
{
    public const string Inbound = "inbound";
    public const string Outbound = "outbound";

    /// <summary>Inbound: the fax call is up and pages are coming.</summary>
    public const string Receiving = "receiving";

    /// <summary>Inbound: T.30 ended well.</summary>
    public const string Received = "received";

    /// <summary>
    /// Outbound: accepted (a document asked for on a call), its PDF kept and its TIFF-F still to be rendered by the
    /// fax worker; then "queued" with its pages, or "failed" with the render's reason.
    /// </summary>
    public const string Rendering = "rendering";

    /// <summary>Outbound: waiting for its (next) attempt.</summary>
    public const string Queued = "queued";

    /// <summary>Outbound: an attempt's call is under way.</summary>
    public const string Sending = "sending";

    /// <summary>Outbound: T.30 ended well.</summary>
    public const string Sent = "sent";

    /// <summary>Either way: T.30 ended with some pages across but not all (the pages that came are kept).</summary>
    public const string Partial = "partial";

    /// <summary>Either way: no page across, or an outbound fax out of attempts, or one whose document could not be rendered after it was accepted.</summary>
    public const string Failed = "failed";

    /// <summary>Outbound: a request refused before anything was queued (a number that is not one, the dial plan, do-not-call, a document that cannot be rendered); kept with the reason as an audit trail, never sent.</summary>
    public const string Refused = "refused";

    /// <summary>A received fax no supervisor has marked handled yet.</summary>
    public const string TaskNew = "new";

    /// <summary>A received fax a supervisor has dealt with (<c>POST /api/faxes/{id}/handled</c>).</summary>
    public const string TaskHandled = "handled";

    /// <summary>The status an inbound fax ends with, from its result and the pages in its file.</summary>
    public static string OfInbound(FaxResult result, int pagesStored)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Succeeded && pagesStored > 0 ? Received : pagesStored > 0 ? Partial : Failed;
    }
}
