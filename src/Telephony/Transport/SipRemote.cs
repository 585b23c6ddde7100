using System.Net;

namespace CallCenter.Telephony.Transport;

public enum SipTransportProtocol
{
    Udp,
    Tcp,

    /// <summary>SIP over TLS (RFC 3261 26.2.1, port 5061): a TCP connection with TLS on it, framed as TCP.</summary>
    Tls,

    /// <summary>
    /// SIP over WebSocket (RFC 7118) on the platform's HTTP port, path <c>/sip</c>: one WebSocket
    /// message is one SIP message, and a request to the peer goes back on its connection (RFC 7118 5).
    /// </summary>
    Ws,
}

/// <summary>
/// Where a message came from or goes to: the transport and the peer's address. For TCP the
/// transport keeps the connection to that address, so a response goes back on it (RFC 3261 18.2.2).
/// </summary>
public readonly record struct SipRemote(SipTransportProtocol Protocol, IPEndPoint EndPoint)
{
    /// <summary>Reliable transports need no retransmission timers (RFC 3261 17.1.1.2, 17.1.2.2).</summary>
    public bool IsReliable => Protocol != SipTransportProtocol.Udp;

    /// <summary>The Via transport token: "UDP", "TCP", "TLS" or "WS".</summary>
    public string ViaTransport => Protocol switch
    {
        SipTransportProtocol.Udp => "UDP",
        SipTransportProtocol.Tls => "TLS",
        SipTransportProtocol.Ws => "WS",
        _ => "TCP",
    };

    public override string ToString() => ViaTransport + ":" + EndPoint;
}
