using CallCenter.Data.Events;
using CallCenter.ResourceControl.Metrics;

namespace CallCenter.ResourceControl.Tests.Metrics;

/// <summary>
/// Hand-computed occupancy for 09:00-10:00 in two 30-minute intervals:
/// 1001 available since 08:00, offered 09:10, on a call 09:10:10, wrap-up 09:20, available 09:21, break 09:45
/// (staffed 2700 s, busy 660 s); 1002 has no change before the hour, on a call until 09:30 (its first change's
/// "from"), wrap-up to 09:31, then available (staffed 3600 s, busy 1860 s); 1003 available from 09:50
/// (staffed 600 s, busy 0); 1004 on break all along (not staffed).
/// </summary>
public sealed class OccupancyCalculatorTests
{
    private static readonly DateTimeOffset _nine = new(2026, 11, 22, 9, 0, 0, TimeSpan.FromHours(8));

    private static readonly MetricsPeriod _hour = new(_nine, _nine.AddHours(1), _nine.AddHours(2), IntervalMinutes: 30, ServiceLevelSeconds: 20);

    private static PlatformEvent State(string agent, double minutes, string from, string to) =>
        new(_nine.AddMinutes(minutes), OccupancyCalculator.AgentStateKind, Agent: agent, Detail: $"{{\"from\":\"{from}\",\"to\":\"{to}\",\"reason\":null,\"callId\":null}}");

    private static List<PlatformEvent> Day() =>
    [
        State("1004", -30, "available", "break"),
        State("1001", -60, "offline", "available"),
        State("1001", 10, "available", "offered"),
        State("1001", 10 + (10.0 / 60), "offered", "onCall"),
        State("1001", 20, "onCall", "wrapUp"),
        State("1001", 21, "wrapUp", "available"),
        State("1001", 45, "available", "break"),
        State("1002", 30, "onCall", "wrapUp"),
        State("1002", 31, "wrapUp", "available"),
        State("1003", 50, "offline", "available"),
    ];

    [Test]
    public void OccupancyIsBusyTimeOverStaffedTimePerAgentAndOverall()
    {
        var occupancy = MetricsCalculator.Compute([], Day(), _hour).Occupancy;

        Assert.That(occupancy.ByAgent.Keys, Is.EqualTo(new[] { "1001", "1002", "1003" }), "1004 was never staffed");
        Assert.Multiple(() =>
        {
            Assert.That((occupancy.ByAgent["1001"].StaffedSeconds, occupancy.ByAgent["1001"].BusySeconds), Is.EqualTo((2700.0, 660.0)));
            Assert.That(occupancy.ByAgent["1001"].Occupancy, Is.EqualTo(660.0 / 2700).Within(1e-9));
            Assert.That((occupancy.ByAgent["1002"].StaffedSeconds, occupancy.ByAgent["1002"].BusySeconds), Is.EqualTo((3600.0, 1860.0)));
            Assert.That((occupancy.ByAgent["1003"].StaffedSeconds, occupancy.ByAgent["1003"].Occupancy), Is.EqualTo((600.0, (double?)0.0)));
            Assert.That((occupancy.Overall.StaffedSeconds, occupancy.Overall.BusySeconds), Is.EqualTo((6900.0, 2520.0)));
            Assert.That(occupancy.Overall.Occupancy, Is.EqualTo(2520.0 / 6900).Within(1e-9));
        });
    }

    [Test]
    public void EachIntervalHasItsOwnOccupancy()
    {
        var intervals = MetricsCalculator.Compute([], Day(), _hour).Intervals;

        var first = intervals[0].Occupancy;
        var second = intervals[1].Occupancy;
        Assert.Multiple(() =>
        {
            Assert.That((first.Overall.StaffedSeconds, first.Overall.BusySeconds), Is.EqualTo((3600.0, 2460.0)));
            Assert.That(first.ByAgent.Keys, Is.EqualTo(new[] { "1001", "1002" }));
            Assert.That((second.Overall.StaffedSeconds, second.Overall.BusySeconds), Is.EqualTo((3300.0, 60.0)));
            Assert.That(second.ByAgent["1001"].BusySeconds, Is.Zero);
            Assert.That(second.ByAgent["1002"].BusySeconds, Is.EqualTo(60.0));
        });
    }

