using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Transactions;
using Effect = CallCenter.Telephony.Sip.Transactions.SipTransactionEffect;
using Event = CallCenter.Telephony.Sip.Transactions.SipTransactionEvent;
using State = CallCenter.Telephony.Sip.Transactions.SipTransactionState;

namespace CallCenter.Telephony.Tests.Sip.Transactions;

public sealed class SipServerMachineTests
{
    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    private static SipRequest Ack(SipRequest invite, string toTag) =>
        TestMessages.Request(SipMethods.Ack, invite.TopVia!.Branch, invite.CallId!, invite.CSeq!.Value.Number, toTag: toTag);

    [Test]
    public void ServerInviteSendsTryingAfter200MsWhenTheTuIsSilent()
    {
        var driver = new MachineDriver(new SipServerInviteMachine(TestMessages.Invite(), reliable: false));
        driver.Feed(new Event.Start());

        driver.RunUntil(Ms(199));
        var before = driver.TimesOf<Effect.SendResponse>().Count();
        driver.RunUntil(Ms(200));

        var trying = driver.Log.Select(l => l.Effect).OfType<Effect.SendResponse>().Single().Response;
        Assert.That(before, Is.Zero);
        Assert.That(trying.StatusCode, Is.EqualTo(100));
        Assert.That(trying.To!.Tag, Is.Null);
        Assert.That(driver.Machine.State, Is.EqualTo(State.Proceeding));
    }

    [Test]
    public void ServerInviteSendsNoTryingWhenTheTuAnsweredFirst()
    {
        var invite = TestMessages.Invite();
        var driver = new MachineDriver(new SipServerInviteMachine(invite, reliable: false));
        driver.Feed(new Event.Start());

        driver.Feed(new Event.TuResponse(TestMessages.Response(invite, 180)));
        driver.RunUntil(Ms(500));

        Assert.That(driver.Log.Select(l => l.Effect).OfType<Effect.SendResponse>().Select(s => s.Response.StatusCode), Is.EqualTo(new[] { 180 }));
    }

    [Test]
    public void ServerInviteResendsTheLastResponseOnRetransmission()
    {
        var invite = TestMessages.Invite();
        var driver = new MachineDriver(new SipServerInviteMachine(invite, reliable: false));
        driver.Feed(new Event.Start());
        var ringing = TestMessages.Response(invite, 180);
        driver.Feed(new Event.TuResponse(ringing));

        var effects = driver.Feed(new Event.RequestReceived(invite));

        Assert.That(effects.OfType<Effect.SendResponse>().Single().Response, Is.SameAs(ringing));
    }

    [Test]
    public void ServerInviteRetransmitsNonSuccessWithTimerGUntilTimerH()
    {
        var invite = TestMessages.Invite();
        var driver = new MachineDriver(new SipServerInviteMachine(invite, reliable: false));
        driver.Feed(new Event.Start());
        driver.Feed(new Event.TuResponse(TestMessages.Response(invite, 486)));

        driver.RunUntil(TimeSpan.FromSeconds(40));

        // RFC 3261 17.2.1: G = T1 doubling up to T2; H = 64*T1 = 32 s, then a failure to the TU.
        Assert.That(driver.TimesOf<Effect.SendResponse>(), Is.EqualTo(new[] { 0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500 }.Select(x => Ms(x))));
        Assert.That(driver.Log.Select(l => l.Effect).OfType<Effect.Timeout>().Single().Timer, Is.EqualTo(SipTransactionTimer.H));
        Assert.That(driver.States, Is.EqualTo(new[] { State.Proceeding, State.Completed, State.Terminated }));
    }

    [Test]
    public void ServerInviteAbsorbsTheAckAndWaitsTimerI()
    {
        var invite = TestMessages.Invite();
        var driver = new MachineDriver(new SipServerInviteMachine(invite, reliable: false));
        driver.Feed(new Event.Start());
        driver.Feed(new Event.TuResponse(TestMessages.Response(invite, 404, "t")));
        driver.RunUntil(Ms(700));

        var onAck = driver.Feed(new Event.RequestReceived(Ack(invite, "t")));
        var onSecondAck = driver.Feed(new Event.RequestReceived(Ack(invite, "t")));
        driver.RunUntil(Ms(700 + 4999));
        var beforeI = driver.Machine.State;
        driver.RunUntil(TimeSpan.FromSeconds(10));

        Assert.That(onAck.OfType<Effect.SendResponse>(), Is.Empty);
        Assert.That(onAck.OfType<Effect.PassAckToTu>(), Is.Empty, "the ACK for a non-2xx stays in the transaction");
        Assert.That(onSecondAck, Is.Empty);
        Assert.That(driver.TimesOf<Effect.SendResponse>().Count(), Is.EqualTo(2), "sent, once by G, none after the ACK");
        Assert.That(driver.DurationOf(SipTransactionTimer.I), Is.EqualTo(TimeSpan.FromSeconds(5)));
        Assert.That(beforeI, Is.EqualTo(State.Confirmed));
        Assert.That(driver.States, Is.EqualTo(new[] { State.Proceeding, State.Completed, State.Confirmed, State.Terminated }));
    }

    [Test]
    public void ServerInviteOverTcpHasNoTimerGAndTimerIIsZero()
    {
        var invite = TestMessages.Invite();
        var driver = new MachineDriver(new SipServerInviteMachine(invite, reliable: true));
        driver.Feed(new Event.Start());
        driver.Feed(new Event.TuResponse(TestMessages.Response(invite, 486, "t")));
        driver.RunUntil(TimeSpan.FromSeconds(5));

        var onAck = driver.Feed(new Event.RequestReceived(Ack(invite, "t")));

        Assert.That(driver.TimesOf<Effect.SendResponse>().Count(), Is.EqualTo(1));
        Assert.That(driver.DurationOf(SipTransactionTimer.H), Is.EqualTo(TimeSpan.FromSeconds(32)));
        Assert.That(onAck[^1], Is.TypeOf<Effect.Terminated>());
    }

