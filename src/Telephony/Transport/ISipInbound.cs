using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Transport;

/// <summary>What the transport hands upwards: well-formed messages (it answers malformed requests itself).</summary>
public interface ISipInbound
{
    /// <summary>A well-formed message. For requests, the top Via already carries received/rport (RFC 3261 18.2.1, RFC 3581 4).</summary>
    ValueTask OnMessageAsync(SipMessage message, SipRemote source);
}
