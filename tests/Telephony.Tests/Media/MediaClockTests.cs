using System.Diagnostics;
using CallCenter.Telephony.Media;
using Microsoft.Extensions.Logging;

namespace CallCenter.Telephony.Tests.Media;

public sealed class MediaClockTests
{
    private sealed class Recorder : IMediaClockTarget
    {
        public List<(long Tick, long Timestamp)> Calls { get; } = [];

        public void OnTick(long tick)
        {
            lock (Calls)
            {
                Calls.Add((tick, Stopwatch.GetTimestamp()));
            }
        }
    }

    private sealed class Stall(int atTick, int milliseconds) : IMediaClockTarget
    {
        public List<long> Ticks { get; } = [];

        public void OnTick(long tick)
        {
            lock (Ticks)
            {
                Ticks.Add(tick);
            }

            if (Ticks.Count == atTick)
            {
                Thread.Sleep(milliseconds); // a starved CPU, as seen by the clock
            }
        }
    }

    /// <summary>
    /// Legs come and go while the clock runs: a removed one gets no tick that started after its removal, the others
    /// keep every tick exactly once whatever place in the loop's list they were moved to, and a target added twice
    /// is one target.
    /// </summary>
    [Test]
    public async Task TargetsRemovedWhileTheClockRunsStopAndTheOthersKeepEveryTickOnce()
    {
        var clock = new MediaClock();
        var sentinel = new Recorder();
        var legs = Enumerable.Range(0, 200).Select(_ => new Recorder()).ToArray();
        clock.Add(sentinel);
        foreach (var leg in legs)
        {
            clock.Add(leg);
        }

        clock.Add(legs[7]);
        Assert.That(clock.Targets, Is.EqualTo(201));
        clock.Start();
        await Task.Delay(100);

        // Every other leg goes, in a shuffled order so that the loop's list is reshuffled by each removal.
        var removed = legs.Where((_, i) => i % 2 == 0).OrderBy(_ => Random.Shared.Next()).ToArray();
        var lastSeenAtRemoval = new Dictionary<Recorder, long>();
        foreach (var leg in removed)
        {
            clock.Remove(leg);
            lock (sentinel.Calls)
            {
                lastSeenAtRemoval[leg] = sentinel.Calls.Count == 0 ? 0 : sentinel.Calls[^1].Tick;
            }
        }

        clock.Remove(legs[0]);
        Assert.That(clock.Targets, Is.EqualTo(101), "the sentinel and the 100 kept legs");
        await Task.Delay(200);
        await clock.DisposeAsync();

        long[] sentinelTicks;
        lock (sentinel.Calls)
        {
            sentinelTicks = [.. sentinel.Calls.Select(c => c.Tick)];
        }

        foreach (var leg in legs)
        {
            long[] ticks;
            lock (leg.Calls)
            {
                ticks = [.. leg.Calls.Select(c => c.Tick)];
            }

            Assert.That(ticks, Is.Unique.And.Ordered, "each tick once, in order");
            if (lastSeenAtRemoval.TryGetValue(leg, out var seen))
            {
                // The tick under way at the removal is the sentinel's next one (its number jumps if ticks were skipped).
                var underWay = sentinelTicks.FirstOrDefault(t => t > seen, seen);
                Assert.That(ticks.DefaultIfEmpty(0).Max(), Is.LessThanOrEqualTo(underWay), "no tick that started after the removal");
            }
            else
            {
                Assert.That(ticks, Is.EqualTo(sentinelTicks), "a kept leg has every tick the sentinel had");
            }
        }
    }

