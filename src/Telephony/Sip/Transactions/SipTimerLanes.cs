namespace CallCenter.Telephony.Sip.Transactions;

/// <summary>
/// The transaction layer's timers, one lane per duration. Timers of one duration fall due in the order they were
/// started, so a lane is a first-in, first-out queue with one <see cref="ITimer"/> armed for its head: starting a
/// timer is an enqueue, cancelling one a mark (the entry is dropped when it reaches the head), and the runtime's
/// timer queue holds a handful of timers instead of one per transaction. At 1,000 calls a second two transactions a
/// call linger 32 s each (RFC 3261 Timers J and L): 64,000 timers, which the runtime's queue walked on every pass.
/// A lane that has just fired waits at least <see cref="Slack"/> before it fires again, so a burst of timers falling
/// due together is one callback, not one each; a timer is therefore at most that late (or <see cref="Resolution"/> early).
/// Due times are the <see cref="TimeProvider"/>'s timestamps, which do not step when the wall clock does. The due
/// entries of one callback run one after another on its thread: each is a state machine's step and at most one
/// datagram sent, and a timer thread's callback was never a place to wait anyway.
/// </summary>
internal sealed class SipTimerLanes(TimeProvider time) : IDisposable
{
    /// <summary>The most a timer fires after its due time because its lane waits to gather what falls due next.</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// An entry this close to its due time counts as due when its lane fires: the runtime counts whole milliseconds
    /// from a truncated start, so a timer armed for exactly the wait can fire up to a millisecond before the head's
    /// timestamp; without this it would find nothing due and wait out the slack.
    /// </summary>
    public static readonly TimeSpan Resolution = TimeSpan.FromMilliseconds(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<TimeSpan, Lane> _lanes = [];

    /// <summary>How many lanes exist (one per distinct duration started so far).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _lanes.Count;
            }
        }
    }

    /// <summary>Starts <paramref name="entry"/>: it fires once, <paramref name="duration"/> from now (no later than <see cref="Slack"/> after), unless cancelled first.</summary>
    public void Start(SipTimerEntry entry, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(entry);
        Lane? lane;
        lock (_gate)
        {
            if (!_lanes.TryGetValue(duration, out lane))
            {
                lane = new Lane(time, duration);
                _lanes[duration] = lane;
            }
        }

        lane.Add(entry);
    }

    /// <summary>
    /// Stops every lane's runtime timer: what is waiting now never fires. A timer started later gets a new lane and fires
    /// as usual: a transaction a call still starts while the platform stops (its last BYE) keeps its retransmissions and
    /// its time-out, so whoever awaits it is answered.
    /// </summary>
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var lane in _lanes.Values)
            {
                lane.Dispose();
            }

            _lanes.Clear();
        }
    }

    private sealed class Lane : IDisposable
    {
        private readonly Lock _gate = new();
        private readonly Queue<SipTimerEntry> _waiting = new();
        private readonly TimeProvider _time;
        private readonly TimeSpan _duration;
        private readonly long _durationTimestamp;
        private readonly long _resolutionTimestamp;
        private readonly ITimer _timer;
        private bool _armed;

        public Lane(TimeProvider time, TimeSpan duration)
        {
            _time = time;
            _duration = duration < TimeSpan.Zero ? TimeSpan.Zero : duration;
            _durationTimestamp = (long)Math.Ceiling(_duration.Ticks * (double)time.TimestampFrequency / TimeSpan.TicksPerSecond);
            _resolutionTimestamp = (long)(Resolution.Ticks * (double)time.TimestampFrequency / TimeSpan.TicksPerSecond);
            _timer = time.CreateTimer(static s => ((Lane)s!).OnDue(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        public void Add(SipTimerEntry entry)
        {
            lock (_gate)
            {
                entry.Due = _time.GetTimestamp() + _durationTimestamp;
                _waiting.Enqueue(entry);
                if (!_armed)
                {
                    // An idle lane fires exactly on its first timer; Slack applies only between firings.
                    _armed = true;
                    _timer.Change(_duration, Timeout.InfiniteTimeSpan);
                }
            }
        }

        private void OnDue()
        {
            List<SipTimerEntry>? due = null;
            lock (_gate)
            {
                var now = _time.GetTimestamp();
                while (_waiting.TryPeek(out var head) && (head.Cancelled || head.Due <= now + _resolutionTimestamp))
                {
                    _waiting.Dequeue();
                    if (!head.Cancelled)
                    {
                        (due ??= []).Add(head);
                    }
                }

                if (_waiting.TryPeek(out var next))
                {
                    var wait = next.Due > now ? _time.GetElapsedTime(now, next.Due) : TimeSpan.Zero;
                    _timer.Change(wait < Slack ? Slack : wait, Timeout.InfiniteTimeSpan);
                }
                else
                {
                    _armed = false;
                }
            }

            if (due is null)
            {
                return;
            }

            foreach (var entry in due)
            {
                entry.Fire();
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _waiting.Clear();
                _armed = false;
                _timer.Dispose();
            }
        }
    }
}

/// <summary>
/// One timer of <see cref="SipTimerLanes"/>: fired once when due unless <see cref="Cancel"/>led first. <see cref="Fire"/>
/// must not throw (it runs on a timer thread, with the lane's other due entries after it); a cancelled entry waits in its
/// lane until its time, so <see cref="OnCancelled"/> lets go of what it refers to.
/// </summary>
internal abstract class SipTimerEntry
{
    private volatile bool _cancelled;

    /// <summary>The lane's timestamp at which it falls due; set by the lane when started.</summary>
    internal long Due { get; set; }

    internal bool Cancelled => _cancelled;

    /// <summary>It will not fire; its entry leaves its lane when it reaches the head.</summary>
    public void Cancel()
    {
        _cancelled = true;
        OnCancelled();
    }

    /// <summary>Drops references the entry no longer needs (it may still be fired once if it was already due: <see cref="Fire"/> copes).</summary>
    protected virtual void OnCancelled()
    {
    }

    /// <summary>Runs on the lane's timer thread, after the lane's lock is released.</summary>
    internal abstract void Fire();
}
