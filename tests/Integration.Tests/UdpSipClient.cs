using System.Net;
using System.Net.Sockets;
using System.Text;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Parsing;

namespace CallCenter.Integration.Tests;

/// <summary>A bare UDP socket on loopback that sends hand-written SIP and reads what comes back.</summary>
internal sealed class UdpSipClient : IDisposable
{
    private readonly Socket _socket;
    private readonly IPEndPoint _server;

    /// <param name="server">Where to send.</param>
    /// <param name="local">The source address (another loopback address such as 127.0.0.2 is another host to the platform); 127.0.0.1 by default.</param>
    public UdpSipClient(IPEndPoint server, IPAddress? local = null)
    {
        _server = server;
        _socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(local ?? IPAddress.Loopback, 0));
    }

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public Task SendAsync(string message) => SendAsync(Encoding.UTF8.GetBytes(message));

    public async Task SendAsync(byte[] datagram) => await _socket.SendToAsync(datagram, SocketFlags.None, _server);

    /// <summary>The next datagram parsed as a response, skipping provisional ones when asked; null on timeout.</summary>
    public async Task<SipResponse?> ReceiveResponseAsync(TimeSpan timeout, bool skipProvisional = true)
    {
        var buffer = new byte[65535];
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            try
            {
                var received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0), cts.Token);
                var result = SipParser.ParseDatagram(buffer.AsSpan(0, received.ReceivedBytes));
                if (result.Message is SipResponse response && (!skipProvisional || response.StatusCode >= 200))
                {
                    return response;
                }
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }

    /// <summary>Every datagram that arrives within <paramref name="window"/>, raw.</summary>
    public async Task<List<byte[]>> ReceiveAllAsync(TimeSpan window)
    {
        var buffer = new byte[65535];
        var all = new List<byte[]>();
        using var cts = new CancellationTokenSource(window);
        while (true)
        {
            try
            {
                var received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0), cts.Token);
                all.Add(buffer.AsSpan(0, received.ReceivedBytes).ToArray());
            }
            catch (OperationCanceledException)
            {
                return all;
            }
        }
    }

    public void Dispose() => _socket.Dispose();
}
