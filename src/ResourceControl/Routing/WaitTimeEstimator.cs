namespace CallCenter.ResourceControl.Routing;

/// <summary>
/// Estimated wait time for position announcements:
/// EWT = min(cap, position × AHT / max(1, staffed agents)), where AHT is the average of the last N handle times
/// (<see cref="RoutingOptions.HandleTimeSamples"/>), or <see cref="RoutingOptions.DefaultHandleSeconds"/> before any.
/// Position 1 is the next caller to be served: with one agent it waits about one handle time.
/// The cap (<see cref="RoutingOptions.MaxEstimatedWaitSeconds"/>) keeps a burst from announcing absurd waits.
/// Not thread-safe: the owning shell serialises calls, like the router's.
/// </summary>
public sealed class WaitTimeEstimator
{
    private readonly TimeSpan[] _samples;
    private readonly TimeSpan _default;
    private readonly TimeSpan _cap;
    private int _count;
    private int _next;
    private long _sumTicks;

    public WaitTimeEstimator(RoutingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _samples = new TimeSpan[Math.Max(1, options.HandleTimeSamples)];
        _default = TimeSpan.FromSeconds(options.DefaultHandleSeconds);
        _cap = TimeSpan.FromSeconds(options.MaxEstimatedWaitSeconds);
    }

    /// <summary>The average of the recorded handle times, or the configured default before any.</summary>
    public TimeSpan AverageHandleTime => _count == 0 ? _default : TimeSpan.FromTicks(_sumTicks / _count);

    /// <summary>Records one finished call's handle time (talk plus wrap-up); the oldest sample drops out when full.</summary>
    public void RecordHandleTime(TimeSpan handleTime)
    {
        if (handleTime < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(handleTime), "A handle time cannot be negative.");
        }

        if (_count == _samples.Length)
        {
            _sumTicks -= _samples[_next].Ticks;
        }
        else
        {
            _count++;
        }

        _samples[_next] = handleTime;
        _sumTicks += handleTime.Ticks;
        _next = (_next + 1) % _samples.Length;
    }

    /// <summary>The estimate for a caller at <paramref name="position"/> (1 = next) with <paramref name="staffedAgents"/> logged in for the queue.</summary>
    public TimeSpan Estimate(int position, int staffedAgents)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(position, 1);
        var ticks = (double)position * AverageHandleTime.Ticks / Math.Max(1, staffedAgents);
        return ticks >= _cap.Ticks ? _cap : TimeSpan.FromTicks((long)ticks);
    }
}
