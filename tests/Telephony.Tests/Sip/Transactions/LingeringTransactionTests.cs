using System.Text;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Parsing;
using CallCenter.Telephony.Sip.Transactions;
using CallCenter.Telephony.Transport;
using CallCenter.TestSupport;

namespace CallCenter.Telephony.Tests.Sip.Transactions;

/// <summary>
/// A server transaction that lingers after its work (Timer J, L, I: 32 s on UDP) keeps only what it still needs
/// (<see cref="LingeringMessages"/>), and still does all it did: resends its final byte for byte, matches the ACK by
/// its To tag, and tells the TU its final's status.
/// </summary>
public sealed class LingeringTransactionTests
{
    private const string Sdp = "v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        + "m=audio 6000 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n";

    [Test]
    public async Task AnAcknowledgedInviteAndAnAnsweredByeKeepOnlyTheirIdentityAndStillAnswerRetransmissions()
    {
        var peer = new FakeSipPeer();
        var handler = new Answering200();
        using var observed = new SipTransactionLayer(peer, handler, new ManualTimeProvider());

        await observed.OnReceivedAsync(Parse(Invite(1)), TestMessages.UdpPeer);
        var inviteTx = handler.Transactions.Single();
        var ok = peer.SentResponses.Single();
        await observed.OnReceivedAsync(Parse(Ack(1, ok.To!.Tag!)), TestMessages.UdpPeer);
        await observed.OnReceivedAsync(Parse(Bye(1, ok.To!.Tag!)), TestMessages.UdpPeer);
        var byeTx = handler.Transactions[1];
        var byeOk = SipWriter.ToBytes(peer.SentResponses.Last());
        await observed.OnReceivedAsync(Parse(Bye(1, ok.To!.Tag!)), TestMessages.UdpPeer);
        await observed.OnReceivedAsync(Parse(Ack(1, ok.To!.Tag!)), TestMessages.UdpPeer);
        await observed.OnReceivedAsync(Parse(Ack(1, "another-tag")), TestMessages.UdpPeer);
        await inviteTx.SendResponseAsync(inviteTx.CreateResponse(200));

        foreach (var tx in new[] { inviteTx, byeTx })
        {
            Assert.That(tx.Request.Body.IsEmpty && tx.Request.Contacts.Count == 0 && tx.Request.Headers.Count == 0, Is.True, $"{tx.Request.Method}: the parsed request is let go");
            Assert.That(tx.LastResponse!.Body.IsEmpty && tx.LastResponse.Contacts.Count == 0 && tx.LastResponse.Headers.Count == 0, Is.True, $"{tx.Request.Method}: so is the parsed final");
            Assert.That(tx.LastResponse.IsSuccess, Is.True, "the TU still reads that it was answered");
            Assert.That((tx.Request.CallId, tx.Request.From!.Tag, tx.Request.CSeq!.Value.Method), Is.EqualTo(("lingering-1@127.0.0.1", "caller-1", tx.Request.Method)));
        }

        Assert.That(inviteTx.State, Is.EqualTo(SipTransactionState.Accepted));
        Assert.That(byeTx.State, Is.EqualTo(SipTransactionState.Completed));
        Assert.That(SipWriter.ToBytes(peer.SentResponses.Last()), Is.EqualTo(byeOk), "the retransmitted BYE gets the 200 again, byte for byte");
        Assert.That(SipWriter.Write(peer.SentResponses.Last().TopVia!), Is.EqualTo(SipWriter.Write(peer.SentResponses.ElementAt(1).TopVia!)), "and it goes where the first went (the transport routes by its top Via)");
        Assert.That(peer.SentResponses.Count(), Is.EqualTo(3), "the INVITE's 200, the BYE's 200 and its resend; not a 2xx made after the ACK (from the skeleton the transaction keeps)");
        Assert.That(inviteTx.LastResponse!.To!.Tag, Is.EqualTo(ok.To!.Tag), "the To tag an ACK is matched against");
        Assert.That(handler.Acks, Is.EqualTo(new[] { ok.To!.Tag, ok.To!.Tag, "another-tag" }), "each ACK reaches the TU");
    }

