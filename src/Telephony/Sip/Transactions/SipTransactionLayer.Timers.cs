using Microsoft.Extensions.Logging;
using Effect = CallCenter.Telephony.Sip.Transactions.SipTransactionEffect;
using Event = CallCenter.Telephony.Sip.Transactions.SipTransactionEvent;

namespace CallCenter.Telephony.Sip.Transactions;

/// <summary>Timer plumbing: machine timers as <see cref="ITimer"/>s of the layer's <see cref="TimeProvider"/>, fed back as events.</summary>
public sealed partial class SipTransactionLayer
{
    /// <summary>Starts and cancels the timers the effects name; called under the transaction's lock.</summary>
    private void ApplyTimers(SipTransaction tx, IReadOnlyList<Effect> effects)
    {
        foreach (var effect in effects)
        {
            if (effect is Effect.CancelTimer cancel && tx.Timers.Remove(cancel.Timer, out var old))
            {
                old.Dispose();
            }
            else if (effect is Effect.StartTimer start)
            {
                if (tx.Timers.Remove(start.Timer, out var replaced))
                {
                    replaced.Dispose();
                }

                // The callback takes tx.Gate, held here, so it cannot see the state before Timer is set.
                var state = new TimerState(this, tx, start.Timer);
                state.Timer = _time.CreateTimer(static s => ((TimerState)s!).Layer.OnTimer((TimerState)s!), state, start.Duration, Timeout.InfiniteTimeSpan);
                tx.Timers[start.Timer] = state.Timer;
            }
        }
    }

    private void OnTimer(TimerState state)
    {
        lock (state.Transaction.Gate)
        {
            // A timer cancelled or replaced after it was already due must not act.
            if (!state.Transaction.Timers.TryGetValue(state.Kind, out var current) || !ReferenceEquals(current, state.Timer))
            {
                return;
            }

            state.Transaction.Timers.Remove(state.Kind);
            current.Dispose();
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
            timer.Dispose();
        }

        tx.Timers.Clear();
    }

    private sealed class TimerState(SipTransactionLayer layer, SipTransaction transaction, SipTransactionTimer kind)
    {
        public SipTransactionLayer Layer { get; } = layer;

        public SipTransaction Transaction { get; } = transaction;

        public SipTransactionTimer Kind { get; } = kind;

        public ITimer? Timer { get; set; }
    }
}
