namespace CallCenter.BackOffice.Rules;

/// <summary>
/// Phone access to an account after wrong PINs: <see cref="MaxFailures"/> wrong PINs in a row lock it
/// for <see cref="LockFor"/>; a right PIN before that clears the count; when a lock has run out the
/// count starts again at zero. The state lives in the database (bo_pin_failures), so calls and
/// restarts share it; this is the pure decision.
/// </summary>
internal static class PinLockout
{
    public const int MaxFailures = 3;

    public static readonly TimeSpan LockFor = TimeSpan.FromMinutes(30);

    /// <summary>The stored state as it stands at <paramref name="now"/>: a lock that ran out counts as nothing.</summary>
    public static PinFailureState Current(PinFailureState stored, DateTimeOffset now) =>
        stored.LockedUntil is { } until && until <= now ? PinFailureState.Clear : stored;

    public static bool IsLocked(PinFailureState state, DateTimeOffset now) => state.LockedUntil is { } until && until > now;

    /// <summary>The state after a check at <paramref name="now"/> that was right or wrong (the account is not locked).</summary>
    public static PinFailureState After(PinFailureState current, bool right, DateTimeOffset now)
    {
        if (right)
        {
            return PinFailureState.Clear;
        }

        var failures = current.Failures + 1;
        return failures >= MaxFailures ? new PinFailureState(failures, now + LockFor) : new PinFailureState(failures, null);
    }

    public static int TriesLeft(PinFailureState state) => Math.Max(0, MaxFailures - state.Failures);
}
