namespace CallCenter.Telephony.Sip.Messages;

/// <summary>
/// A SIP request or response (RFC 3261 7). The headers every layer of the stack needs are typed
/// properties; every other header stays a raw value in <see cref="Headers"/>. The body is bytes.
/// </summary>
public abstract class SipMessage
{
    /// <summary>Via values, topmost first; several Via lines and comma lists are flattened.</summary>
    public List<SipVia> Vias { get; init; } = [];

    public SipNameAddress? From { get; set; }

    public SipNameAddress? To { get; set; }

    public string? CallId { get; set; }

    public SipCSeq? CSeq { get; set; }

    public int? MaxForwards { get; set; }

    /// <summary>Contact values in order, flattened; empty when absent or when <see cref="ContactStar"/>.</summary>
    public List<SipNameAddress> Contacts { get; init; } = [];

    /// <summary>True for <c>Contact: *</c> (REGISTER removing every binding, RFC 3261 10.2.2).</summary>
    public bool ContactStar { get; set; }

    public List<SipNameAddress> Routes { get; init; } = [];

    public List<SipNameAddress> RecordRoutes { get; init; } = [];

    /// <summary>Path values in order, flattened (RFC 3327 4): the proxies between a registering phone and us.</summary>
    public List<SipNameAddress> Paths { get; init; } = [];

    /// <summary>The media type of the body as sent, for example "application/sdp"; null when absent.</summary>
    public string? ContentType { get; set; }

    /// <summary>The Expires header's seconds; null when absent.</summary>
    public uint? Expires { get; set; }

    /// <summary>Every other header field, in order.</summary>
    public SipHeaderList Headers { get; init; } = [];

    /// <summary>The body exactly as carried; its length is what Content-Length says on the wire.</summary>
    public ReadOnlyMemory<byte> Body { get; set; }

    public SipVia? TopVia => Vias.Count > 0 ? Vias[0] : null;

    public abstract bool IsRequest { get; }
}

/// <summary>A request: method and Request-URI (RFC 3261 7.1).</summary>
public sealed class SipRequest : SipMessage
{
    /// <summary>The method token as sent; methods are case-sensitive.</summary>
    public required string Method { get; set; }

    public required SipUri RequestUri { get; set; }

    public override bool IsRequest => true;
}

/// <summary>A response: status code and reason phrase (RFC 3261 7.2).</summary>
public sealed class SipResponse : SipMessage
{
    public required int StatusCode { get; set; }

    public string ReasonPhrase { get; set; } = "";

    public override bool IsRequest => false;

    public bool IsProvisional => StatusCode < 200;

    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>
    /// Made by this stack, never received: the 408 of a transaction that got no answer, or the 503 of a
    /// transport error (RFC 3261 8.1.3.1). A trunk that sends no answer at all is down, not the number it was asked for.
    /// </summary>
    public bool Synthesized { get; set; }

    /// <summary>
    /// The bytes this response goes out as, when a lingering transaction keeps it only to resend it
    /// (<see cref="Transactions.LingeringMessages"/>): <see cref="SipWriter"/> writes them as they are.
    /// </summary>
    internal byte[]? Wire { get; init; }
}
