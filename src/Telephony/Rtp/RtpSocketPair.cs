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

    /// <summary>
    /// Sets the shared receive loop reading both sockets for <paramref name="rtp"/> and <paramref name="rtcp"/>.
    /// The sockets are registered with the loop once, when the pair first gets a session, and stay registered
    /// while the pair rests (what arrives then is read and thrown away), so a leg costs no epoll_ctl: four
    /// system calls a leg before.
    /// </summary>
    internal void Attach(RtpReceiveLoop loop, IRtpReadable rtp, IRtpReadable rtcp)
    {
        if (_loop is null)
        {
            // Both registered or neither: the fields are set only once both are, so Dispose removes exactly what is there.
            var rtpReader = new Reader(Rtp);
            var rtcpReader = new Reader(Rtcp);
            var rtpToken = loop.Add(rtpReader);
            long rtcpToken;
            try
            {
                rtcpToken = loop.Add(rtcpReader);
            }
            catch
            {
                loop.Remove(rtpToken, rtpReader);
                throw;
            }

            (_rtpReader, _rtcpReader, _rtpToken, _rtcpToken, _loop) = (rtpReader, rtcpReader, rtpToken, rtcpToken, loop);
        }

        _rtpReader!.Target = rtp;
        _rtcpReader!.Target = rtcp;
    }

    /// <summary>The session has ended: from now on the loop throws away what reaches the sockets.</summary>
    internal void Detach()
    {
        _rtpReader?.Target = null;
        _rtcpReader?.Target = null;
    }

    private RtpReceiveLoop? _loop;
    private Reader? _rtpReader;
    private Reader? _rtcpReader;
    private long _rtpToken;
    private long _rtcpToken;

    public void Dispose()
    {
        if (_loop is not null && _rtpReader is not null && _rtcpReader is not null)
        {
            _loop.Remove(_rtpToken, _rtpReader);
            _loop.Remove(_rtcpToken, _rtcpReader);
        }

        Rtp.Dispose();
        Rtcp.Dispose();
    }

    /// <summary>One socket of the pair as the loop reads it: for its session, or (resting) into nothing.</summary>
    private sealed class Reader(Socket socket) : IRtpReadable
    {
        private IRtpReadable? _target;

        public Socket Socket => socket;

        public IRtpReadable? Target
        {
            get => Volatile.Read(ref _target);
            set => Volatile.Write(ref _target, value);
        }

        public void OnReadable(byte[] buffer)
        {
            if (Target is { } target)
            {
                target.OnReadable(buffer);
                return;
            }

            // Resting, or between a session's end and the next: read it so the level-triggered loop does not wake
            // for it again, and throw it away (a late packet of the old call is no one's). A flood of the resting
            // ports costs a read a packet here, as one of a live port's does in its session's source check.
            try
            {
                socket.Receive(buffer, SocketFlags.None, out _);
            }
            catch (ObjectDisposedException)
            {
                // Closed while the loop held it: the pair is going away.
            }
        }
    }
}
