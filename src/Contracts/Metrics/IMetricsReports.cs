namespace CallCenter.Contracts.Metrics;

/// <summary>What the desk room needs to show metrics; the host implements it over the call records and the event log.</summary>
public interface IMetricsReports
{
    /// <summary>
    /// The report for one local calendar day (today in the server's time zone when <paramref name="date"/>
    /// is null), with the configured interval and service-level threshold where those are null. The
    /// caller checks the values against <see cref="MetricsLimits"/> first.
    /// </summary>
    Task<MetricsReport> ComputeAsync(DateOnly? date, int? intervalMinutes, int? serviceLevelSeconds, CancellationToken cancellationToken);

    /// <summary>
    /// Today's report for the wallboard, with the calls still in progress (or waiting for their agent's
    /// wrap-up) counted as far as they have got: offered once queued, answered once an agent answered.
    /// Without such a source, today's report of ended calls.
    /// </summary>
    Task<MetricsReport> ComputeLiveAsync(CancellationToken cancellationToken) => ComputeAsync(null, null, null, cancellationToken);
}
