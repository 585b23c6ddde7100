using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Sip.Parsing;

/// <summary>
/// What one parse has found so far: the message being filled, the first fault (later faults are
/// not recorded, but parsing goes on so a rejected request still carries what it can for the
/// error response), and the Content-Length.
/// </summary>
internal sealed class SipParseState(SipParserLimits limits)
{
    public SipParserLimits Limits { get; } = limits;

    public SipMessage? Message { get; set; }

    public SipParseFault? Fault { get; private set; }

    public string Detail { get; private set; } = "";

    /// <summary>The Content-Length value; null when absent or unusable (then <see cref="ContentLengthBad"/>).</summary>
    public int? ContentLength { get; set; }

    public bool ContentLengthBad => ContentLengthFault is not null;

    /// <summary>Why Content-Length is unusable (negative, not a number, repeated); null when fine or absent.</summary>
    public SipParseFault? ContentLengthFault { get; set; }

    /// <summary>Bit per <see cref="SipHeaderKind"/> already seen, to catch duplicates of single-value headers.</summary>
    public int Seen { get; set; }

    /// <summary>True when parsing must stop at once (a resource limit was hit).</summary>
    public bool Abort { get; private set; }

    public void Fail(SipParseFault fault, string detail)
    {
        if (Fault is null)
        {
            Fault = fault;
            Detail = detail;
        }
    }

    public void FailAndStop(SipParseFault fault, string detail)
    {
        Fail(fault, detail);
        Abort = true;
    }

    public SipParseError? ToError()
    {
        if (Fault is not { } fault)
        {
            return null;
        }

        var request = Message as SipRequest;
        return new SipParseError(fault, Detail, request is null ? 0 : StatusCodeFor(fault), request);
    }

    /// <summary>
    /// The response a UAS sends: 505 for another version (RFC 3261 21.5.7); 513 Message
    /// Too Large when over a size limit (RFC 3261 21.5.13, which names exactly this case, unlike
    /// 413 which is about bodies); 400 for everything else. A mismatched CSeq method gets 400 even
    /// for an unknown method (RFC 4475 3.1.2.18 allows 501 or 400; the request is malformed whatever
    /// its method).
    /// </summary>
    private static int StatusCodeFor(SipParseFault fault) => fault switch
    {
        SipParseFault.BadVersion => 505,
        SipParseFault.TooLarge or SipParseFault.TooManyHeaders or SipParseFault.LineTooLong or SipParseFault.TooManyItems => 513,
        _ => 400,
    };
}
