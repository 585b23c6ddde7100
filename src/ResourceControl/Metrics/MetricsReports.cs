using CallCenter.Contracts.Metrics;
using CallCenter.Data.Calls;
using CallCenter.Data.Events;

namespace CallCenter.ResourceControl.Metrics;

/// <summary>
/// <see cref="IMetricsReports"/> over the database: reads one local day's call records and agent state
/// changes and hands them to <see cref="MetricsCalculator"/>. "Today" and the day's bounds follow the
/// server's local time zone (<see cref="TimeProvider.LocalTimeZone"/>).
/// </summary>
internal sealed class MetricsReports(CallRecordRepository calls, EventRepository events, MetricsOptions options, TimeProvider time) : IMetricsReports
{
    /// <summary>A call that entered the queue in the day counts even if it started up to this long before it (in the IVR).</summary>
    public static readonly TimeSpan CallLookBack = TimeSpan.FromHours(2);

    /// <summary>How far back an agent's last state change is looked for, to know their state at the day's start.</summary>
    public static readonly TimeSpan StateLookBack = TimeSpan.FromDays(1);

    public async Task<MetricsReport> ComputeAsync(DateOnly? date, int? intervalMinutes, int? serviceLevelSeconds, CancellationToken cancellationToken)
    {
        var zone = time.LocalTimeZone;
        var now = time.GetUtcNow();
        var day = date ?? LocalDay.Of(now, zone);
        var from = LocalDay.Start(day, zone);
        var to = LocalDay.Start(day.AddDays(1), zone);
        var records = await calls.ListStartedBetweenAsync(from - CallLookBack, to, cancellationToken);
        var states = await events.ListKindBetweenAsync(OccupancyCalculator.AgentStateKind, from - StateLookBack, to, cancellationToken);
        var period = new MetricsPeriod(
            from,
            to,
            TimeZoneInfo.ConvertTime(now, zone),
            intervalMinutes ?? options.IntervalMinutes,
            serviceLevelSeconds ?? options.ServiceLevelSeconds);
        return MetricsCalculator.Compute(records, states, period);
    }
}
