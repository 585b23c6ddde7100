using System.Net;
using System.Net.Sockets;
using CallCenter.Telephony.Codecs;
using CallCenter.Telephony.Rtp;
using CallCenter.TestSupport;

namespace CallCenter.Telephony.Tests.Rtp;

/// <summary>Strict symmetric RTP in a real session on loopback sockets: the receive path calls the source filter.</summary>
public sealed class RtpSessionSourceTests
{

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static IPEndPoint EndPointOf(Socket socket) => (IPEndPoint)socket.LocalEndPoint!;

    private static RtpSession Open(IPEndPoint remote, RtpCounters totals)
    {
        var first = FreePorts.InProcessBlock(10); // free now, not a fixed range (other test processes run beside)
        var ports = new RtpPortAllocator(new RtpOptions { PortMin = first, PortMax = first + 9 });
        return RtpSession.Open(ports, IPAddress.Loopback, remote, new RtpMediaFormat(8, G711Law.ALaw, null), totals, TimeProvider.System)!;
    }

    private static void Send(Socket from, RtpSession to, ushort sequence)
    {
        var datagram = new byte[RtpPacket.FixedHeaderLength + 160];
        RtpPacket.Write(datagram, 8, marker: false, sequence, sequence * 160u, 0x1234_5678, new byte[160]);
        from.SendTo(datagram, new IPEndPoint(IPAddress.Loopback, to.LocalPort));
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
    public async Task AnOutsiderNeitherTakesTheSessionNorIsHeard()
    {
        using var peer = Bound();
        using var outsider = Bound();
        var totals = new RtpCounters();
        await using var session = Open(EndPointOf(peer), totals);

        Send(peer, session, 1);
        await WaitUntilAsync(() => session.PacketsReceived == 1);
        for (ushort i = 0; i < 10; i++)
        {
            Send(outsider, session, i);
        }

        await WaitUntilAsync(() => session.ForeignPacketsDropped == 10);

        Assert.That(session.ForeignPacketsDropped, Is.EqualTo(10));
        Assert.That(totals.ForeignDropped, Is.EqualTo(10));
        Assert.That(session.PacketsReceived, Is.EqualTo(1));
        Assert.That(session.Remote, Is.EqualTo(EndPointOf(peer)));
        Assert.That(session.LockedSource, Is.EqualTo(EndPointOf(peer)));
    }

    [Test]
    public async Task ANattedPeerIsLearnedAfterFourPacketsInARowAndAnsweredThere()
    {
        using var natted = Bound();
        using var outsider = Bound();
        var totals = new RtpCounters();
        var sdp = new IPEndPoint(IPAddress.Loopback, 9); // what the phone wrote in its SDP; its packets come from elsewhere
        await using var session = Open(sdp, totals);

        for (ushort i = 100; i < 104; i++)
        {
            Send(natted, session, i);
        }

        await WaitUntilAsync(() => session.PacketsReceived == 1);
        Send(outsider, session, 1);
        await WaitUntilAsync(() => session.ForeignPacketsDropped == 1);

        Assert.That(totals.ProbationDropped, Is.EqualTo(3));
        Assert.That(session.PacketsReceived, Is.EqualTo(1));
        Assert.That(session.Remote, Is.EqualTo(EndPointOf(natted)));
        Assert.That(totals.SourcesLearned, Is.EqualTo(1));
        Assert.That(session.ForeignPacketsDropped, Is.EqualTo(1));
    }

    [Test]
    public async Task ANewSdpFromThePeerMovesTheSessionAndTheOldSourceIsForeign()
    {
        using var before = Bound();
        using var after = Bound();
        await using var session = Open(EndPointOf(before), new RtpCounters());
        Send(before, session, 1);
        await WaitUntilAsync(() => session.PacketsReceived == 1);

        session.SetRemote(EndPointOf(after));
        var lockedAfterReset = session.LockedSource;
        Send(after, session, 50);
        await WaitUntilAsync(() => session.PacketsReceived == 2);
        Send(before, session, 2);
        await WaitUntilAsync(() => session.ForeignPacketsDropped == 1);

        Assert.That(lockedAfterReset, Is.Null);
        Assert.That(session.LockedSource, Is.EqualTo(EndPointOf(after)));
        Assert.That(session.Remote, Is.EqualTo(EndPointOf(after)));
        Assert.That(session.ForeignPacketsDropped, Is.EqualTo(1));
    }
}
