using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Sip.Transactions;

/// <summary>What a machine asks its shell to carry out, in order.</summary>
public abstract record SipTransactionEffect
{
    private SipTransactionEffect()
    {
    }

    /// <summary>Send (or resend) a request: the original, or the ACK for a non-2xx.</summary>
    public sealed record SendRequest(SipRequest Request) : SipTransactionEffect;

    /// <summary>Send (or resend) a response.</summary>
    public sealed record SendResponse(SipResponse Response) : SipTransactionEffect;

    /// <summary>Client: hand a response to the TU.</summary>
    public sealed record PassToTu(SipResponse Response) : SipTransactionEffect;

    /// <summary>Server INVITE in Accepted: the ACK for the 2xx arrived; hand it to the TU.</summary>
    public sealed record PassAckToTu(SipRequest Ack) : SipTransactionEffect;

    /// <summary>Start (or restart) a timer; a started timer of the same name is replaced.</summary>
    public sealed record StartTimer(SipTransactionTimer Timer, TimeSpan Duration) : SipTransactionEffect;

    public sealed record CancelTimer(SipTransactionTimer Timer) : SipTransactionEffect;

    /// <summary>
    /// Tell the TU the transaction failed for lack of an answer: Timer B/F (client, 17.1.1.2,
    /// 17.1.2.2), Timer H (server, no ACK, 17.2.1), or no ACK for a 2xx within 64*T1 (13.3.1.4).
    /// </summary>
    public sealed record Timeout(SipTransactionTimer Timer) : SipTransactionEffect;

    /// <summary>Tell the TU the transport failed (RFC 3261 17.1.4, 17.2.4).</summary>
    public sealed record TransportFailure : SipTransactionEffect;

    /// <summary>The transaction is over; the shell removes it and cancels its timers.</summary>
    public sealed record Terminated : SipTransactionEffect;
}

/// <summary>The outcome of one <c>Handle</c> call: the state after it and the effects to carry out.</summary>
public readonly record struct SipTransactionResult(SipTransactionState State, IReadOnlyList<SipTransactionEffect> Effects);
