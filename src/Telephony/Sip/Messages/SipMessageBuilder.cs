
namespace CallCenter.Telephony.Sip.Messages;

/// <summary>
/// Builds the messages the stack derives from other messages: responses (RFC 3261 8.2.6), the
/// ACK for a non-2xx final response (17.1.1.3) and CANCEL (9.1), plus branch, tag and Call-ID values.
/// </summary>
public static class SipMessageBuilder
{
    /// <summary>The Max-Forwards a UAC puts in a new request (RFC 3261 8.1.1.6).</summary>
    public const int DefaultMaxForwards = 70;

    /// <summary>
    /// A response to <paramref name="request"/> per RFC 3261 8.2.6: Via list, From, To, Call-ID
    /// and CSeq copied; the To gets <paramref name="toTag"/> (or a new tag) when the status is
    /// above 100 and the request's To had none. 100 Trying never gets a To tag (8.2.6.1) and
    /// copies Timestamp. Record-Route is copied into 101-299 responses to INVITE (12.1.1).
    /// </summary>
    public static SipResponse CreateResponse(SipRequest request, int status, string? reason = null, string? toTag = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(status, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(status, 699);

        var response = new SipResponse
        {
            StatusCode = status,
            ReasonPhrase = reason ?? ReasonPhrase(status),
            From = request.From?.Clone(),
            To = request.To?.Clone(),
            CallId = request.CallId,
            CSeq = request.CSeq,
        };
        foreach (var via in request.Vias)
        {
            response.Vias.Add(via.Clone());
        }

        if (status > 100 && response.To is not null && response.To.Tag is null)
        {
            response.To.Tag = toTag ?? NewTag();
        }

        if (status == 100 && request.Headers.Get("Timestamp") is { } timestamp)
        {
            // RFC 3261 8.2.6.1: a 100 copies the request's Timestamp.
            response.Headers.Add("Timestamp", timestamp);
        }

        if (request.Method == SipMethods.Invite && status is > 100 and < 300)
        {
            foreach (var rr in request.RecordRoutes)
            {
                response.RecordRoutes.Add(rr.Clone());
            }
        }

        return response;
    }

    /// <summary>
    /// The ACK a client INVITE transaction sends for a 300-699 response (RFC 3261 17.1.1.3):
    /// Request-URI, Call-ID, From, CSeq number and Route of the INVITE, the To of the response,
    /// and only the INVITE's top Via (same branch).
    /// </summary>
    public static SipRequest CreateAckForNonSuccess(SipRequest invite, SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(invite);
        ArgumentNullException.ThrowIfNull(response);
        var ack = new SipRequest
        {
            Method = SipMethods.Ack,
            RequestUri = invite.RequestUri.Clone(),
            From = invite.From?.Clone(),
            To = response.To?.Clone() ?? invite.To?.Clone(),
            CallId = invite.CallId,
            CSeq = invite.CSeq is { } cseq ? new SipCSeq(cseq.Number, SipMethods.Ack) : null,
            MaxForwards = DefaultMaxForwards,
        };
        CopyTopViaAndRoutes(invite, ack);
        return ack;
    }

    /// <summary>
    /// A CANCEL for <paramref name="request"/> (RFC 3261 9.1): same Request-URI, Call-ID, To,
    /// From, CSeq number, Route, and a single Via equal to the request's top Via (so the same branch).
    /// </summary>
    public static SipRequest CreateCancel(SipRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var cancel = new SipRequest
        {
            Method = SipMethods.Cancel,
            RequestUri = request.RequestUri.Clone(),
            From = request.From?.Clone(),
            To = request.To?.Clone(),
            CallId = request.CallId,
            CSeq = request.CSeq is { } cseq ? new SipCSeq(cseq.Number, SipMethods.Cancel) : null,
            MaxForwards = DefaultMaxForwards,
        };
        CopyTopViaAndRoutes(request, cancel);
        return cancel;
    }

    /// <summary>A new RFC 3261 branch: the magic cookie and 64 random bits (8.1.1.7).</summary>
    public static string NewBranch() => SipVia.MagicCookie + RandomHex(8);

    /// <summary>A new From/To tag with 64 random bits (RFC 3261 19.3 asks for at least 32).</summary>
    public static string NewTag() => RandomHex(8);

    /// <summary>A new Call-ID, random and qualified by <paramref name="host"/> (RFC 3261 8.1.1.4).</summary>
    public static string NewCallId(string host) =>
        string.IsNullOrEmpty(host) ? RandomHex(16) : RandomHex(16) + "@" + host;

    /// <summary>The RFC 3261 21 reason phrase of a status code, or a class default.</summary>
    public static string ReasonPhrase(int status) => status switch
    {
        100 => "Trying",
        180 => "Ringing",
        181 => "Call Is Being Forwarded",
        182 => "Queued",
        183 => "Session Progress",
        200 => "OK",
        202 => "Accepted",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Moved Temporarily",
        305 => "Use Proxy",
        380 => "Alternative Service",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        410 => "Gone",
        413 => "Request Entity Too Large",
        414 => "Request-URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Unsupported URI Scheme",
        420 => "Bad Extension",
        421 => "Extension Required",
        423 => "Interval Too Brief",
        480 => "Temporarily Unavailable",
        481 => "Call/Transaction Does Not Exist",
        482 => "Loop Detected",
        483 => "Too Many Hops",
        484 => "Address Incomplete",
        485 => "Ambiguous",
        486 => "Busy Here",
        487 => "Request Terminated",
        488 => "Not Acceptable Here",
        491 => "Request Pending",
        493 => "Undecipherable",
        500 => "Server Internal Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Server Time-out",
        505 => "Version Not Supported",
        513 => "Message Too Large",
        600 => "Busy Everywhere",
        603 => "Decline",
        604 => "Does Not Exist Anywhere",
        606 => "Not Acceptable",
        < 200 => "Session Progress",
        < 300 => "OK",
        < 400 => "Redirection",
        < 500 => "Client Error",
        < 600 => "Server Error",
        _ => "Global Failure",
    };

    private static void CopyTopViaAndRoutes(SipRequest from, SipRequest to)
    {
        if (from.TopVia is { } via)
        {
            to.Vias.Add(via.Clone());
        }

        foreach (var route in from.Routes)
        {
            to.Routes.Add(route.Clone());
        }
    }

    private static string RandomHex(int bytes)
    {
        Span<byte> buffer = stackalloc byte[bytes];
        RandomBytes.Fill(buffer);
        return Convert.ToHexStringLower(buffer);
    }
}
