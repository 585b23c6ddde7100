using CallCenter.Data.Calls;
using CallCenter.Data.Events;
using CallCenter.ResourceControl.Metrics;

namespace CallCenter.ResourceControl.Tests.Metrics;

/// <summary>
/// Hand-computed figures for the hour 09:00-10:00 in two 30-minute intervals with T = 20 s:
/// c8 09:01 general ordinary answered wait 0 handle 60; c1 09:05 general ordinary answered wait 10 handle 150;
/// c2 09:10 general Gold answered wait 40 handle 210; c3 09:20 general ordinary abandoned wait 5;
/// c4 09:35 vip Gold abandoned wait 60; c5 09:40 vip Diamond answered wait 20 handle 345;
/// c7 09:50 general ordinary sent to a callback; plus calls that do not count (never queued, queue full,
/// queued before or after the hour).
/// </summary>
public sealed class MetricsCalculatorTests
{
    private static readonly DateTimeOffset _nine = new(2026, 11, 22, 9, 0, 0, TimeSpan.FromHours(8));

    private static readonly MetricsPeriod _hour = new(_nine, _nine.AddHours(1), _nine.AddHours(1), IntervalMinutes: 30, ServiceLevelSeconds: 20);

    internal static CallRecord Call(
        string id,
        string? queue,
        double queuedAtMinutes,
        string disposition,
        bool answered = false,
        double wait = 0,
        string? tier = null,
        double talk = 0,
        double hold = 0,
        double wrapUp = 0,
        double startedBeforeQueueMinutes = 1) =>
        new()
        {
            Id = id,
            Caller = "13800000009",
            Dialed = "95500",
            Tier = tier,
            Queue = queue,
            StartedAt = _nine.AddMinutes(queuedAtMinutes - startedBeforeQueueMinutes),
            QueuedAt = queue is null ? null : _nine.AddMinutes(queuedAtMinutes),
            AnsweredAt = answered ? _nine.AddMinutes(queuedAtMinutes).AddSeconds(wait) : null,
            EndedAt = _nine.AddMinutes(queuedAtMinutes + 10),
            WaitSeconds = wait,
            TalkSeconds = talk,
            HoldSeconds = hold,
            WrapUpSeconds = wrapUp,
            Agent = answered ? "1001" : null,
            Disposition = disposition,
        };

    private static List<CallRecord> Scenario() =>
    [
        Call("c8", "general", 1, "agent-hung-up", answered: true, wait: 0, talk: 60, startedBeforeQueueMinutes: 3),
        Call("c1", "general", 5, "caller-hung-up", answered: true, wait: 10, talk: 100, hold: 20, wrapUp: 30),
        Call("c2", "general", 10, "agent-hung-up", answered: true, wait: 40, tier: "Gold", talk: 200, wrapUp: 10),
        Call("c3", "general", 20, "caller-hung-up", wait: 5),
        Call("c4", "vip", 35, "cancelled", wait: 60, tier: "Gold"),
        Call("c5", "vip", 40, "caller-hung-up", answered: true, wait: 20, tier: "Diamond", talk: 300, hold: 30, wrapUp: 15),
        Call("c6", null, 15, "caller-hung-up"),
        Call("c7", "general", 50, "overflow-callback", wait: 600),
        Call("c9", "general", 60.5, "caller-hung-up", wait: 3),
        Call("c10", "general", -1, "caller-hung-up", answered: true, wait: 3, talk: 50),
        Call("c11", "general", 25, CallDisposition.QueueFull.Value),
    ];

    [Test]
    public void OutboundContactRateCountsOnlyAttemptsThatRangTheClient()
    {
        CallRecord Outbound(string id, string? outcome, double minutes = 10) => Call(id, null, minutes, "callback-not-reached") with
        {
            Direction = CallDirections.Outbound,
            Outcome = outcome,
            Attempt = 1,
        };

        var records = new[]
        {
            Outbound("o1", "reached"),
            Outbound("o2", "no-answer"),
            Outbound("o3", "busy"),
            Outbound("o4", "reached"),
            Outbound("o5", "agent-left"),      // the agent left before the client rang: not an attempt
            Outbound("o6", "interrupted"),
            Outbound("o7", null),
            Outbound("o8", "reached", minutes: 75), // after the hour
            Call("i1", "general", 5, "caller-hung-up", answered: true, wait: 3, talk: 10) with { Outcome = "reached" }, // inbound: not outbound
        };

        var outbound = MetricsCalculator.Compute(records, [], _hour).Outbound;
        Assert.Multiple(() =>
        {
            Assert.That((outbound.Attempts, outbound.Contacts), Is.EqualTo((4, 2)));
            Assert.That(outbound.ContactRate, Is.EqualTo(0.5));
            Assert.That(outbound.AttemptsPerContact, Is.EqualTo(2.0));
            Assert.That(MetricsCalculator.Compute([], [], _hour).Outbound.ContactRate, Is.Null, "nothing to divide");
        });
    }

