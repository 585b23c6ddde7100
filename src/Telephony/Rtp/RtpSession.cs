using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using CallCenter.Telephony.Media;

namespace CallCenter.Telephony.Rtp;

/// <summary>
/// One call leg's RTP stream (RFC 3550): a socket on an even port, 20 ms G.711 frames paced by
/// the shared <see cref="MediaClock"/>, symmetric RTP (we send to where the peer's packets come from).
/// Until the media room's prompt player lands, the frames carry silence.
/// </summary>
public sealed class RtpSession : IMediaClockTarget, IAsyncDisposable
{
    private const int HeaderBytes = 12;
    private const int SamplesPerFrame = 160; // 20 ms at 8 kHz

    private readonly Socket _socket;
    private readonly byte[] _frame = new byte[HeaderBytes + SamplesPerFrame];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _receiving;
    private readonly RtpPortAllocator _ports;
    private IPEndPoint _remote;
    private ushort _sequence;
    private uint _timestamp;
    private long _packetsReceived;
    private long _packetsSent;
    private long _packetsDropped;

    private RtpSession(Socket socket, RtpPortAllocator ports, IPEndPoint remote, int payloadType)
    {
        _socket = socket;
        _ports = ports;
        _remote = remote;
        LocalPort = ((IPEndPoint)socket.LocalEndPoint!).Port;

        // RFC 3550 5.1: random initial sequence number, timestamp and SSRC.
        _sequence = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue);
        _timestamp = (uint)RandomNumberGenerator.GetInt32(int.MaxValue);
        Ssrc = (uint)RandomNumberGenerator.GetInt32(int.MaxValue);
        _frame[0] = 0x80; // version 2, no padding, no extension, no CSRC
        _frame[1] = (byte)payloadType;
        BinaryPrimitives.WriteUInt32BigEndian(_frame.AsSpan(8), Ssrc);

        // G.711 silence: µ-law 0xFF, A-law 0xD5 (ITU-T G.711 tables).
        _frame.AsSpan(HeaderBytes).Fill(payloadType == 8 ? (byte)0xD5 : (byte)0xFF);
        _receiving = ReceiveAsync(_stopping.Token);
    }

    public int LocalPort { get; }

    public uint Ssrc { get; }

    /// <summary>False while on hold (sendonly from the peer's side, or inactive).</summary>
    public bool Sending { get; set; } = true;

    public long PacketsReceived => Interlocked.Read(ref _packetsReceived);

    public long PacketsSent => Interlocked.Read(ref _packetsSent);

    public long PacketsDropped => Interlocked.Read(ref _packetsDropped);

    /// <summary>Opens a session on a port from the allocator, or null when the range is exhausted.</summary>
    public static RtpSession? Open(RtpPortAllocator ports, IPAddress bindAddress, IPEndPoint remote, int payloadType)
    {
        ArgumentNullException.ThrowIfNull(ports);
        Socket? bound = null;
        var port = ports.Allocate(candidate =>
        {
            var socket = new Socket(bindAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                socket.Bind(new IPEndPoint(bindAddress, candidate));
                bound = socket;
                return true;
            }
            catch (SocketException)
            {
                socket.Dispose();
                return false;
            }
        });
        return port is null ? null : new RtpSession(bound!, ports, remote, payloadType);
    }

    public void OnTick(long tick)
    {
        if (!Sending || _remote.Port == 0)
        {
            return;
        }

        var frame = _frame.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(frame[2..], _sequence++);
        BinaryPrimitives.WriteUInt32BigEndian(frame[4..], _timestamp);
        _timestamp += SamplesPerFrame;
        try
        {
            _socket.SendTo(frame, SocketFlags.None, Volatile.Read(ref _remote));
            Interlocked.Increment(ref _packetsSent);
        }
        catch (SocketException)
        {
            // The peer's port is closed (ICMP); keep pacing, the call's signalling decides its fate.
        }
        catch (ObjectDisposedException)
        {
            // Closed between the clock's snapshot and this tick.
        }
    }

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[2048];
        EndPoint any = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken);
                if (received.ReceivedBytes < HeaderBytes || buffer[0] >> 6 != 2)
                {
                    // Not RTP version 2 (RFC 3550 5.1): dropped and counted.
                    Interlocked.Increment(ref _packetsDropped);
                    continue;
                }

                Interlocked.Increment(ref _packetsReceived);
                var from = (IPEndPoint)received.RemoteEndPoint;
                if (!from.Equals(Volatile.Read(ref _remote)))
                {
                    // Symmetric RTP: answer where the media really comes from (a NAT may rewrite it).
                    Volatile.Write(ref _remote, from);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // ICMP from an earlier send; keep listening.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _socket.Dispose();
        try
        {
            await _receiving;
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Closing.
        }

        _ports.Release(LocalPort);
        _stopping.Dispose();
    }
}