    private sealed class Lines : ILogger<MediaClock>
    {
        public List<(LogLevel Level, string Text, Exception? Error)> Logged { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Logged)
            {
                Logged.Add((logLevel, formatter(state, exception), exception));
            }
        }
    }

    private sealed class Faulty(int atTick) : IMediaClockTarget
    {
        public int Ticks { get; private set; }

        public void OnTick(long tick)
        {
            if (++Ticks == atTick)
            {
                throw new InvalidOperationException("a leg's bug");
            }
        }
    }

    /// <summary>One leg whose tick throws is counted and taken off; the clock goes on for every other leg.</summary>
    [Test]
    public async Task ATargetWhoseTickThrowsIsTakenOffAndTheOthersKeepTicking()
    {
        var log = new Lines();
        var clock = new MediaClock(log);
        var faulty = new Faulty(atTick: 3);
        var others = new[] { new Recorder(), new Recorder() };
        clock.Add(others[0]);
        clock.Add(faulty);
        clock.Add(others[1]);
        clock.Start();
        int Count(Recorder r)
        {
            lock (r.Calls)
            {
                return r.Calls.Count;
            }
        }

        // Polled, not slept: a starved machine skips ticks, so a fixed wait may hold fewer than expected.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((clock.TargetFailures == 0 || others.Any(o => Count(o) <= 5)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var ticksAfterFault = others.Select(Count).ToArray();
        while (others.Zip(ticksAfterFault).Any(p => Count(p.First) <= p.Second) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        await clock.DisposeAsync();

        Assert.That((faulty.Ticks, clock.TargetFailures, clock.Targets), Is.EqualTo((3, 1L, 2)), "ticked until it threw, then off the clock");
        Assert.That(log.Logged, Has.Exactly(1).Matches<(LogLevel Level, string Text, Exception? Error)>(l =>
            l.Level == LogLevel.Error && l.Text.Contains("taken off the clock", StringComparison.Ordinal) && l.Error?.Message == "a leg's bug"));
        foreach (var (other, before) in others.Zip(ticksAfterFault))
        {
            Assert.That(before, Is.GreaterThan(5), "the others were ticked past the fault");
            Assert.That(Count(other), Is.GreaterThan(before), "and still are");
        }
    }

    [Test]
    public async Task AStallLongerThanTheCatchUpLimitSkipsTheMissedTicksInsteadOfReplayingThem()
    {
        var clock = new MediaClock();
        var stall = new Stall(atTick: 5, milliseconds: 500);
        clock.Add(stall);
        clock.Start();

        await Task.Delay(1200);
        await clock.DisposeAsync();

        List<long> ticks;
        lock (stall.Ticks)
        {
            ticks = [.. stall.Ticks];
        }

        Assert.That(clock.SkippedTicks, Is.GreaterThanOrEqualTo(20), "about 500 ms of 20 ms ticks (more if the machine stalls too)");
        Assert.That(ticks.Zip(ticks.Skip(1)).Count(p => p.Second - p.First > 10), Is.GreaterThanOrEqualTo(1), "a jump over the stall");
        Assert.That(ticks[^1], Is.InRange(50, 62), "time is kept: the tick number still matches the wall clock");
    }

    [Test]
    public async Task TheClockThreadRunsAtTheNiceValueItReports()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("thread nice values are read from /proc");
        }

        var clock = new MediaClock();
        var probe = new NiceProbe();
        clock.Add(probe);
        clock.Start();
        await Task.Delay(200);
        await clock.DisposeAsync();

        Assert.That(probe.Nice, Is.Not.Null, "the clock never ticked");
        Assert.That(clock.Nice, Is.AnyOf(0, MediaClock.ThreadNice));
        Assert.That(probe.Nice, Is.EqualTo(clock.Nice), "the clock thread's nice value (/proc/thread-self/stat) is not the one reported");
        if (Environment.UserName == "root")
        {
            Assert.That(clock.Nice, Is.EqualTo(MediaClock.ThreadNice), "root may raise the clock thread's priority");
        }
    }

    /// <summary>Reads the nice value of the thread that ticks it (field 19 of /proc/thread-self/stat).</summary>
    private sealed class NiceProbe : IMediaClockTarget
    {
        public int? Nice { get; private set; }

        public void OnTick(long tick)
        {
            var stat = File.ReadAllText("/proc/thread-self/stat");
            Nice = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16], System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    [Test]
    public async Task TicksEveryTwentyMillisecondsWithoutDriftAndStopsCallingRemovedTargets()
    {
        var clock = new MediaClock();
        var recorder = new Recorder();
        clock.Add(recorder);
        var started = Stopwatch.GetTimestamp();
        clock.Start();

        await Task.Delay(1000);
        clock.Remove(recorder);
        int countAtRemoval;
        lock (recorder.Calls)
        {
            countAtRemoval = recorder.Calls.Count;
        }

        await Task.Delay(100);
        await clock.DisposeAsync();

        // Deadlines are start + n*20 ms, so after ~1 s about 50 ticks ran however late single ones were.
        Assert.That(countAtRemoval, Is.InRange(40, 52));
        Assert.That(recorder.Calls, Has.Count.EqualTo(countAtRemoval));
        Assert.That(recorder.Calls.Select(c => c.Tick), Is.Ordered.Ascending.And.Unique);
        var last = recorder.Calls[^1];
        var expected = TimeSpan.FromMilliseconds(20 * last.Tick);
        var actual = Stopwatch.GetElapsedTime(started, last.Timestamp);
        Assert.That((actual - expected).Duration(), Is.LessThan(TimeSpan.FromMilliseconds(60)), "drift");
        Assert.That(clock.LatenessPercentile(0.5), Is.GreaterThan(TimeSpan.Zero).And.LessThan(TimeSpan.FromMilliseconds(50)));
    }
}
