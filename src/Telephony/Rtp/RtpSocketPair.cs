using System.Net;
using System.Net.Sockets;

namespace CallCenter.Telephony.Rtp;

/// <summary>
/// A leg's two bound UDP sockets: RTP on the even <see cref="Port"/>, RTCP on the odd one above.
/// Owned by one session while it lives, then by the <see cref="RtpPortAllocator"/> while it rests.
/// </summary>
public sealed class RtpSocketPair : IDisposable
{
    // A peer flooding a resting port must not keep the next call's set-up busy: the rest of the
    // flood meets the new session's strict source check instead.
    private const int MaxDrained = 256;

    private RtpSocketPair(IPAddress address, int port, Socket rtp, Socket rtcp)
    {
        Address = address;
        Port = port;
        Rtp = rtp;
        Rtcp = rtcp;
    }

    public IPAddress Address { get; }

    public int Port { get; }

    public Socket Rtp { get; }

    public Socket Rtcp { get; }

    /// <summary>
    /// The RTCP receive buffer of whichever session owns the pair: allocated once with the pair (a
    /// pinned array per leg was a measurable part of a call's set-up), used by one session at a time
    /// (a session returns the pair only after its receive loops have ended).
    /// </summary>
    public byte[] RtcpBuffer { get; } = GC.AllocateUninitializedArray<byte>(1500, pinned: true);

    /// <summary>Binds both sockets of <paramref name="port"/>, or null when either port is taken (by another program).</summary>
    public static RtpSocketPair? TryBind(IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        var rtp = Bind(address, port);
        if (rtp is null)
        {
            return null;
        }

        var rtcp = Bind(address, port + 1);
        if (rtcp is null)
        {
            rtp.Dispose();
            return null;
        }

        return new RtpSocketPair(address, port, rtp, rtcp);
    }

    private static Socket? Bind(IPAddress address, int port)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(address, port));
            return socket;
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }

    /// <summary>
    /// Throws away what reached the sockets while they rested (late packets of the previous call),
    /// so the next session never reads them; returns how many datagrams that was.
    /// </summary>
    public int Drain()
    {
        Span<byte> buffer = stackalloc byte[2048];
        return Drain(Rtp, buffer) + Drain(Rtcp, buffer);
    }

    private static int Drain(Socket socket, Span<byte> buffer)
    {
        if (socket.Blocking)
        {
            socket.Blocking = false;
        }

        // The overload with an error out-parameter: "nothing left" (EWOULDBLOCK) ends every drain,
        // and as an exception it cost more than the reads themselves (one thrown per socket per leg).
        var drained = 0;
        while (drained < MaxDrained)
        {
            socket.Receive(buffer, SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                break;
            }

            drained++; // a datagram, or an ICMP error left by an earlier send: consumed, go on
        }

        return drained;
    }

    public void Dispose()
    {
        Rtp.Dispose();
        Rtcp.Dispose();
    }
}
