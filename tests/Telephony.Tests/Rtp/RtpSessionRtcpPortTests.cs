using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using CallCenter.Telephony.Codecs;
using CallCenter.Telephony.Rtp;
using CallCenter.TestSupport;

namespace CallCenter.Telephony.Tests.Rtp;

/// <summary>
/// The RTCP port (the RTP port + 1) of a plain session on loopback: a report from the peer's address
/// is taken, one from another address is not, a session opened and closed throws nothing on the
/// way (its ports are read by the shared receive loop, not by a pending receive that closing cancels),
/// and a closing session says BYE only if it sent anything (RFC 3550 6.3.7).
/// </summary>
public sealed class RtpSessionRtcpPortTests
{

    private static Socket Bound(IPAddress address)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address, 0));
        return socket;
    }

    private static RtpSession Open(Socket peer, RtpCounters totals)
    {
        var first = FreePorts.InProcessBlock(10); // free now, not a fixed range (other test processes run beside)
        var ports = new RtpPortAllocator(new RtpOptions { PortMin = first, PortMax = first + 9 });
        return RtpSession.Open(ports, IPAddress.Loopback, (IPEndPoint)peer.LocalEndPoint!, new RtpMediaFormat(0, G711Law.MuLaw, null), totals, TimeProvider.System)!;
    }

    private static void SendReport(Socket from, RtpSession to)
    {
        var report = new byte[128];
        var writer = new RtcpCompoundWriter(report);
        writer.WriteReceiverReport(0x1234_5678, []);
        writer.WriteSourceDescription(0x1234_5678, "peer@test"u8);
        from.SendTo(report.AsSpan(0, writer.Written.Length), new IPEndPoint(IPAddress.Loopback, to.LocalPort + 1));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(3);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
    }

    [Test]
    public async Task AReportOnTheRtcpPortIsTakenFromThePeersAddressOnly()
    {
        using var peer = Bound(IPAddress.Loopback);
        using var outsider = Bound(IPAddress.Parse("127.0.0.2"));
        var totals = new RtpCounters();
        await using var session = Open(peer, totals);

        SendReport(outsider, session);
        await WaitUntilAsync(() => totals.ForeignDropped == 1);
        SendReport(peer, session);
        await WaitUntilAsync(() => session.ReportsReceived == 1);

        Assert.That(totals.ForeignDropped, Is.EqualTo(1), "the outsider's report is counted as foreign");
        Assert.That(session.ReportsReceived, Is.EqualTo(1), "only the peer's report is taken");
    }

    [Test]
    public async Task OpeningAndClosingSessionsThrowsNoException()
    {
        using var peer = Bound(IPAddress.Loopback);
        var totals = new RtpCounters();

        // Warm up first (the first session creates the shared loop), then count every exception
        // thrown on any thread while 20 sessions open, hear a report, and close.
        await (await OpenHeardAsync(peer, totals)).DisposeAsync();
        var thrown = 0;
        var kinds = new System.Collections.Concurrent.ConcurrentBag<string>();
        void Count(object? sender, FirstChanceExceptionEventArgs e)
        {
            // Only what the sessions' own code throws or meets (the handler runs on the throwing
            // thread before it unwinds): another fixture's leftover work does not count.
            if (Environment.StackTrace.Contains("CallCenter.Telephony.Rtp.", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref thrown);
                kinds.Add(e.Exception.GetType().Name);
            }
        }

        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            for (var i = 0; i < 20; i++)
            {
                await (await OpenHeardAsync(peer, totals)).DisposeAsync();
            }
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }

        Assert.That(thrown, Is.Zero, "exceptions thrown: " + string.Join(", ", kinds));
    }

    [Test]
    public async Task ASessionThatSentNothingClosesWithoutABye()
    {
        var (rtp, rtcp) = PeerPair();
        using var peerRtp = rtp;
        using var peerRtcp = rtcp;
        var session = Open(peerRtp, new RtpCounters());

        await session.DisposeAsync();

        Assert.That(await ReceiveWithinAsync(peerRtcp, TimeSpan.FromMilliseconds(300)), Is.Null, "RFC 3550 6.3.7: no BYE from a participant that never sent RTP or RTCP");
    }

    [Test]
    public async Task ASessionThatSentAFrameClosesWithABye()
    {
        var (rtp, rtcp) = PeerPair();
        using var peerRtp = rtp;
        using var peerRtcp = rtcp;
        var session = Open(peerRtp, new RtpCounters());
        session.OnTick(1);
        Assert.That(await ReceiveWithinAsync(peerRtp, TimeSpan.FromSeconds(2)), Is.Not.Null, "the frame reached the peer");

        await session.DisposeAsync();

        Assert.That(Types(await ReceiveWithinAsync(peerRtcp, TimeSpan.FromSeconds(2))), Does.Contain(RtcpPacketType.Goodbye));
    }

    [Test]
    public async Task ASessionThatOnlyReportedClosesWithABye()
    {
        var (rtp, rtcp) = PeerPair();
        using var peerRtp = rtp;
        using var peerRtcp = rtcp;
        var session = Open(peerRtp, new RtpCounters());
        session.Sending = false; // on hold: no frames, but its reports still go
        session.OnTick(10_000);
        Assert.That(Types(await ReceiveWithinAsync(peerRtcp, TimeSpan.FromSeconds(2))), Does.Not.Contain(RtcpPacketType.Goodbye), "a report, not yet a BYE");

        await session.DisposeAsync();

        Assert.That(Types(await ReceiveWithinAsync(peerRtcp, TimeSpan.FromSeconds(2))), Does.Contain(RtcpPacketType.Goodbye));
    }

    /// <summary>The peer's RTP socket and, on the next port, its RTCP socket, where the session sends its reports.</summary>
    private static (Socket Rtp, Socket Rtcp) PeerPair()
    {
        var first = FreePorts.InProcessBlock(2);
        var rtp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var rtcp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        rtp.Bind(new IPEndPoint(IPAddress.Loopback, first));
        rtcp.Bind(new IPEndPoint(IPAddress.Loopback, first + 1));
        return (rtp, rtcp);
    }

    private static async Task<byte[]?> ReceiveWithinAsync(Socket socket, TimeSpan wait)
    {
        var buffer = new byte[1500];
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            var received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            return buffer[..received];
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private static List<RtcpPacketType> Types(byte[]? datagram)
    {
        Assert.That(datagram, Is.Not.Null, "an RTCP packet arrived");
        Assert.That(RtcpCompoundPacket.TryParse(datagram, out var compound, out var error), Is.True, error.ToString());
        var types = new List<RtcpPacketType>();
        foreach (var packet in compound)
        {
            types.Add(packet.Type);
        }

        return types;
    }

    private static async Task<RtpSession> OpenHeardAsync(Socket peer, RtpCounters totals)
    {
        var session = Open(peer, totals);
        SendReport(peer, session);
        await WaitUntilAsync(() => session.ReportsReceived == 1);
        Assert.That(session.ReportsReceived, Is.EqualTo(1));
        return session;
    }
}
