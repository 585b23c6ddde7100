namespace CallCenter.BackOffice.Rules;

/// <summary>
/// Phone access to an account after wrong PINs. Every <see cref="MaxFailures"/>th wrong PIN in a row
/// locks the account, longer each time (<see cref="LockAfter"/>: 30 minutes, then 2 hours, then 24 hours
/// for the third and every later lock); only a right PIN clears the count, so a lock that runs out
/// leaves the count where it was and the next three wrong PINs lock for longer (until a week passes with no
/// wrong PIN and no lock: then the count is forgotten, <see cref="ForgetAfter"/>). The state lives in the
/// database (bo_pin_failures), so calls, cluster nodes and restarts share it; this is the pure decision.
/// </summary>
internal static class PinLockout
{
    public const int MaxFailures = 3;

    /// <summary>The first lock: kept for the tests and the docs (the lock after the third wrong PIN in a row).</summary>
    public static readonly TimeSpan LockFor = TimeSpan.FromMinutes(30);

    private static readonly TimeSpan[] _locks = [LockFor, TimeSpan.FromHours(2), TimeSpan.FromHours(24)];

    /// <summary>How long the lock after <paramref name="failures"/> wrong PINs in a row lasts (a multiple of <see cref="MaxFailures"/>).</summary>
    public static TimeSpan LockAfter(int failures) => _locks[Math.Clamp((failures / MaxFailures) - 1, 0, _locks.Length - 1)];

    /// <summary>
    /// How long a count with no lock running is kept after its last wrong PIN: after that it is forgotten, for a real
    /// account and an unknown number alike (so an unknown number's row can be deleted then without telling the two apart).
    /// </summary>
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromDays(7);

    /// <summary>
    /// The stored state as it stands at <paramref name="now"/>: a lock that ran out is no lock, but its
    /// failures stay counted until a right PIN, or until <see cref="ForgetAfter"/> has passed since the last
    /// wrong PIN (<paramref name="lastFailureAt"/>) with no lock running.
    /// </summary>
    public static PinFailureState Current(PinFailureState stored, DateTimeOffset? lastFailureAt, DateTimeOffset now)
    {
        var current = stored.LockedUntil is { } until && until <= now ? stored with { LockedUntil = null } : stored;
        return current.LockedUntil is null && lastFailureAt is { } last && now - last >= ForgetAfter ? PinFailureState.Clear : current;
    }

    public static bool IsLocked(PinFailureState state, DateTimeOffset now) => state.LockedUntil is { } until && until > now;

    /// <summary>The state after a check at <paramref name="now"/> that was right or wrong (the account is not locked).</summary>
    public static PinFailureState After(PinFailureState current, bool right, DateTimeOffset now)
    {
        if (right)
        {
            return PinFailureState.Clear;
        }

        var failures = current.Failures + 1;
        return failures % MaxFailures == 0 ? new PinFailureState(failures, now + LockAfter(failures)) : new PinFailureState(failures, null);
    }

    /// <summary>Wrong PINs the account takes before its next lock.</summary>
    public static int TriesLeft(PinFailureState state) => MaxFailures - (state.Failures % MaxFailures);
}
