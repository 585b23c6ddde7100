using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Sip.Transactions;

/// <summary>What can happen to a transaction; fed to a machine's <c>Handle</c>.</summary>
public abstract record SipTransactionEvent
{
    private SipTransactionEvent()
    {
    }

    /// <summary>Client: send the request. Server: the request has arrived and is handed to the TU.</summary>
    public sealed record Start : SipTransactionEvent;

    /// <summary>Client: a response matched this transaction (RFC 3261 17.1.3).</summary>
    public sealed record ResponseReceived(SipResponse Response) : SipTransactionEvent;

    /// <summary>Server: a retransmission of the request, or an ACK, matched this transaction (17.2.3).</summary>
    public sealed record RequestReceived(SipRequest Request) : SipTransactionEvent;

    /// <summary>Server: the TU sends a response.</summary>
    public sealed record TuResponse(SipResponse Response) : SipTransactionEvent;

    public sealed record TimerFired(SipTransactionTimer Timer) : SipTransactionEvent;

    /// <summary>The transport failed to send a message of this transaction (RFC 3261 17.1.4, 17.2.4).</summary>
    public sealed record TransportError : SipTransactionEvent;
}
