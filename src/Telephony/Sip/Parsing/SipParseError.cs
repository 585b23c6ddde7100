using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Sip.Parsing;

/// <summary>
/// Why a message was rejected. <see cref="StatusCode"/> is the response a UAS sends for a rejected
/// request (400 mostly, 505 for another SIP version, 513 when over a size limit); 0 for a rejected
/// response, which is dropped silently (RFC 4475 3.1.2.5, 3.1.2.19).
/// <see cref="Partial"/>: for a request, whatever of Via, From, To, Call-ID and CSeq could be
/// parsed, so the server can still build the error response (RFC 3261 8.2.6); null when not even
/// the method could be read, or for responses. When the Request-URI itself was malformed,
/// <c>Partial.RequestUri</c> is a placeholder with an empty scheme and the raw text as Opaque.
/// </summary>
public sealed record SipParseError(SipParseFault Fault, string Detail, int StatusCode, SipRequest? Partial)
{
    /// <summary>
    /// True when, on a stream, the message boundary can no longer be trusted (bad, missing or huge
    /// Content-Length, size limits): the connection should be closed after any answer.
    /// </summary>
    public bool LosesFraming { get; init; }

    public override string ToString() => Fault + " (" + StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture) + "): " + Detail;
}
