using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Transactions;
using CallCenter.TestSupport;

namespace CallCenter.Telephony.Tests.Sip.Transactions;

public sealed class SipTransactionLayerTests
{
    private ManualTimeProvider _time = null!;
    private FakeSipPeer _peer = null!;
    private SipTransactionLayer _layer = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new ManualTimeProvider();
        _peer = new FakeSipPeer();
        _layer = new SipTransactionLayer(_peer, _peer, _time);
    }

    [TearDown]
    public void TearDown() => _layer.Dispose();

    [Test]
    public async Task NewRequestReachesTheTuOnceAndRetransmissionsGetTheLastResponse()
    {
        var options = TestMessages.Request(SipMethods.Options);
        await _layer.OnReceivedAsync(options, TestMessages.UdpPeer);
        var tx = _peer.Requests.Single().Tx;
        await tx.SendResponseAsync(tx.CreateResponse(200));

        await _layer.OnReceivedAsync(TestMessages.Request(SipMethods.Options), TestMessages.UdpPeer);

        Assert.That(_peer.Requests, Has.Count.EqualTo(1));
        Assert.That(_peer.SentResponses.Select(r => r.StatusCode), Is.EqualTo(new[] { 200, 200 }));
        Assert.That(_peer.Sent.Select(s => s.To), Has.All.EqualTo(TestMessages.UdpPeer));
    }

    [Test]
    public async Task ADiscardedRequestIsNeitherAnsweredNorKeptAndItsRetransmissionReachesTheTuAgain()
    {
        var register = TestMessages.Request(SipMethods.Register);
        await _layer.OnReceivedAsync(register, TestMessages.UdpPeer);
        _peer.Requests.Single().Tx.Discard();
        var leftAfterDiscard = _layer.ServerTransactionCount;

        await _layer.OnReceivedAsync(TestMessages.Request(SipMethods.Register), TestMessages.UdpPeer);
        _time.Advance(TimeSpan.FromSeconds(64));

        Assert.That(leftAfterDiscard, Is.Zero);
        Assert.That(_peer.Requests, Has.Count.EqualTo(2), "the retransmission is a new request for the TU, which drops it again");
        Assert.That(_peer.Sent, Is.Empty);
    }

    [Test]
    public async Task RetransmittedInviteBeforeAnyResponseIsAbsorbed()
    {
        await _layer.OnReceivedAsync(TestMessages.Invite(), TestMessages.UdpPeer);
        await _layer.OnReceivedAsync(TestMessages.Invite(), TestMessages.UdpPeer);

        Assert.That(_peer.Requests, Has.Count.EqualTo(1));
        Assert.That(_peer.Sent, Is.Empty);
        _time.Advance(TimeSpan.FromMilliseconds(200));
        Assert.That(_peer.SentResponses.Single().StatusCode, Is.EqualTo(100));
    }

    [Test]
    public async Task ABranchReusedWithAnotherCallIdIsANewRequestNotARetransmission()
    {
        // The RFC 4475 messages all carry branch z9hG4bKkdjuw; a real retransmission keeps its Call-ID.
        var first = TestMessages.Request(SipMethods.Options);
        var second = TestMessages.Request(SipMethods.Options);
        second.CallId = "another-call";

        await _layer.OnReceivedAsync(first, TestMessages.UdpPeer);
        await _layer.OnReceivedAsync(second, TestMessages.UdpPeer);

        Assert.That(_peer.Requests.Select(r => r.Request.CallId), Is.EqualTo(new[] { first.CallId, "another-call" }));
    }

    [Test]
    public async Task TuAnswersThroughTheLayerByViaBranch()
    {
        var invite = TestMessages.Invite();
        await _layer.OnReceivedAsync(invite, TestMessages.UdpPeer);

        await _layer.SendResponseAsync(SipMessageBuilder.CreateResponse(invite, 180, toTag: "x"));

        Assert.That(_peer.SentResponses.Single().StatusCode, Is.EqualTo(180));
        Assert.That(_peer.Requests.Single().Tx.State, Is.EqualTo(SipTransactionState.Proceeding));
    }

    [Test]
    public async Task CancelIsAnswered200TheTuIsToldAndTheInviteGets487()
    {
        _peer.OnRequest = (tx, _) => tx.SendResponseAsync(tx.CreateResponse(180));
        var invite = TestMessages.Invite();
        await _layer.OnReceivedAsync(invite, TestMessages.UdpPeer);

        await _layer.OnReceivedAsync(SipMessageBuilder.CreateCancel(invite), TestMessages.UdpPeer);
        var (cancel, inviteTx) = _peer.Cancels.Single();
        await inviteTx.SendResponseAsync(inviteTx.CreateResponse(487));
        await _layer.OnReceivedAsync(SipMessageBuilder.CreateAckForNonSuccess(invite, inviteTx.LastResponse!), TestMessages.UdpPeer);

        var sent = _peer.SentResponses.ToList();
        Assert.That(sent.Select(r => (r.StatusCode, r.CSeq!.Value.Method)), Is.EqualTo(new[] { (180, "INVITE"), (200, "CANCEL"), (487, "INVITE") }));
        Assert.That(sent[1].To!.Tag, Is.EqualTo(sent[0].To!.Tag), "RFC 3261 9.2: same To tag");
        Assert.That(cancel.Method, Is.EqualTo(SipMethods.Cancel));
        Assert.That(inviteTx.State, Is.EqualTo(SipTransactionState.Confirmed));
        Assert.That(_peer.Acks, Is.Empty, "the ACK for the 487 is absorbed");
    }

    [Test]
    public async Task CancelForAnUnknownTransactionGets481()
    {
        var cancel = SipMessageBuilder.CreateCancel(TestMessages.Invite(branch: "z9hG4bKnothere"));

        await _layer.OnReceivedAsync(cancel, TestMessages.UdpPeer);

        Assert.That(_peer.SentResponses.Single().StatusCode, Is.EqualTo(481));
        Assert.That(_peer.Cancels, Is.Empty);
        Assert.That(_peer.Requests, Is.Empty);
    }

    [Test]
    public async Task CancelAfterTheFinalResponseIsAnsweredButNotPassedUp()
    {
        _peer.OnRequest = (tx, _) => tx.SendResponseAsync(tx.CreateResponse(486));
        var invite = TestMessages.Invite();
        await _layer.OnReceivedAsync(invite, TestMessages.UdpPeer);

        await _layer.OnReceivedAsync(SipMessageBuilder.CreateCancel(invite), TestMessages.UdpPeer);

        Assert.That(_peer.SentResponses.Select(r => r.StatusCode), Is.EqualTo(new[] { 486, 200 }));
        Assert.That(_peer.Cancels, Is.Empty);
    }

    [Test]
    public async Task MergedRequestGets482()
    {
        await _layer.OnReceivedAsync(TestMessages.Invite(branch: "z9hG4bKpath1"), TestMessages.UdpPeer);

        await _layer.OnReceivedAsync(TestMessages.Invite(branch: "z9hG4bKpath2"), TestMessages.UdpPeer);

        Assert.That(_peer.Requests, Has.Count.EqualTo(1));
        Assert.That(_peer.SentResponses.Single().StatusCode, Is.EqualTo(482));
        Assert.That(_peer.SentResponses.Single().TopVia!.Branch, Is.EqualTo("z9hG4bKpath2"));
    }

    [Test]
    public async Task Rfc2543RequestsWithoutMagicCookieMatchByTheirFields()
    {
        _peer.OnRequest = (tx, _) => tx.SendResponseAsync(tx.CreateResponse(404));
        var invite = TestMessages.Invite(branch: null);
        await _layer.OnReceivedAsync(invite, TestMessages.UdpPeer);

        await _layer.OnReceivedAsync(TestMessages.Invite(branch: null), TestMessages.UdpPeer);
        await _layer.OnReceivedAsync(TestMessages.Invite(branch: null, cseq: 2), TestMessages.UdpPeer);
        var notFound = _peer.SentResponses.First();
        await _layer.OnReceivedAsync(SipMessageBuilder.CreateAckForNonSuccess(invite, notFound), TestMessages.UdpPeer);

        Assert.That(_peer.Requests, Has.Count.EqualTo(2), "the retransmission matched, CSeq 2 is a new transaction");
        Assert.That(_peer.SentResponses.Select(r => r.StatusCode), Is.EqualTo(new[] { 404, 404, 404 }));
        Assert.That(_peer.Requests[0].Tx.State, Is.EqualTo(SipTransactionState.Confirmed), "the ACK matched the first INVITE");
        Assert.That(_peer.Acks, Is.Empty);
    }

    [Test]
    public async Task AckForA2xxStopsRetransmissionAndGoesToTheTu()
    {
        _peer.OnRequest = (tx, _) => tx.SendResponseAsync(tx.CreateResponse(200));
        var invite = TestMessages.Invite();
        await _layer.OnReceivedAsync(invite, TestMessages.UdpPeer);
        _time.Advance(TimeSpan.FromMilliseconds(600));

        await _layer.OnReceivedAsync(TestMessages.AckFor2xx(invite, _peer.SentResponses.First()), TestMessages.UdpPeer);
        _time.Advance(TimeSpan.FromSeconds(40));

        Assert.That(_peer.SentResponses.Count(), Is.EqualTo(2), "the 2xx and one retransmission at 500 ms");
        Assert.That(_peer.Acks, Has.Count.EqualTo(1));
        Assert.That(_peer.Failures, Is.Empty);
        Assert.That(_layer.ServerTransactionCount, Is.Zero, "Timer L ended the transaction");
    }

    [Test]
    public async Task AckWithoutAnyTransactionGoesToTheTu()
    {
        var ack = TestMessages.Request(SipMethods.Ack, "z9hG4bKlonely", toTag: "t");

        await _layer.OnReceivedAsync(ack, TestMessages.UdpPeer);

        Assert.That(_peer.Acks.Single(), Is.SameAs(ack));
        Assert.That(_peer.Sent, Is.Empty);
    }

    [Test]
    public async Task NonSuccessWithoutAckIsReportedAfterTimerH()
    {
        _peer.OnRequest = (tx, _) => tx.SendResponseAsync(tx.CreateResponse(480));
        await _layer.OnReceivedAsync(TestMessages.Invite(), TestMessages.UdpPeer);

        _time.Advance(TimeSpan.FromSeconds(32));

        Assert.That(_peer.Failures, Is.EqualTo(new[] { SipTransactionFailure.NoAck }));
        Assert.That(_peer.SentResponses.Count(), Is.EqualTo(11), "G retransmissions up to H");

        // H's end cancelled the last G: its entry leaves its lane (and the lane's runtime timer stops) at its own time, T2 later at most.
        _time.Advance(SipTimerSettings.Default.T2 + TimeSpan.FromSeconds(1));
        Assert.That(_time.PendingTimers, Is.Zero);
        Assert.That(_peer.SentResponses.Count(), Is.EqualTo(11), "a cancelled G sends nothing when its time comes");
    }

    [Test]
    public async Task ClientTransactionTimesOutWith408()
    {
        var request = TestMessages.Request(SipMethods.Options, branch: null);
        request.Vias.Clear();

        var pending = _layer.SendRequestAsync(request, TestMessages.UdpPeer);
        _time.Advance(TimeSpan.FromSeconds(32));
        var response = await pending;

        Assert.That(response.StatusCode, Is.EqualTo(408));
        Assert.That(_peer.SentRequests.Count(), Is.EqualTo(11));
        Assert.That(request.TopVia!.Branch, Does.StartWith(SipVia.MagicCookie));
        Assert.That(request.TopVia.Host, Is.EqualTo("198.51.100.1"));
        Assert.That(request.TopVia.Port, Is.EqualTo(5070));
        Assert.That(_layer.ClientTransactionCount, Is.Zero);
    }

    [Test]
    public async Task ClientTransactionCompletesWithTheFinalResponseAndReportsProvisionals()
    {
        var invite = TestMessages.Invite(branch: "z9hG4bKout1");
        var provisionals = new List<int>();

        var pending = _layer.SendRequestAsync(invite, TestMessages.UdpPeer, r => provisionals.Add(r.StatusCode));
        await _layer.OnReceivedAsync(TestMessages.Response(invite, 180), TestMessages.UdpPeer);
        await _layer.OnReceivedAsync(TestMessages.Response(invite, 200), TestMessages.UdpPeer);
        await _layer.OnReceivedAsync(TestMessages.Response(invite, 200), TestMessages.UdpPeer);
        var final = await pending;

        Assert.That(provisionals, Is.EqualTo(new[] { 180 }));
        Assert.That(final.StatusCode, Is.EqualTo(200));
        Assert.That(_peer.StrayResponses.Single().StatusCode, Is.EqualTo(200), "the retransmitted 2xx goes to the TU to re-ACK");
    }

    [Test]
    public async Task DisposingTheLayerAnswersTheRequestsStillWaitingWith503()
    {
        var pending = _layer.SendRequestAsync(TestMessages.Invite(branch: "z9hG4bKgone1"), TestMessages.UdpPeer);
        Assert.That(pending.IsCompleted, Is.False, "no answer yet");

        _layer.Dispose();
        var final = await pending.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.That((final.StatusCode, final.Synthesized), Is.EqualTo((503, true)), "answered as a dead transport answers, not left waiting");
    }

    [Test]
    public async Task ClientTransactionTransportErrorGives503()
    {
        _peer.FailSends = true;

        var response = await _layer.SendRequestAsync(TestMessages.Request(SipMethods.Bye), TestMessages.TcpPeer);

        Assert.That(response.StatusCode, Is.EqualTo(503));
    }

    [Test]
    public async Task ResponseForAnotherMethodDoesNotMatch()
    {
        var invite = TestMessages.Invite(branch: "z9hG4bKout2");
        var pending = _layer.SendRequestAsync(invite, TestMessages.TcpPeer);
        var cancelOk = TestMessages.Response(SipMessageBuilder.CreateCancel(invite), 200);

        await _layer.OnReceivedAsync(cancelOk, TestMessages.TcpPeer);

        Assert.That(pending.IsCompleted, Is.False, "17.1.3: the CSeq method is part of the match");
    }

    [Test]
    public async Task TuFailureAnswers500()
    {
        _peer.OnRequest = (_, _) => throw new InvalidOperationException("boom");

        await _layer.OnReceivedAsync(TestMessages.Request(SipMethods.Info), TestMessages.UdpPeer);

        Assert.That(_peer.SentResponses.Single().StatusCode, Is.EqualTo(500));
    }
}
