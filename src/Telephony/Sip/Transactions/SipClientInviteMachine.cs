using CallCenter.Telephony.Sip.Messages;
using Effect = CallCenter.Telephony.Sip.Transactions.SipTransactionEffect;
using Event = CallCenter.Telephony.Sip.Transactions.SipTransactionEvent;

namespace CallCenter.Telephony.Sip.Transactions;

/// <summary>
/// The client INVITE transaction of RFC 3261 17.1.1 (figure 5), with the Accepted state of
/// RFC 6026 7.2: after a 2xx the transaction lingers for Timer M (64*T1) and hands every further
/// 2xx (retransmissions, forked answers) to the TU, which sends the end-to-end ACK itself.
/// The ACK for a 300-699 is built and sent here (17.1.1.3).
/// </summary>
public sealed class SipClientInviteMachine : SipTransactionMachine
{
    private TimeSpan _timerA;
    private SipRequest? _ack;

    public SipClientInviteMachine(SipRequest invite, bool reliable, SipTimerSettings? settings = null)
        : base(reliable, settings)
    {
        ArgumentNullException.ThrowIfNull(invite);
        Request = invite;
    }

    public override SipRequest Request { get; }

    private protected override void OnEvent(Event transactionEvent, List<Effect> effects)
    {
        switch (transactionEvent)
        {
            case Event.Start when State == SipTransactionState.Initial:
                // RFC 3261 17.1.1.2: send, Timer A (UDP only) and Timer B.
                State = SipTransactionState.Calling;
                effects.Add(new Effect.SendRequest(Request));
                if (!Reliable)
                {
                    _timerA = Settings.TimerA;
                    effects.Add(new Effect.StartTimer(SipTransactionTimer.A, _timerA));
                }

                effects.Add(new Effect.StartTimer(SipTransactionTimer.B, Settings.TransactionTimeout));
                break;

            case Event.TimerFired { Timer: SipTransactionTimer.A } when State == SipTransactionState.Calling:
                // Timer A doubles without a cap (17.1.1.2); Timer B ends it.
                effects.Add(new Effect.SendRequest(Request));
                _timerA *= 2;
                effects.Add(new Effect.StartTimer(SipTransactionTimer.A, _timerA));
                break;

            case Event.TimerFired { Timer: SipTransactionTimer.B } when State == SipTransactionState.Calling:
                effects.Add(new Effect.Timeout(SipTransactionTimer.B));
                Terminate(effects);
                break;

            case Event.ResponseReceived r:
                OnResponse(r.Response, effects);
                break;

            case Event.TimerFired { Timer: SipTransactionTimer.D } when State == SipTransactionState.Completed:
            case Event.TimerFired { Timer: SipTransactionTimer.M } when State == SipTransactionState.Accepted:
                Terminate(effects);
                break;

            case Event.TransportError:
                // RFC 3261 17.1.1.2: a transport failure in Calling is reported to the TU.
                if (State is SipTransactionState.Calling or SipTransactionState.Proceeding)
                {
                    effects.Add(new Effect.TransportFailure());
                }

                Terminate(effects);
                break;
        }
    }

    private void OnResponse(SipResponse response, List<Effect> effects)
    {
        var calling = State is SipTransactionState.Calling or SipTransactionState.Proceeding;
        if (response.IsProvisional)
        {
            if (calling)
            {
                if (State == SipTransactionState.Calling)
                {
                    // 17.1.1.2: no more retransmissions once a provisional response arrives.
                    State = SipTransactionState.Proceeding;
                    CancelCallingTimers(effects);
                }

                effects.Add(new Effect.PassToTu(response));
            }

            return;
        }

        if (response.IsSuccess)
        {
            if (calling)
            {
                // RFC 6026 7.2: Accepted, Timer M.
                CancelCallingTimers(effects);
                effects.Add(new Effect.PassToTu(response));
                EnterLingering(SipTransactionState.Accepted, SipTransactionTimer.M, Settings.TransactionTimeout, effects);
            }
            else if (State == SipTransactionState.Accepted)
            {
                effects.Add(new Effect.PassToTu(response));
            }

            return;
        }

        if (calling)
        {
            // 17.1.1.2: 300-699 -> ACK, pass up, Completed with Timer D. The ACK goes out before the TU hears of
            // the response: a TU that answers a 401/407 at once sends its new INVITE, which must not overtake the
            // ACK (a peer may take an INVITE before the ACK it awaits as a broken dialog; sipp aborts the call).
            CancelCallingTimers(effects);
            _ack = SipMessageBuilder.CreateAckForNonSuccess(Request, response);
            effects.Add(new Effect.SendRequest(_ack));
            effects.Add(new Effect.PassToTu(response));
            EnterLingering(SipTransactionState.Completed, SipTransactionTimer.D, Settings.TimerD(Reliable), effects);
        }
        else if (State == SipTransactionState.Completed && _ack is not null)
        {
            // A retransmitted final response: resend the ACK, do not bother the TU.
            effects.Add(new Effect.SendRequest(_ack));
        }
    }

    private void CancelCallingTimers(List<Effect> effects)
    {
        if (!Reliable)
        {
            effects.Add(new Effect.CancelTimer(SipTransactionTimer.A));
        }

        effects.Add(new Effect.CancelTimer(SipTransactionTimer.B));
    }
}
