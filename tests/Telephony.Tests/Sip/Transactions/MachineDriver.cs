using CallCenter.Telephony.Sip.Transactions;
using Effect = CallCenter.Telephony.Sip.Transactions.SipTransactionEffect;
using Event = CallCenter.Telephony.Sip.Transactions.SipTransactionEvent;

namespace CallCenter.Telephony.Tests.Sip.Transactions;

/// <summary>Runs a pure transaction machine against a virtual clock: keeps its timers and fires them in order.</summary>
internal sealed class MachineDriver(SipTransactionMachine machine)
{
    private static DateTimeOffset Start => new(2026, 1, 5, 9, 30, 0, TimeSpan.Zero);
    private readonly Dictionary<SipTransactionTimer, TimeSpan> _due = [];

    public SipTransactionMachine Machine { get; } = machine;

    public TimeSpan Now { get; private set; }

    /// <summary>Every effect so far, with the time it was produced.</summary>
    public List<(TimeSpan At, Effect Effect)> Log { get; } = [];

    public List<SipTransactionState> States { get; } = [];

    public IReadOnlyList<Effect> Feed(Event transactionEvent)
    {
        var result = Machine.Handle(transactionEvent, Start + Now);
        foreach (var effect in result.Effects)
        {
            Log.Add((Now, effect));
            switch (effect)
            {
                case Effect.StartTimer s:
                    _due[s.Timer] = Now + s.Duration;
                    break;
                case Effect.CancelTimer c:
                    _due.Remove(c.Timer);
                    break;
                case Effect.Terminated:
                    _due.Clear();
                    break;
            }
        }

        if (States.Count == 0 || States[^1] != result.State)
        {
            States.Add(result.State);
        }

        return result.Effects;
    }

    /// <summary>Moves the clock to <paramref name="until"/>, firing timers that fall due on the way.</summary>
    public void RunUntil(TimeSpan until)
    {
        while (true)
        {
            var next = _due.Where(d => d.Value <= until).OrderBy(d => d.Value).Select(d => (KeyValuePair<SipTransactionTimer, TimeSpan>?)d).FirstOrDefault();
            if (next is null)
            {
                Now = until;
                return;
            }

            Now = next.Value.Value;
            _due.Remove(next.Value.Key);
            Feed(new Event.TimerFired(next.Value.Key));
        }
    }

    public bool IsRunning(SipTransactionTimer timer) => _due.ContainsKey(timer);

    public IEnumerable<TimeSpan> TimesOf<T>()
        where T : Effect => Log.Where(l => l.Effect is T).Select(l => l.At);

    public TimeSpan? DurationOf(SipTransactionTimer timer) =>
        Log.Select(l => l.Effect).OfType<Effect.StartTimer>().LastOrDefault(s => s.Timer == timer)?.Duration;
}
