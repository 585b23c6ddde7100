using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using CallCenter.Telephony.Sip.Parsing;
using Microsoft.Extensions.Logging;

namespace CallCenter.Telephony.Transport;

/// <summary>
/// One TCP connection, or TLS on one: messages framed by Content-Length (RFC 3261 18.3), CRLF
/// keep-alives ignored (RFC 5626 3.5.1), closed on a framing error because the stream cannot be
/// resynchronized.
/// </summary>
internal sealed class SipTcpConnection : IAsyncDisposable
{
    private readonly TimeSpan _idleTimeout;
    private readonly TimeSpan _messageTimeout;
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly SipTransport _transport;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _sendLock = new(1, 1);

    /// <param name="idleTimeout">No message (a keep-alive counts) for this long closes the connection.</param>
    /// <param name="messageTimeout">A message begun must be complete within this long, however its bytes trickle in.</param>
    /// <param name="stream">The socket's stream, or the TLS stream on it (<see cref="SipTransportProtocol.Tls"/>); owns the socket.</param>
    public SipTcpConnection(Socket socket, Stream? stream, SipTransportProtocol protocol, SipTransport transport, ILogger logger, TimeSpan idleTimeout, TimeSpan messageTimeout)
    {
        _idleTimeout = idleTimeout;
        _messageTimeout = messageTimeout;
        _socket = socket;
        _stream = stream ?? new NetworkStream(socket, ownsSocket: true);
        _transport = transport;
        _logger = logger;
        Remote = new SipRemote(protocol, (IPEndPoint)socket.RemoteEndPoint!);
    }

    public SipRemote Remote { get; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024));
        var reason = "closed by peer";

        // The deadlines run from the last whole message and from the first byte of an unfinished one,
        // never from the last byte read: a peer sending one byte a second must not keep the connection.
        var lastMessage = Environment.TickCount64;
        long? partialSince = null;
        try
        {
            while (true)
            {
                var deadline = lastMessage + (long)_idleTimeout.TotalMilliseconds;
                if (partialSince is { } since)
                {
                    deadline = Math.Min(deadline, since + (long)_messageTimeout.TotalMilliseconds);
                }

                using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                idle.CancelAfter(TimeSpan.FromMilliseconds(Math.Max(1, deadline - Environment.TickCount64)));
                var read = await reader.ReadAsync(idle.Token);
                var buffer = read.Buffer;
                var closeAfter = false;
                var completed = false;
                while (!closeAfter)
                {
                    var result = SipParser.ParseStream(buffer);
                    if (result.Status == SipParseStatus.NeedMoreData)
                    {
                        break;
                    }

                    var raw = result.Status == SipParseStatus.Rejected ? buffer.Slice(0, Math.Min(buffer.Length, 65536)).ToArray() : default;
                    buffer = buffer.Slice(result.Consumed);
                    completed = true;
                    if (result.Status == SipParseStatus.KeepAlive)
                    {
                        continue;
                    }

                    await _transport.DeliverAsync(result, raw, Remote);

                    // A rejected message that was still framed leaves the stream in step; one whose
                    // boundary cannot be trusted cannot be resynchronized, so the connection ends.
                    if (result.Status == SipParseStatus.Rejected && (result.Error!.LosesFraming || result.Consumed == 0))
                    {
                        reason = "framing error: " + result.Error!.Fault;
                        closeAfter = true;
                    }
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                var now = Environment.TickCount64;
                if (completed)
                {
                    lastMessage = now;
                    partialSince = null;
                }

                if (buffer.Length > 0)
                {
                    partialSince ??= now;
                }

                if (closeAfter || read.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            reason = cancellationToken.IsCancellationRequested ? "stopping"
                : partialSince is not null ? "a message not completed in time"
                : "idle";
            if (!cancellationToken.IsCancellationRequested)
            {
                _transport.Counters.CountTcpTimedOut();
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            reason = e.Message;
        }
        finally
        {
            await reader.CompleteAsync();
            TelephonyLog.TcpConnectionClosed(_logger, Remote.ToString(), reason);
        }
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _stream.WriteAsync(bytes, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }

        await _stream.DisposeAsync();
        _sendLock.Dispose();
    }
}
