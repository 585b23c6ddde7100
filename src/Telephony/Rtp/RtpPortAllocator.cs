using System.Net;

namespace CallCenter.Telephony.Rtp;

/// <summary>
/// Hands out even RTP ports (RTCP takes the odd one above, RFC 3550 11) from
/// <c>Rtp:PortMin</c>..<c>Rtp:PortMax</c>, least recently used first, so a just-freed port is not
/// reused at once (late packets of the old call would land in the new one).
/// <para>
/// A session's sockets are not closed when its leg ends: up to <c>Rtp:RestingPairs</c> pairs rest
/// here, still bound, and the oldest is handed to a new leg once it has rested
/// <see cref="MinimumRest"/> (emptied of what arrived meanwhile), which saves six system calls and
/// two socket registrations per leg. While no pair has rested long enough, an unused port of the
/// range is bound instead; only when the range has none left does a pair go back sooner, oldest
/// first (as the round-robin did before the pairs rested).
/// </para>
/// </summary>
public sealed class RtpPortAllocator : IDisposable
{
    /// <summary>How long an ended leg's pair rests before another leg gets it while unused ports remain.</summary>
    public static readonly TimeSpan MinimumRest = TimeSpan.FromSeconds(2);

    private readonly object _gate = new();
    private readonly HashSet<int> _taken = []; // in use by a session, or resting
    private readonly Queue<(RtpSocketPair Pair, long Since)> _resting = new();
    private readonly int _first;
    private readonly int _pairs;
    private readonly int _maxResting;
    private readonly TimeProvider _time;
    private int _next;
    private bool _disposed;

    public RtpPortAllocator(RtpOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _first = options.PortMin + (options.PortMin % 2);
        _pairs = Math.Max(0, (options.PortMax - _first + 1) / 2);
        _maxResting = Math.Max(0, options.RestingPairs);
        _time = time ?? TimeProvider.System;
    }

    public int Capacity => _pairs;

    /// <summary>Ports held by a live session (resting pairs are free).</summary>
    public int InUse
    {
        get
        {
            lock (_gate)
            {
                return _taken.Count - _resting.Count;
            }
        }
    }

    /// <summary>Ended legs' pairs kept bound for the next legs.</summary>
    public int Resting
    {
        get
        {
            lock (_gate)
            {
                return _resting.Count;
            }
        }
    }

    /// <summary>A free even port, or null when every pair is taken.</summary>
    public int? Allocate(Func<int, bool> tryBind)
    {
        ArgumentNullException.ThrowIfNull(tryBind);
        lock (_gate)
        {
            return AllocateUnused(tryBind);
        }
    }

    /// <summary>Under <see cref="_gate"/>: the next port of the round-robin that nobody holds.</summary>
    private int? AllocateUnused(Func<int, bool> tryBind)
    {
        for (var attempt = 0; attempt < _pairs; attempt++)
        {
            var port = _first + (2 * _next);
            _next = (_next + 1) % _pairs;
            if (_taken.Contains(port))
            {
                continue;
            }

            // Another program may hold the port; skip it rather than fail the call.
            if (tryBind(port))
            {
                _taken.Add(port);
                return port;
            }
        }

        return null;
    }

    public void Release(int port)
    {
        lock (_gate)
        {
            _taken.Remove(port);
        }
    }

    /// <summary>
    /// A bound pair for a new leg on <paramref name="address"/>: a rested one (emptied), else a new
    /// one on an unused port, else the pair that rested longest; null when the range is exhausted.
    /// </summary>
    public RtpSocketPair? Rent(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        RtpSocketPair? pair = null;
        List<RtpSocketPair>? stale = null;
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            while (_resting.TryPeek(out var head) && (!head.Pair.Address.Equals(address) || _time.GetElapsedTime(head.Since, now) >= MinimumRest))
            {
                _resting.Dequeue();
                if (head.Pair.Address.Equals(address))
                {
                    pair = head.Pair;
                    break;
                }

                _taken.Remove(head.Pair.Port); // bound elsewhere: of no use to this leg
                (stale ??= []).Add(head.Pair);
            }

            if (pair is null)
            {
                RtpSocketPair? bound = null;
                if (AllocateUnused(port => (bound = RtpSocketPair.TryBind(address, port)) is not null) is not null)
                {
                    return bound;
                }

                pair = TakeOldestOn(address, stale ??= []);
            }
        }

        foreach (var closed in stale ?? [])
        {
            closed.Dispose();
        }

        pair?.Drain();
        return pair;
    }

    /// <summary>Under <see cref="_gate"/>: the range is used up, so the longest-resting pair on the address goes back early.</summary>
    private RtpSocketPair? TakeOldestOn(IPAddress address, List<RtpSocketPair> stale)
    {
        while (_resting.TryDequeue(out var head))
        {
            if (head.Pair.Address.Equals(address))
            {
                return head.Pair;
            }

            _taken.Remove(head.Pair.Port);
            stale.Add(head.Pair);
        }

        return null;
    }

    /// <summary>An ended leg's pair (nothing reads it any more): rests here for the next leg, or is closed.</summary>
    public void Return(RtpSocketPair pair)
    {
        ArgumentNullException.ThrowIfNull(pair);
        RtpSocketPair? closed = pair;
        lock (_gate)
        {
            if (!_disposed && _maxResting > 0 && _taken.Contains(pair.Port))
            {
                if (_resting.Count >= _maxResting)
                {
                    var oldest = _resting.Dequeue().Pair;
                    _taken.Remove(oldest.Port);
                    closed = oldest;
                }
                else
                {
                    closed = null;
                }

                _resting.Enqueue((pair, _time.GetTimestamp()));
            }
            else
            {
                _taken.Remove(pair.Port);
            }
        }

        closed?.Dispose();
    }

    /// <summary>Closes the resting pairs (at shutdown); pairs returned later are closed at once.</summary>
    public void Dispose()
    {
        List<RtpSocketPair> closing;
        lock (_gate)
        {
            _disposed = true;
            closing = [.. _resting.Select(r => r.Pair)];
            foreach (var pair in closing)
            {
                _taken.Remove(pair.Port);
            }

            _resting.Clear();
        }

        foreach (var pair in closing)
        {
            pair.Dispose();
        }
    }
}
