using CallCenter.Telephony.Sip.Messages;
using Effect = CallCenter.Telephony.Sip.Transactions.SipTransactionEffect;

namespace CallCenter.Telephony.Sip.Transactions;

/// <summary>
/// The common part of the four pure transaction cores of RFC 3261 17: a state, the transport's
/// reliability and the timer settings. <see cref="Handle"/> never blocks, never reads a clock and
/// never sends: it returns the new state and the effects for the shell to carry out.
/// Not thread-safe; the shell serializes calls per transaction.
/// </summary>
public abstract class SipTransactionMachine
{
    private protected SipTransactionMachine(bool reliable, SipTimerSettings? settings)
    {
        Reliable = reliable;
        Settings = settings ?? SipTimerSettings.Default;
    }

    public SipTransactionState State { get; private protected set; } = SipTransactionState.Initial;

    /// <summary>The request that created the transaction; a server transaction that lingers keeps only its <see cref="LingeringMessages"/> copy.</summary>
    public abstract SipRequest Request { get; }

    /// <summary>True on TCP: no retransmission timers, and D/I/J/K are zero (RFC 3261 17).</summary>
    public bool Reliable { get; }

    public SipTimerSettings Settings { get; }

    /// <summary>Feeds one event; <paramref name="now"/> is the shell's clock at the event, for the record.</summary>
    public SipTransactionResult Handle(SipTransactionEvent transactionEvent, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(transactionEvent);
        LastEventAt = now;
        var effects = new List<Effect>();
        if (State != SipTransactionState.Terminated)
        {
            OnEvent(transactionEvent, effects);
        }

        return new SipTransactionResult(State, effects);
    }

    /// <summary>When the last event was handled.</summary>
    public DateTimeOffset LastEventAt { get; private set; }

    private protected abstract void OnEvent(SipTransactionEvent transactionEvent, List<Effect> effects);

    private protected void Terminate(List<Effect> effects)
    {
        State = SipTransactionState.Terminated;
        effects.Add(new Effect.Terminated());
    }

    /// <summary>Enters a lingering state whose timer may be zero (reliable transports): then it ends at once.</summary>
    private protected void EnterLingering(SipTransactionState state, SipTransactionTimer timer, TimeSpan duration, List<Effect> effects)
    {
        if (duration <= TimeSpan.Zero)
        {
            Terminate(effects);
            return;
        }

        State = state;
        effects.Add(new Effect.StartTimer(timer, duration));
    }
}