    [Test]
    public async Task ARefusedInviteOnceAcknowledgedStillAbsorbsItsOwnAcksAndNoOthers()
    {
        var peer = new FakeSipPeer();
        var handler = new Answering200 { Status = 486 };
        using var layer = new SipTransactionLayer(peer, handler, new ManualTimeProvider());
        await layer.OnReceivedAsync(Parse(Invite(7)), TestMessages.UdpPeer);
        var busy = peer.SentResponses.Single();
        var tag = busy.To!.Tag!;

        await layer.OnReceivedAsync(Parse(AckOnInviteBranch(7, tag)), TestMessages.UdpPeer);
        var tx = handler.Transactions.Single();
        var stateAfterAck = tx.State;
        await layer.OnReceivedAsync(Parse(AckOnInviteBranch(7, tag)), TestMessages.UdpPeer);
        await layer.OnReceivedAsync(Parse(AckOnInviteBranch(7, "another-tag")), TestMessages.UdpPeer);

        Assert.That(stateAfterAck, Is.EqualTo(SipTransactionState.Confirmed));
        Assert.That(tx.Request.Body.IsEmpty && tx.Request.Headers.Count == 0, Is.True, "Confirmed, it lingers without its messages");
        Assert.That(tx.LastResponse!.StatusCode, Is.EqualTo(486));
        Assert.That(handler.Acks, Is.EqualTo(new[] { "another-tag" }), "its own ACKs are absorbed (RFC 3261 17.2.1); one with another To tag is not its ACK and goes to the TU");
        Assert.That(peer.SentResponses.Count(), Is.EqualTo(1), "an ACK is never answered");
    }

    [Test]
    public async Task ACallsLingeringTransactionsHoldAFractionOfItsParsedMessages()
    {
        // What 5,000 ended calls leave in the layer for Timer J and L, measured by the heap after full collections.
        const int calls = 5000;
        var handler = new Answering200();
        var layer = new SipTransactionLayer(new NullSender(), handler, new ManualTimeProvider());
        var before = Heap();
        for (var i = 0; i < calls; i++)
        {
            await layer.OnReceivedAsync(Parse(Invite(i)), TestMessages.UdpPeer);
            await layer.OnReceivedAsync(Parse(Ack(i, handler.LastToTag!)), TestMessages.UdpPeer);
            await layer.OnReceivedAsync(Parse(Bye(i, handler.LastToTag!)), TestMessages.UdpPeer);
        }

        handler.Transactions.Clear();
        var perCall = (Heap() - before) / (double)calls;
        var lingering = layer.ServerTransactionCount;
        GC.KeepAlive(layer);

        Assert.That(lingering, Is.EqualTo(2 * calls), "every call's INVITE and BYE transactions linger");
        Assert.That(perCall, Is.LessThan(5000), $"{perCall:F0} bytes a call (with the parsed messages kept whole: about 10,000; a lingering copy: about 3,000)");
        TestContext.Out.WriteLine($"lingering: {perCall:F0} bytes a call");
    }

    private static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static SipRequest Parse(string text) => (SipRequest)SipParser.ParseDatagram(Encoding.UTF8.GetBytes(text)).Message!;

    private static string Invite(int call) =>
        "INVITE sip:95500@127.0.0.1:5060 SIP/2.0\r\n"
        + $"Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-inv-{call};rport\r\n"
        + "From: sipp <sip:sipp@127.0.0.1:5061>;tag=caller-" + call + "\r\n"
        + "To: <sip:95500@127.0.0.1:5060>\r\n"
        + $"Call-ID: lingering-{call}@127.0.0.1\r\n"
        + "CSeq: 1 INVITE\r\nContact: <sip:sipp@127.0.0.1:5061>\r\nMax-Forwards: 70\r\nSubject: Performance Test\r\n"
        + $"Content-Type: application/sdp\r\nContent-Length: {Sdp.Length}\r\n\r\n" + Sdp;