    [Test]
    public void TimeAfterNowIsNotCounted()
    {
        var occupancy = MetricsCalculator.Compute([], Day(), _hour with { AsOf = _nine.AddMinutes(40) }).Occupancy;

        Assert.That(occupancy.ByAgent["1002"].StaffedSeconds, Is.EqualTo(2400.0));
        Assert.That(occupancy.ByAgent["1002"].BusySeconds, Is.EqualTo(1860.0));
        Assert.That(occupancy.ByAgent.ContainsKey("1003"), Is.False, "1003 logs in at 09:50, after now");
    }

    [Test]
    public void TheLastChangeBeforeThePeriodWinsOverAnAgentsFirstChangeInIt()
    {
        // The log says 1005 went on break before nine; a later change claims "from available": the earlier evidence holds.
        var events = new List<PlatformEvent> { State("1005", -5, "available", "break"), State("1005", 30, "available", "offline") };

        var occupancy = MetricsCalculator.Compute([], events, _hour).Occupancy;

        Assert.That(occupancy.ByAgent, Is.Empty);
    }

    [Test]
    public void AnAgentWhoseStateAtTheStartIsUnknownIsOfflineUntilTheirFirstChange()
    {
        var events = new List<PlatformEvent>
        {
            new(_nine.AddMinutes(30), OccupancyCalculator.AgentStateKind, Agent: "1006", Detail: "{\"to\":\"available\"}"),
        };

        var occupancy = MetricsCalculator.Compute([], events, _hour).Occupancy;

        Assert.That(occupancy.ByAgent["1006"].StaffedSeconds, Is.EqualTo(1800.0));
        Assert.That(occupancy.Overall.Occupancy, Is.EqualTo(0.0));
    }

    [Test]
    public void NoAgentStateChangesLeaveOccupancyNull()
    {
        var occupancy = MetricsCalculator.Compute([], [], _hour).Occupancy;

        Assert.That(occupancy.ByAgent, Is.Empty);
        Assert.That(occupancy.Overall.Occupancy, Is.Null);
    }

    [Test]
    public void OtherEventsAndUnreadableDetailsAreSkipped()
    {
        var events = new List<PlatformEvent>
        {
            State("1001", -1, "offline", "available"),
            new(_nine.AddMinutes(10), "call.answered", "c1", "1001", "{\"to\":\"onCall\"}"),
            new(_nine.AddMinutes(20), OccupancyCalculator.AgentStateKind, Agent: "1001", Detail: "not json"),
            new(_nine.AddMinutes(25), OccupancyCalculator.AgentStateKind, Agent: null, Detail: "{\"to\":\"onCall\"}"),
            State("1001", 30, "available", "onCall"),
        };

        var agent = MetricsCalculator.Compute([], events, _hour).Occupancy.ByAgent["1001"];

        Assert.That((agent.StaffedSeconds, agent.BusySeconds), Is.EqualTo((3600.0, 1800.0)));
    }

    [Test]
    public void ChangesAtTheSameMomentFollowLogOrder()
    {
        var events = new List<PlatformEvent>
        {
            State("1001", 0, "offline", "available") with { Seq = 1 },
            State("1001", 30, "offered", "onCall") with { Seq = 3 },
            State("1001", 30, "available", "offered") with { Seq = 2 },
        };

        var agent = MetricsCalculator.Compute([], events, _hour).Occupancy.ByAgent["1001"];

        Assert.That(agent.BusySeconds, Is.EqualTo(1800.0), "the agent ends on a call, not offered-then-nothing");
    }
}
