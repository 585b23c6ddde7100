using CallCenter.Contracts.Metrics;
using CallCenter.Data.Calls;
using CallCenter.Data.Events;

namespace CallCenter.ResourceControl.Metrics;

/// <summary>
/// <see cref="IMetricsReports"/> over the database: reads one local day's call records and agent state
/// changes and hands them to <see cref="MetricsCalculator"/>. "Today" and the day's bounds follow the
/// server's local time zone (<see cref="TimeProvider.LocalTimeZone"/>). The wallboard's live report also counts the
/// calls still open, from the progress the call loops write as each call is queued and answered (the record writer
/// keeps both, so the counts have one owner: the calls' rows). In a cluster the live report is this node's calls only
/// (records and open rows name their node): the wallboard adds the nodes' views up, and on a shared database counting
/// every node's rows would count each call once per node. <c>GET /api/metrics</c> reads every call in the database.
/// </summary>
internal sealed class MetricsReports(CallRecordRepository calls, EventRepository events, MetricsOptions options, TimeProvider time) : IMetricsReports
{
    /// <summary>A call that entered the queue in the day counts even if it started up to this long before it (in the IVR).</summary>
    public static readonly TimeSpan CallLookBack = TimeSpan.FromHours(2);

    /// <summary>How far back an agent's last state change is looked for, to know their state at the day's start.</summary>
    public static readonly TimeSpan StateLookBack = TimeSpan.FromDays(1);

    public Task<MetricsReport> ComputeAsync(DateOnly? date, int? intervalMinutes, int? serviceLevelSeconds, CancellationToken cancellationToken) =>
        ComputeAsync(date, intervalMinutes, serviceLevelSeconds, live: false, cancellationToken);

    /// <summary>
    /// Today with the open calls' progress too. The open rows are read before the records: a call whose record is
    /// written between the two reads is in both and counted once (its record wins); a record and its open row
    /// change in one transaction, so no call falls between them and a count never dips.
    /// </summary>
    public Task<MetricsReport> ComputeLiveAsync(CancellationToken cancellationToken) =>
        ComputeAsync(null, null, null, live: true, cancellationToken);

    private async Task<MetricsReport> ComputeAsync(DateOnly? date, int? intervalMinutes, int? serviceLevelSeconds, bool live, CancellationToken cancellationToken)
    {
        var zone = time.LocalTimeZone;
        var now = time.GetUtcNow();
        var day = date ?? LocalDay.Of(now, zone);
        var from = LocalDay.Start(day, zone);
        var to = LocalDay.Start(day.AddDays(1), zone);
        IReadOnlyList<CallRecord> open = live ? await calls.ListOpenProgressBetweenAsync(from - CallLookBack, to, cancellationToken) : [];
        var ended = live
            ? await calls.ListOwnStartedBetweenAsync(from - CallLookBack, to, cancellationToken)
            : await calls.ListStartedBetweenAsync(from - CallLookBack, to, cancellationToken);
        var records = LiveCalls.Merge(ended, open);
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
