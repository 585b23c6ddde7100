using CallCenter.Telephony.Sip.Messages;
using Effect = CallCenter.Telephony.Sip.Transactions.SipTransactionEffect;
using Event = CallCenter.Telephony.Sip.Transactions.SipTransactionEvent;

namespace CallCenter.Telephony.Sip.Transactions;

/// <summary>
/// The server INVITE transaction of RFC 3261 17.2.1 (figure 7), with the Accepted state of
/// RFC 6026 7.1. Sends 100 Trying itself when the TU has not answered within 200 ms, resends the
/// last response on INVITE retransmissions, retransmits a 300-699 (Timer G) until the ACK, which it
/// absorbs (Confirmed, Timer I). After a 2xx it lingers in Accepted for Timer L (64*T1), absorbing
/// INVITE retransmissions; on UDP it also retransmits the 2xx until the ACK for it arrives, the
/// UAS core duty of RFC 3261 13.3.1.4, kept here so the TU need not run its own timers. The shell
/// routes the 2xx's ACK (which has its own branch) here as a <see cref="Event.RequestReceived"/>.
/// </summary>
public sealed class SipServerInviteMachine : SipServerMachine
{
    private TimeSpan _timerG;
    private bool _ackFor2xx;

    public SipServerInviteMachine(SipRequest invite, bool reliable, SipTimerSettings? settings = null)
        : base(invite, reliable, settings)
    {
    }

    /// <summary>True once the ACK for a 2xx was seen in Accepted.</summary>
    public bool AckReceived => _ackFor2xx;

    private protected override void OnEvent(Event transactionEvent, List<Effect> effects)
    {
        switch (transactionEvent)
        {
            case Event.Start when State == SipTransactionState.Initial:
                State = SipTransactionState.Proceeding;
                effects.Add(new Effect.StartTimer(SipTransactionTimer.Trying, Settings.TryingDelay));
                break;

            case Event.TimerFired { Timer: SipTransactionTimer.Trying } when State == SipTransactionState.Proceeding && LastSent is null:
                // RFC 3261 17.2.1: the TU did not answer within 200 ms.
                LastSent = SipMessageBuilder.CreateResponse(LiveRequest, 100);
                effects.Add(new Effect.SendResponse(LastSent));
                break;

            case Event.TuResponse r:
                OnTuResponse(r.Response, effects);
                break;

            case Event.RequestReceived { Request.Method: SipMethods.Ack } ack:
                OnAck(ack.Request, effects);
                break;

            case Event.RequestReceived when State is SipTransactionState.Proceeding or SipTransactionState.Completed:
                // 17.2.1: a retransmitted INVITE gets the most recent response again.
                if (LastSent is not null)
                {
                    effects.Add(new Effect.SendResponse(LastSent));
                }

                break;

            case Event.TimerFired { Timer: SipTransactionTimer.G } when State == SipTransactionState.Completed:
                effects.Add(new Effect.SendResponse(LastSent!));
                _timerG = Settings.NextCapped(_timerG);
                effects.Add(new Effect.StartTimer(SipTransactionTimer.G, _timerG));
                break;

            case Event.TimerFired { Timer: SipTransactionTimer.H } when State == SipTransactionState.Completed:
                // 17.2.1: no ACK; the TU learns of the failure.
                effects.Add(new Effect.Timeout(SipTransactionTimer.H));
                Terminate(effects);
                break;

            case Event.TimerFired { Timer: SipTransactionTimer.Retransmit2xx } when State == SipTransactionState.Accepted && !_ackFor2xx:
                // RFC 3261 13.3.1.4: T1 doubling up to T2.
                effects.Add(new Effect.SendResponse(LastSent!));
                _timerG = Settings.NextCapped(_timerG);
                effects.Add(new Effect.StartTimer(SipTransactionTimer.Retransmit2xx, _timerG));
                break;

            case Event.TimerFired { Timer: SipTransactionTimer.L } when State == SipTransactionState.Accepted:
                if (!_ackFor2xx)
                {
                    // 13.3.1.4: no ACK within 64*T1; the TU should end the session with BYE.
                    effects.Add(new Effect.CancelTimer(SipTransactionTimer.Retransmit2xx));
                    effects.Add(new Effect.Timeout(SipTransactionTimer.L));
                }

                Terminate(effects);
                break;

            case Event.TimerFired { Timer: SipTransactionTimer.I } when State == SipTransactionState.Confirmed:
                Terminate(effects);
                break;

            case Event.TransportError:
                // 17.2.4: tell the TU; the transaction is over.
                effects.Add(new Effect.TransportFailure());
                Terminate(effects);
                break;
        }
    }

    private void OnTuResponse(SipResponse response, List<Effect> effects)
    {
        if (State == SipTransactionState.Accepted && response.IsSuccess)
        {
            // RFC 6026 8.5: further 2xx from the TU go straight to the transport; but once the ACK came a UAS has
            // nothing more to say (and the transaction keeps only a skeleton to make one from: LingeringMessages).
            if (!Lingering)
            {
                effects.Add(new Effect.SendResponse(response));
            }

            return;
        }

        if (State != SipTransactionState.Proceeding)
        {
            return;
        }

        LastSent = response;
        effects.Add(new Effect.CancelTimer(SipTransactionTimer.Trying));
        effects.Add(new Effect.SendResponse(response));
        if (response.IsProvisional)
        {
            return;
        }

        if (response.IsSuccess)
        {
            State = SipTransactionState.Accepted;
            effects.Add(new Effect.StartTimer(SipTransactionTimer.L, Settings.TransactionTimeout));
            if (!Reliable)
            {
                _timerG = Settings.T1;
                effects.Add(new Effect.StartTimer(SipTransactionTimer.Retransmit2xx, _timerG));
            }

            return;
        }

        // 17.2.1: 300-699 -> Completed, Timer G (UDP only) and Timer H.
        State = SipTransactionState.Completed;
        if (!Reliable)
        {
            _timerG = Settings.T1;
            effects.Add(new Effect.StartTimer(SipTransactionTimer.G, _timerG));
        }

        effects.Add(new Effect.StartTimer(SipTransactionTimer.H, Settings.TransactionTimeout));
    }

    private void OnAck(SipRequest ack, List<Effect> effects)
    {
        if (State == SipTransactionState.Completed)
        {
            // 17.2.1: the ACK for our non-2xx is absorbed; Confirmed until Timer I.
            if (!Reliable)
            {
                effects.Add(new Effect.CancelTimer(SipTransactionTimer.G));
            }

            effects.Add(new Effect.CancelTimer(SipTransactionTimer.H));
            EnterLingering(SipTransactionState.Confirmed, SipTransactionTimer.I, Settings.TimerI(Reliable), effects);
            if (State == SipTransactionState.Confirmed)
            {
                LetGoOfMessages(resend: false);
            }
        }
        else if (State == SipTransactionState.Accepted)
        {
            // The ACK for a 2xx is end-to-end: stop retransmitting and hand it to the TU (once).
            if (!_ackFor2xx)
            {
                _ackFor2xx = true;
                if (!Reliable)
                {
                    effects.Add(new Effect.CancelTimer(SipTransactionTimer.Retransmit2xx));
                }

                // Acknowledged, it sends nothing more of its own until Timer L ends it: it absorbs INVITE
                // retransmissions and passes ACKs on.
                LetGoOfMessages(resend: false);
            }

            effects.Add(new Effect.PassAckToTu(ack));
        }
    }
}
