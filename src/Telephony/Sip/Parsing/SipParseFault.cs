namespace CallCenter.Telephony.Sip.Parsing;

/// <summary>Why a message was rejected.</summary>
public enum SipParseFault
{
    /// <summary>The request line is not Method SP Request-URI SP SIP-Version (RFC 3261 7.1).</summary>
    BadRequestLine,

    /// <summary>The status line is not SIP-Version SP Status-Code SP Reason-Phrase (RFC 3261 7.2).</summary>
    BadStatusLine,

    /// <summary>A SIP version other than 2.0 (RFC 3261 21.5.7: 505 Version Not Supported).</summary>
    BadVersion,

    /// <summary>A status code outside 100..699 (RFC 3261 7.2, RFC 4475 3.1.2.19).</summary>
    BadStatusCode,

    /// <summary>The Request-URI (or a URI in a header) does not follow RFC 3261 25.1.</summary>
    BadUri,

    /// <summary>A header line without a colon, or a name that is not a token.</summary>
    BadHeaderName,

    /// <summary>A header value that does not follow its grammar.</summary>
    BadHeaderValue,

    /// <summary>A number above its range (CSeq, Max-Forwards, Expires, Content-Length: RFC 4475 3.1.2.4).</summary>
    ValueOutOfRange,

    /// <summary>Via, From, To, Call-ID or CSeq is missing (RFC 3261 8.1.1, RFC 4475 3.3.1).</summary>
    MissingRequiredHeader,

    /// <summary>A header that takes one value appears more than once (RFC 4475 3.3.8, 3.3.9).</summary>
    DuplicateSingleValueHeader,

    /// <summary>The CSeq method differs from the request method (RFC 3261 8.1.1.5, RFC 4475 3.1.2.17).</summary>
    CSeqMethodMismatch,

    /// <summary>Content-Length is not a number (RFC 3261 20.14).</summary>
    BadContentLength,

    /// <summary>Content-Length is negative (RFC 4475 3.1.2.3).</summary>
    NegativeContentLength,

    /// <summary>Content-Length says more bytes than the datagram holds (RFC 3261 18.3, RFC 4475 3.1.2.2).</summary>
    ContentLengthMismatch,

    /// <summary>A message on a stream without Content-Length (RFC 3261 18.3, 20.14).</summary>
    MissingContentLength,

    /// <summary>The message is larger than <see cref="SipParserLimits.MaxMessageBytes"/>.</summary>
    TooLarge,

    /// <summary>More header fields than <see cref="SipParserLimits.MaxHeaderCount"/>.</summary>
    TooManyHeaders,

    /// <summary>A line or folded header value longer than <see cref="SipParserLimits.MaxLineBytes"/>.</summary>
    LineTooLong,

    /// <summary>More list items or parameters than the limits allow.</summary>
    TooManyItems,
}
