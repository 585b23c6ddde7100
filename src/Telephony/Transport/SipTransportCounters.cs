namespace CallCenter.Telephony.Transport;

/// <summary>What the transport has seen, for /health and the metrics endpoint. Updated with Interlocked.</summary>
public sealed class SipTransportCounters
{
    private long _received;
    private long _rejected;
    private long _dropped;
    private long _sent;
    private long _sendFailures;
    private long _tcpRefusedPerSource;
    private long _tcpTimedOut;
    private long _tlsHandshakeFailures;
    private long _webSocketRefused;
    private long _webSocketGarbage;

    /// <summary>Messages parsed and handed on.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Malformed requests answered with a 4xx/5xx.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Malformed input discarded without an answer (bad responses, garbage).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public long Sent => Interlocked.Read(ref _sent);

    public long SendFailures => Interlocked.Read(ref _sendFailures);

    /// <summary>TCP connections refused because their address had <c>Sip:MaxTcpConnectionsPerSource</c> open.</summary>
    public long TcpRefusedPerSource => Interlocked.Read(ref _tcpRefusedPerSource);

    /// <summary>TCP connections closed for idling or for a message not completed in time.</summary>
    public long TcpTimedOut => Interlocked.Read(ref _tcpTimedOut);

    internal void CountTcpRefusedPerSource() => Interlocked.Increment(ref _tcpRefusedPerSource);

    internal void CountTcpTimedOut() => Interlocked.Increment(ref _tcpTimedOut);

    /// <summary>TLS connections whose handshake failed or did not finish within 10 s.</summary>
    public long TlsHandshakeFailures => Interlocked.Read(ref _tlsHandshakeFailures);

    internal void CountTlsHandshakeFailure() => Interlocked.Increment(ref _tlsHandshakeFailures);

    /// <summary>Requests on a SIP WebSocket refused because the connection's agent may not make them (another agent's REGISTER).</summary>
    public long WebSocketRefused => Interlocked.Read(ref _webSocketRefused);

    /// <summary>SIP WebSockets closed because their peer kept sending what is not SIP.</summary>
    public long WebSocketClosedForGarbage => Interlocked.Read(ref _webSocketGarbage);

    internal void CountWebSocketRefused() => Interlocked.Increment(ref _webSocketRefused);

    internal void CountWebSocketClosedForGarbage() => Interlocked.Increment(ref _webSocketGarbage);

    internal void CountReceived() => Interlocked.Increment(ref _received);

    internal void CountRejected() => Interlocked.Increment(ref _rejected);

    internal void CountDropped() => Interlocked.Increment(ref _dropped);

    internal void CountSent() => Interlocked.Increment(ref _sent);

    internal void CountSendFailure() => Interlocked.Increment(ref _sendFailures);
}
