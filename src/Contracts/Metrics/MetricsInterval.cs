namespace CallCenter.Contracts.Metrics;

/// <summary>One interval [From, To) of the report: its calls' figures and the agents' occupancy in it.</summary>
public sealed record MetricsInterval(
    DateTimeOffset From,
    DateTimeOffset To,
    MetricFigures Total,
    IReadOnlyDictionary<string, MetricFigures> ByQueue,
    IReadOnlyDictionary<string, MetricFigures> ByTier,
    OccupancyFigures Occupancy);
