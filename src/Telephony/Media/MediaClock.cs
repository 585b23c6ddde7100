using System.Diagnostics;

namespace CallCenter.Telephony.Media;

/// <summary>Something the media clock drives every 20 ms.</summary>
public interface IMediaClockTarget
{
    /// <summary>Called once per tick from the clock's thread; must not block.</summary>
    void OnTick(long tick);
}

/// <summary>
/// One 20 ms pacing loop for every call leg (no thread or timer per call). Deadlines are computed
/// from the start time (start + n * 20 ms), so lateness of one tick does not accumulate as drift.
/// </summary>
public sealed class MediaClock : IAsyncDisposable
{
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(20);

    private readonly object _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private IMediaClockTarget[] _targets = [];
    private Task? _loop;
    private long _maxLatenessTicks;

    public int Targets => Volatile.Read(ref _targets).Length;

    /// <summary>The largest lateness of a tick seen so far.</summary>
    public TimeSpan MaxLateness => TimeSpan.FromTicks(Interlocked.Read(ref _maxLatenessTicks));

    public void Start() => _loop ??= Task.Factory.StartNew(Run, TaskCreationOptions.LongRunning);

    public void Add(IMediaClockTarget target)
    {
        lock (_gate)
        {
            _targets = [.. _targets, target];
        }
    }

    public void Remove(IMediaClockTarget target)
    {
        lock (_gate)
        {
            _targets = Array.FindAll(_targets, t => !ReferenceEquals(t, target));
        }
    }

    private void Run()
    {
        var started = Stopwatch.GetTimestamp();
        long tick = 0;
        while (!_stopping.IsCancellationRequested)
        {
            tick++;
            var due = started + (tick * Period.Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                _stopping.Token.WaitHandle.WaitOne(wait);
            }

            var late = Stopwatch.GetElapsedTime(due).Ticks;
            if (late > Interlocked.Read(ref _maxLatenessTicks))
            {
                Interlocked.Exchange(ref _maxLatenessTicks, late);
            }

            foreach (var target in Volatile.Read(ref _targets))
            {
                target.OnTick(tick);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stopping.Dispose();
    }
}
