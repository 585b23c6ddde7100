using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Transport;

namespace CallCenter.Telephony.Sip.Transactions;

/// <summary>A transaction as the layer keeps it: its machine, timers and lock.</summary>
public abstract class SipTransaction
{
    private protected SipTransaction(string key, SipRemote remote, SipTransactionMachine machine)
    {
        Key = key;
        Remote = remote;
        Machine = machine;
    }

    /// <summary>The matching key of RFC 3261 17.1.3 / 17.2.3 as the layer computes it.</summary>
    public string Key { get; }

    /// <summary>The request that created the transaction (only the parts it still needs, once a server transaction lingers: <see cref="LingeringMessages"/>).</summary>
    public SipRequest Request => Machine.Request;

    /// <summary>Client: the destination. Server: where the request came from.</summary>
    public SipRemote Remote { get; }

    public SipTransactionState State
    {
        get
        {
            lock (Gate)
            {
                return Machine.State;
            }
        }
    }

    internal object Gate { get; } = new();

    internal SipTransactionMachine Machine { get; }

    /// <summary>Running timers, at most one of each kind; guarded by <see cref="Gate"/>.</summary>
    internal SipTransactionLayer.TimerChain Timers;
}

/// <summary>A server transaction, handed to the TU with its request.</summary>
public sealed class SipServerTransaction : SipTransaction
{
    private readonly SipTransactionLayer _layer;

    internal SipServerTransaction(SipTransactionLayer layer, string key, SipRemote source, SipServerMachine machine)
        : base(key, source, machine)
    {
        _layer = layer;
    }

    private SipServerMachine ServerMachine => (SipServerMachine)Machine;

    /// <summary>
    /// Provisionals decided before any final and still being sent (guarded by <see cref="SipTransaction.Gate"/>): a final
    /// waits for them (<see cref="ProvisionalsSent"/>), so a 100 Trying never reaches the peer after the 200.
    /// </summary>
    internal int ProvisionalsSending { get; set; }

    /// <summary>Completed when <see cref="ProvisionalsSending"/> drops to zero, for a final waiting on them; guarded by the gate.</summary>
    internal TaskCompletionSource? ProvisionalsSent { get; set; }

    /// <summary>The To tag every response of this transaction carries (RFC 3261 8.2.6.2), made once.</summary>
    public string LocalTag { get; internal set; } = SipMessageBuilder.NewTag();

    /// <summary>The last response sent through this transaction, if any.</summary>
    public SipResponse? LastResponse
    {
        get
        {
            lock (Gate)
            {
                return ServerMachine.LastResponse;
            }
        }
    }

    /// <summary>The To tag of the last response sent, if any (read without making a lingering transaction's response).</summary>
    internal string? LastToTag
    {
        get
        {
            lock (Gate)
            {
                return ServerMachine.LastToTag;
            }
        }
    }

    /// <summary>Call-ID, From tag, CSeq and method (<see cref="SipTransactionKeys.RequestId"/>), taken when the transaction was made.</summary>
    internal string? RequestId { get; init; }

    /// <summary>A response to this transaction's request with <see cref="LocalTag"/> as To tag (unless the request had one).</summary>
    public SipResponse CreateResponse(int status, string? reason = null) =>
        SipMessageBuilder.CreateResponse(Request, status, reason, LocalTag);

    /// <summary>
    /// Runs once, just before the first final response goes out: the dialog's bookkeeping that must be
    /// done before the peer can answer it (a refused re-INVITE no longer pending, RFC 3261 14.2).
    /// </summary>
    public Action<SipResponse>? BeforeFinal { get; set; }

    /// <summary>Sends a response through the transaction (which retransmits it as RFC 3261 17.2 says).</summary>
    public ValueTask SendResponseAsync(SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.StatusCode >= 200 && BeforeFinal is { } beforeFinal)
        {
            BeforeFinal = null;
            beforeFinal(response);
        }

        return _layer.SendResponseAsync(this, response);
    }

    /// <summary>
    /// Forgets the request without any answer, for a request dropped by policy (a banned source's
    /// REGISTER: any answer tells a guesser it is still heard). The transaction is gone at once
    /// rather than kept for Timer J, so a flood leaves nothing behind; a retransmission is then a new
    /// request to the TU, which drops it again.
    /// </summary>
    public void Discard() => _layer.Discard(this);
}

/// <summary>A client transaction started by <see cref="SipTransactionLayer.SendRequestAsync"/>.</summary>
internal sealed class SipClientTransaction : SipTransaction
{
    public SipClientTransaction(string key, SipRemote destination, SipTransactionMachine machine, Action<SipResponse>? onProvisional)
        : base(key, destination, machine)
    {
        OnProvisional = onProvisional;
    }

    public Action<SipResponse>? OnProvisional { get; }

    public TaskCompletionSource<SipResponse> Final { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
