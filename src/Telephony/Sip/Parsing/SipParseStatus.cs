namespace CallCenter.Telephony.Sip.Parsing;

/// <summary>What one call of <see cref="SipParser"/> found at the start of its input.</summary>
public enum SipParseStatus
{
    /// <summary>A complete, well-formed message; <see cref="SipParseResult.Message"/> is set.</summary>
    Message,

    /// <summary>The stream holds only the beginning of a message; call again with more bytes.</summary>
    NeedMoreData,

    /// <summary>The message is malformed; <see cref="SipParseResult.Error"/> says why and what to answer.</summary>
    Rejected,

    /// <summary>Only CRLFs: a keep-alive (RFC 5626 3.5.1) or the CRLFs RFC 3261 7.5 says to ignore.</summary>
    KeepAlive,
}
