using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Transactions;
using Effect = CallCenter.Telephony.Sip.Transactions.SipTransactionEffect;
using Event = CallCenter.Telephony.Sip.Transactions.SipTransactionEvent;
using State = CallCenter.Telephony.Sip.Transactions.SipTransactionState;

namespace CallCenter.Telephony.Tests.Sip.Transactions;

public sealed class SipClientMachineTests
{
    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    [Test]
    public void ClientInviteOverUdpRetransmitsWithTimerADoublingUntilTimerB()
    {
        var driver = new MachineDriver(new SipClientInviteMachine(TestMessages.Invite(), reliable: false));
        driver.Feed(new Event.Start());

        driver.RunUntil(TimeSpan.FromSeconds(40));

        // RFC 3261 17.1.1.2: sent at 0, then A at 0.5, 1, 2, 4, 8, 16 s intervals; B = 64*T1 = 32 s.
        Assert.That(driver.TimesOf<Effect.SendRequest>(), Is.EqualTo(new[] { 0, 500, 1500, 3500, 7500, 15500, 31500 }.Select(x => Ms(x))));
        Assert.That(driver.TimesOf<Effect.Timeout>(), Is.EqualTo(new[] { TimeSpan.FromSeconds(32) }));
        Assert.That(driver.States, Is.EqualTo(new[] { State.Calling, State.Terminated }));
    }

    [Test]
    public void ClientInviteOverTcpHasNoTimerA()
    {
        var driver = new MachineDriver(new SipClientInviteMachine(TestMessages.Invite(), reliable: true));
        driver.Feed(new Event.Start());

        driver.RunUntil(TimeSpan.FromSeconds(31));

        Assert.That(driver.TimesOf<Effect.SendRequest>().Count(), Is.EqualTo(1));
        Assert.That(driver.DurationOf(SipTransactionTimer.B), Is.EqualTo(TimeSpan.FromSeconds(32)));
        Assert.That(driver.DurationOf(SipTransactionTimer.A), Is.Null);
    }

    [Test]
    public void ClientInviteProvisionalStopsRetransmissionsAndReachesTheTu()
    {
        var invite = TestMessages.Invite();
        var driver = new MachineDriver(new SipClientInviteMachine(invite, reliable: false));
        driver.Feed(new Event.Start());
        driver.RunUntil(Ms(600));

        var effects = driver.Feed(new Event.ResponseReceived(TestMessages.Response(invite, 180)));
        driver.RunUntil(TimeSpan.FromSeconds(60));

        Assert.That(effects.OfType<Effect.PassToTu>().Single().Response.StatusCode, Is.EqualTo(180));
        Assert.That(driver.TimesOf<Effect.SendRequest>().Count(), Is.EqualTo(2));
        Assert.That(driver.Machine.State, Is.EqualTo(State.Proceeding));
    }

    [Test]
    public void ClientInviteAcksANonSuccessFinalAndWaitsTimerD()
    {
        var invite = TestMessages.Invite();
        var driver = new MachineDriver(new SipClientInviteMachine(invite, reliable: false));
        driver.Feed(new Event.Start());
        driver.Feed(new Event.ResponseReceived(TestMessages.Response(invite, 180)));

        var effects = driver.Feed(new Event.ResponseReceived(TestMessages.Response(invite, 486, "busy")));
        var ack = effects.OfType<Effect.SendRequest>().Single().Request;
        var again = driver.Feed(new Event.ResponseReceived(TestMessages.Response(invite, 486, "busy")));
        driver.RunUntil(Ms(31_999));
        var stateBeforeD = driver.Machine.State;
        driver.RunUntil(TimeSpan.FromSeconds(32));

        Assert.That(ack.Method, Is.EqualTo(SipMethods.Ack));
        Assert.That(ack.To!.Tag, Is.EqualTo("busy"));
        Assert.That(ack.TopVia!.Branch, Is.EqualTo(invite.TopVia!.Branch));
        Assert.That(effects.OfType<Effect.PassToTu>().Single().Response.StatusCode, Is.EqualTo(486));
        Assert.That(effects.ToList().FindIndex(e => e is Effect.SendRequest), Is.LessThan(effects.ToList().FindIndex(e => e is Effect.PassToTu)),
            "the ACK leaves before the TU hears of the final: a TU answering a 401 at once must not send its new INVITE ahead of the ACK");
        Assert.That(again.OfType<Effect.SendRequest>().Single().Request, Is.SameAs(ack), "a retransmitted final is ACKed again");
        Assert.That(again.OfType<Effect.PassToTu>(), Is.Empty, "but not passed up again");
        Assert.That(driver.DurationOf(SipTransactionTimer.D), Is.EqualTo(TimeSpan.FromSeconds(32)));
        Assert.That(stateBeforeD, Is.EqualTo(State.Completed));
        Assert.That(driver.States, Is.EqualTo(new[] { State.Calling, State.Proceeding, State.Completed, State.Terminated }));
    }

    [Test]
    public void ClientInviteOverTcpTerminatesAtOnceAfterNonSuccess()
    {
        var invite = TestMessages.Invite(branch: "z9hG4bKtcp");
        var driver = new MachineDriver(new SipClientInviteMachine(invite, reliable: true));
        driver.Feed(new Event.Start());

        var effects = driver.Feed(new Event.ResponseReceived(TestMessages.Response(invite, 603)));

        Assert.That(effects.OfType<Effect.SendRequest>().Single().Request.Method, Is.EqualTo("ACK"));
        Assert.That(effects[^1], Is.TypeOf<Effect.Terminated>(), "Timer D is zero on TCP");
        Assert.That(driver.Machine.State, Is.EqualTo(State.Terminated));
    }

