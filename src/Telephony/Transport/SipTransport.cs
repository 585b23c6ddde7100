using System.Collections.Concurrent;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Parsing;
using Microsoft.Extensions.Logging;

namespace CallCenter.Telephony.Transport;

/// <summary>
/// The UDP and TCP listeners on <c>Sip:Address</c>/<c>Sip:Port</c> (RFC 3261 18). One datagram is
/// one message; TCP is framed by Content-Length. The only place in the stack that owns sockets.
/// </summary>
public sealed class SipTransport : ISipSender, IAsyncDisposable
{
    private const int MaxDatagram = 65535;

    private readonly SipOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<IPEndPoint, SipTcpConnection> _connections = new();
    private readonly ConcurrentDictionary<IPEndPoint, SipWebSocketConnection> _webSockets = new();

    // Peers the platform itself connects to over TLS (trunks), each with how its certificate is checked
    // and a gate so that two sends at once open one connection.
    private readonly ConcurrentDictionary<IPEndPoint, TlsPeerState> _tlsPeers = new();

    // The TLS connections the platform opened to those peers, their certificates checked: kept apart from
    // accepted connections, so that a host connecting to us from a trunk's address and port never receives
    // what is sent to the trunk (its INVITEs, its digest answers) and never replaces the checked connection.
    private readonly ConcurrentDictionary<IPEndPoint, SipTcpConnection> _verified = new();
    private readonly Lock _webSocketKeys = new();
    private int _nextWebSocketKey;

    // Open connections per source (IPv6: per /64), for Sip:MaxTcpConnectionsPerSource.
    private readonly ConcurrentDictionary<IPAddress, int> _connectionsBySource = new();
    private readonly List<Task> _loops = [];
    private Socket? _udp;
    private TcpListener? _tcp;
    private TcpListener? _tls;
    private System.Security.Cryptography.X509Certificates.X509Certificate2? _certificate;
    private ISipInbound? _inbound;
    private IPAddress _publicAddress = IPAddress.Loopback;
    private int _webSocketPort;
    private int _disposed;

    public SipTransport(SipOptions options, ILogger<SipTransport> logger)
    {
        _options = options;
        _logger = logger;
    }

    public SipTransportCounters Counters { get; } = new();

    /// <summary>The UDP endpoint actually bound (the port is known after start when 0 was configured).</summary>
    public IPEndPoint? UdpEndPoint => _udp?.LocalEndPoint as IPEndPoint;

    public IPEndPoint? TcpEndPoint => _tcp?.LocalEndpoint as IPEndPoint;

    /// <summary>The SIP over TLS endpoint, when a certificate is configured.</summary>
    public IPEndPoint? TlsEndPoint => _tls?.LocalEndpoint as IPEndPoint;

    /// <summary>The address written into Via, Contact and SDP.</summary>
    public IPAddress PublicAddress => _publicAddress;

    public int OpenTcpConnections => _connections.Count + _verified.Count;

    /// <summary>SIP over WebSocket connections open now (browsers' desks).</summary>
    public int OpenWebSocketConnections => _webSockets.Count;

    /// <summary>
    /// Whether a request for <paramref name="owner"/>'s phone can go to <paramref name="destination"/> now. Over UDP, TCP and
    /// TLS the transport tries when it sends; a browser (RFC 7118 5) is reached only on its own connection, so only while
    /// that connection is open and belongs to <paramref name="owner"/>: a connection gone (a restart, a browser in its
    /// reconnect grace) fails at once instead of being sent an INVITE, and another agent's browser that came to have the
    /// same address and port (a proxy that hides ports) is never rung with this agent's call.
    /// </summary>
    public bool CanReach(SipRemote destination, string owner) =>
        destination.Protocol != SipTransportProtocol.Ws
        || (_webSockets.TryGetValue(destination.EndPoint, out var open) && string.Equals(open.Owner, owner, StringComparison.Ordinal));

