namespace CallCenter.AgentDesk.Auth;

/// <summary>
/// The desk sign-in's guessing limits, as a pure core fed with <c>now</c>. Two limits, both kept in memory:
/// <list type="bullet">
/// <item>per source (an IPv4 address or an IPv6 /64, see <see cref="SignInSource"/>):
/// <see cref="SignInLimits.MaxFailuresPerSource"/> failed sign-ins within <see cref="SignInLimits.SourceWindow"/>
/// ban the source for <see cref="SignInLimits.SourceBan"/> (429), whatever login it tries;</item>
/// <item>per login <em>and</em> source: <see cref="SignInLimits.MaxFailuresPerLogin"/> wrong passwords in a row
/// lock that login from that source only for <see cref="SignInLimits.Lockout"/> (423), so an outsider cannot
/// lock the real agent out from the agent's own desk.</item>
/// </list>
/// A login is tracked as typed, whether it exists or not: an unknown login locks exactly like a known one, so
/// locking tells nothing about which logins exist. Both tables hold at most <see cref="SignInLimits.MaxTracked"/>
/// entries (expired ones go first, then the least recently failed), so spraying sources or logins costs a bounded
/// amount of memory. Thread-safe: one lock around each short step.
/// </summary>
internal sealed class SignInGuard(SignInLimits limits)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SourceEntry> _sources = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Login, string Source), PairEntry> _pairs = [];

    private long _failures;
    private long _bans;
    private long _lockouts;
    private long _refused;
    private long _evictions;

    public SignInLimits Limits => limits;

    /// <summary>
    /// Before the password is checked: is this source banned, or this login locked from it? An attempt at a locked
    /// login counts against the source, so hammering a lock ends in a ban rather than in an endless stream.
    /// </summary>
    public SignInCheck Check(string login, string source, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(login);
        ArgumentNullException.ThrowIfNull(source);
        lock (_gate)
        {
            if (_sources.TryGetValue(source, out var s) && s.BannedUntil is { } banned && banned > now)
            {
                _refused++;
                return new SignInCheck(SignInVerdict.SourceBanned, banned - now);
            }

            if (_pairs.TryGetValue((login, source), out var p) && p.LockedUntil is { } locked && locked > now)
            {
                _refused++;
                return CountAgainstSource(source, now) is { } ban ? ban : new SignInCheck(SignInVerdict.Locked, locked - now);
            }

            return new SignInCheck(SignInVerdict.Allowed, TimeSpan.Zero);
        }
    }

    /// <summary>A wrong password or an unknown login (the same thing here): counts it and says whether it banned or locked.</summary>
    public SignInCheck Fail(string login, string source, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(login);
        ArgumentNullException.ThrowIfNull(source);
        lock (_gate)
        {
            _failures++;
            var banned = CountAgainstSource(source, now);
            var p = PairOf(login, source, now);
            if (p.LockedUntil is { } unlocked && unlocked <= now)
            {
                p.LockedUntil = null;
            }

            if (p.LockedUntil is null && now - p.LastFailure >= limits.Lockout)
            {
                p.Failures = 0;
            }

            p.Failures++;
            p.LastFailure = now;

            var verdict = new SignInCheck(SignInVerdict.Allowed, TimeSpan.Zero);
            if (p.Failures >= limits.MaxFailuresPerLogin)
            {
                p.Failures = 0;
                p.LockedUntil = now + limits.Lockout;
                _lockouts++;
                verdict = new SignInCheck(SignInVerdict.Locked, limits.Lockout, Began: true);
            }

            return banned ?? verdict;
        }
    }

    /// <summary>The right password: this login's wrong passwords in a row from this source start again. The source's count stays.</summary>
    public void Succeed(string login, string source)
    {
        lock (_gate)
        {
            // An attacker with one valid login must not clear the source's count by signing in with it.
            _pairs.Remove((login, source));
        }
    }

    /// <summary>A new password for the login (set by an admin): its locks end everywhere.</summary>
    public void ForgetLogin(string login)
    {
        lock (_gate)
        {
            foreach (var key in _pairs.Keys.Where(k => k.Login == login).ToList())
            {
                _pairs.Remove(key);
            }
        }
    }

    public SignInGuardStatus Status(DateTimeOffset now)
    {
        lock (_gate)
        {
            return new SignInGuardStatus(
                _failures,
                _bans,
                _lockouts,
                _refused,
                _evictions,
                _sources.Values.Count(s => s.BannedUntil is { } until && until > now),
                _pairs.Values.Count(p => p.LockedUntil is { } until && until > now),
                _sources.Count,
                _pairs.Count);
        }
    }

    /// <summary>One more failure from the source within its window; the ban when it is the one that reaches the limit.</summary>
    private SignInCheck? CountAgainstSource(string source, DateTimeOffset now)
    {
        var s = SourceOf(source, now);
        if (s.BannedUntil is { } ended && ended <= now)
        {
            s.BannedUntil = null;
        }

        if (now - s.WindowStart >= limits.SourceWindow)
        {
            s.WindowStart = now;
            s.Failures = 0;
        }

        s.Failures++;
        s.LastFailure = now;
        if (s.Failures < limits.MaxFailuresPerSource || s.BannedUntil is not null)
        {
            return null;
        }

        s.BannedUntil = now + limits.SourceBan;
        s.Failures = 0;
        s.WindowStart = now;
        _bans++;
        return new SignInCheck(SignInVerdict.SourceBanned, limits.SourceBan, Began: true);
    }

    private SourceEntry SourceOf(string source, DateTimeOffset now)
    {
        if (!_sources.TryGetValue(source, out var entry))
        {
            MakeRoom(_sources, now, (s, at) => s.IsExpired(at, limits), (s, at) => s.BannedUntil > at, s => s.LastFailure);
            entry = new SourceEntry { WindowStart = now, LastFailure = now };
            _sources[source] = entry;
        }

        return entry;
    }

    private PairEntry PairOf(string login, string source, DateTimeOffset now)
    {
        if (!_pairs.TryGetValue((login, source), out var entry))
        {
            MakeRoom(_pairs, now, (p, at) => p.IsExpired(at, limits), (p, at) => p.LockedUntil > at, p => p.LastFailure);
            entry = new PairEntry { LastFailure = now };
            _pairs[(login, source)] = entry;
        }

        return entry;
    }

    /// <summary>
    /// Keeps a table under its bound: when full, first every expired entry goes, then (still full, so someone holds
    /// many sources or logins at once) the entry whose last failure is oldest, a ban or lock in force last.
    /// O(n) only when full, and only after a failed sign-in, which has just cost a PBKDF2 check.
    /// </summary>
    private void MakeRoom<TKey, TEntry>(
        Dictionary<TKey, TEntry> table,
        DateTimeOffset now,
        Func<TEntry, DateTimeOffset, bool> expired,
        Func<TEntry, DateTimeOffset, bool> holding,
        Func<TEntry, DateTimeOffset> lastFailure)
        where TKey : notnull
    {
        if (table.Count < limits.MaxTracked)
        {
            return;
        }

        foreach (var (key, _) in table.Where(e => expired(e.Value, now)).ToList())
        {
            table.Remove(key);
        }

        if (table.Count >= limits.MaxTracked)
        {
            var oldest = table.MinBy(e => (holding(e.Value, now), lastFailure(e.Value))).Key;
            table.Remove(oldest);
            _evictions++;
        }
    }

    private sealed class SourceEntry
    {
        public DateTimeOffset WindowStart { get; set; }

        public int Failures { get; set; }

        public DateTimeOffset LastFailure { get; set; }

        public DateTimeOffset? BannedUntil { get; set; }

        public bool IsExpired(DateTimeOffset now, SignInLimits limits) =>
            (BannedUntil is null || BannedUntil <= now) && now - WindowStart >= limits.SourceWindow;
    }

    private sealed class PairEntry
    {
        public int Failures { get; set; }

        public DateTimeOffset LastFailure { get; set; }

        public DateTimeOffset? LockedUntil { get; set; }

        // Wrong passwords in a row are forgotten after a lockout period without one.
        public bool IsExpired(DateTimeOffset now, SignInLimits limits) =>
            (LockedUntil is null || LockedUntil <= now) && now - LastFailure >= limits.Lockout;
    }
}
