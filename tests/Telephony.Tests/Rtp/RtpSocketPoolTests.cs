using System.Net;
using System.Net.Sockets;
using CallCenter.Telephony.Codecs;
using CallCenter.Telephony.Rtp;
using CallCenter.TestSupport;

namespace CallCenter.Telephony.Tests.Rtp;

/// <summary>Ended legs' socket pairs rest in the allocator, bound, and go to later legs: late, emptied, and oldest first.</summary>
public sealed class RtpSocketPoolTests
{
    private static RtpPortAllocator Allocator(int pairs, TimeProvider time, int resting = 16)
    {
        // A block found free now (not a fixed one: the ports near 47000 are in the kernel's ephemeral range, and the
        // integration tests' platforms and sipp run beside these tests in CI).
        var first = FreePorts.InProcessBlock(2 * pairs);
        return new RtpPortAllocator(new RtpOptions { PortMin = first, PortMax = first + (2 * pairs) - 1, RestingPairs = resting }, time);
    }

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static void SendRtp(Socket from, int port, ushort sequence)
    {
        var datagram = new byte[RtpPacket.FixedHeaderLength + 160];
        RtpPacket.Write(datagram, 8, marker: false, sequence, sequence * 160u, 0x1234_5678, new byte[160]);
        from.SendTo(datagram, new IPEndPoint(IPAddress.Loopback, port));
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
    public void AnEndedPairRestsWhileUnusedPortsRemainAndThenComesBackBoundAndEmpty()
    {
        var time = new ManualTimeProvider();
        using var ports = Allocator(pairs: 3, time);
        var first = ports.Rent(IPAddress.Loopback)!;
        ports.Return(first);
        using var late = Bound();
        late.SendTo(new byte[] { 0x80, 8, 0, 1 }, new IPEndPoint(IPAddress.Loopback, first.Port));
        late.SendTo(new byte[] { 0x80, 200, 0, 1 }, new IPEndPoint(IPAddress.Loopback, first.Port + 1));
        Thread.Sleep(50); // loopback delivers at once; give the kernel a moment anyway

        time.Advance(RtpPortAllocator.MinimumRest - TimeSpan.FromMilliseconds(1));
        var second = ports.Rent(IPAddress.Loopback)!;
        time.Advance(TimeSpan.FromMilliseconds(1));
        var third = ports.Rent(IPAddress.Loopback)!;

        Assert.That(second.Port, Is.Not.EqualTo(first.Port), "a pair that has not rested its time is not handed out while unused ports remain");
        Assert.That(third, Is.SameAs(first), "the rested pair comes back, still bound");
        Assert.That(third.Rtp.Available + third.Rtcp.Available, Is.Zero, "what arrived while it rested was thrown away");
        Assert.That(ports.InUse, Is.EqualTo(2));
        Assert.That(ports.Resting, Is.Zero);
    }

    [Test]
    public void WhenTheRangeIsUsedUpTheLongestRestingPairGoesBackEarly()
    {
        var time = new ManualTimeProvider();
        using var ports = Allocator(pairs: 2, time);
        var a = ports.Rent(IPAddress.Loopback)!;
        var b = ports.Rent(IPAddress.Loopback)!;
        ports.Return(b);
        time.Advance(TimeSpan.FromMilliseconds(10));
        ports.Return(a);

        var c = ports.Rent(IPAddress.Loopback);
        var d = ports.Rent(IPAddress.Loopback);
        var e = ports.Rent(IPAddress.Loopback);

        Assert.That(c, Is.SameAs(b), "oldest first");
        Assert.That(d, Is.SameAs(a));
        Assert.That(e, Is.Null, "every pair in use: the range is exhausted");
    }

    [Test]
    public void WithoutRestingPairsAReturnedPairIsClosedAndItsPortFreed()
    {
        using var ports = Allocator(pairs: 2, TimeProvider.System, resting: 0);
        var pair = ports.Rent(IPAddress.Loopback)!;

        ports.Return(pair);

        Assert.That(ports.Resting, Is.Zero);
        Assert.That(ports.InUse, Is.Zero);
        using var again = RtpSocketPair.TryBind(IPAddress.Loopback, pair.Port);
        Assert.That(again, Is.Not.Null, "the port is free for anyone once its pair is closed");
    }

    [Test]
    public void BeyondRestingPairsTheOldestIsClosed()
    {
        using var ports = Allocator(pairs: 4, TimeProvider.System, resting: 1);
        var a = ports.Rent(IPAddress.Loopback)!;
        var b = ports.Rent(IPAddress.Loopback)!;

        ports.Return(a);
        ports.Return(b);

        Assert.That(ports.Resting, Is.EqualTo(1));
        using var again = RtpSocketPair.TryBind(IPAddress.Loopback, a.Port);
        Assert.That(again, Is.Not.Null, "the oldest resting pair was closed to keep within Rtp:RestingPairs");
    }

    [Test]
    public async Task ASessionOnARestedPairHearsOnlyItsOwnPeerAndNothingOfThePreviousCall()
    {
        var time = new ManualTimeProvider();
        using var ports = Allocator(pairs: 1, time);
        using var oldPeer = Bound();
        using var newPeer = Bound();
        var format = new RtpMediaFormat(8, G711Law.ALaw, null);
        var totals = new RtpCounters();

        var first = RtpSession.Open(ports, IPAddress.Loopback, (IPEndPoint)oldPeer.LocalEndPoint!, format, totals, time)!;
        var port = first.LocalPort;
        SendRtp(oldPeer, port, 1);
        await WaitUntilAsync(() => first.PacketsReceived == 1);
        await first.DisposeAsync();
        for (ushort i = 2; i < 6; i++)
        {
            SendRtp(oldPeer, port, i); // late packets of the ended call, while the pair rests
        }

        await Task.Delay(50);
        time.Advance(RtpPortAllocator.MinimumRest);
        await using var second = RtpSession.Open(ports, IPAddress.Loopback, (IPEndPoint)newPeer.LocalEndPoint!, format, totals, time)!;
        SendRtp(oldPeer, port, 6); // and one more after the new call started: foreign to it
        SendRtp(newPeer, port, 100);
        await WaitUntilAsync(() => second.PacketsReceived == 1 && totals.ForeignDropped + totals.ProbationDropped == 1);

        Assert.That(second.LocalPort, Is.EqualTo(port), "the same pair, reused");
        Assert.That(second.PacketsReceived, Is.EqualTo(1));
        Assert.That(totals.Received, Is.EqualTo(2), "one for each call's own peer");
        Assert.That(totals.ForeignDropped + totals.ProbationDropped, Is.EqualTo(1), "the late packets were drained unread; only the one sent after the new call started reached it, and was refused");
        Assert.That(second.LockedSource ?? second.Remote, Is.EqualTo(newPeer.LocalEndPoint));
    }
    [Test]
    public async Task ARestingPairStaysOnTheReceiveLoopWhichThrowsAwayWhatReachesItUntilThePairIsClosed()
    {
        // A leg costs no epoll_ctl: the pair is registered with the shared loop once, stays registered while it rests
        // (the loop reads and drops what arrives, so a level-triggered wake does not repeat), and leaves it when closed.
        var loop = RtpReceiveLoop.Shared;
        Assume.That(loop, Is.Not.Null, "the shared receive loop is Linux's (epoll)");
        var time = new ManualTimeProvider();
        var ports = Allocator(pairs: 1, time);
        using var peer = Bound();
        var format = new RtpMediaFormat(8, G711Law.ALaw, null);
        var totals = new RtpCounters();

        var session = RtpSession.Open(ports, IPAddress.Loopback, (IPEndPoint)peer.LocalEndPoint!, format, totals, time)!;
        var port = session.LocalPort;
        await session.DisposeAsync();
        Assert.That(ports.Resting, Is.EqualTo(1));

        // The pair's sockets, taken back out the way a new leg would get them, after the packets sent while it rested.
        for (ushort i = 1; i <= 20; i++)
        {
            SendRtp(peer, port, i);
        }

        await Task.Delay(100);
        time.Advance(RtpPortAllocator.MinimumRest);
        var pair = ports.Rent(IPAddress.Loopback)!;
        try
        {
            Assert.Multiple(() =>
            {
                Assert.That(pair.Port, Is.EqualTo(port));
                Assert.That(loop!.IsReading(pair.Rtp) && loop.IsReading(pair.Rtcp), Is.True, "still on the loop while it rested");
                Assert.That(pair.Drain(), Is.Zero, "the loop had already read and dropped the 20 packets sent to the resting pair");
                Assert.That(totals.Received + totals.ForeignDropped + totals.ProbationDropped, Is.Zero, "and none reached the ended session");
            });
        }
        finally
        {
            pair.Dispose();
            ports.Dispose();
        }

        Assert.That(loop!.IsReading(pair.Rtp) || loop.IsReading(pair.Rtcp), Is.False, "a closed pair leaves the loop");
    }
    [Test]
    public async Task APairWhoseSessionFailedToStartIsClosedAndItsPortFreedNotLeaked()
    {
        // A session that throws in its constructor (here: no clock) must not keep its pair: with one pair in the range,
        // the next call would find none. The pair is released, and a new one is bound on the same port.
        var time = new ManualTimeProvider();
        using var ports = Allocator(pairs: 1, time);
        using var peer = Bound();
        var format = new RtpMediaFormat(8, G711Law.ALaw, null);

        Assert.That(() => RtpSession.Open(ports, IPAddress.Loopback, (IPEndPoint)peer.LocalEndPoint!, format, new RtpCounters(), time: null!), Throws.Exception);
        Assert.Multiple(() =>
        {
            Assert.That(ports.InUse, Is.Zero, "the failed session's port is free again");
            Assert.That(ports.Resting, Is.Zero, "and not resting: it was closed");
        });

        await using var next = RtpSession.Open(ports, IPAddress.Loopback, (IPEndPoint)peer.LocalEndPoint!, format, new RtpCounters(), time);
        Assert.That(next, Is.Not.Null, "the range's one pair can be had again");
    }
}
