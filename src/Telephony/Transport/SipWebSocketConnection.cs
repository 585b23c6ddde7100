using System.Net.WebSockets;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Parsing;
using Microsoft.Extensions.Logging;

namespace CallCenter.Telephony.Transport;

/// <summary>
/// One SIP over WebSocket connection (RFC 7118): each WebSocket message, text or binary, is one
/// whole SIP message (RFC 7118 4), parsed like a datagram and capped at the datagram's 64 KiB. The
/// connection belongs to the signed-in agent who opened it: a REGISTER for any other extension is
/// answered 403 before the registrar sees it. Idle and slow-message deadlines are TCP's. A peer
/// that sends five malformed messages in a row is closed with 1002 (protocol error).
/// </summary>
internal sealed class SipWebSocketConnection
{
    /// <summary>Malformed messages in a row before the connection is closed (each is answered or dropped as over UDP).</summary>
    internal const int GarbageLimit = 5;

    private const int MaxMessage = 65535;

    private readonly WebSocket _socket;
    private readonly SipTransport _transport;
    private readonly ILogger _logger;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeSpan _messageTimeout;
    private readonly SemaphoreSlim _sendLock = new(1, 1);

    public SipWebSocketConnection(WebSocket socket, SipRemote remote, string owner, SipTransport transport, ILogger logger, TimeSpan idleTimeout, TimeSpan messageTimeout)
    {
        _socket = socket;
        Remote = remote;
        Owner = owner;
        _transport = transport;
        _logger = logger;
        _idleTimeout = idleTimeout;
        _messageTimeout = messageTimeout;
    }

    public SipRemote Remote { get; }

    /// <summary>
    /// How long a WebSocket may go without a SIP message: <c>Sip:TcpIdleSeconds</c>, but never less than
    /// the longest registration plus a minute. A browser phone sends nothing between its REGISTERs (the
    /// WebSocket pings do not count), and it may only be reached on this connection, so closing it
    /// sooner would silently take the agent's phone away. Only a signed-in agent can hold one open.
    /// </summary>
    public static TimeSpan IdleTimeout(SipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return TimeSpan.FromSeconds(Math.Max(options.TcpIdleSeconds, options.MaxExpires + 60));
    }

    /// <summary>The extension of the signed-in agent whose desk opened this connection.</summary>
    public string Owner { get; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxMessage + 1];
        var reason = "closed by peer";
        var garbage = 0;
        var closeStatus = WebSocketCloseStatus.NormalClosure;
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var length = 0;
                var began = Environment.TickCount64;
                ValueWebSocketReceiveResult received;
                do
                {
                    // Idle until a message begins; then the whole message within the message deadline.
                    var limit = length == 0 ? _idleTimeout : _messageTimeout - TimeSpan.FromMilliseconds(Environment.TickCount64 - began);
                    using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    deadline.CancelAfter(limit > TimeSpan.Zero ? limit : TimeSpan.FromMilliseconds(1));
                    received = await _socket.ReceiveAsync(buffer.AsMemory(length), deadline.Token);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    if (length == 0)
                    {
                        began = Environment.TickCount64;
                    }

                    length += received.Count;
                    if (length > MaxMessage)
                    {
                        _transport.Counters.CountDropped();
                        reason = "a message over 64 KiB";
                        closeStatus = WebSocketCloseStatus.MessageTooBig;
                        return;
                    }
                }
                while (!received.EndOfMessage);

                var message = buffer.AsMemory(0, length);
                if (message.Span.TrimStart("\r\n"u8).IsEmpty)
                {
                    // RFC 5626 3.5.1's CRLF keep-alive, which some WebSocket clients send too.
                    continue;
                }

                var result = SipParser.ParseDatagram(message.Span);
                garbage = result.Status == SipParseStatus.Rejected ? garbage + 1 : 0;
                if (garbage >= GarbageLimit)
                {
                    _transport.Counters.CountDropped();
                    _transport.Counters.CountWebSocketClosedForGarbage();
                    reason = $"{GarbageLimit} messages in a row that are not SIP";
                    closeStatus = WebSocketCloseStatus.ProtocolError;
                    return;
                }

                if (result.Message is SipRequest request && SipWebSocketPolicy.Refusal(request, Owner) is { } refusal)
                {
                    _transport.Counters.CountWebSocketRefused();
                    TelephonyLog.WebSocketRequestRefused(_logger, Remote.ToString(), Owner, request.Method, request.To?.Uri.User ?? "");
                    SipResponseRouting.StampReceived(request, Remote);
                    await SendAsync(SipWriter.ToBytes(refusal), cancellationToken);
                    continue;
                }

                await _transport.DeliverAsync(result, message, Remote);
            }
        }
        catch (OperationCanceledException)
        {
            reason = cancellationToken.IsCancellationRequested ? "stopping" : "idle or a message not completed in time";
            if (!cancellationToken.IsCancellationRequested)
            {
                _transport.Counters.CountTcpTimedOut();
            }
        }
        catch (WebSocketException e)
        {
            // The browser vanished (no close frame): the bindings on this connection stay until they expire or the next REGISTER.
            reason = e.Message;
        }
        finally
        {
            TelephonyLog.WebSocketClosed(_logger, Remote.ToString(), Owner, reason);
            await CloseAsync(closeStatus);
        }
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            // RFC 7118 4: a text message when the SIP message is UTF-8, which ours always are.
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task CloseAsync(WebSocketCloseStatus status)
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _socket.CloseOutputAsync(status, null, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Gone already.
        }
    }
}
