using CallCenter.Telephony.Sip.Messages;
using Effect = CallCenter.Telephony.Sip.Transactions.SipTransactionEffect;
using Event = CallCenter.Telephony.Sip.Transactions.SipTransactionEvent;

namespace CallCenter.Telephony.Sip.Transactions;

/// <summary>The client non-INVITE transaction of RFC 3261 17.1.2 (figure 6).</summary>
public sealed class SipClientNonInviteMachine : SipTransactionMachine
{
    private TimeSpan _timerE;

    public SipClientNonInviteMachine(SipRequest request, bool reliable, SipTimerSettings? settings = null)
        : base(reliable, settings)
    {
        ArgumentNullException.ThrowIfNull(request);
        Request = request;
    }

    public override SipRequest Request { get; }

    private protected override void OnEvent(Event transactionEvent, List<Effect> effects)
    {
        var active = State is SipTransactionState.Trying or SipTransactionState.Proceeding;
        switch (transactionEvent)
        {
            case Event.Start when State == SipTransactionState.Initial:
                // RFC 3261 17.1.2.2: send, Timer E (UDP only) and Timer F.
                State = SipTransactionState.Trying;
                effects.Add(new Effect.SendRequest(Request));
                if (!Reliable)
                {
                    _timerE = Settings.TimerE;
                    effects.Add(new Effect.StartTimer(SipTransactionTimer.E, _timerE));
                }

                effects.Add(new Effect.StartTimer(SipTransactionTimer.F, Settings.TransactionTimeout));
                break;

            case Event.TimerFired { Timer: SipTransactionTimer.E } when active:
                // Trying: double up to T2. Proceeding: every T2.
                effects.Add(new Effect.SendRequest(Request));
                _timerE = State == SipTransactionState.Trying ? Settings.NextCapped(_timerE) : Settings.T2;
                effects.Add(new Effect.StartTimer(SipTransactionTimer.E, _timerE));
                break;

            case Event.TimerFired { Timer: SipTransactionTimer.F } when active:
                effects.Add(new Effect.Timeout(SipTransactionTimer.F));
                Terminate(effects);
                break;

            case Event.ResponseReceived r when active:
                if (r.Response.IsProvisional)
                {
                    State = SipTransactionState.Proceeding;
                    effects.Add(new Effect.PassToTu(r.Response));
                    break;
                }

                if (!Reliable)
                {
                    effects.Add(new Effect.CancelTimer(SipTransactionTimer.E));
                }

                effects.Add(new Effect.CancelTimer(SipTransactionTimer.F));
                effects.Add(new Effect.PassToTu(r.Response));
                EnterLingering(SipTransactionState.Completed, SipTransactionTimer.K, Settings.TimerK(Reliable), effects);
                break;

            case Event.TimerFired { Timer: SipTransactionTimer.K } when State == SipTransactionState.Completed:
                Terminate(effects);
                break;

            case Event.TransportError:
                if (active)
                {
                    effects.Add(new Effect.TransportFailure());
                }

                Terminate(effects);
                break;
        }
    }
}
