namespace CallCenter.Contracts.Metrics;

/// <summary>
/// The call figures of one group (all calls, one queue or one tier) over one period or interval.
/// Ratios are fractions (0.8, not 80) and null when their denominator is 0; the text of each
/// definition comes with the report (<see cref="MetricsReport.Definitions"/>).
/// </summary>
public sealed record MetricFigures(
    int Offered,
    int Answered,
    int Abandoned,
    int AnsweredWithinThreshold,
    int AbandonedWithinThreshold,
    double? ServiceLevel,
    double? ServiceLevelWithAbandons,
    double? AverageSpeedOfAnswerSeconds,
    double? AbandonmentRate,
    double? AverageHandleTimeSeconds);
