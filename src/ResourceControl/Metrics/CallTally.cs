using CallCenter.Contracts.Metrics;
using CallCenter.Data.Calls;

namespace CallCenter.ResourceControl.Metrics;

/// <summary>Counts and sums of one group's calls, turned into <see cref="MetricFigures"/> at the end.</summary>
internal sealed class CallTally(int serviceLevelSeconds)
{
    private int _offered;
    private int _answered;
    private int _abandoned;
    private int _answeredWithin;
    private int _abandonedWithin;
    private double _answeredWaitSeconds;
    private double _handleSeconds;

    /// <summary>Adds an offered call (one <see cref="CallOutcomes.Classify"/> did not call <see cref="CallOutcome.NotOffered"/>).</summary>
    public void Add(CallRecord record, CallOutcome outcome)
    {
        _offered++;
        var withinThreshold = record.WaitSeconds <= serviceLevelSeconds;
        if (outcome == CallOutcome.Answered)
        {
            _answered++;
            _answeredWaitSeconds += record.WaitSeconds;
            _handleSeconds += record.TalkSeconds + record.HoldSeconds + record.WrapUpSeconds;
            _answeredWithin += withinThreshold ? 1 : 0;
        }
        else if (outcome == CallOutcome.Abandoned)
        {
            _abandoned++;
            _abandonedWithin += withinThreshold ? 1 : 0;
        }
    }

    public MetricFigures ToFigures() => new(
        Offered: _offered,
        Answered: _answered,
        Abandoned: _abandoned,
        AnsweredWithinThreshold: _answeredWithin,
        AbandonedWithinThreshold: _abandonedWithin,
        ServiceLevel: Ratio(_answeredWithin, _answered),
        ServiceLevelWithAbandons: Ratio(_answeredWithin, _answered + (_abandoned - _abandonedWithin)),
        AverageSpeedOfAnswerSeconds: Ratio(_answeredWaitSeconds, _answered),
        AbandonmentRate: Ratio(_abandoned, _offered),
        AverageHandleTimeSeconds: Ratio(_handleSeconds, _answered));

    /// <summary>Null rather than NaN or infinity when nothing was counted below the line.</summary>
    internal static double? Ratio(double numerator, double denominator) => denominator == 0 ? null : numerator / denominator;
}
