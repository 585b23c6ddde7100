using Microsoft.Extensions.Logging;
using Effect = CallCenter.Telephony.Sip.Transactions.SipTransactionEffect;
using Event = CallCenter.Telephony.Sip.Transactions.SipTransactionEvent;

namespace CallCenter.Telephony.Sip.Transactions;

/// <summary>Timer plumbing: machine timers in the layer's <see cref="SipTimerLanes"/> (one runtime timer per duration), fed back as events.</summary>
public sealed partial class SipTransactionLayer
{
    /// <summary>Starts and cancels the timers the effects name; called under the transaction's lock.</summary>
    private void ApplyTimers(SipTransaction tx, IReadOnlyList<Effect> effects)
    {
        foreach (var effect in effects)
        {
            if (effect is Effect.CancelTimer cancel)
            {
                tx.Timers.Remove(cancel.Timer)?.Cancel();
            }
            else if (effect is Effect.StartTimer start)
            {
                tx.Timers.Remove(start.Timer)?.Cancel();

                // The callback takes tx.Gate, held here, so it cannot see the state before the timer is in tx.Timers.
                var state = new TimerState(this, tx, start.Timer);
                tx.Timers.Add(state);
                _timers.Start(state, start.Duration);
            }
        }
    }

    private void OnTimer(TimerState state)
    {
        // Cancelled (and let go of its transaction) after its lane took it as due: nothing to do.
        if (state.Transaction is not { } tx)
        {
            return;
        }

        lock (tx.Gate)
        {
            // A timer cancelled or replaced after it was already due must not act.
            if (!tx.Timers.Remove(state))
            {
                return;
            }
        }

        _ = FireAsync(tx, state.Kind);
    }

    private async Task FireAsync(SipTransaction tx, SipTransactionTimer kind)
    {
        try
        {
            await DispatchAsync(tx, new Event.TimerFired(kind), tx.Remote);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            TelephonyLog.TransactionTimerFailed(_logger, ex, kind.ToString(), tx.Request.CallId);
        }
    }

    private static void DisposeTimers(SipTransaction tx) => tx.Timers.CancelAll();

    /// <summary>
    /// A transaction's running timers as a chain through the timers themselves: it runs at most three at once, and
    /// lingering 32 s at 1,000 calls a second, a dictionary each was 64,000 more objects for the collector to copy.
    /// Guarded by the transaction's lock.
    /// </summary>
    internal struct TimerChain
    {
        private TimerState? _head;

        /// <summary>Adds <paramref name="state"/>, whose kind is not in the chain.</summary>
        public void Add(TimerState state)
        {
            state.Next = _head;
            _head = state;
        }

        /// <summary>Takes the running timer of <paramref name="kind"/> out of the chain; null when none runs.</summary>
        public TimerState? Remove(SipTransactionTimer kind)
        {
            for (ref var link = ref _head; link is not null; link = ref link.Next)
            {
                if (link.Kind == kind)
                {
                    var found = link;
                    link = found.Next;
                    found.Next = null;
                    return found;
                }
            }

            return null;
        }

        /// <summary>Takes <paramref name="state"/> itself out of the chain; false when it is no longer in it (cancelled or replaced).</summary>
        public bool Remove(TimerState state)
        {
            for (ref var link = ref _head; link is not null; link = ref link.Next)
            {
                if (ReferenceEquals(link, state))
                {
                    link = state.Next;
                    state.Next = null;
                    return true;
                }
            }

            return false;
        }

        public void CancelAll()
        {
            while (_head is { } state)
            {
                _head = state.Next;
                state.Next = null;
                state.Cancel();
            }
        }
    }

    /// <summary>One running machine timer of a transaction: the entry its lane holds, and a link of <see cref="SipTransaction.Timers"/>.</summary>
    /// <remarks>A cancelled one waits in its lane until its time (up to 32 s): it lets go of its layer and transaction (with its request and responses) at once.</remarks>
    internal sealed class TimerState(SipTransactionLayer layer, SipTransaction transaction, SipTransactionTimer kind) : SipTimerEntry
    {
        private volatile SipTransactionLayer? _layer = layer;
        private volatile SipTransaction? _transaction = transaction;

        public SipTransaction? Transaction => _transaction;

        public SipTransactionTimer Kind { get; } = kind;

        /// <summary>The next running timer of the same transaction (<see cref="TimerChain"/>); guarded by its lock.</summary>
        internal TimerState? Next;

        internal override void Fire() => _layer?.OnTimer(this);

        protected override void OnCancelled()
        {
            _transaction = null;
            _layer = null;
        }
    }
}
