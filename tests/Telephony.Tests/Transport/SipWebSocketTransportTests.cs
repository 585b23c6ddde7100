using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallCenter.Telephony.Tests.Transport;

/// <summary>
/// The transport's side of SIP over WebSocket (RFC 7118) with a real WebSocket pair on loopback (the
/// HTTP upgrade is the host's business): framing, the way back, the owner rule and garbage.
/// </summary>
public sealed class SipWebSocketTransportTests
{
    private const string Register1002 =
        "REGISTER sip:callcenter SIP/2.0\r\n" +
        "Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK56sdasks\r\n" +
        "Max-Forwards: 70\r\n" +
        "To: <sip:1002@callcenter>\r\n" +
        "From: <sip:1002@callcenter>;tag=5hxz8tv6xa\r\n" +
        "Call-ID: 3ncqv8kp9ee1\r\n" +
        "CSeq: 1 REGISTER\r\n" +
        "Contact: <sip:2r36qm5b@df7jal23ls0d.invalid;transport=ws>\r\n" +
        "Content-Length: 0\r\n\r\n";

    private const string Options =
        "OPTIONS sip:callcenter SIP/2.0\r\n" +
        "Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKoptions1\r\n" +
        "Max-Forwards: 70\r\n" +
        "To: <sip:callcenter>\r\n" +
        "From: <sip:1001@callcenter>;tag=abc\r\n" +
        "Call-ID: opt-1\r\n" +
        "CSeq: 1 OPTIONS\r\n" +
        "Content-Length: 0\r\n\r\n";

    [Test]
    public async Task ARequestOnTheWebSocketIsDeliveredAndItsResponseGoesBackOnTheSameConnection()
    {
        await using var pair = await Pair.OpenAsync();

        await pair.SendAsync(Options);
        var (message, source) = await pair.Inbound.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        var request = (SipRequest)message;
        Assert.That(source.Protocol, Is.EqualTo(SipTransportProtocol.Ws));
        Assert.That(request.TopVia!.Received, Is.EqualTo("127.0.0.1"), "RFC 3261 18.2.1: the .invalid sent-by gets received=");

        var sent = await pair.Transport.SendResponseAsync(SipMessageBuilder.CreateResponse(request, 200), source);
        var answer = await pair.ReceiveAsync();

        Assert.That(sent, Is.True);
        Assert.That(answer, Does.StartWith("SIP/2.0 200 OK\r\n"));
        Assert.That(answer, Does.Contain("Call-ID: opt-1"));
    }

    [Test]
    public async Task ARegisterForAnotherAgentsExtensionIsAnswered403AndNeverReachesTheRegistrar()
    {
        await using var pair = await Pair.OpenAsync(owner: "1001");

        await pair.SendAsync(Register1002);
        var answer = await pair.ReceiveAsync();

        Assert.That(answer, Does.StartWith("SIP/2.0 403 "));
        Assert.That(pair.Inbound.Reader.TryRead(out _), Is.False);
        Assert.That(pair.Transport.Counters.WebSocketRefused, Is.EqualTo(1));
    }

    [Test]
    public async Task APeerSendingGarbageIsClosedWithAProtocolErrorAndCounted()
    {
        await using var pair = await Pair.OpenAsync();

        for (var i = 0; i < 5; i++)
        {
            await pair.SendAsync("GET / HTTP/1.1 \u0001\u0002 not sip at all");
        }

        var close = await pair.ReceiveCloseAsync();

        Assert.That(close, Is.EqualTo(WebSocketCloseStatus.ProtocolError));
        Assert.That(pair.Transport.Counters.WebSocketClosedForGarbage, Is.EqualTo(1));
        Assert.That(pair.Transport.Counters.Rejected + pair.Transport.Counters.Dropped, Is.EqualTo(5), "each malformed message answered or dropped, and counted");
        Assert.That(pair.Inbound.Reader.TryRead(out _), Is.False);
    }

    [Test]
    public async Task AMessageOverSixtyFourKibibytesClosesTheConnection()
    {
        await using var pair = await Pair.OpenAsync();

        await pair.SendAsync(Options + new string('x', 70_000));
        var close = await pair.ReceiveCloseAsync();

        Assert.That(close, Is.EqualTo(WebSocketCloseStatus.MessageTooBig));
    }

