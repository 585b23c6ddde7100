using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Transport;

/// <summary>What the transaction layer needs from the transport layer.</summary>
public interface ISipSender
{
    /// <summary>The address and port this stack puts in its own Via sent-by and Contact.</summary>
    SipRemote LocalFor(SipTransportProtocol protocol);

    /// <summary>Serializes and sends a request to <paramref name="destination"/>. Never throws for network faults; returns false instead.</summary>
    ValueTask<bool> SendRequestAsync(SipRequest request, SipRemote destination, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends a response the way RFC 3261 18.2.2 and RFC 3581 4 say: on the connection the request
    /// came in on for TCP; for UDP to the top Via's received/rport, that is the request's source.
    /// <paramref name="requestSource"/> is where the request came from.
    /// </summary>
    ValueTask<bool> SendResponseAsync(SipResponse response, SipRemote requestSource, CancellationToken cancellationToken = default);
}
