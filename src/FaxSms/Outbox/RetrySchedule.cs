namespace CallCenter.FaxSms.Outbox;

/// <summary>
/// Exponential backoff for the outbox (pure): the delay before attempt n+1 doubles from
/// <see cref="FirstDelay"/> up to <see cref="MaxDelay"/>, with up to a quarter added at random so
/// that messages a gateway outage held back do not all return at the same moment. After
/// <see cref="MaxAttempts"/> attempts a message fails with the last reason. The schedule is kept in
/// the message's row (attempts, next attempt), not in memory, so a restart keeps it.
/// </summary>
public sealed record RetrySchedule(TimeSpan FirstDelay, TimeSpan MaxDelay, int MaxAttempts)
{
    /// <summary>The delay after <paramref name="attempts"/> failed attempts; <paramref name="jitter"/> in [0, 1).</summary>
    public TimeSpan DelayAfter(int attempts, double jitter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 1);
        var exponent = Math.Min(attempts - 1, 30);
        var ticks = Math.Min(FirstDelay.Ticks * Math.Pow(2, exponent), MaxDelay.Ticks);
        ticks += ticks * 0.25 * Math.Clamp(jitter, 0, 1);
        return TimeSpan.FromTicks((long)Math.Min(ticks, MaxDelay.Ticks * 1.25));
    }

    /// <summary>True when a message that failed its <paramref name="attempts"/>-th attempt is given up.</summary>
    public bool GivesUp(int attempts) => attempts >= MaxAttempts;
}
