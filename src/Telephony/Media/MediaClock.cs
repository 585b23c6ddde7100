using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

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
/// <para>
/// The list of targets the loop walks is the loop's own. <see cref="Add"/> and <see cref="Remove"/> change the set of
/// members under a short lock and note the target as changed; the loop brings its list in line with the members at the
/// start of each tick, so a change costs the same with ten legs or ten thousand (it used to copy the whole list, twice a
/// call). As before, a target removed while a tick is under way may still get that tick, and no later one. Targets are
/// ticked in no set order.
/// </para>
/// </summary>
public sealed partial class MediaClock(ILogger<MediaClock>? logger = null) : IAsyncDisposable
{
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(20);

    /// <summary>How late the clock may run and still send every frame it owes; beyond, missed ticks are skipped.</summary>
    public static readonly TimeSpan MaxCatchUp = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The nice value the clock's thread asks for on Linux (the process stays at 0). Its work is
    /// small but due every 20 ms; on a busy machine the scheduler otherwise runs it late behind the
    /// receive threads and other processes, and its frames and the recordings lose audio.
    /// Lowering the nice value needs CAP_SYS_NICE (root, or the service unit's
    /// AmbientCapabilities=CAP_SYS_NICE); without it the thread runs at the process's priority.
    /// </summary>
    public const int ThreadNice = -10;

    private long _skippedTicks;
    private int _nice;

    private readonly object _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly long[] _latenessHistogram = new long[LatenessBuckets];
    private readonly HashSet<IMediaClockTarget> _members = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<IMediaClockTarget> _changed = new(ReferenceEqualityComparer.Instance);

    // The loop's own: what it ticks, and where each target sits in it (for removal without a search).
    private readonly List<IMediaClockTarget> _live = [];
    private readonly Dictionary<IMediaClockTarget, int> _liveAt = new(ReferenceEqualityComparer.Instance);
    private int _memberCount;
    private bool _ended; // under _gate: the loop has stopped
    private long _targetFailures;
    private Task? _loop;
    private long _maxLatenessTicks;
    private long _ticks;
    private int _disposed;

    // Lateness histogram: 0.1 ms buckets up to 50 ms; the last bucket holds everything later.
    private const int LatenessBuckets = 501;
    private const long BucketTicks = TimeSpan.TicksPerMillisecond / 10;

    /// <summary>Targets taken off the clock because their tick threw.</summary>
    public long TargetFailures => Interlocked.Read(ref _targetFailures);

    /// <summary>How many targets are added and not removed (the loop ticks them from its next tick on).</summary>
    public int Targets => Volatile.Read(ref _memberCount);

    /// <summary>The largest lateness of a tick seen so far.</summary>
    public TimeSpan MaxLateness => TimeSpan.FromTicks(Interlocked.Read(ref _maxLatenessTicks));

    /// <summary>The clock thread's nice value once started: <see cref="ThreadNice"/> when the system allowed it, otherwise 0.</summary>
    public int Nice => Volatile.Read(ref _nice);

    /// <summary>Ticks run since start.</summary>
    public long Ticks => Interlocked.Read(ref _ticks);

    /// <summary>Ticks skipped because the clock ran more than <see cref="MaxCatchUp"/> late (CPU starvation).</summary>
    public long SkippedTicks => Interlocked.Read(ref _skippedTicks);

    /// <summary>
    /// The lateness of ticks at or below which <paramref name="fraction"/> of them fell (0.99 for
    /// p99), to 0.1 ms, measured from the tick's due time to the start of its work.
    /// </summary>
    public TimeSpan LatenessPercentile(double fraction)
    {
        var counts = new long[LatenessBuckets];
        long total = 0;
        for (var i = 0; i < LatenessBuckets; i++)
        {
            counts[i] = Interlocked.Read(ref _latenessHistogram[i]);
            total += counts[i];
        }

        long seen = 0;
        for (var i = 0; i < LatenessBuckets; i++)
        {
            seen += counts[i];
            if (total > 0 && seen >= fraction * total)
            {
                return TimeSpan.FromTicks((i + 1) * BucketTicks);
            }
        }

        return TimeSpan.Zero;
    }

