using CallCenter.Telephony.Sip.Parsing;
using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Transport;

/// <summary>What the transport hands upwards: parsed messages and parse rejections.</summary>
public interface ISipInbound
{
    /// <summary>A well-formed message. For requests, the top Via already carries received/rport (RFC 3261 18.2.1, RFC 3581 4).</summary>
    ValueTask OnMessageAsync(SipMessage message, SipRemote source);

    /// <summary>
    /// A malformed message. For a request with enough headers the receiver answers
    /// <see cref="SipParseError.StatusCode"/>; anything else is dropped.
    /// </summary>
    ValueTask OnRejectedAsync(SipParseError error, SipRemote source);
}
