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
        lock (state.Transaction.Gate)
        {
            // A timer cancelled or replaced after it was already due must not act.
            if (!state.Transaction.Timers.TryGetValue(state.Kind, out var current) || !ReferenceEquals(current, state))
            {
                return;
            }

            state.Transaction.Timers.Remove(state.Kind);
        }

        _ = FireAsync(state);
    }

    private async Task FireAsync(TimerState state)
    {
        try
        {
            await DispatchAsync(state.Transaction, new Event.TimerFired(state.Kind), state.Transaction.Remote);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            TelephonyLog.TransactionTimerFailed(_logger, ex, state.Kind.ToString(), state.Transaction.Request.CallId);
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
    internal sealed class TimerState(SipTransactionLayer layer, SipTransaction transaction, SipTransactionTimer kind) : SipTimerEntry
    {
        public SipTransactionLayer Layer { get; } = layer;

        public SipTransaction Transaction { get; } = transaction;

        public SipTransactionTimer Kind { get; } = kind;

        internal override void Fire() => Layer.OnTimer(this);
    }
}
