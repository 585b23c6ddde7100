using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using CallCenter.Telephony.Codecs;
using CallCenter.Telephony.Rtp;
using CallCenter.Telephony.Rtp.Srtp;
using CallCenter.TestSupport;

namespace CallCenter.Telephony.Tests.Rtp;

/// <summary>
/// A secure session (SRTP) on loopback sockets against a peer that protects with its own contexts:
/// what goes on the wire is ciphertext the peer's key opens, and nothing plain, forged or replayed is
/// heard, not even from the peer's own address (a LAN host that spoofs it).
/// </summary>
public sealed class RtpSessionSrtpTests
{

    private static readonly SrtpMaster _ours = new(RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(14));
    private static readonly SrtpMaster _theirs = new(RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(14));

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.ReceiveTimeout = 3000;
        return socket;
    }

    private static RtpSession Open(Socket peer, RtpCounters totals, SrtpMaster? send, SrtpMaster? receive)
    {
        var first = FreePorts.InProcessBlock(10); // free now, not a fixed range (other test processes run beside)
        var ports = new RtpPortAllocator(new RtpOptions { PortMin = first, PortMax = first + 9 });
        return RtpSession.Open(ports, IPAddress.Loopback, (IPEndPoint)peer.LocalEndPoint!, new RtpMediaFormat(8, G711Law.ALaw, null), totals, TimeProvider.System, send, receive)!;
    }

    private static byte[] Audio(ushort sequence, byte fill)
    {
        var datagram = new byte[RtpPacket.FixedHeaderLength + 160 + SrtpContext.TagLength];
        RtpPacket.Write(datagram, 8, marker: false, sequence, sequence * 160u, 0x1234_5678, Enumerable.Repeat(fill, 160).ToArray());
        return datagram;
    }

    private static void SendPlain(Socket from, RtpSession to, ushort sequence) =>
        from.SendTo(Audio(sequence, 0x55).AsSpan(0, RtpPacket.FixedHeaderLength + 160), new IPEndPoint(IPAddress.Loopback, to.LocalPort));

    private static byte[] SendProtected(Socket from, RtpSession to, SrtpContext with, ushort sequence)
    {
        var datagram = Audio(sequence, 0x55);
        var length = with.Protect(datagram, RtpPacket.FixedHeaderLength + 160);
        from.SendTo(datagram.AsSpan(0, length), new IPEndPoint(IPAddress.Loopback, to.LocalPort));
        return datagram[..length];
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
    public async Task OnlyPacketsAuthenticUnderThePeersKeyAreHeardEvenFromThePeersAddress()
    {
        using var peer = Bound();
        var totals = new RtpCounters();
        await using var session = Open(peer, totals, _ours, _theirs);
        using var peerSends = new SrtpContext(_theirs.Derive());
        using var strangerSends = new SrtpContext(_ours.Derive());

        var first = SendProtected(peer, session, peerSends, 1);
        await WaitUntilAsync(() => session.PacketsReceived == 1);

        // The attacks, all from the peer's own address: plain RTP, another key, the first packet replayed.
        SendPlain(peer, session, 2);
        SendProtected(peer, session, strangerSends, 3);
        peer.SendTo(first, new IPEndPoint(IPAddress.Loopback, session.LocalPort));
        await WaitUntilAsync(() => session.SrtpPacketsRefused == 3);
        SendProtected(peer, session, peerSends, 4);
        await WaitUntilAsync(() => session.PacketsReceived == 2);

        Assert.That(session.Secure, Is.True);
        Assert.That(session.SrtpPacketsRefused, Is.EqualTo(3));
        Assert.That(totals.SrtpRefused, Is.EqualTo(3));
        Assert.That(totals.SecureSessions, Is.EqualTo(1));
        Assert.That(session.PacketsReceived, Is.EqualTo(2));
    }

    [Test]
    public async Task AnAuthenticPacketReplayedFromAnotherHostFirstDoesNotCostThePeerItsPacket()
    {
        // A LAN sniffer copies the peer's SRTP and races it to the port from its own address.
        using var peer = Bound();
        using var sniffer = Bound();
        var totals = new RtpCounters();
        await using var session = Open(peer, totals, _ours, _theirs);
        using var peerSends = new SrtpContext(_theirs.Derive());
        SendProtected(peer, session, peerSends, 1);
        await WaitUntilAsync(() => session.PacketsReceived == 1);

        var datagram = Audio(2, 0x55);
        var length = peerSends.Protect(datagram, RtpPacket.FixedHeaderLength + 160);
        sniffer.SendTo(datagram.AsSpan(0, length), new IPEndPoint(IPAddress.Loopback, session.LocalPort));
        await WaitUntilAsync(() => session.ForeignPacketsDropped == 1);
        peer.SendTo(datagram.AsSpan(0, length), new IPEndPoint(IPAddress.Loopback, session.LocalPort));
        await WaitUntilAsync(() => session.PacketsReceived == 2);

        Assert.That(session.ForeignPacketsDropped, Is.EqualTo(1), "the sniffer's copy: authentic, but from elsewhere");
        Assert.That(session.PacketsReceived, Is.EqualTo(2), "the peer's own packet 2 still counts");
        Assert.That(session.SrtpPacketsRefused, Is.Zero);
    }

    [Test]
    public async Task WhatTheSessionSendsIsCiphertextThatThePeersCopyOfOurKeyOpens()
    {
        using var peer = Bound();
        await using var session = Open(peer, new RtpCounters(), _ours, _theirs);
        using var peerReceives = new SrtpContext(_ours.Derive());

        session.OnTick(1);
        var buffer = new byte[2048];
        var length = peer.Receive(buffer);

        // Nothing plays, so the frame is A-law silence (0xD5): on the wire it must not be.
        Assert.That(length, Is.EqualTo(RtpPacket.FixedHeaderLength + 160 + SrtpContext.TagLength));
        Assert.That(buffer.AsSpan(RtpPacket.FixedHeaderLength, 160).ToArray().Count(b => b == 0xD5), Is.LessThan(10));
        Assert.That(peerReceives.TryUnprotect(buffer, length, out var plainLength), Is.True);
        Assert.That(plainLength, Is.EqualTo(RtpPacket.FixedHeaderLength + 160));
        Assert.That(buffer.AsSpan(RtpPacket.FixedHeaderLength, 160).ToArray(), Is.All.EqualTo(0xD5));
    }

    [Test]
    public async Task ASecureLegHearsNothingUntilThePeersKeyArrivesWithItsAnswer()
    {
        using var peer = Bound();
        await using var session = Open(peer, new RtpCounters(), _ours, receive: null);
        using var peerSends = new SrtpContext(_theirs.Derive());

        SendProtected(peer, session, peerSends, 1);
        await WaitUntilAsync(() => session.SrtpPacketsRefused == 1);
        session.SetReceiveKeys(_theirs);
        SendProtected(peer, session, peerSends, 2);
        await WaitUntilAsync(() => session.PacketsReceived == 1);

        Assert.That(session.SrtpPacketsRefused, Is.EqualTo(1));
        Assert.That(session.PacketsReceived, Is.EqualTo(1));
    }

    [Test]
    public async Task ReportsAreTakenAsSrtcpOnlyAndAPlainReportIsRefused()
    {
        using var peer = Bound();
        await using var session = Open(peer, new RtpCounters(), _ours, _theirs);
        using var peerSendsControl = new SrtcpContext(_theirs.Derive());
        var report = new byte[128];
        var writer = new RtcpCompoundWriter(report);
        writer.WriteReceiverReport(0x1234_5678, []);
        writer.WriteSourceDescription(0x1234_5678, "peer@test"u8);
        var plainLength = writer.Written.Length;

        // RFC 5761: on the RTP port. A plain report first, then the same report protected.
        peer.SendTo(report.AsSpan(0, plainLength), new IPEndPoint(IPAddress.Loopback, session.LocalPort));
        await WaitUntilAsync(() => session.SrtpPacketsRefused == 1);
        var length = peerSendsControl.Protect(report, plainLength);
        peer.SendTo(report.AsSpan(0, length), new IPEndPoint(IPAddress.Loopback, session.LocalPort));
        await WaitUntilAsync(() => session.ReportsReceived == 1);

        Assert.That(session.SrtpPacketsRefused, Is.EqualTo(1));
        Assert.That(session.ReportsReceived, Is.EqualTo(1));
    }

    [Test]
    public async Task APlainSessionIsUnchangedByTheSrtpPath()
    {
        using var peer = Bound();
        var totals = new RtpCounters();
        await using var session = Open(peer, totals, send: null, receive: null);

        SendPlain(peer, session, 1);
        await WaitUntilAsync(() => session.PacketsReceived == 1);

        Assert.That(session.Secure, Is.False);
        Assert.That(session.PacketsReceived, Is.EqualTo(1));
        Assert.That(totals.SecureSessions, Is.Zero);
        Assert.Throws<InvalidOperationException>(() => session.SetReceiveKeys(_theirs));
    }
}
