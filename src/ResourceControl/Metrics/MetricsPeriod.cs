namespace CallCenter.ResourceControl.Metrics;

/// <summary>
/// What to measure: calls that entered the queue in [<paramref name="From"/>, <paramref name="To"/>), split
/// into intervals of <paramref name="IntervalMinutes"/> (the last one cut at <paramref name="To"/>), with
/// the service-level threshold T = <paramref name="ServiceLevelSeconds"/>. Agent time after
/// <paramref name="AsOf"/> (now) has not happened yet and is not counted.
/// </summary>
internal sealed record MetricsPeriod(DateTimeOffset From, DateTimeOffset To, DateTimeOffset AsOf, int IntervalMinutes, int ServiceLevelSeconds)
{
    public TimeSpan Interval => TimeSpan.FromMinutes(IntervalMinutes);
}
