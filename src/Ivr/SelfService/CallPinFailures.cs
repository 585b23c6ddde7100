using System.Collections.Concurrent;

namespace CallCenter.Ivr.SelfService;

/// <summary>
/// Wrong PINs per call, across every account the call tried (an unknown account and a locked one count
/// as wrong too): after <see cref="Max"/> the call gets no more tries, so one call cannot spray a PIN
/// over many account numbers. A right PIN does not reset it (a caller who knows one account's PIN
/// must not win more guesses at others). A call lives on one node, so the count is the node's memory;
/// counts of calls older than <see cref="KeepFor"/> are dropped (no call lasts that long at a PIN prompt).
/// </summary>
public sealed class CallPinFailures(TimeProvider? time = null)
{
    /// <summary>Wrong PINs one call may key, the same as one account's tries before its lock.</summary>
    public const int Max = 3;

    public static readonly TimeSpan KeepFor = TimeSpan.FromHours(6);

    private const int PruneAbove = 1024;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, Entry> _calls = new(StringComparer.Ordinal);

    /// <summary>The wrong PINs the call has keyed so far.</summary>
    public int Of(string callId) => _calls.TryGetValue(callId, out var entry) ? entry.Failures : 0;

    /// <summary>Counts one more wrong PIN for the call; answers the call's count after it.</summary>
    public int Add(string callId)
    {
        var now = _time.GetUtcNow();
        if (_calls.Count > PruneAbove)
        {
            foreach (var (id, entry) in _calls)
            {
                if (now - entry.Since > KeepFor)
                {
                    _calls.TryRemove(id, out _);
                }
            }
        }

        return _calls.AddOrUpdate(callId, _ => new Entry(1, now), (_, entry) => entry with { Failures = entry.Failures + 1 }).Failures;
    }

    /// <summary>Tries left to the call (0: none, the answer is "locked").</summary>
    public int TriesLeft(string callId) => Math.Max(0, Max - Of(callId));

    private sealed record Entry(int Failures, DateTimeOffset Since);
}
