using System.Net;

namespace CallCenter.Telephony.Transport;

public enum SipTransportProtocol
{
    Udp,
    Tcp,
}

/// <summary>
/// Where a message came from or goes to: the transport and the peer's address. For TCP the
/// transport keeps the connection to that address, so a response goes back on it (RFC 3261 18.2.2).
/// </summary>
public readonly record struct SipRemote(SipTransportProtocol Protocol, IPEndPoint EndPoint)
{
    /// <summary>Reliable transports need no retransmission timers (RFC 3261 17.1.1.2, 17.1.2.2).</summary>
    public bool IsReliable => Protocol != SipTransportProtocol.Udp;

    /// <summary>The Via transport token: "UDP" or "TCP".</summary>
    public string ViaTransport => Protocol == SipTransportProtocol.Udp ? "UDP" : "TCP";

    public override string ToString() => ViaTransport + ":" + EndPoint;
}
