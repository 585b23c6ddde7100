namespace CallCenter.ResourceControl.Cluster;

/// <summary>A node's heartbeat as read from <c>cluster_nodes</c>: the process (instance) holding the id, and the time it last wrote.</summary>
internal sealed record NodeBeat(string Node, string Instance, long SeenMs);

/// <summary>
/// <b>Pure</b>: which nodes have died, as one observer (the cluster's leader) measures it on its own monotonic clock. A
/// node is silent once its heartbeat (instance and <c>seen_ms</c> together) has not changed for <see cref="Dead"/> of
/// the observer's time: the value of <c>seen_ms</c> is never compared with the observer's clock, so a node whose clock
/// is ahead of or behind the observer's is judged by whether it still beats, not by what its clock says. A new observer
/// (a new leader) starts with nothing and waits the full <see cref="Dead"/> before it calls any node silent.
/// </summary>
internal sealed class NodeHeartbeats(TimeSpan dead)
{
    // Moved: this observer saw the heartbeat change at least once (a row first seen may belong to a node long dead).
    private readonly Dictionary<string, (NodeBeat Beat, TimeSpan ChangedAt, bool Reported, bool Moved)> _seen = new(StringComparer.Ordinal);

    /// <summary>How long a heartbeat must stand still before its node is taken for dead.</summary>
    public TimeSpan Dead { get; } = dead;

    /// <summary>
    /// Takes in the heartbeats read now (<paramref name="now"/>: the observer's monotonic time) and returns the nodes
    /// other than <paramref name="self"/> whose heartbeat has not moved for <see cref="Dead"/>, each with the last
    /// heartbeat seen (what a conditional write must still find) and whether it is newly silent.
    /// </summary>
    public IReadOnlyList<(NodeBeat Last, TimeSpan SilentFor, bool Newly)> Observe(IEnumerable<NodeBeat> beats, string self, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(beats);
        var silent = new List<(NodeBeat, TimeSpan, bool)>();
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var beat in beats.Where(b => b.Node != self))
        {
            present.Add(beat.Node);
            if (!_seen.TryGetValue(beat.Node, out var seen))
            {
                // New to this observer: taken as alive as of now (not yet seen beating).
                _seen[beat.Node] = (beat, now, false, false);
                continue;
            }

            if (seen.Beat != beat)
            {
                // It beat since: alive as of now.
                _seen[beat.Node] = (beat, now, false, true);
                continue;
            }

            var silentFor = now - seen.ChangedAt;
            if (silentFor >= Dead)
            {
                silent.Add((beat, silentFor, !seen.Reported));
                _seen[beat.Node] = seen with { Reported = true };
            }
        }

        foreach (var gone in _seen.Keys.Where(n => !present.Contains(n)).ToList())
        {
            _seen.Remove(gone);
        }

        return silent;
    }

    /// <summary>
    /// Whether a node other than the observer is beating as of <paramref name="now"/>: this observer saw its heartbeat
    /// change, and not longer than <see cref="Dead"/> ago. A row only ever seen standing still (a node long gone, or
    /// one first read just now) does not count.
    /// </summary>
    public bool AnotherBeats(TimeSpan now) => _seen.Values.Any(s => s.Moved && now - s.ChangedAt < Dead);
}