    [Test]
    public void AnOutboundCallThatWaitedForAnAgentIsNoInboundCallOfferedAnsweredOrAbandoned()
    {
        // A callback and a list call queue for an agent (queue, queued and answered times), often for
        // hours before they are due: none of it is inbound service.
        var records = new[]
        {
            Call("i1", "general", 5, "caller-hung-up", answered: true, wait: 3, talk: 10),
            Call("o1", "general", 6, "caller-hung-up", answered: true, wait: 3_600, talk: 60) with { Direction = CallDirections.Outbound, Outcome = "reached", Attempt = 1 },
            Call("o2", "general", 7, "callback-not-reached", wait: 7_200) with { Direction = CallDirections.Outbound, Outcome = "no-answer", Attempt = 1 },
        };

        var report = MetricsCalculator.Compute(records, [], _hour);
        Assert.Multiple(() =>
        {
            Assert.That((report.Total.Offered, report.Total.Answered, report.Total.Abandoned), Is.EqualTo((1, 1, 0)));
            Assert.That(report.Total.AverageSpeedOfAnswerSeconds, Is.EqualTo(3).Within(1e-9), "the callback's hour of waiting is not the hotline's speed of answer");
            Assert.That(report.Total.ServiceLevel, Is.EqualTo(1.0).Within(1e-9));
            Assert.That((report.Outbound.Attempts, report.Outbound.Contacts), Is.EqualTo((2, 1)), "they are counted where they belong");
        });
    }

    [Test]
    public void TotalsFollowTheDefinitions()
    {
        var total = MetricsCalculator.Compute(Scenario(), [], _hour).Total;

        Assert.Multiple(() =>
        {
            Assert.That((total.Offered, total.Answered, total.Abandoned), Is.EqualTo((7, 4, 2)));
            Assert.That((total.AnsweredWithinThreshold, total.AbandonedWithinThreshold), Is.EqualTo((3, 1)));
            Assert.That(total.ServiceLevel, Is.EqualTo(0.75).Within(1e-9));
            Assert.That(total.ServiceLevelWithAbandons, Is.EqualTo(3.0 / 5).Within(1e-9));
            Assert.That(total.AverageSpeedOfAnswerSeconds, Is.EqualTo(17.5).Within(1e-9));
            Assert.That(total.AbandonmentRate, Is.EqualTo(2.0 / 7).Within(1e-9));
            Assert.That(total.AverageHandleTimeSeconds, Is.EqualTo(191.25).Within(1e-9));
        });
    }

    [Test]
    public void EachQueueHasItsOwnFigures()
    {
        var byQueue = MetricsCalculator.Compute(Scenario(), [], _hour).ByQueue;

        Assert.That(byQueue.Keys, Is.EqualTo(new[] { "general", "vip" }));
        var general = byQueue["general"];
        var vip = byQueue["vip"];
        Assert.Multiple(() =>
        {
            Assert.That((general.Offered, general.Answered, general.Abandoned, general.AnsweredWithinThreshold, general.AbandonedWithinThreshold), Is.EqualTo((5, 3, 1, 2, 1)));
            Assert.That(general.ServiceLevel, Is.EqualTo(2.0 / 3).Within(1e-9));
            Assert.That(general.ServiceLevelWithAbandons, Is.EqualTo(2.0 / 3).Within(1e-9), "the short abandon c3 is left out");
            Assert.That(general.AverageSpeedOfAnswerSeconds, Is.EqualTo(50.0 / 3).Within(1e-9));
            Assert.That(general.AbandonmentRate, Is.EqualTo(0.2).Within(1e-9));
            Assert.That(general.AverageHandleTimeSeconds, Is.EqualTo(140).Within(1e-9));

            Assert.That((vip.Offered, vip.Answered, vip.Abandoned, vip.AnsweredWithinThreshold, vip.AbandonedWithinThreshold), Is.EqualTo((2, 1, 1, 1, 0)));
            Assert.That(vip.ServiceLevel, Is.EqualTo(1.0).Within(1e-9), "a wait of exactly T is within T");
            Assert.That(vip.ServiceLevelWithAbandons, Is.EqualTo(0.5).Within(1e-9), "c4 gave up after T");
            Assert.That(vip.AverageSpeedOfAnswerSeconds, Is.EqualTo(20).Within(1e-9));
            Assert.That(vip.AbandonmentRate, Is.EqualTo(0.5).Within(1e-9));
            Assert.That(vip.AverageHandleTimeSeconds, Is.EqualTo(345).Within(1e-9));
        });
    }