    private static string Ack(int call, string toTag) =>
        "ACK sip:95500@127.0.0.1:5060 SIP/2.0\r\n"
        + $"Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-ack-{call}-{toTag};rport\r\n"
        + "From: sipp <sip:sipp@127.0.0.1:5061>;tag=caller-" + call + "\r\n"
        + $"To: <sip:95500@127.0.0.1:5060>;tag={toTag}\r\n"
        + $"Call-ID: lingering-{call}@127.0.0.1\r\nCSeq: 1 ACK\r\nContact: <sip:sipp@127.0.0.1:5061>\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

    private static string AckOnInviteBranch(int call, string toTag) =>
        "ACK sip:95500@127.0.0.1:5060 SIP/2.0\r\n"
        + $"Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-inv-{call};rport\r\n"
        + "From: sipp <sip:sipp@127.0.0.1:5061>;tag=caller-" + call + "\r\n"
        + $"To: <sip:95500@127.0.0.1:5060>;tag={toTag}\r\n"
        + $"Call-ID: lingering-{call}@127.0.0.1\r\nCSeq: 1 ACK\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

    private static string Bye(int call, string toTag) =>
        "BYE sip:95500@127.0.0.1:5060 SIP/2.0\r\n"
        + $"Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-bye-{call};rport\r\n"
        + "From: sipp <sip:sipp@127.0.0.1:5061>;tag=caller-" + call + "\r\n"
        + $"To: <sip:95500@127.0.0.1:5060>;tag={toTag}\r\n"
        + $"Call-ID: lingering-{call}@127.0.0.1\r\nCSeq: 2 BYE\r\nContact: <sip:sipp@127.0.0.1:5061>\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

    /// <summary>A TU that answers every request 200 (the INVITE's with a Contact and an SDP answer, as the platform's), keeping the transactions it was given.</summary>
    private sealed class Answering200 : ISipRequestHandler
    {
        public List<SipServerTransaction> Transactions { get; } = [];

        public List<string?> Acks { get; } = [];

        /// <summary>What the INVITE is answered (200 unless set).</summary>
        public int Status { get; init; } = 200;

        public string? LastToTag { get; private set; }

        public ValueTask OnRequestAsync(SipServerTransaction transaction, SipRequest request, SipRemote source)
        {
            Transactions.Add(transaction);
            var ok = transaction.CreateResponse(request.Method == SipMethods.Invite ? Status : 200);
            if (request.Method == SipMethods.Invite && Status == 200)
            {
                ok.Contacts.Add(new SipNameAddress { Uri = TestMessages.Uri("95500", "127.0.0.1", 5060) });
                ok.Headers.Add("Allow", "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REFER, NOTIFY");
                ok.ContentType = "application/sdp";
                ok.Body = Encoding.ASCII.GetBytes(Sdp);
                LastToTag = ok.To!.Tag;
            }

            return transaction.SendResponseAsync(ok);
        }

        public ValueTask OnAckAsync(SipRequest ack, SipRemote source)
        {
            Acks.Add(ack.To?.Tag);
            return ValueTask.CompletedTask;
        }

        public ValueTask OnCancelAsync(SipRequest cancel, SipServerTransaction inviteTransaction) => ValueTask.CompletedTask;

        public ValueTask OnResponseAsync(SipResponse response, SipRemote source) => ValueTask.CompletedTask;

        public ValueTask OnTransactionFailedAsync(SipServerTransaction transaction, SipTransactionFailure failure) => ValueTask.CompletedTask;
    }

    /// <summary>A transport that keeps nothing of what it sends.</summary>
    private sealed class NullSender : ISipSender
    {
        public SipRemote LocalFor(SipTransportProtocol protocol) => TestMessages.UdpPeer;

        public ValueTask<bool> SendRequestAsync(SipRequest request, SipRemote destination, CancellationToken cancellationToken = default) => ValueTask.FromResult(true);

        public ValueTask<bool> SendResponseAsync(SipResponse response, SipRemote requestSource, CancellationToken cancellationToken = default) => ValueTask.FromResult(true);
    }
}
