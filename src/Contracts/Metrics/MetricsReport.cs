namespace CallCenter.Contracts.Metrics;

/// <summary>
/// Call-center metrics over [From, To) as <c>GET /api/metrics</c> returns them: the whole period
/// overall, per queue and per tier, the same per interval, and the agents' occupancy; each metric's
/// definition is in <see cref="Definitions"/>, keyed by its JSON name. <see cref="AsOf"/> is when the
/// figures were computed: occupancy stops there, and calls count once their record is written (when they end).
/// </summary>
public sealed record MetricsReport(
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset AsOf,
    int ServiceLevelSeconds,
    int IntervalMinutes,
    IReadOnlyDictionary<string, string> Definitions,
    MetricFigures Total,
    IReadOnlyDictionary<string, MetricFigures> ByQueue,
    IReadOnlyDictionary<string, MetricFigures> ByTier,
    IReadOnlyList<MetricsInterval> Intervals,
    OccupancyFigures Occupancy)
{
    /// <summary>Callers a VIP line turned away in the period (below its tiers, or unknown) and sent on to the main menu.</summary>
    public int VipLineTurnedAway { get; init; }

    /// <summary>Outbound calls in the period: attempts, contacts, contact rate and attempts per contact.</summary>
    public OutboundFigures Outbound { get; init; } = new(0, 0, null, null);
}
