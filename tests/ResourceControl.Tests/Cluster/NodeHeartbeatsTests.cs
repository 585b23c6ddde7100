using CallCenter.ResourceControl.Cluster;

namespace CallCenter.ResourceControl.Tests.Cluster;

/// <summary>
/// The leader's view of the nodes' heartbeats (issue 19): a node is dead once its heartbeat stood still for the dead
/// time on the observer's clock, whatever its <c>seen_ms</c> says; a beat or a restart (new instance) makes it alive
/// again; it is reported newly dead once; the observer itself is never dead.
/// </summary>
public sealed class NodeHeartbeatsTests
{
    private static readonly TimeSpan _dead = TimeSpan.FromSeconds(10);

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Test]
    public void ANodeIsDeadOnceItsHeartbeatStoodStillForTheDeadTimeOnTheObserversClockAndABeatOrARestartRevivesIt()
    {
        var watch = new NodeHeartbeats(_dead);

        // node-2's clock is an hour ahead of anyone's: only whether its heartbeat moves counts.
        var ahead = new NodeBeat("node-2", "b-1", 9_999_999_999_999);
        var self = new NodeBeat("node-1", "a-1", 1);
        var first = watch.Observe([ahead, self], "node-1", S(0));
        var early = watch.Observe([ahead, self], "node-1", S(9.9));
        var dead = watch.Observe([ahead, self], "node-1", S(10));
        var stillDead = watch.Observe([ahead, self], "node-1", S(11));

        // It restarts (a new instance) and later beats slowly (every 9 s): alive throughout.
        var restarted = watch.Observe([ahead with { Instance = "b-2" }], "node-1", S(12));
        var slow1 = watch.Observe([ahead with { Instance = "b-2", SeenMs = 5 }], "node-1", S(21));
        var slow2 = watch.Observe([ahead with { Instance = "b-2", SeenMs = 6 }], "node-1", S(30));

        Assert.That(first, Is.Empty, "a new observer waits the full dead time");
        Assert.That(early, Is.Empty);
        Assert.That(dead.Select(d => (d.Last, d.Newly)), Is.EqualTo(new[] { (ahead, true) }));
        Assert.That(stillDead.Select(d => (d.Last, d.Newly)), Is.EqualTo(new[] { (ahead, false) }), "reported newly dead once");
        Assert.That(restarted, Is.Empty);
        Assert.That(slow1, Is.Empty);
        Assert.That(slow2, Is.Empty, "a slow node is not dead");
    }

    [Test]
    public void AnotherNodeBeatsOnlyOnceItsHeartbeatWasSeenChangingWithinTheDeadTime()
    {
        var watch = new NodeHeartbeats(_dead);
        var gone = new NodeBeat("node-3", "c-1", 42);
        var self = new NodeBeat("node-1", "a-1", 1);

        // A row long dead (never changes) and this observer's own beating row: nobody else beats.
        watch.Observe([gone, self], "node-1", S(0));
        watch.Observe([gone, self with { SeenMs = 2 }], "node-1", S(1));
        var aloneWithADeadRow = watch.AnotherBeats(S(1));

        // node-2 appears (first seen: not yet beating), then beats.
        watch.Observe([gone, new NodeBeat("node-2", "b-1", 10)], "node-1", S(2));
        var firstSeen = watch.AnotherBeats(S(2));
        watch.Observe([gone, new NodeBeat("node-2", "b-1", 11)], "node-1", S(3));
        var beating = watch.AnotherBeats(S(3));
        var stillWithinDead = watch.AnotherBeats(S(12.9));
        var silentSince = watch.AnotherBeats(S(13));

        Assert.That(aloneWithADeadRow, Is.False, "a row that never moves is no live node, nor is the observer itself");
        Assert.That(firstSeen, Is.False, "a row first read is not yet seen beating");
        Assert.That(beating, Is.True);
        Assert.That(stillWithinDead, Is.True);
        Assert.That(silentSince, Is.False, "silent for the dead time: no longer alive");
    }
}
