using CallCenter.Telephony.Sip.Messages;
using Effect = CallCenter.Telephony.Sip.Transactions.SipTransactionEffect;
using Event = CallCenter.Telephony.Sip.Transactions.SipTransactionEvent;

namespace CallCenter.Telephony.Sip.Transactions;

/// <summary>The server non-INVITE transaction of RFC 3261 17.2.2 (figure 8).</summary>
public sealed class SipServerNonInviteMachine : SipServerMachine
{
    public SipServerNonInviteMachine(SipRequest request, bool reliable, SipTimerSettings? settings = null)
        : base(request, reliable, settings)
    {
    }

    private protected override void OnEvent(Event transactionEvent, List<Effect> effects)
    {
        switch (transactionEvent)
        {
            case Event.Start when State == SipTransactionState.Initial:
                State = SipTransactionState.Trying;
                break;

            case Event.RequestReceived:
                // 17.2.2: absorbed in Trying; the last response again in Proceeding and Completed.
                if (LastResponse is { } last)
                {
                    effects.Add(new Effect.SendResponse(last));
                }

                break;

            case Event.TuResponse r when State is SipTransactionState.Trying or SipTransactionState.Proceeding:
                LastSent = r.Response;
                var send = effects.Count;
                effects.Add(new Effect.SendResponse(r.Response));
                if (r.Response.IsProvisional)
                {
                    State = SipTransactionState.Proceeding;
                }
                else
                {
                    EnterLingering(SipTransactionState.Completed, SipTransactionTimer.J, Settings.TimerJ(Reliable), effects);
                    if (State == SipTransactionState.Completed)
                    {
                        // From here on it only resends its final to retransmissions, for Timer J (32 s).
                        LetGoOfMessages(resend: true);

                        // The final goes out as the bytes kept for its resends: written once, not once to send and again to keep.
                        effects[send] = new Effect.SendResponse(LastResponse!);
                    }
                }

                break;

            case Event.TimerFired { Timer: SipTransactionTimer.J } when State == SipTransactionState.Completed:
                Terminate(effects);
                break;

            case Event.TransportError:
                effects.Add(new Effect.TransportFailure());
                Terminate(effects);
                break;
        }
    }
}