    [Test]
    public void ClientInvitePassesEvery2xxToTheTuInAcceptedUntilTimerM()
    {
        var invite = TestMessages.Invite();
        var driver = new MachineDriver(new SipClientInviteMachine(invite, reliable: false));
        driver.Feed(new Event.Start());

        var first = driver.Feed(new Event.ResponseReceived(TestMessages.Response(invite, 200)));
        var retransmitted = driver.Feed(new Event.ResponseReceived(TestMessages.Response(invite, 200)));
        driver.RunUntil(TimeSpan.FromSeconds(32));

        Assert.That(first.OfType<Effect.PassToTu>().Single().Response.StatusCode, Is.EqualTo(200));
        Assert.That(first.OfType<Effect.SendRequest>(), Is.Empty, "the ACK for a 2xx is the TU's");
        Assert.That(retransmitted.OfType<Effect.PassToTu>().Count(), Is.EqualTo(1));
        Assert.That(driver.States, Is.EqualTo(new[] { State.Calling, State.Accepted, State.Terminated }));
        Assert.That(driver.DurationOf(SipTransactionTimer.M), Is.EqualTo(TimeSpan.FromSeconds(32)));
    }

    [Test]
    public void ClientInviteTransportErrorIsReported()
    {
        var driver = new MachineDriver(new SipClientInviteMachine(TestMessages.Invite(), reliable: false));
        driver.Feed(new Event.Start());

        var effects = driver.Feed(new Event.TransportError());

        Assert.That(effects.OfType<Effect.TransportFailure>(), Has.Exactly(1).Items);
        Assert.That(driver.Machine.State, Is.EqualTo(State.Terminated));
    }

    [Test]
    public void ClientNonInviteOverUdpRetransmitsTenTimesIn32Seconds()
    {
        var driver = new MachineDriver(new SipClientNonInviteMachine(TestMessages.Request(SipMethods.Options), reliable: false));
        driver.Feed(new Event.Start());

        driver.RunUntil(TimeSpan.FromSeconds(33));

        // RFC 3261 17.1.2.2: E = 0.5, 1, 2, 4, then capped at T2 = 4 s; F = 32 s.
        Assert.That(driver.TimesOf<Effect.SendRequest>(), Is.EqualTo(new[] { 0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500 }.Select(x => Ms(x))));
        Assert.That(driver.TimesOf<Effect.Timeout>(), Is.EqualTo(new[] { TimeSpan.FromSeconds(32) }));
    }

    [Test]
    public void ClientNonInviteInProceedingRetransmitsEveryT2()
    {
        var request = TestMessages.Request(SipMethods.Register);
        var driver = new MachineDriver(new SipClientNonInviteMachine(request, reliable: false));
        driver.Feed(new Event.Start());
        driver.Feed(new Event.ResponseReceived(TestMessages.Response(request, 100)));

        driver.RunUntil(Ms(9600));

        // The pending E (0.5 s) fires, then every T2.
        Assert.That(driver.TimesOf<Effect.SendRequest>(), Is.EqualTo(new[] { 0, 500, 4500, 8500 }.Select(x => Ms(x))));
        Assert.That(driver.Machine.State, Is.EqualTo(State.Proceeding));
    }

    [Test]
    public void ClientNonInviteFinalGoesToCompletedForTimerKThenTerminates()
    {
        var request = TestMessages.Request(SipMethods.Bye);
        var driver = new MachineDriver(new SipClientNonInviteMachine(request, reliable: false));
        driver.Feed(new Event.Start());

        var effects = driver.Feed(new Event.ResponseReceived(TestMessages.Response(request, 200)));
        var late = driver.Feed(new Event.ResponseReceived(TestMessages.Response(request, 200)));
        driver.RunUntil(TimeSpan.FromSeconds(5));

        Assert.That(effects.OfType<Effect.PassToTu>().Single().Response.StatusCode, Is.EqualTo(200));
        Assert.That(late, Is.Empty, "retransmitted finals are absorbed in Completed");
        Assert.That(driver.DurationOf(SipTransactionTimer.K), Is.EqualTo(TimeSpan.FromSeconds(5)));
        Assert.That(driver.TimesOf<Effect.SendRequest>().Count(), Is.EqualTo(1));
        Assert.That(driver.States, Is.EqualTo(new[] { State.Trying, State.Completed, State.Terminated }));
    }

    [Test]
    public void ClientNonInviteOverTcpHasNoTimerEAndNoTimerK()
    {
        var request = TestMessages.Request(SipMethods.Bye);
        var driver = new MachineDriver(new SipClientNonInviteMachine(request, reliable: true));
        driver.Feed(new Event.Start());
        driver.RunUntil(TimeSpan.FromSeconds(10));

        var effects = driver.Feed(new Event.ResponseReceived(TestMessages.Response(request, 200)));

        Assert.That(driver.TimesOf<Effect.SendRequest>().Count(), Is.EqualTo(1));
        Assert.That(effects[^1], Is.TypeOf<Effect.Terminated>());
    }

    [Test]
    public void TimerSettingsAreConfigurable()
    {
        var settings = new SipTimerSettings { T1 = Ms(100), T2 = Ms(300) };
        var driver = new MachineDriver(new SipClientNonInviteMachine(TestMessages.Request(SipMethods.Options), false, settings));
        driver.Feed(new Event.Start());

        driver.RunUntil(Ms(1000));

        Assert.That(driver.TimesOf<Effect.SendRequest>(), Is.EqualTo(new[] { 0, 100, 300, 600, 900 }.Select(x => Ms(x))));
        Assert.That(driver.DurationOf(SipTransactionTimer.F), Is.EqualTo(Ms(6400)));
    }
}
