using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Sip.Transactions;

/// <summary>
/// What the two server transaction cores (<see cref="SipServerInviteMachine"/>, <see cref="SipServerNonInviteMachine"/>)
/// share: the request, the last response sent, and, once the transaction only lingers, the few parts of both it still
/// needs (<see cref="LingeringMessages"/>) instead of the parsed messages.
/// </summary>
public abstract class SipServerMachine : SipTransactionMachine
{
    private SipRequest? _request;
    private LingeringMessages? _lingering;

    private protected SipServerMachine(SipRequest request, bool reliable, SipTimerSettings? settings)
        : base(reliable, settings)
    {
        ArgumentNullException.ThrowIfNull(request);
        _request = request;
    }

    // Read without the transaction's lock (the TU's CreateResponse, logs): _request is read with acquire and
    // cleared with release, so a reader that finds it null also finds _lingering set.
    public override SipRequest Request => Volatile.Read(ref _request) ?? _lingering!.Request();

    /// <summary>The last response sent, the one resent on retransmissions (a skeleton of it once the transaction lingers).</summary>
    public SipResponse? LastResponse => LastSent ?? _lingering?.Response();

    /// <summary>The To tag of the last response sent, if any: the one an ACK must carry.</summary>
    internal string? LastToTag => LastSent is { } last ? last.To?.Tag : _lingering?.ToTag;

    /// <summary>True once the transaction keeps only <see cref="LingeringMessages"/>.</summary>
    private protected bool Lingering => _lingering is not null;

    /// <summary>The request while it is kept whole (not once the transaction lingers).</summary>
    private protected SipRequest LiveRequest => _request ?? throw new InvalidOperationException("The transaction lingers: its request is let go.");

    /// <summary>The last response sent, while the transaction keeps it whole.</summary>
    private protected SipResponse? LastSent { get; set; }

    /// <summary>
    /// Keeps the request and the last response only as <see cref="LingeringMessages"/> from now on; with
    /// <paramref name="resend"/>, the response stays sendable as it was first sent. Once only.
    /// </summary>
    private protected void LetGoOfMessages(bool resend)
    {
        if (_request is null)
        {
            return;
        }

        _lingering = new LingeringMessages(_request, LastSent, resend);
        Volatile.Write(ref _request, null);
        LastSent = null;
    }
}
