using CallCenter.Data.Calls;
using CallCenter.ResourceControl.Calls;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>What a call in progress keeps with its open row, and when it is written again.</summary>
public sealed class CallProgressTests
{
    private static readonly DateTimeOffset _t0 = TestCallFacts.T0;

    private static TestCallFacts Bridged(IReadOnlyList<string>? ivrPath = null) => new()
    {
        Tier = "Diamond",
        Queue = "vip",
        QueuedAt = _t0.AddSeconds(8),
        Agent = "1001",
        AnsweredAt = _t0.AddSeconds(10),
        RoutingReason = "agent 1001 available",
        IvrPath = ivrPath ?? ["welcome"],
        Legs = [new CallLeg("agent", "1002", _t0.AddSeconds(8), null, _t0.AddSeconds(9), "rejected 486")],
    };

    private static readonly CallLeg _live = new("agent", "1001", _t0.AddSeconds(9), _t0.AddSeconds(10), null, "answered");

    [Test]
    public void ProgressHasEverythingKnownWithTheCallersAndTheLiveLegStillOpen()
    {
        var progress = CallRecordBuilder.Progress(Bridged(), _t0.AddSeconds(12), "/rec/c.wav", _live);

        Assert.That((progress.Tier, progress.Queue, progress.Agent, progress.AnsweredAt, progress.Recording), Is.EqualTo(("Diamond", "vip", "1001", (DateTimeOffset?)_t0.AddSeconds(10), "/rec/c.wav")));
        Assert.That(progress.Disposition, Is.EqualTo("in-progress"));
        Assert.That(progress.Legs.Select(l => (l.Party, l.EndedAt)), Is.EqualTo(new[]
        {
            ("13800000001", (DateTimeOffset?)null),
            ("1002", (DateTimeOffset?)_t0.AddSeconds(9)),
            ("1001", (DateTimeOffset?)null),
        }));
    }

    [Test]
    public void AProgressClosedAfterACrashIsTheRecordTheCallWouldHaveLeftEndingThen()
    {
        var end = _t0.AddSeconds(40);
        var progress = CallRecordBuilder.Progress(Bridged(), _t0.AddSeconds(12), "/rec/c.wav", _live);

        var closed = InterruptedCall.Close(progress.Id, progress.Caller, progress.Dialed, progress.StartedAt, progress, end);
        var built = CallRecordBuilder.Build(Bridged() with { Legs = [.. Bridged().Legs, _live with { EndedAt = end }] }, CallDisposition.Interrupted, end, "/rec/c.wav", null);

        Assert.That(closed with { Legs = [], IvrPath = [] }, Is.EqualTo(built with { Legs = [], IvrPath = [] }));
        Assert.That(closed.Legs, Is.EqualTo(built.Legs));
    }

    [Test]
    public void ANewProgressIsTakenWhenTheCallMovesOnNotOnEveryIvrStep()
    {
        var before = CallRecordBuilder.KeyOf(new TestCallFacts(), null, null);

        Assert.That(CallRecordBuilder.KeyOf(new TestCallFacts { IvrPath = ["a", "b"] }, null, null), Is.EqualTo(before), "an IVR step");
        Assert.That(CallRecordBuilder.KeyOf(new TestCallFacts { Tier = "Gold" }, null, null), Is.Not.EqualTo(before), "identified");
        Assert.That(CallRecordBuilder.KeyOf(new TestCallFacts { Queue = "vip", QueuedAt = _t0 }, null, null), Is.Not.EqualTo(before), "queued");
        Assert.That(CallRecordBuilder.KeyOf(new TestCallFacts(), null, _live with { AnsweredAt = null, Outcome = "ringing" }), Is.Not.EqualTo(before), "offered");
        Assert.That(CallRecordBuilder.KeyOf(Bridged(), "/rec/c.wav", _live), Is.EqualTo(CallRecordBuilder.KeyOf(Bridged(["x", "y"]), "/rec/c.wav", _live)), "equal facts, equal keys");
        Assert.That(CallRecordBuilder.KeyOf(Bridged(), "/rec/c.wav", _live), Is.Not.EqualTo(CallRecordBuilder.KeyOf(Bridged(), null, _live)), "recorded");
    }
}
