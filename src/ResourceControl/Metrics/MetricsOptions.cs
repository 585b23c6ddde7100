using CallCenter.Contracts.Metrics;

namespace CallCenter.ResourceControl.Metrics;

/// <summary>The <c>Metrics</c> section: the defaults of <c>GET /api/metrics</c> when its query leaves them out.</summary>
internal sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>T of the service level: a call answered after waiting at most this many seconds was answered in time.</summary>
    public int ServiceLevelSeconds { get; set; } = 20;

    /// <summary>The length of each interval the day is split into.</summary>
    public int IntervalMinutes { get; set; } = 15;

    /// <summary>One message per bad key, naming it.</summary>
    public IEnumerable<string> Validate()
    {
        if (ServiceLevelSeconds is < MetricsLimits.MinServiceLevelSeconds or > MetricsLimits.MaxServiceLevelSeconds)
        {
            yield return $"{Section}:{nameof(ServiceLevelSeconds)} ({ServiceLevelSeconds}) must be between {MetricsLimits.MinServiceLevelSeconds} and {MetricsLimits.MaxServiceLevelSeconds}.";
        }

        if (IntervalMinutes is < MetricsLimits.MinIntervalMinutes or > MetricsLimits.MaxIntervalMinutes)
        {
            yield return $"{Section}:{nameof(IntervalMinutes)} ({IntervalMinutes}) must be between {MetricsLimits.MinIntervalMinutes} and {MetricsLimits.MaxIntervalMinutes}.";
        }
    }
}
