using CallCenter.Data.Calls;
using CallCenter.ResourceControl.Calls;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>The record a call leaves: its times, legs and outcome from the call's facts.</summary>
public sealed class CallRecordBuilderTests
{
    private static readonly DateTimeOffset _t0 = TestCallFacts.T0;

    [Test]
    public void AnIvrOnlyCallHasNoWaitNoTalkAndOnlyTheCallersLeg()
    {
        var facts = new TestCallFacts { IvrPath = ["language", "welcome", "menu"] };

        var record = CallRecordBuilder.Build(facts, CallDisposition.CallerHungUp, _t0.AddSeconds(42), null, null);

        Assert.Multiple(() =>
        {
            Assert.That(record.Id, Is.EqualTo(facts.Id));
            Assert.That(record.WaitSeconds, Is.Zero);
            Assert.That(record.TalkSeconds, Is.Zero);
            Assert.That(record.IvrPath, Is.EqualTo(new[] { "language", "welcome", "menu" }));
            Assert.That(record.Legs, Has.Count.EqualTo(1));
            Assert.That(record.Legs[0], Is.EqualTo(new CallLeg("caller", facts.Caller, _t0, _t0, _t0.AddSeconds(42), "caller-hung-up")));
            Assert.That(record.Disposition, Is.EqualTo("caller-hung-up"));
            Assert.That(record.EndedAt, Is.EqualTo(_t0.AddSeconds(42)));
        });
    }

    [TestCase("reached", "wrong-number", "wrong-number")]
    [TestCase("reached", "refused", "refused")]
    [TestCase("reached", null, "reached")]
    [TestCase("no-answer", "wrong-number", "no-answer")]
    public void APlacedCallsRecordTakesTheWordOfAnAgentWhoTransferredItAwayOnceTheClientAnswered(string outcome, string? agentOutcome, string recorded)
    {
        var facts = new TestCallFacts { OutboundAttempt = new OutboundAttemptFacts("list-1", "entry-1", 1, outcome, agentOutcome) };

        var record = CallRecordBuilder.Build(facts, CallDisposition.CallerHungUp, _t0.AddSeconds(42), null, null);

        Assert.That(record.Outcome, Is.EqualTo(recorded));
    }

    [Test]
    public void WaitRunsFromTheQueueToTheAnswerAndTalkLeavesOutTheHold()
    {
        var agentLeg = new CallLeg("agent", "1001", _t0.AddSeconds(30), _t0.AddSeconds(35), _t0.AddSeconds(200), "answered");
        var facts = new TestCallFacts
        {
            Tier = "diamond",
            Queue = "vip",
            QueuedAt = _t0.AddSeconds(10),
            AnsweredAt = _t0.AddSeconds(35),
            Agent = "1001",
            HoldSeconds = 45,
            RingSeconds = 5,
            RoutingReason = "account manager",
            Legs = [agentLeg],
        };

        var record = CallRecordBuilder.Build(facts, CallDisposition.AgentHungUp, _t0.AddSeconds(200), "/rec/a.wav", "ab12");

        Assert.Multiple(() =>
        {
            Assert.That(record.WaitSeconds, Is.EqualTo(25).Within(1e-9));
            Assert.That(record.TalkSeconds, Is.EqualTo(200 - 35 - 45).Within(1e-9));
            Assert.That(record.RingSeconds, Is.EqualTo(5));
            Assert.That(record.HoldSeconds, Is.EqualTo(45));
            Assert.That(record.Legs, Is.EqualTo(new[] { new CallLeg("caller", facts.Caller, _t0, _t0, _t0.AddSeconds(200), "agent-hung-up"), agentLeg }));
            Assert.That(record.Tier, Is.EqualTo("diamond"));
            Assert.That(record.Queue, Is.EqualTo("vip"));
            Assert.That(record.Agent, Is.EqualTo("1001"));
            Assert.That(record.Routing, Is.EqualTo("account manager"));
            Assert.That(record.Recording, Is.EqualTo("/rec/a.wav"));
            Assert.That(record.RecordingSha256, Is.EqualTo("ab12"));
        });
    }

    [Test]
    public void ACallerWhoGaveUpInTheQueueWaitedUntilTheEnd()
    {
        var facts = new TestCallFacts { Queue = "general", QueuedAt = _t0.AddSeconds(20) };

        var record = CallRecordBuilder.Build(facts, CallDisposition.CallerHungUp, _t0.AddSeconds(80), null, null);

        Assert.Multiple(() =>
        {
            Assert.That(record.WaitSeconds, Is.EqualTo(60).Within(1e-9));
            Assert.That(record.TalkSeconds, Is.Zero);
            Assert.That(record.AnsweredAt, Is.Null);
        });
    }

    [Test]
    public void ClocksThatDisagreeNeverMakeANegativeDuration()
    {
        // A hold counted past the end (the clock stepped back) and an end before the answer.
        var facts = new TestCallFacts { QueuedAt = _t0.AddSeconds(50), AnsweredAt = _t0.AddSeconds(60), HoldSeconds = 100 };

        var record = CallRecordBuilder.Build(facts, CallDisposition.Interrupted, _t0.AddSeconds(40), null, null);

        Assert.Multiple(() =>
        {
            Assert.That(record.TalkSeconds, Is.Zero);
            Assert.That(record.WaitSeconds, Is.EqualTo(10).Within(1e-9));
        });
    }
}