    [Test]
    public void EachTierHasItsOwnFiguresAndCallersWithoutATierAreOrdinary()
    {
        var byTier = MetricsCalculator.Compute(Scenario(), [], _hour).ByTier;

        Assert.That(byTier.Keys, Is.EquivalentTo(new[] { "Diamond", "Gold", MetricsCalculator.OrdinaryTier }));
        var ordinary = byTier[MetricsCalculator.OrdinaryTier];
        var gold = byTier["Gold"];
        var diamond = byTier["Diamond"];
        Assert.Multiple(() =>
        {
            Assert.That((ordinary.Offered, ordinary.Answered, ordinary.Abandoned), Is.EqualTo((4, 2, 1)));
            Assert.That(ordinary.ServiceLevel, Is.EqualTo(1.0).Within(1e-9));
            Assert.That(ordinary.ServiceLevelWithAbandons, Is.EqualTo(1.0).Within(1e-9));
            Assert.That(ordinary.AverageSpeedOfAnswerSeconds, Is.EqualTo(5).Within(1e-9));
            Assert.That(ordinary.AbandonmentRate, Is.EqualTo(0.25).Within(1e-9));
            Assert.That(ordinary.AverageHandleTimeSeconds, Is.EqualTo(105).Within(1e-9));

            Assert.That((gold.Offered, gold.Answered, gold.Abandoned, gold.AnsweredWithinThreshold), Is.EqualTo((2, 1, 1, 0)));
            Assert.That(gold.ServiceLevel, Is.EqualTo(0.0));
            Assert.That(gold.ServiceLevelWithAbandons, Is.EqualTo(0.0));
            Assert.That(gold.AverageSpeedOfAnswerSeconds, Is.EqualTo(40).Within(1e-9));
            Assert.That(gold.AverageHandleTimeSeconds, Is.EqualTo(210).Within(1e-9));

            Assert.That((diamond.Offered, diamond.Answered, diamond.Abandoned), Is.EqualTo((1, 1, 0)));
            Assert.That(diamond.AbandonmentRate, Is.EqualTo(0.0));
        });
    }

    [Test]
    public void CallsCountInTheIntervalInWhichTheyEnteredTheQueue()
    {
        var intervals = MetricsCalculator.Compute(Scenario(), [], _hour).Intervals;

        Assert.That(intervals.Select(i => (i.From, i.To)), Is.EqualTo(new[] { (_nine, _nine.AddMinutes(30)), (_nine.AddMinutes(30), _nine.AddHours(1)) }));
        var first = intervals[0];
        var second = intervals[1];
        Assert.Multiple(() =>
        {
            Assert.That((first.Total.Offered, first.Total.Answered, first.Total.Abandoned), Is.EqualTo((4, 3, 1)), "c8, c1, c2, c3");
            Assert.That(first.Total.ServiceLevel, Is.EqualTo(2.0 / 3).Within(1e-9));
            Assert.That((second.Total.Offered, second.Total.Answered, second.Total.Abandoned), Is.EqualTo((3, 1, 1)), "c4, c5, c7");
            Assert.That(second.Total.AverageHandleTimeSeconds, Is.EqualTo(345).Within(1e-9));
            Assert.That(first.ByQueue.Keys, Is.EqualTo(new[] { "general", "vip" }), "every interval shows every queue of the period");
            Assert.That(first.ByQueue["vip"].Offered, Is.Zero);
            Assert.That(second.ByQueue["general"].Offered, Is.EqualTo(1), "c7 only");
            Assert.That(second.ByTier["Gold"].Abandoned, Is.EqualTo(1));
        });
    }

    [Test]
    public void AnIntervalBoundaryBelongsToTheLaterInterval()
    {
        var atBoundary = Call("edge", "general", 30, "caller-hung-up", wait: 1);
        var justBefore = Call("before", "general", 30 - (1.0 / 60000), "caller-hung-up", wait: 1);

        var intervals = MetricsCalculator.Compute([atBoundary, justBefore], [], _hour).Intervals;

        Assert.That(intervals.Select(i => i.Total.Offered), Is.EqualTo(new[] { 1, 1 }));
    }

