using System.Net;

namespace CallCenter.ResourceControl.Calls;

/// <summary>Whether a new call from a source may be answered.</summary>
public enum AdmissionVerdict
{
    Admitted,

    /// <summary>The source has its share of calls in progress (a flood of held calls would take every RTP port).</summary>
    TooManyInProgress,

    /// <summary>The source started its share of calls this minute.</summary>
    TooManyAttempts,
}

/// <summary>
/// New calls per source address (IPv6: per /64), pure and fed with <c>now</c>: at most
/// <c>maxInProgress</c> calls in progress and <c>maxPerMinute</c> new ones a minute (a bucket that
/// refills evenly). The dispatcher asks before it answers and refuses with 503 and Retry-After, so a
/// refused attempt leaves no call, no media and no record, only a count. Trusted peers (a carrier's
/// SBC carries everybody's calls) are not asked. Memory is bounded: at most <c>maxSources</c> sources
/// are remembered; one with nothing in progress and a full bucket is forgotten first.
/// </summary>
public sealed class CallAdmission(int maxInProgress, int maxPerMinute, int maxSources = 10_000)
{
    /// <summary>What an answered call takes from outsiders before it answers 503 (<c>Sip:CallMailboxCapacity</c>, <see cref="CallMailbox"/>).</summary>
    public int MailboxCapacity { get; init; } = CallMailbox.Capacity;

    private readonly Lock _gate = new();
    private readonly Dictionary<IPAddress, Source> _sources = [];

    /// <summary>Sources remembered now.</summary>
    public int Tracked
    {
        get
        {
            lock (_gate)
            {
                return _sources.Count;
            }
        }
    }

    public AdmissionVerdict TryAdmit(IPAddress address, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(address);
        var key = KeyOf(address);
        lock (_gate)
        {
            if (!_sources.TryGetValue(key, out var source))
            {
                MakeRoom(now);
                source = new Source { Tokens = maxPerMinute, RefilledAt = now };
                _sources[key] = source;
            }

            Refill(source, now);
            if (source.InProgress >= maxInProgress)
            {
                return AdmissionVerdict.TooManyInProgress;
            }

            if (source.Tokens < 1)
            {
                return AdmissionVerdict.TooManyAttempts;
            }

            source.Tokens -= 1;
            source.InProgress++;
            return AdmissionVerdict.Admitted;
        }
    }

    /// <summary>A call admitted from <paramref name="address"/> has ended.</summary>
    public void Release(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        lock (_gate)
        {
            if (_sources.TryGetValue(KeyOf(address), out var source) && source.InProgress > 0)
            {
                source.InProgress--;
            }
        }
    }

    private void Refill(Source source, DateTimeOffset now)
    {
        var elapsed = (now - source.RefilledAt).TotalMinutes;
        if (elapsed > 0)
        {
            source.Tokens = Math.Min(maxPerMinute, source.Tokens + (elapsed * maxPerMinute));
            source.RefilledAt = now;
        }
    }

    private void MakeRoom(DateTimeOffset now)
    {
        if (_sources.Count < maxSources)
        {
            return;
        }

        // Forget sources at rest first (nothing in progress, bucket full); else the one at rest the longest.
        IPAddress? victim = null;
        var oldest = DateTimeOffset.MaxValue;
        foreach (var (key, source) in _sources)
        {
            Refill(source, now);
            if (source.InProgress == 0 && source.Tokens >= maxPerMinute)
            {
                victim = key;
                break;
            }

            if (source.InProgress == 0 && source.RefilledAt < oldest)
            {
                oldest = source.RefilledAt;
                victim = key;
            }
        }

        if (victim is not null)
        {
            _sources.Remove(victim);
        }
    }

    private static IPAddress KeyOf(IPAddress address) => Telephony.Transport.SourceShare.Of(address);

    private sealed class Source
    {
        public int InProgress { get; set; }

        public double Tokens { get; set; }

        public DateTimeOffset RefilledAt { get; set; }
    }
}