    /// <summary>Forgets the lateness seen so far (a benchmark resets after its warm-up).</summary>
    public void ResetLateness()
    {
        Array.Clear(_latenessHistogram);
        Interlocked.Exchange(ref _maxLatenessTicks, 0);
    }

    public void Start() => _loop ??= Task.Factory.StartNew(Run, TaskCreationOptions.LongRunning);

    /// <summary>Ticks <paramref name="target"/> from the next tick on; adding a target twice ticks it once.</summary>
    public void Add(IMediaClockTarget target) => Change(target, member: true);

    /// <summary>No tick that starts after this returns calls <paramref name="target"/>; one under way may.</summary>
    public void Remove(IMediaClockTarget target) => Change(target, member: false);

    /// <summary>Under the lock: the membership changes, and the loop's list is to follow it at its next tick.</summary>
    private void Change(IMediaClockTarget target, bool member)
    {
        ArgumentNullException.ThrowIfNull(target);
        lock (_gate)
        {
            if (member ? _members.Add(target) : _members.Remove(target))
            {
                if (!_ended)
                {
                    _changed.Add(target);
                }

                Volatile.Write(ref _memberCount, _members.Count);
            }
        }
    }

    /// <summary>The loop, before a tick: its list follows the members changed since the last one.</summary>
    private void ApplyChanges()
    {
        lock (_gate)
        {
            foreach (var target in _changed)
            {
                var member = _members.Contains(target);
                if (member && !_liveAt.ContainsKey(target))
                {
                    _liveAt[target] = _live.Count;
                    _live.Add(target);
                }
                else if (!member && _liveAt.Remove(target, out var at))
                {
                    // The last one takes the removed one's place: no shift, no search.
                    var last = _live[^1];
                    _live[at] = last;
                    _live.RemoveAt(_live.Count - 1);
                    if (!ReferenceEquals(last, target))
                    {
                        _liveAt[last] = at;
                    }
                }
            }

            _changed.Clear();
        }
    }

    private void Run()
    {
        if (OperatingSystem.IsLinux() && SetPriority(PrioProcess, GetThreadId(), ThreadNice) == 0)
        {
            Volatile.Write(ref _nice, ThreadNice);
        }

        try
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

                var late = Math.Max(0, Stopwatch.GetElapsedTime(due).Ticks);
                if (late > MaxCatchUp.Ticks)
                {
                    // Starved of CPU for longer than a listener can bridge: replaying every missed tick
                    // would keep all media late for good. Skip them (counted) and keep time from here.
                    var skipped = late / Period.Ticks;
                    tick += skipped;
                    Interlocked.Add(ref _skippedTicks, skipped);
                    late -= skipped * Period.Ticks;
                }

                if (late > Interlocked.Read(ref _maxLatenessTicks))
                {
                    Interlocked.Exchange(ref _maxLatenessTicks, late);
                }

                Interlocked.Increment(ref _latenessHistogram[Math.Min(late / BucketTicks, LatenessBuckets - 1)]);
                Interlocked.Increment(ref _ticks);

                ApplyChanges();
                TickAll(tick);
            }
        }
        finally
        {
            lock (_gate)
            {
                // Nothing ticks from here on: changes are no longer noted for a loop that will not read them.
                _ended = true;
                _changed.Clear();
            }
        }
    }

    /// <summary>
    /// One tick to every target, in no set order (a target must not depend on another's tick). A target that throws is
    /// counted and taken off the clock, and the others still get their tick: before, one failing leg stopped the media
    /// of every call.
    /// </summary>
    private void TickAll(long tick)
    {
        List<IMediaClockTarget>? failed = null;
        foreach (var target in _live)
        {
            try
            {
                target.OnTick(tick);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Interlocked.Increment(ref _targetFailures);
                TelephonyLog.ClockTargetFailed(_logger, e, target.ToString() ?? target.GetType().Name);
                (failed ??= []).Add(target);
            }
        }

        if (failed is not null)
        {
            foreach (var target in failed)
            {
                Remove(target);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Stopped by the host and disposed again by the container: the second time is a no-op.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stopping.Dispose();
    }

    private const int PrioProcess = 0; // with a thread id, setpriority(2) sets that thread's nice value

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();
}