    /// <summary>
    /// Lets requests to <paramref name="endPoint"/> over TLS open a connection of the platform's own (a trunk),
    /// checking the peer's certificate as <paramref name="peer"/> says. Other TLS destinations are reached
    /// only on a connection the phone opened.
    /// </summary>
    public void AddTlsPeer(IPEndPoint endPoint, SipTlsPeer peer)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        ArgumentNullException.ThrowIfNull(peer);
        _tlsPeers[endPoint] = new TlsPeerState(peer);
    }

    /// <summary>Why the last TLS connection to a peer added with <see cref="AddTlsPeer"/> failed; null when the last one succeeded.</summary>
    public string? TlsFailure(IPEndPoint endPoint) => _tlsPeers.TryGetValue(endPoint, out var state) ? state.LastFailure : null;

    public Task StartAsync(ISipInbound inbound)
    {
        _inbound = inbound;
        var bindAddress = IPAddress.Parse(_options.Address);
        _publicAddress = ChoosePublicAddress(bindAddress, _options.PublicAddress);

        _udp = new Socket(bindAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _udp.ReceiveBufferSize = 4 * 1024 * 1024;
        _udp.SendBufferSize = 4 * 1024 * 1024;
        _udp.Bind(new IPEndPoint(bindAddress, _options.Port));
        var port = ((IPEndPoint)_udp.LocalEndPoint!).Port;

        _tcp = new TcpListener(bindAddress, port);
        _tcp.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _tcp.Start(512);
        TelephonyLog.Listening(_logger, "UDP", _udp.LocalEndPoint!);
        TelephonyLog.Listening(_logger, "TCP", _tcp.LocalEndpoint);
        if (_options.Tls.CertificatePath.Length > 0)
        {
            // RFC 3261 26.2.1: SIP over TLS on its own port, with the operator's certificate.
            _certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(
                _options.Tls.CertificatePath, _options.Tls.CertificatePassword.Length > 0 ? _options.Tls.CertificatePassword : null);
            _tls = new TcpListener(bindAddress, _options.TlsPort);
            _tls.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _tls.Start(512);
            TelephonyLog.Listening(_logger, "TLS", _tls.LocalEndpoint);
        }

        // Two receive threads on the one UDP socket so both cores can parse; the transaction layer
        // serializes what belongs together. Each is a thread of its own blocked in recvfrom, woken by the
        // kernel when a datagram arrives: an awaited receive went through the runtime's epoll thread and a
        // thread-pool hop for every INVITE, ACK and BYE (futex wakes, and the latency of a hop before the
        // 200 OK). The socket is used only synchronously (SendAsync's UDP send too), so it stays a blocking
        // socket; its receive timeout lets a thread see the transport stop.
        _udp.ReceiveTimeout = (int)_udpStopCheck.TotalMilliseconds;

        // A blocking send waits only when the socket's 4 MiB of queued datagrams is full (replies stuck behind address
        // resolution of spoofed LAN sources, say): after 100 ms the datagram counts as lost, as UDP may lose it anyway
        // (SIP retransmits), rather than holding a call's thread or a receive thread.
        _udp.SendTimeout = 100;
        for (var i = 0; i < Math.Max(2, Environment.ProcessorCount); i++)
        {
            var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var thread = new Thread(() =>
            {
                try
                {
                    ReceiveUdp(_stopping.Token);
                    ended.TrySetResult();
                }
                catch (Exception e)
                {
                    ended.TrySetException(e);
                }
            })
            {
                IsBackground = true,
                Name = "SIP UDP receive",
            };
            thread.Start();
            _loops.Add(ended.Task);
        }

        _loops.Add(Task.Run(() => AcceptTcpAsync(_tcp, SipTransportProtocol.Tcp, _stopping.Token)));
        if (_tls is not null)
        {
            _loops.Add(Task.Run(() => AcceptTcpAsync(_tls, SipTransportProtocol.Tls, _stopping.Token)));
        }

        return Task.CompletedTask;
    }

    public SipRemote LocalFor(SipTransportProtocol protocol)
    {
        var port = protocol switch
        {
            SipTransportProtocol.Udp => UdpEndPoint?.Port,
            SipTransportProtocol.Tls => TlsEndPoint?.Port,
            SipTransportProtocol.Ws => _webSocketPort > 0 ? _webSocketPort : null,
            _ => TcpEndPoint?.Port,
        } ?? _options.Port;
        return new SipRemote(protocol, new IPEndPoint(_publicAddress, port));
    }

    public async ValueTask<bool> SendRequestAsync(SipRequest request, SipRemote destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await SendAsync(SipWriter.ToBytes(request), destination, cancellationToken);
    }

    public async ValueTask<bool> SendResponseAsync(SipResponse response, SipRemote requestSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        var via = response.TopVia;
        var destination = via is null ? requestSource : SipResponseRouting.Destination(via, requestSource);
        if (destination is null)
        {
            TelephonyLog.SendFailed(_logger, via?.Host ?? "?", "no address to send the response to");
            Counters.CountSendFailure();
            return false;
        }

        return await SendAsync(SipWriter.ToBytes(response), destination.Value, cancellationToken);
    }

    /// <summary>Sends raw bytes (used by tests and by keep-alive handling).</summary>
    public async ValueTask<bool> SendAsync(ReadOnlyMemory<byte> bytes, SipRemote destination, CancellationToken cancellationToken = default)
    {
        try
        {
            if (destination.Protocol == SipTransportProtocol.Udp)
            {
                // Synchronous: a UDP send does not wait for the peer, and one async operation would make the socket
                // non-blocking for good, which the receive threads rely on it not being.
                _udp!.SendTo(bytes.Span, SocketFlags.None, destination.EndPoint);
            }
            else if (destination.Protocol == SipTransportProtocol.Ws)
            {
                // RFC 7118 5: a browser cannot be connected to; only its own connection reaches it.
                var webSocket = _webSockets.TryGetValue(destination.EndPoint, out var open)
                    ? open
                    : throw new IOException("no WebSocket connection from that browser is open");
                await webSocket.SendAsync(bytes, cancellationToken);
            }
            else
            {
                // Over TLS a phone is reached only on its own connection: connecting out would need the
                // phone's certificate checked against a name we do not have. A trunk names its own, and is
                // reached only on a connection the platform opened and checked, never on an accepted one.
                var connection = destination.Protocol == SipTransportProtocol.Tls && _tlsPeers.TryGetValue(destination.EndPoint, out var peer)
                    ? await ConnectTlsAsync(destination.EndPoint, peer, cancellationToken)
                    : _connections.TryGetValue(destination.EndPoint, out var open) && open.Remote.Protocol == destination.Protocol
                        ? open
                        : destination.Protocol != SipTransportProtocol.Tls
                            ? await ConnectAsync(destination.EndPoint, cancellationToken)
                            : throw new IOException("no TLS connection from that phone is open");
                await connection.SendAsync(bytes, cancellationToken);
            }

            Counters.CountSent();
            return true;
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or OperationCanceledException or System.Net.WebSockets.WebSocketException)
        {
            TelephonyLog.SendFailed(_logger, destination.ToString(), e.Message);
            Counters.CountSendFailure();
            return false;
        }
    }

    /// <summary>How often an idle receive thread wakes to see whether the transport is stopping.</summary>
    private static readonly TimeSpan _udpStopCheck = TimeSpan.FromMilliseconds(500);

    private void ReceiveUdp(CancellationToken cancellationToken)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(MaxDatagram, pinned: true);
        var template = new IPEndPoint(_udp!.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        var address = new SocketAddress(_udp.AddressFamily);
        while (!cancellationToken.IsCancellationRequested)
        {
            int length;
            try
            {
                length = _udp.ReceiveFrom(buffer, SocketFlags.None, address);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                continue;
            }
            catch (SocketException e)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                // An ICMP error from an earlier send can surface here; the socket is still good.
                TelephonyLog.UdpReceiveFailed(_logger, e.SocketErrorCode.ToString());
                continue;
            }

            var source = new SipRemote(SipTransportProtocol.Udp, (IPEndPoint)template.Create(address));
            var datagram = buffer.AsSpan(0, length);
            if (IsKeepAlive(datagram))
            {
                continue;
            }

            var result = SipParser.ParseDatagram(datagram);
            var delivered = DeliverAsync(result, buffer.AsMemory(0, length), source);
            if (!delivered.IsCompletedSuccessfully)
            {
                // The buffer is reused by the next receive: wait, as the awaited loop did.
                delivered.AsTask().GetAwaiter().GetResult();
            }
        }
    }

    /// <summary>RFC 5626 3.5.1: a datagram of CRLFs (or empty) is a keep-alive, not a message.</summary>
    private static bool IsKeepAlive(ReadOnlySpan<byte> datagram) => datagram.TrimStart("\r\n"u8).IsEmpty;

    /// <summary>
    /// Hands a parsed message up, or answers a rejected request statelessly: the status the parser
    /// chose, with the request's own Via/From/To/Call-ID/CSeq lines (see <see cref="SipRejection"/>),
    /// to the top Via's address when it parsed, else to the packet's source. A rejected response or
    /// an unreadable request line is dropped. <paramref name="raw"/> is valid only until the first await.
    /// </summary>
    internal async ValueTask DeliverAsync(SipParseResult result, ReadOnlyMemory<byte> raw, SipRemote source)
    {
        try
        {
            switch (result.Status)
            {
                case SipParseStatus.Message:
                    Counters.CountReceived();
                    if (result.Message is SipRequest request)
                    {
                        SipResponseRouting.StampReceived(request, source);
                    }

                    await _inbound!.OnMessageAsync(result.Message!, source);
                    break;
                case SipParseStatus.Rejected when result.Error is { StatusCode: > 0, Partial: { } partial } error && partial.Method != SipMethods.Ack:
                    Counters.CountRejected();
                    TelephonyLog.MessageRejected(_logger, source.ToString(), error.Fault.ToString(), error.Detail, error.StatusCode);
                    var answer = SipRejection.Build(raw.Span, error.StatusCode, SipMessageBuilder.ReasonPhrase(error.StatusCode), error.Fault.ToString());
                    SipResponseRouting.StampReceived(partial, source);
                    var destination = partial.TopVia is { } via ? SipResponseRouting.Destination(via, source) ?? source : source;
                    await SendAsync(answer, destination);
                    break;
                case SipParseStatus.Rejected:
                    Counters.CountDropped();
                    TelephonyLog.MessageDropped(_logger, source.ToString(), result.Error!.Fault.ToString(), result.Error.Detail);
                    break;
                default:
                    break;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One bad message or handler fault must never stop the receive loop.
            TelephonyLog.HandlerFailed(_logger, e, source.ToString(), result.Message?.CallId);
        }
    }

    private async Task AcceptTcpAsync(TcpListener listener, SipTransportProtocol protocol, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            if (_connections.Count >= _options.MaxTcpConnections)
            {
                TelephonyLog.TcpConnectionRefused(_logger, socket.RemoteEndPoint, _options.MaxTcpConnections);
                socket.Dispose();
                continue;
            }

            if (_connectionsBySource.GetValueOrDefault(SourceOf(socket)) >= _options.MaxTcpConnectionsPerSource)
            {
                // One host may not hold every connection and lock the other phones out.
                Counters.CountTcpRefusedPerSource();
                TelephonyLog.TcpConnectionRefusedForSource(_logger, socket.RemoteEndPoint, _options.MaxTcpConnectionsPerSource);
                socket.Dispose();
                continue;
            }

            if (protocol == SipTransportProtocol.Tls)
            {
                // The handshake runs off the accept loop: a peer that never finishes it cannot stall the next one.
                _ = Task.Run(() => AcceptTlsAsync(socket, cancellationToken), CancellationToken.None);
            }
            else
            {
                StartConnection(socket, null, SipTransportProtocol.Tcp);
            }
        }
    }

    /// <summary>The server side of the TLS handshake (TLS 1.2 or 1.3), bounded in time, then the connection runs as TCP does.</summary>
    private async Task AcceptTlsAsync(Socket socket, CancellationToken cancellationToken)
    {
        var ssl = new System.Net.Security.SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            await ssl.AuthenticateAsServerAsync(
                new System.Net.Security.SslServerAuthenticationOptions
                {
                    ServerCertificate = _certificate,
                    ClientCertificateRequired = false,
                    EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13,
                },
                timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or System.Security.Authentication.AuthenticationException or SocketException or ObjectDisposedException)
        {
            Counters.CountTlsHandshakeFailure();
            TelephonyLog.TcpConnectionClosed(_logger, "TLS:" + socket.RemoteEndPoint, "handshake failed: " + e.Message);
            await ssl.DisposeAsync();
            return;
        }

        StartConnection(socket, ssl, SipTransportProtocol.Tls);
    }

    /// <summary>
    /// Whether a WebSocket from <paramref name="remote"/> would be taken now: WebSockets count with TCP
    /// connections against <c>Sip:MaxTcpConnections</c> and <c>Sip:MaxTcpConnectionsPerSource</c>.
    /// </summary>
    public bool CanAcceptWebSocket(IPAddress remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        if (_connections.Count + _webSockets.Count >= _options.MaxTcpConnections
            || _connectionsBySource.GetValueOrDefault(SourceShare.Of(remote)) >= _options.MaxTcpConnectionsPerSource)
        {
            Counters.CountTcpRefusedPerSource();
            TelephonyLog.WebSocketRefused(_logger, remote.ToString());
            return false;
        }

        return true;
    }

    /// <summary>
    /// Runs an accepted SIP WebSocket (RFC 7118) until it closes: the host accepted it for the signed-in
    /// agent <paramref name="owner"/> on its HTTP port <paramref name="local"/>. Requests to bindings made
    /// on it go back on it while it is open. The connection's <see cref="SipRemote"/> is its own even when
    /// another browser shares its address and port (behind a proxy that forwards the client's address
    /// without its port, or a terminal server): a second connection never takes over the first one's
    /// bindings. <paramref name="closed"/> is awaited with it once the connection has closed, whatever closed it.
    /// </summary>
    public async Task RunWebSocketAsync(
        System.Net.WebSockets.WebSocket socket,
        IPEndPoint remote,
        IPEndPoint local,
        string owner,
        Func<SipRemote, Task>? closed,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(local);
        _webSocketPort = local.Port;
        SipWebSocketConnection connection;
        lock (_webSocketKeys)
        {
            // The connection's key: the peer's own address and port, unless that is taken (or not
            // known: port 0): then the same address with a port no open connection uses.
            while (remote.Port == 0 || _webSockets.ContainsKey(remote))
            {
                _nextWebSocketKey = (_nextWebSocketKey % IPEndPoint.MaxPort) + 1;
                remote = new IPEndPoint(remote.Address, _nextWebSocketKey);
            }

            connection = new SipWebSocketConnection(socket, new SipRemote(SipTransportProtocol.Ws, remote), owner, this, _logger, SipWebSocketConnection.IdleTimeout(_options), TimeSpan.FromSeconds(_options.TcpMessageSeconds));
            _webSockets[remote] = connection;
        }

        var source = SourceShare.Of(remote.Address);
        _connectionsBySource.AddOrUpdate(source, 1, static (_, n) => n + 1);
        TelephonyLog.WebSocketOpened(_logger, connection.Remote.ToString(), owner);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        try
        {
            await connection.RunAsync(both.Token);
        }
        finally
        {
            _webSockets.TryRemove(new KeyValuePair<IPEndPoint, SipWebSocketConnection>(remote, connection));
            if (_connectionsBySource.AddOrUpdate(source, 0, static (_, n) => n - 1) <= 0)
            {
                _connectionsBySource.TryRemove(new KeyValuePair<IPAddress, int>(source, 0));
            }

            if (closed is not null)
            {
                await closed(connection.Remote);
            }
        }
    }

    private async Task<SipTcpConnection> ConnectAsync(IPEndPoint destination, CancellationToken cancellationToken)
    {
        var socket = new Socket(destination.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await socket.ConnectAsync(destination, timeout.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return StartConnection(socket, null, SipTransportProtocol.Tcp);
    }

    /// <summary>
    /// The client side of SIP over TLS to a trunk (TLS 1.2 or 1.3): one connection per peer, its certificate
    /// checked by <paramref name="peer"/>; an untrusted one fails the send with the reason, and nothing is sent.
    /// </summary>
    private async Task<SipTcpConnection> ConnectTlsAsync(IPEndPoint destination, TlsPeerState state, CancellationToken cancellationToken)
    {
        if (_verified.TryGetValue(destination, out var ready))
        {
            return ready;
        }

        var peer = state.Peer;
        await state.Connecting.WaitAsync(cancellationToken);
        try
        {
            if (_verified.TryGetValue(destination, out var open))
            {
                return open;
            }

            var socket = new Socket(destination.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            System.Net.Security.SslStream? ssl = null;
            var refusal = "";
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            try
            {
                await socket.ConnectAsync(destination, timeout.Token);
                ssl = new System.Net.Security.SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
                await ssl.AuthenticateAsClientAsync(
                    new System.Net.Security.SslClientAuthenticationOptions
                    {
                        TargetHost = peer.ServerName,
                        EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13,
                        CertificateChainPolicy = peer.ChainPolicy(),
                        RemoteCertificateValidationCallback = (_, certificate, _, errors) => peer.Trusts(certificate, errors, out refusal),
                    },
                    timeout.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or System.Security.Authentication.AuthenticationException or SocketException)
            {
                Counters.CountTlsHandshakeFailure();
                if (ssl is not null)
                {
                    await ssl.DisposeAsync();
                }
                else
                {
                    socket.Dispose();
                }

                state.LastFailure = refusal.Length > 0
                    ? $"TLS to {destination} refused: {refusal}"
                    : $"TLS to {destination} failed: {e.Message}";
                throw new IOException(state.LastFailure, e);
            }

            state.LastFailure = null;
            return StartConnection(socket, ssl, SipTransportProtocol.Tls, verified: true);
        }
        finally
        {
            state.Connecting.Release();
        }
    }

    /// <summary>A TLS peer the platform connects to: how it is checked, one connect at a time, and the last failure.</summary>
    private sealed class TlsPeerState(SipTlsPeer peer)
    {
        public SipTlsPeer Peer { get; } = peer;

        public SemaphoreSlim Connecting { get; } = new(1, 1);

        public string? LastFailure { get; set; }
    }

    /// <summary>Runs a connection; <paramref name="verified"/>: a TLS connection we opened to a peer and checked (kept in its own table).</summary>
    private SipTcpConnection StartConnection(Socket socket, Stream? stream, SipTransportProtocol protocol, bool verified = false)
    {
        socket.NoDelay = true;
        var connection = new SipTcpConnection(socket, stream, protocol, this, _logger, TimeSpan.FromSeconds(_options.TcpIdleSeconds), TimeSpan.FromSeconds(_options.TcpMessageSeconds));
        var table = verified ? _verified : _connections;
        table[connection.Remote.EndPoint] = connection;
        var source = SourceOf(socket);
        _connectionsBySource.AddOrUpdate(source, 1, static (_, n) => n + 1);
        _ = Task.Run(async () =>
        {
            try
            {
                await connection.RunAsync(_stopping.Token);
            }
            finally
            {
                table.TryRemove(new KeyValuePair<IPEndPoint, SipTcpConnection>(connection.Remote.EndPoint, connection));
                if (_connectionsBySource.AddOrUpdate(source, 0, static (_, n) => n - 1) <= 0)
                {
                    _connectionsBySource.TryRemove(new KeyValuePair<IPAddress, int>(source, 0));
                }

                await connection.DisposeAsync();
            }
        });
        return connection;
    }

    /// <summary>Whom a connection is counted against (<see cref="SourceShare"/>).</summary>
    private static IPAddress SourceOf(Socket socket) => SourceShare.Of(((IPEndPoint)socket.RemoteEndPoint!).Address);

    private static IPAddress ChoosePublicAddress(IPAddress bind, string configured)
    {
        if (configured.Length > 0)
        {
            return IPAddress.Parse(configured);
        }

        if (!bind.Equals(IPAddress.Any) && !bind.Equals(IPAddress.IPv6Any))
        {
            return bind;
        }

        // Bound to every interface: advertise the first interface that is up and not loopback.
        var candidate = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork);
        return candidate ?? IPAddress.Loopback;
    }

    public async ValueTask DisposeAsync()
    {
        // The host stops the transport and the container disposes it again: the second time is a no-op.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        _udp?.Dispose();
        _tcp?.Stop();
        _tls?.Stop();
        foreach (var connection in _connections.Values.Concat(_verified.Values))
        {
            await connection.DisposeAsync();
        }

        try
        {
            await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or SocketException or ObjectDisposedException)
        {
            // Stopping: the loops end on their own.
        }

        _stopping.Dispose();
    }
}
