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
            if (effect is Effect.CancelTimer cancel && tx.Timers.Remove(cancel.Timer, out var old))
            {
                old.Cancel();
            }
            else if (effect is Effect.StartTimer start)
            {
                if (tx.Timers.Remove(start.Timer, out var replaced))
                {
                    replaced.Cancel();
                }

                // The callback takes tx.Gate, held here, so it cannot see the state before the timer is in tx.Timers.
                var state = new TimerState(this, tx, start.Timer);
                tx.Timers[start.Timer] = state;
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
            if (!tx.Timers.TryGetValue(state.Kind, out var current) || !ReferenceEquals(current, state))
            {
                return;
            }

            tx.Timers.Remove(state.Kind);
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

    private static void DisposeTimers(SipTransaction tx)
    {
        foreach (var timer in tx.Timers.Values)
        {
            timer.Cancel();
        }

        tx.Timers.Clear();
    }

    /// <summary>One running machine timer of a transaction: the entry its lane holds, and what <see cref="SipTransaction.Timers"/> maps its kind to.</summary>
    /// <remarks>A cancelled one waits in its lane until its time (up to 32 s): it lets go of its layer and transaction (with its request and responses) at once.</remarks>
    internal sealed class TimerState(SipTransactionLayer layer, SipTransaction transaction, SipTransactionTimer kind) : SipTimerEntry
    {
        private volatile SipTransactionLayer? _layer = layer;
        private volatile SipTransaction? _transaction = transaction;

        public SipTransaction? Transaction => _transaction;

        public SipTransactionTimer Kind { get; } = kind;

        internal override void Fire() => _layer?.OnTimer(this);

        protected override void OnCancelled()
        {
            _transaction = null;
            _layer = null;
        }
    }
}
