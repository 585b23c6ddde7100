using CallCenter.Telephony.Sip.Messages;
using Effect = CallCenter.Telephony.Sip.Transactions.SipTransactionEffect;
using Event = CallCenter.Telephony.Sip.Transactions.SipTransactionEvent;

namespace CallCenter.Telephony.Sip.Transactions;

/// <summary>The server non-INVITE transaction of RFC 3261 17.2.2 (figure 8).</summary>
public sealed class SipServerNonInviteMachine : SipTransactionMachine
{
    private SipResponse? _lastResponse;
    private SipRequest? _request;
    private LingeringMessages? _lingering;

    public SipServerNonInviteMachine(SipRequest request, bool reliable, SipTimerSettings? settings = null)
        : base(reliable, settings)
    {
        ArgumentNullException.ThrowIfNull(request);
        _request = request;
    }

    // Read without the transaction's lock (the TU's CreateResponse, logs): _request is read with acquire and
    // cleared with release, so a reader that finds it null also finds _lingering set.
    public override SipRequest Request => Volatile.Read(ref _request) ?? _lingering!.Request();

    public SipResponse? LastResponse => _lastResponse ?? _lingering?.Response();

    /// <summary>The To tag of the last response sent, if any.</summary>
    internal string? LastToTag => _lastResponse is { } last ? last.To?.Tag : _lingering?.ToTag;

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
                _lastResponse = r.Response;
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
                        _lingering = new LingeringMessages(_request!, r.Response, resend: true);
                        Volatile.Write(ref _request, null);
                        _lastResponse = null;
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
