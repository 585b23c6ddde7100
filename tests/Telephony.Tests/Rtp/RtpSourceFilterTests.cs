using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CallCenter.Telephony.Rtp;

namespace CallCenter.Telephony.Tests.Rtp;

/// <summary>Strict symmetric RTP, the decision alone: time in milliseconds (frequency 1000).</summary>
public sealed class RtpSourceFilterTests
{
    private static readonly RtpSource _sdp = Source("192.0.2.10", 40000);
    private static readonly RtpSource _natted = Source("198.51.100.7", 61234);
    private static readonly RtpSource _attacker = Source("203.0.113.66", 5004);

    private static RtpSource Source(string address, int port) => RtpSource.From(new IPEndPoint(IPAddress.Parse(address), port));

    private static RtpSourceFilter Started(RtpSource negotiated, long now = 0)
    {
        var filter = new RtpSourceFilter(timestampFrequency: 1000);
        filter.Reset(negotiated, now);
        return filter;
    }

    /// <summary>Sends <paramref name="count"/> packets with consecutive sequence numbers; returns the verdicts.</summary>
    private static List<RtpSourceVerdict> Run(RtpSourceFilter filter, RtpSource source, ushort first, int count, long now = 100) =>
        [.. Enumerable.Range(0, count).Select(i => filter.Check(source, unchecked((ushort)(first + i)), now + (20 * i)))];

    [Test]
    public void TheNegotiatedSourceIsLockedAtItsFirstPacketAndAnOutsiderIsForeignAfterwards()
    {
        var filter = Started(_sdp);

        Assert.That(filter.Check(_sdp, 7, 10), Is.EqualTo(RtpSourceVerdict.Locked));
        Assert.That(filter.Check(_sdp, 8, 30), Is.EqualTo(RtpSourceVerdict.Accepted));
        Assert.That(Run(filter, _attacker, 1, 10), Has.All.EqualTo(RtpSourceVerdict.Foreign));
        Assert.That(filter.Check(_sdp, 9, 50), Is.EqualTo(RtpSourceVerdict.Accepted));
        Assert.That(filter.Locked, Is.EqualTo(_sdp));
    }

    [Test]
    public void ANattedSourceIsLearnedAfterFourConsecutivePacketsAndThenKept()
    {
        var filter = Started(_sdp);

        var verdicts = Run(filter, _natted, 65534, 4); // across the sequence wrap

        Assert.That(verdicts, Is.EqualTo(new[] { RtpSourceVerdict.Probation, RtpSourceVerdict.Probation, RtpSourceVerdict.Probation, RtpSourceVerdict.Locked }));
        Assert.That(filter.Check(_natted, 2, 200), Is.EqualTo(RtpSourceVerdict.Accepted));
        Assert.That(filter.Check(_sdp, 3, 220), Is.EqualTo(RtpSourceVerdict.Foreign), "once a NAT'd source is learned, nothing else is taken");
    }

    [Test]
    public void ASweepOfStrayPacketsNeverAddsUpToARun()
    {
        var filter = Started(_sdp);

        // A sweep: one packet per port, or random sequence numbers from one port.
        for (var i = 0; i < 100; i++)
        {
            Assert.That(filter.Check(Source("203.0.113.66", 5000 + i), 1, i), Is.EqualTo(RtpSourceVerdict.Probation));
            Assert.That(filter.Check(_attacker, (ushort)(i * 7919), i), Is.EqualTo(RtpSourceVerdict.Probation));
        }

        Assert.That(filter.Locked.IsNone, Is.True);
    }

    [Test]
    public void AnAttackerInterleavedWithTheNattedPeerBreaksBothRunsAndTheNegotiatedSourceStillWins()
    {
        var filter = Started(_sdp);

        for (ushort i = 0; i < 20; i++)
        {
            Assert.That(filter.Check(_natted, (ushort)(100 + i), i * 20), Is.EqualTo(RtpSourceVerdict.Probation));
            Assert.That(filter.Check(_attacker, (ushort)(500 + i), (i * 20) + 10), Is.EqualTo(RtpSourceVerdict.Probation));
        }

        Assert.That(filter.Check(_sdp, 1, 500), Is.EqualTo(RtpSourceVerdict.Locked));
    }

    [Test]
    public void TheNegotiatedSourceWinsOverACandidateOnProbation()
    {
        var filter = Started(_sdp);

        Run(filter, _attacker, 1, 3);

        Assert.That(filter.Check(_sdp, 40, 200), Is.EqualTo(RtpSourceVerdict.Locked));
        Assert.That(filter.Check(_attacker, 4, 220), Is.EqualTo(RtpSourceVerdict.Foreign));
    }

    [Test]
    public void NothingIsLearnedAfterTheWindowButTheNegotiatedSourceIsStillAccepted()
    {
        var filter = Started(_sdp, now: 1000);

        Assert.That(Run(filter, _natted, 1, 10, now: 6000), Has.All.EqualTo(RtpSourceVerdict.Foreign));
        Assert.That(filter.Check(_sdp, 1, 7000), Is.EqualTo(RtpSourceVerdict.Locked));
    }

