namespace CallCenter.Contracts.Metrics;

/// <summary>The accepted ranges of the metrics settings, shared by the <c>Metrics</c> configuration section and the query of <c>GET /api/metrics</c>.</summary>
public static class MetricsLimits
{
    public const int MinIntervalMinutes = 1;

    /// <summary>One interval for the whole day.</summary>
    public const int MaxIntervalMinutes = 1440;

    public const int MinServiceLevelSeconds = 1;

    public const int MaxServiceLevelSeconds = 3600;
}
