using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Transport;

namespace CallCenter.Telephony.Sip.Transactions;

/// <summary>
/// The transaction user (TU, RFC 3261 17) above <see cref="SipTransactionLayer"/>: the UAS core,
/// dialogs and the platform's call logic. The layer calls it for what transactions do not absorb.
/// Calls come from the transport's receive path or a timer; keep them short and hand long work
/// (media, database) off. An exception thrown here is logged, and a request not yet answered
/// gets a 500.
/// </summary>
public interface ISipRequestHandler
{
    /// <summary>
    /// A new request (not a retransmission, not ACK or CANCEL) with its server transaction.
    /// Validate it (<see cref="SipRequestValidator"/>), find its dialog (<c>SipDialogTable</c>),
    /// then answer through <see cref="SipServerTransaction.SendResponseAsync"/>, now or later.
    /// For INVITE the layer sends 100 Trying after 200 ms if no response was sent by then.
    /// </summary>
    ValueTask OnRequestAsync(SipServerTransaction transaction, SipRequest request, SipRemote source);

    /// <summary>
    /// An ACK for a 2xx (RFC 3261 13.3.1.4), the end of a three-way handshake, or an ACK matching
    /// no transaction at all. ACKs for non-2xx responses are absorbed by the layer. Never answered.
    /// </summary>
    ValueTask OnAckAsync(SipRequest ack, SipRemote source);

    /// <summary>
    /// A CANCEL for an INVITE still unanswered (RFC 3261 9.2). The layer has already answered the
    /// CANCEL with 200; the TU should stop the call attempt and answer
    /// <paramref name="inviteTransaction"/> with 487 Request Terminated.
    /// </summary>
    ValueTask OnCancelAsync(SipRequest cancel, SipServerTransaction inviteTransaction);

    /// <summary>
    /// A 2xx to an INVITE arriving after <see cref="SipTransactionLayer.SendRequestAsync"/> already
    /// completed: a retransmission (the TU resends its ACK, RFC 3261 13.2.2.4) or a 2xx from
    /// another fork (the TU ACKs and then sends BYE). Other stray responses are dropped.
    /// </summary>
    ValueTask OnResponseAsync(SipResponse response, SipRemote source);

    /// <summary>
    /// A server transaction failed: no ACK for a non-2xx (Timer H), no ACK for a 2xx within 64*T1
    /// (RFC 3261 13.3.1.4: the TU should send BYE), or the transport could not send a response.
    /// </summary>
    ValueTask OnTransactionFailedAsync(SipServerTransaction transaction, SipTransactionFailure failure);
}

/// <summary>Why a server transaction failed.</summary>
public enum SipTransactionFailure
{
    /// <summary>No ACK arrived (Timer H for a non-2xx, 64*T1 for a 2xx).</summary>
    NoAck,

    /// <summary>The transport could not send (RFC 3261 17.2.4).</summary>
    TransportError,
}