    [Test]
    public void ServerInviteAfter2xxIsAcceptedRetransmitsUntilAckAndEndsWithTimerL()
    {
        var invite = TestMessages.Invite();
        var driver = new MachineDriver(new SipServerInviteMachine(invite, reliable: false));
        driver.Feed(new Event.Start());
        driver.Feed(new Event.TuResponse(TestMessages.Response(invite, 200, "t")));
        driver.RunUntil(Ms(1600));

        var retransmittedInvite = driver.Feed(new Event.RequestReceived(invite));
        var ack = TestMessages.AckFor2xx(invite, TestMessages.Response(invite, 200, "t"));
        var onAck = driver.Feed(new Event.RequestReceived(ack));
        driver.RunUntil(TimeSpan.FromSeconds(40));

        // RFC 3261 13.3.1.4: 2xx at 0, 0.5, 1.5; stopped by the ACK at 1.6. RFC 6026: L = 64*T1.
        Assert.That(driver.TimesOf<Effect.SendResponse>(), Is.EqualTo(new[] { 0, 500, 1500 }.Select(x => Ms(x))));
        Assert.That(retransmittedInvite, Is.Empty, "RFC 6026 8.7: INVITE retransmissions are absorbed in Accepted");
        Assert.That(onAck.OfType<Effect.PassAckToTu>().Single().Ack, Is.SameAs(ack));
        Assert.That(driver.Log.Select(l => l.Effect).OfType<Effect.Timeout>(), Is.Empty);
        Assert.That(driver.TimesOf<Effect.Terminated>(), Is.EqualTo(new[] { TimeSpan.FromSeconds(32) }));
        Assert.That(driver.States, Is.EqualTo(new[] { State.Proceeding, State.Accepted, State.Terminated }));
    }

    [Test]
    public void ServerInviteReportsAMissingAckForA2xx()
    {
        var invite = TestMessages.Invite();
        var driver = new MachineDriver(new SipServerInviteMachine(invite, reliable: false));
        driver.Feed(new Event.Start());
        driver.Feed(new Event.TuResponse(TestMessages.Response(invite, 200, "t")));

        driver.RunUntil(TimeSpan.FromSeconds(33));

        Assert.That(driver.Log.Select(l => l.Effect).OfType<Effect.Timeout>().Single().Timer, Is.EqualTo(SipTransactionTimer.L));
        Assert.That(driver.TimesOf<Effect.SendResponse>().Last(), Is.EqualTo(Ms(31500)), "retransmitted every T2 until 64*T1");
    }

    [Test]
    public void ServerNonInviteAbsorbsRetransmissionsInTryingAndResendsTheFinal()
    {
        var request = TestMessages.Request(SipMethods.Options);
        var driver = new MachineDriver(new SipServerNonInviteMachine(request, reliable: false));
        driver.Feed(new Event.Start());

        var inTrying = driver.Feed(new Event.RequestReceived(request));
        var ok = TestMessages.Response(request, 200);
        var sent = driver.Feed(new Event.TuResponse(ok));
        var inCompleted = driver.Feed(new Event.RequestReceived(request));
        var secondFinal = driver.Feed(new Event.TuResponse(TestMessages.Response(request, 500)));
        driver.RunUntil(TimeSpan.FromSeconds(31));
        var beforeJ = driver.Machine.State;
        driver.RunUntil(TimeSpan.FromSeconds(32));

        Assert.That(inTrying, Is.Empty);
        var first = SipWriter.ToBytes(sent.OfType<Effect.SendResponse>().Single().Response);
        Assert.That(first, Is.EqualTo(SipWriter.ToBytes(ok)), "the final as the TU made it");
        Assert.That(SipWriter.ToBytes(inCompleted.OfType<Effect.SendResponse>().Single().Response), Is.SameAs(first), "the resend is the first send's bytes, written once");
        Assert.That(secondFinal, Is.Empty, "17.2.2: other finals are discarded in Completed");
        Assert.That(driver.DurationOf(SipTransactionTimer.J), Is.EqualTo(TimeSpan.FromSeconds(32)));
        Assert.That(beforeJ, Is.EqualTo(State.Completed));
        Assert.That(driver.States, Is.EqualTo(new[] { State.Trying, State.Completed, State.Terminated }));
    }

    [Test]
    public void ServerNonInviteProvisionalGoesToProceeding()
    {
        var request = TestMessages.Request(SipMethods.Register);
        var driver = new MachineDriver(new SipServerNonInviteMachine(request, reliable: false));
        driver.Feed(new Event.Start());
        var trying = TestMessages.Response(request, 100);

        driver.Feed(new Event.TuResponse(trying));
        var resent = driver.Feed(new Event.RequestReceived(request));

        Assert.That(driver.Machine.State, Is.EqualTo(State.Proceeding));
        Assert.That(resent.OfType<Effect.SendResponse>().Single().Response, Is.SameAs(trying));
    }

    [Test]
    public void ServerNonInviteOverTcpTerminatesOnTheFinal()
    {
        var request = TestMessages.Request(SipMethods.Bye);
        var driver = new MachineDriver(new SipServerNonInviteMachine(request, reliable: true));
        driver.Feed(new Event.Start());

        var effects = driver.Feed(new Event.TuResponse(TestMessages.Response(request, 200)));

        Assert.That(effects[^1], Is.TypeOf<Effect.Terminated>(), "Timer J is zero on TCP");
    }
}