    [Test]
    public void QueueEntryNotStartPlacesACall()
    {
        // Started at 09:20 in the IVR, queued at 09:40: the second interval. Started 08:50, queued 09:02: counted.
        var lateQueue = Call("late", "general", 40, "caller-hung-up", wait: 1, startedBeforeQueueMinutes: 20);
        var earlyStart = Call("early", "general", 2, "caller-hung-up", wait: 1, startedBeforeQueueMinutes: 12);

        var report = MetricsCalculator.Compute([lateQueue, earlyStart], [], _hour);

        Assert.That(report.Intervals.Select(i => i.Total.Offered), Is.EqualTo(new[] { 1, 1 }));
        Assert.That(report.Total.Offered, Is.EqualTo(2));
    }

    [Test]
    public void TheLastIntervalIsCutAtTheEndOfThePeriod()
    {
        var period = _hour with { IntervalMinutes = 25 };

        var intervals = MetricsCalculator.Compute([Call("c", "general", 55, "caller-hung-up")], [], period).Intervals;

        Assert.That(intervals.Select(i => i.To - i.From), Is.EqualTo(new[] { TimeSpan.FromMinutes(25), TimeSpan.FromMinutes(25), TimeSpan.FromMinutes(10) }));
        Assert.That(intervals[2].Total.Offered, Is.EqualTo(1));
    }

    [Test]
    public void RatiosWithNothingBelowTheLineAreNull()
    {
        var report = MetricsCalculator.Compute([Call("never-queued", null, 5, "caller-hung-up")], new List<PlatformEvent>(), _hour);

        var total = report.Total;
        Assert.Multiple(() =>
        {
            Assert.That((total.Offered, total.Answered, total.Abandoned), Is.EqualTo((0, 0, 0)));
            Assert.That(total.ServiceLevel, Is.Null);
            Assert.That(total.ServiceLevelWithAbandons, Is.Null);
            Assert.That(total.AverageSpeedOfAnswerSeconds, Is.Null);
            Assert.That(total.AbandonmentRate, Is.Null);
            Assert.That(total.AverageHandleTimeSeconds, Is.Null);
            Assert.That(report.ByQueue, Is.Empty);
            Assert.That(report.ByTier, Is.Empty);
            Assert.That(report.Intervals, Has.Count.EqualTo(2));
            Assert.That(report.Occupancy.Overall.Occupancy, Is.Null);
            Assert.That(report.Occupancy.ByAgent, Is.Empty);
        });
    }

    [Test]
    public void OnlyAbandonsWithinTAndNoAnswersLeaveTheVariantWithoutADenominator()
    {
        var total = MetricsCalculator.Compute([Call("short", "general", 5, "caller-hung-up", wait: 3)], [], _hour).Total;

        Assert.That((total.Offered, total.Abandoned, total.AbandonedWithinThreshold), Is.EqualTo((1, 1, 1)));
        Assert.That(total.ServiceLevelWithAbandons, Is.Null);
        Assert.That(total.AbandonmentRate, Is.EqualTo(1.0));
    }

    [Test]
    public void EveryFigureHasADefinition()
    {
        var report = MetricsCalculator.Compute(Scenario(), [], _hour);

        var figureNames = typeof(CallCenter.Contracts.Metrics.MetricFigures).GetProperties()
            .Select(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..]);
        Assert.That(report.Definitions.Keys, Is.SupersetOf(figureNames.Append("occupancy")));
        Assert.That(report.Definitions["serviceLevel"], Does.Contain("answered within T seconds / answered"));
        Assert.That((report.ServiceLevelSeconds, report.IntervalMinutes), Is.EqualTo((20, 30)));
    }

    [Test]
    public void CallersTurnedAwayFromAVipLineInThePeriodAreCounted()
    {
        CallRecord[] records =
        [
            Call("away-then-queued", "general", 10, "caller-hung-up") with
            {
                IvrPath = ["95501.gate", "95501.vipOnly", "95501.mainLine", "95500.language", "95500.menu", "95500.agent"],
            },
            Call("away-hung-up", null, 20, "caller-hung-up") with { IvrPath = ["95501.gate", "95501.vipOnly"] },
            Call("vip", "vip", 30, "caller-hung-up") with { IvrPath = ["95501.gate", "95501.welcome", "95501.agent"] },
            Call("away-yesterday", null, -120, "caller-hung-up") with { IvrPath = ["95501.gate", "95501.vipOnly"] },
            Call("look-alike", null, 40, "caller-hung-up") with { IvrPath = ["95500.novipOnly"] },
        ];

        var report = MetricsCalculator.Compute(records, [], _hour);

        Assert.That(report.VipLineTurnedAway, Is.EqualTo(2));
        Assert.That(report.Definitions, Does.ContainKey("vipLineTurnedAway"));
    }
}
