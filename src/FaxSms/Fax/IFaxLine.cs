namespace CallCenter.FaxSms.Fax;

/// <summary>
/// Places one fax call and sends a TIFF-F over it (the host does it, with its SIP stack and media
/// clock). Owned here, where the outbound fax worker needs it.
/// </summary>
public interface IFaxLine
{
    /// <summary>
    /// Calls <paramref name="to"/> (as <see cref="FaxDestination.Check"/> accepted it), sends
    /// <paramref name="tiffPath"/> from page <paramref name="startPage"/> (0-based), and answers once the
    /// call has ended. Never throws for the remote's doing (busy, no answer, not a fax): that is the attempt's outcome.
    /// </summary>
    Task<FaxAttempt> SendAsync(string faxId, string to, string tiffPath, int startPage, CancellationToken cancellationToken);
}

/// <summary>
/// One attempt's outcome: the SIP final status of the INVITE (200 when the call was answered; 0 when
/// none came), the T.30 result when the call was up, and then the call's id (its record in the call list).
/// <see cref="Refused"/>: nothing was dialled because the destination cannot be (no trunk any more, the
/// dial plan refuses the number), or the document to send is gone or broken (checked before the INVITE,
/// and again when the call is answered, which is then hung up at once); trying again changes nothing.
/// <see cref="HeldUntil"/>: nothing was dialled because it may not be now (the clients' quiet hours, for a
/// telephone number): the fax is not refused but waits until then, the attempt not counted (<see cref="FaxRetry"/>).
/// </summary>
public sealed record FaxAttempt(int SipStatus, FaxResult? Result, string Reason, string? CallId = null, bool Refused = false, DateTimeOffset? HeldUntil = null);
