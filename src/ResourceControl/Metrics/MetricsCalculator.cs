using CallCenter.Contracts.Metrics;
using CallCenter.Data.Calls;
using CallCenter.Data.Events;

namespace CallCenter.ResourceControl.Metrics;

/// <summary>
/// Computes the metrics report from call records and agent state changes: pure, so the figures can be
/// checked by hand. Definitions of every figure are in <see cref="MetricDefinitions"/>.
/// </summary>
internal static class MetricsCalculator
{
    /// <summary>The tier key of callers without a client tier.</summary>
    public const string OrdinaryTier = "ordinary";

    /// <param name="records">Call records; those attributed outside the period are ignored, so the caller may pass calls that started a little before it.</param>
    /// <param name="agentEvents">Agent state changes from some time before the period to its end; other events are ignored.</param>
    public static MetricsReport Compute(IEnumerable<CallRecord> records, IEnumerable<PlatformEvent> agentEvents, MetricsPeriod period)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(agentEvents);
        ArgumentNullException.ThrowIfNull(period);
        if (period.To <= period.From || period.IntervalMinutes <= 0)
        {
            throw new ArgumentException("The period must be non-empty and its interval positive.", nameof(period));
        }

        var intervalStarts = IntervalStarts(period);
        var total = new GroupTally(period.ServiceLevelSeconds);
        var intervals = intervalStarts.Select(_ => new GroupTally(period.ServiceLevelSeconds)).ToArray();
        var queues = new SortedSet<string>(StringComparer.Ordinal);
        var tiers = new SortedSet<string>(StringComparer.Ordinal);
        var vipLineTurnedAway = 0;
        int outboundAttempts = 0, contacts = 0;
        foreach (var record in records)
        {
            if (OutboundAttempt(record) && record.StartedAt >= period.From && record.StartedAt < period.To)
            {
                outboundAttempts++;
                // A wrong number or a refusal (the agent's wrap-up turns the record's reached into those) is no contact.
                contacts += record.Outcome == Outbound.CallbackOutcomes.Reached ? 1 : 0;
            }

            if (TurnedAwayFromVipLine(record) && record.StartedAt >= period.From && record.StartedAt < period.To)
            {
                vipLineTurnedAway++;
            }

            var outcome = CallOutcomes.Classify(record);
            var at = CallOutcomes.AttributedAt(record);
            if (outcome == CallOutcome.NotOffered || at < period.From || at >= period.To)
            {
                continue;
            }

            var queue = record.Queue!;
            var tier = record.Tier ?? OrdinaryTier;
            queues.Add(queue);
            tiers.Add(tier);
            total.Add(record, outcome, queue, tier);
            intervals[(int)((at - period.From).Ticks / period.Interval.Ticks)].Add(record, outcome, queue, tier);
        }

        var end = period.AsOf < period.To ? period.AsOf : period.To;
        var timelines = OccupancyCalculator.Timelines(agentEvents, period.From, end);
        var intervalReports = new List<MetricsInterval>(intervalStarts.Count);
        for (var i = 0; i < intervalStarts.Count; i++)
        {
            var from = intervalStarts[i];
            var to = i + 1 < intervalStarts.Count ? intervalStarts[i + 1] : period.To;
            var tally = intervals[i];
            intervalReports.Add(new MetricsInterval(
                from,
                to,
                tally.Total.ToFigures(),
                tally.ByQueue(queues),
                tally.ByTier(tiers),
                OccupancyCalculator.Measure(timelines, from, to)));
        }

        return new MetricsReport(
            period.From,
            period.To,
            period.AsOf,
            period.ServiceLevelSeconds,
            period.IntervalMinutes,
            MetricDefinitions.All,
            total.Total.ToFigures(),
            total.ByQueue(queues),
            total.ByTier(tiers),
            intervalReports,
            OccupancyCalculator.Measure(timelines, period.From, period.To))
        {
            VipLineTurnedAway = vipLineTurnedAway,
            Outbound = new OutboundFigures(
                outboundAttempts,
                contacts,
                outboundAttempts == 0 ? null : (double)contacts / outboundAttempts,
                contacts == 0 ? null : (double)outboundAttempts / contacts),
        };
    }

    /// <summary>
    /// An outbound call that rang the client: it has an outcome other than those of an attempt that never dialled
    /// (the agent left first, the platform stopped, the number went on the do-not-call list).
    /// </summary>
    private static bool OutboundAttempt(CallRecord record) =>
        record.Direction == CallDirections.Outbound
        && record.Outcome is { } outcome
        && outcome is not (Outbound.CallbackOutcomes.AgentLeft or Outbound.CallbackOutcomes.Interrupted or Outbound.CallbackOutcomes.DoNotCall);

    /// <summary>
    /// The IVR node a VIP line's flow sends a caller below its tiers through (the shipped <c>95501</c>: the
    /// "this line is for VIP clients" notice before the main menu); the call record's path names it as <c>flow.vipOnly</c>.
    /// </summary>
    public const string VipOnlyNode = "vipOnly";

    private static bool TurnedAwayFromVipLine(CallRecord record) =>
        record.IvrPath.Any(step => step.EndsWith("." + VipOnlyNode, StringComparison.Ordinal));

    private static List<DateTimeOffset> IntervalStarts(MetricsPeriod period)
    {
        var starts = new List<DateTimeOffset>();
        for (var at = period.From; at < period.To; at += period.Interval)
        {
            starts.Add(at);
        }

        return starts;
    }

    /// <summary>One period's or interval's tallies: all calls, and by queue and by tier.</summary>
    private sealed class GroupTally(int serviceLevelSeconds)
    {
        private readonly Dictionary<string, CallTally> _byQueue = new(StringComparer.Ordinal);
        private readonly Dictionary<string, CallTally> _byTier = new(StringComparer.Ordinal);

        public CallTally Total { get; } = new(serviceLevelSeconds);

        public void Add(CallRecord record, CallOutcome outcome, string queue, string tier)
        {
            Total.Add(record, outcome);
            Get(_byQueue, queue).Add(record, outcome);
            Get(_byTier, tier).Add(record, outcome);
        }

        /// <summary>Every queue of the period, with zeros where this interval had none of its calls, so each interval has the same keys.</summary>
        public SortedDictionary<string, MetricFigures> ByQueue(IEnumerable<string> keys) => Figures(_byQueue, keys);

        public SortedDictionary<string, MetricFigures> ByTier(IEnumerable<string> keys) => Figures(_byTier, keys);

        private SortedDictionary<string, MetricFigures> Figures(Dictionary<string, CallTally> tallies, IEnumerable<string> keys)
        {
            var figures = new SortedDictionary<string, MetricFigures>(StringComparer.Ordinal);
            foreach (var key in keys)
            {
                figures[key] = Get(tallies, key).ToFigures();
            }

            return figures;
        }

        private CallTally Get(Dictionary<string, CallTally> tallies, string key)
        {
            if (!tallies.TryGetValue(key, out var tally))
            {
                tally = new CallTally(serviceLevelSeconds);
                tallies[key] = tally;
            }

            return tally;
        }
    }
}
