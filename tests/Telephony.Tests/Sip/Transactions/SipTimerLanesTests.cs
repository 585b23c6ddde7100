using CallCenter.Telephony.Sip.Transactions;
using CallCenter.TestSupport;

namespace CallCenter.Telephony.Tests.Sip.Transactions;

/// <summary>The transaction layer's timers: one runtime timer per duration, each timer fired once, in order, on time (or at most the slack late), a cancelled one never.</summary>
public sealed class SipTimerLanesTests
{
    [Test]
    public void TimersOfOneDurationFireInTheOrderStartedEachAtItsTimeAndACancelledOneNever()
    {
        var time = new ManualTimeProvider();
        var lanes = new SipTimerLanes(time);
        var fired = new List<(string Name, TimeSpan At)>();
        var start = time.GetTimestamp();
        TimeSpan Now() => time.GetElapsedTime(start);

        lanes.Start(new Entry("a", fired, Now), TimeSpan.FromSeconds(32));
        time.Advance(TimeSpan.FromSeconds(1));
        var b = new Entry("b", fired, Now);
        lanes.Start(b, TimeSpan.FromSeconds(32));
        time.Advance(TimeSpan.FromSeconds(1));
        lanes.Start(new Entry("c", fired, Now), TimeSpan.FromSeconds(32));
        b.Cancel();

        time.Advance(TimeSpan.FromSeconds(29.999));
        Assert.That(fired, Is.Empty, "nothing before its time");
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.That(fired, Is.EqualTo(new[] { ("a", TimeSpan.FromSeconds(32)) }), "an idle lane's first timer fires exactly on time");

        time.Advance(TimeSpan.FromSeconds(5));
        Assert.That(fired.Select(f => f.Name), Is.EqualTo(new[] { "a", "c" }), "the cancelled b never fires");
        Assert.That(fired[1].At, Is.EqualTo(TimeSpan.FromSeconds(34)), "c at its own time: the lane waited past the cancelled b's");
        Assert.That(time.PendingTimers, Is.Zero, "an empty lane's timer is not armed");
    }

    [Test]
    public void TenThousandTimersOfThreeDurationsHoldThreeRuntimeTimersAndAllFireWithinTheSlack()
    {
        var time = new ManualTimeProvider();
        var lanes = new SipTimerLanes(time);
        var fired = new List<(string Name, TimeSpan At)>();
        var start = time.GetTimestamp();
        TimeSpan Now() => time.GetElapsedTime(start);
        var durations = new[] { TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(32) };
        var due = new Dictionary<string, TimeSpan>();
        for (var i = 0; i < 10_000; i++)
        {
            // A call a millisecond, as at 1,000 calls a second.
            var duration = durations[i % 3];
            lanes.Start(new Entry($"t{i}", fired, Now), duration);
            due[$"t{i}"] = Now() + duration;
            time.Advance(TimeSpan.FromMilliseconds(i % 3 == 2 ? 1 : 0));
        }

        Assert.That(time.PendingTimers, Is.LessThanOrEqualTo(3), "one runtime timer per duration, not one per transaction");
        Assert.That(lanes.Count, Is.EqualTo(3));
        time.Advance(TimeSpan.FromSeconds(40));

        Assert.That(fired, Has.Count.EqualTo(10_000), "each fires once");
        Assert.That(fired.Select(f => f.Name).Distinct().Count(), Is.EqualTo(10_000));
        var lateness = fired.Select(f => f.At - due[f.Name]).ToList();
        Assert.That(lateness.Min(), Is.GreaterThanOrEqualTo(-SipTimerLanes.Resolution), "never more than the resolution early");
        Assert.That(lateness.Max(), Is.LessThanOrEqualTo(SipTimerLanes.Slack), "at most the slack late");
        Assert.That(time.PendingTimers, Is.Zero);
    }

    [Test]
    public void ACancelledTimerLetsGoOfItsTargetAtOnceAndDisposalDropsWhatWaitsButNotWhatStartsLater()
    {
        var time = new ManualTimeProvider();
        var lanes = new SipTimerLanes(time);
        var fired = new List<(string Name, TimeSpan At)>();
        var start = time.GetTimestamp();
        var target = new WeakReference(new object());
        var held = new Holder(target.Target!, fired);
        lanes.Start(held, TimeSpan.FromSeconds(32));
        held.Cancel();
        Assert.That(held.Target, Is.Null, "a cancelled entry waits in its lane up to 32 s, but not with what it refers to");

        lanes.Start(new Entry("before-dispose", fired, () => time.GetElapsedTime(start)), TimeSpan.FromSeconds(1));
        lanes.Dispose();
        Assert.That(time.PendingTimers, Is.Zero, "the lanes' runtime timers are gone");

        // A transaction started while the platform stops still gets its timers (its retransmissions, its time-out).
        lanes.Start(new Entry("started-after-dispose", fired, () => time.GetElapsedTime(start)), TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(40));
        Assert.That(fired.Select(f => f.Name), Is.EqualTo(new[] { "started-after-dispose" }), "only the timer started after the disposal fires");
        Assert.That(time.PendingTimers, Is.Zero);
    }

    private sealed class Holder(object target, List<(string Name, TimeSpan At)> fired) : SipTimerEntry
    {
        public object? Target { get; private set; } = target;

        internal override void Fire() => fired.Add(("held", TimeSpan.Zero));

        protected override void OnCancelled() => Target = null;
    }

    private sealed class Entry(string name, List<(string Name, TimeSpan At)> fired, Func<TimeSpan> now) : SipTimerEntry
    {
        internal override void Fire() => fired.Add((name, now()));
    }
}