    [Test]
    public void ALockedSourceIsKeptHoweverLongItIsQuiet()
    {
        var filter = Started(_sdp);
        filter.Check(_sdp, 1, 0);

        // The peer holds with "inactive" for an hour: whoever sends then is still an outsider.
        Assert.That(Run(filter, _attacker, 1, 50, now: 3_600_000), Has.All.EqualTo(RtpSourceVerdict.Foreign));
    }

    [Test]
    public void ANewSdpStartsOverAndAnotherSourceMayBeLearned()
    {
        var filter = Started(_sdp);
        filter.Check(_sdp, 1, 0);
        var moved = Source("192.0.2.20", 41000);

        filter.Reset(moved, 60_000);

        Assert.That(filter.Check(_sdp, 2, 60_010), Is.EqualTo(RtpSourceVerdict.Probation), "the old address is a stranger now");
        Assert.That(filter.Check(moved, 1, 60_020), Is.EqualTo(RtpSourceVerdict.Locked));
        Assert.That(filter.Locked, Is.EqualTo(moved));
    }

    [Test]
    public void WithNothingNegotiatedOnlyARunIsLearned()
    {
        var filter = Started(default);

        Assert.That(filter.Check(_attacker, 1, 0), Is.EqualTo(RtpSourceVerdict.Probation));
        Assert.That(filter.Check(_attacker, 3, 20), Is.EqualTo(RtpSourceVerdict.Probation), "a gap restarts the run");
        Assert.That(Run(filter, _natted, 10, 4)[^1], Is.EqualTo(RtpSourceVerdict.Locked));
        Assert.That(filter.CheckControl(Source("198.51.100.7", 9)), Is.True, "RTCP from the learned host, any port");
    }

    [Test]
    public void RtcpIsAcceptedOnlyFromTheSessionsHost()
    {
        var filter = Started(_sdp);

        Assert.That(filter.CheckControl(Source("192.0.2.10", 40001)), Is.True, "before anything is locked: the SDP's host");
        Assert.That(filter.CheckControl(_attacker), Is.False);
        Run(filter, _natted, 1, 4);
        Assert.That(filter.CheckControl(Source("198.51.100.7", 61235)), Is.True);
        Assert.That(filter.CheckControl(Source("192.0.2.10", 40001)), Is.False, "after a NAT'd source is learned, its host only");
        Assert.That(Started(default).CheckControl(_attacker), Is.False, "nothing negotiated, nothing learned: nobody");
    }

    [Test]
    public void SourcesReadFromSocketAddressesMatchThoseFromEndPoints()
    {
        var v4 = new IPEndPoint(IPAddress.Parse("198.51.100.7"), 61234);
        var v6 = new IPEndPoint(IPAddress.Parse("2001:db8::7"), 61234);

        Assert.That(RtpSource.From(v4.Serialize()), Is.EqualTo(RtpSource.From(v4)));
        Assert.That(RtpSource.From(v6.Serialize()), Is.EqualTo(RtpSource.From(v6)));
        Assert.That(RtpSource.From(v4).ToEndPoint(), Is.EqualTo(v4));
        Assert.That(RtpSource.From(v6).ToEndPoint(), Is.EqualTo(v6));
        Assert.That(RtpSource.From(new IPEndPoint(IPAddress.Loopback, 0)).IsNone, Is.True);
        Assert.That(RtpSource.From(new IPEndPoint(IPAddress.Parse("::ffff:198.51.100.7"), 61234)), Is.EqualTo(RtpSource.From(v4)), "IPv4-mapped and IPv4 are one host");
        Assert.That(RtpSource.From(new SocketAddress(AddressFamily.InterNetwork)).IsNone, Is.True);
    }

    [Test]
    public void TheCheckAllocatesNothingAndCostsLittle()
    {
        var filter = Started(_sdp);
        var from = new IPEndPoint(IPAddress.Parse("192.0.2.10"), 40000).Serialize();
        var foreign = new IPEndPoint(IPAddress.Parse("203.0.113.66"), 5004).Serialize();
        const int Packets = 1_000_000;
        filter.Check(RtpSource.From(from), 0, 0);
        CheckMany(filter, from, foreign, Packets); // warm-up: let the JIT finish with the loop

        var before = GC.GetAllocatedBytesForCurrentThread();
        var started = Stopwatch.GetTimestamp();
        var accepted = CheckMany(filter, from, foreign, Packets);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        TestContext.Out.WriteLine($"source check: {elapsed.TotalNanoseconds / Packets:F1} ns a packet");

        Assert.That(allocated, Is.Zero);
        Assert.That(accepted, Is.EqualTo(Packets / 8 * 7));
    }

    /// <summary>What the receive path does per packet: read the source from the socket address, then decide.</summary>
    private static int CheckMany(RtpSourceFilter filter, SocketAddress from, SocketAddress foreign, int packets)
    {
        var accepted = 0;
        for (var i = 0; i < packets; i++)
        {
            var source = RtpSource.From((i & 7) == 0 ? foreign : from);
            if (filter.Check(source, (ushort)i, i) == RtpSourceVerdict.Accepted)
            {
                accepted++;
            }
        }

        return accepted;
    }
}