    [Test]
    public async Task OnlyTheAgentsOwnOpenConnectionReachesTheirBrowser()
    {
        var pair = await Pair.OpenAsync(owner: "1001");
        var remote = pair.Remote;
        var phone = new SipRemote(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5062));

        var whileOpen = pair.Transport.CanReach(remote, "1001");
        var forAnotherAgent = pair.Transport.CanReach(remote, "1002");
        var elsewhere = pair.Transport.CanReach(remote with { EndPoint = new IPEndPoint(remote.EndPoint.Address, remote.EndPoint.Port + 1) }, "1001");
        await pair.DisposeAsync();
        var afterClose = pair.Transport.CanReach(remote, "1001");

        Assert.Multiple(() =>
        {
            Assert.That(whileOpen, Is.True);
            Assert.That(forAnotherAgent, Is.False, "another agent's browser behind the same address and port");
            Assert.That(elsewhere, Is.False, "no connection at that address");
            Assert.That(afterClose, Is.False, "a closed connection (a restart, a browser reconnecting) is not rung");
            Assert.That(pair.Transport.CanReach(phone, "1001"), Is.True, "UDP is tried when sent");
        });
    }

    [Test]
    public async Task OnceTheBrowserIsGoneASendToItFailsInsteadOfConnecting()
    {
        var pair = await Pair.OpenAsync();
        var remote = pair.Remote;
        await pair.DisposeAsync();

        var sent = await pair.Transport.SendAsync(Encoding.ASCII.GetBytes(Options), remote);

        Assert.That(sent, Is.False);
        Assert.That(pair.Transport.OpenWebSocketConnections, Is.Zero);
    }

    [Test]
    public async Task TwoBrowsersClaimingOneAddressEachKeepTheirOwnConnectionAndItsClosingIsReported()
    {
        // Behind a proxy that forwards only the client's address (port 0), or on one terminal server:
        // the second browser must not take over the first one's way back (another agent's calls).
        var inbound = new Inbound();
        var transport = await Pair.StartTransportAsync(inbound);
        var claimed = new IPEndPoint(IPAddress.Parse("10.0.0.7"), 0);
        var closedRemotes = Channel.CreateUnbounded<SipRemote>();
        Task Closed(SipRemote remote) => closedRemotes.Writer.WriteAsync(remote).AsTask();
        try
        {
            var first = await Pair.OpenAsync("1001", (transport, inbound), claimed, Closed);
            await using var second = await Pair.OpenAsync("1002", (transport, inbound), claimed, Closed);

            await first.SendAsync(Options);
            var (_, firstSource) = await inbound.Messages.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            await second.SendAsync(Options.Replace("opt-1", "opt-2", StringComparison.Ordinal));
            var (_, secondSource) = await inbound.Messages.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));

            Assert.That(firstSource.EndPoint.Address, Is.EqualTo(claimed.Address));
            Assert.That(secondSource.EndPoint.Address, Is.EqualTo(claimed.Address));
            Assert.That(secondSource, Is.Not.EqualTo(firstSource), "each connection is its own SIP source");
            Assert.That(transport.OpenWebSocketConnections, Is.EqualTo(2));

            // Each way back reaches its own browser only.
            Assert.That(await transport.SendAsync(Encoding.ASCII.GetBytes("OPTIONS for-the-first SIP/2.0\r\n\r\n"), firstSource), Is.True);
            Assert.That(await first.ReceiveAsync(), Does.Contain("for-the-first"));
            Assert.That(await transport.SendAsync(Encoding.ASCII.GetBytes("OPTIONS for-the-second SIP/2.0\r\n\r\n"), secondSource), Is.True);
            Assert.That(await second.ReceiveAsync(), Does.Contain("for-the-second"));

            // The first goes: its own source is reported closed, and the second's way back still works.
            await first.DisposeAsync();
            var closed = await closedRemotes.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            Assert.That(closed, Is.EqualTo(firstSource));
            Assert.That(await transport.SendAsync(Encoding.ASCII.GetBytes(Options), firstSource), Is.False);
            Assert.That(await transport.SendAsync(Encoding.ASCII.GetBytes("OPTIONS still-here SIP/2.0\r\n\r\n"), secondSource), Is.True);
            Assert.That(await second.ReceiveAsync(), Does.Contain("still-here"));
        }
        finally
        {
            await transport.DisposeAsync();
        }
    }

    [Test]
    public void ABrowserBetweenItsRegistersIsNotClosedForIdling()
    {
        Assert.That(SipWebSocketConnection.IdleTimeout(new SipOptions { TcpIdleSeconds = 600, MaxExpires = 3600 }), Is.EqualTo(TimeSpan.FromSeconds(3660)));
        Assert.That(SipWebSocketConnection.IdleTimeout(new SipOptions { TcpIdleSeconds = 7200, MaxExpires = 3600 }), Is.EqualTo(TimeSpan.FromSeconds(7200)));
    }

    public sealed class Inbound : ISipInbound
    {
        public Channel<(SipMessage, SipRemote)> Messages { get; } = Channel.CreateUnbounded<(SipMessage, SipRemote)>();

        public ValueTask OnMessageAsync(SipMessage message, SipRemote source) => Messages.Writer.WriteAsync((message, source));
    }

    /// <summary>A started transport and a client WebSocket whose server end the transport runs.</summary>
    private sealed class Pair : IAsyncDisposable
    {
        private readonly TcpClient _client;
        private readonly WebSocket _socket;
        private readonly Task _running;

        private readonly bool _ownsTransport;

        private Pair(SipTransport transport, Channel<(SipMessage, SipRemote)> inbound, TcpClient client, WebSocket socket, Task running, SipRemote remote, bool ownsTransport = true)
        {
            _ownsTransport = ownsTransport;
            Transport = transport;
            Inbound = inbound;
            _client = client;
            _socket = socket;
            _running = running;
            Remote = remote;
        }

        public SipTransport Transport { get; }

        public Channel<(SipMessage, SipRemote)> Inbound { get; }

        public SipRemote Remote { get; }

        public static Task<Pair> OpenAsync(string owner = "1001") => OpenAsync(owner, null, null, null);

        /// <summary>
        /// A pair on <paramref name="shared"/>'s transport when given (it stays open when the pair goes), the
        /// host claiming the browser is at <paramref name="claimed"/> (as behind a proxy) when given.
        /// </summary>
        public static async Task<Pair> OpenAsync(string owner, (SipTransport Transport, Inbound Inbound)? shared, IPEndPoint? claimed, Func<SipRemote, Task>? closed)
        {
            var inbound = shared?.Inbound ?? new Inbound();
            var transport = shared?.Transport ?? await StartTransportAsync(inbound);
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var client = new TcpClient();
            await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
            var server = await listener.AcceptSocketAsync();
            var serverSocket = WebSocket.CreateFromStream(new NetworkStream(server, ownsSocket: true), new WebSocketCreationOptions { IsServer = true, SubProtocol = "sip" });
            var clientSocket = WebSocket.CreateFromStream(client.GetStream(), new WebSocketCreationOptions { IsServer = false, SubProtocol = "sip" });
            var remote = claimed ?? (IPEndPoint)server.RemoteEndPoint!;
            var running = transport.RunWebSocketAsync(serverSocket, remote, (IPEndPoint)server.LocalEndPoint!, owner, closed, CancellationToken.None);
            return new Pair(transport, inbound.Messages, client, clientSocket, running, new SipRemote(SipTransportProtocol.Ws, remote), shared is null);
        }

        /// <summary>The transport on loopback; port 0 picks UDP's port and TCP takes the same number, which another test may hold, so it tries again.</summary>
        public static async Task<SipTransport> StartTransportAsync(Inbound inbound)
        {
            for (var attempt = 1; ; attempt++)
            {
                var transport = new SipTransport(new SipOptions { Address = "127.0.0.1", Port = 0 }, NullLogger<SipTransport>.Instance);
                try
                {
                    await transport.StartAsync(inbound);
                    return transport;
                }
                catch (SocketException) when (attempt < 5)
                {
                    await transport.DisposeAsync();
                }
            }
        }

        public Task SendAsync(string text) =>
            _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

        public async Task<string> ReceiveAsync()
        {
            var buffer = new byte[70_000];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var result = await _socket.ReceiveAsync(buffer, timeout.Token);
            Assert.That(result.EndOfMessage, Is.True);
            return Encoding.UTF8.GetString(buffer, 0, result.Count);
        }

        public async Task<WebSocketCloseStatus?> ReceiveCloseAsync()
        {
            var buffer = new byte[70_000];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, timeout.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return result.CloseStatus;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            _socket.Abort();
            _client.Dispose();
            await _running.WaitAsync(TimeSpan.FromSeconds(5));
            if (_ownsTransport)
            {
                await Transport.DisposeAsync();
            }
        }
    }
}
