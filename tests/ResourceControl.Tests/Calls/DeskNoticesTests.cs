using CallCenter.Contracts.Agents;
using CallCenter.Contracts.Calls;
using CallCenter.Contracts.Desk;
using CallCenter.ResourceControl.Calls;
using CallCenter.TestSupport;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>What the desks hear of a call: the pop before "ringing", and each change stamped with the platform's time.</summary>
public sealed class DeskNoticesTests
{
    private sealed class RecordingDesk : IDeskEvents
    {
        public List<object> Heard { get; } = [];

        public void Offered(CallPop pop) => Heard.Add(pop);

        public void CallChanged(DeskCallState state) => Heard.Add(state);

        public void AgentChanged(AgentSnapshot agent) => Heard.Add(agent);
    }

    // NUnit keeps one instance per fixture: each test gets its own desk and clock.
    private RecordingDesk _desk = null!;
    private ManualTimeProvider _time = null!;

    [SetUp]
    public void SetUp()
    {
        _desk = new RecordingDesk();
        _time = new ManualTimeProvider(TestCallFacts.T0.AddSeconds(30));
    }

    [Test]
    public void AnOfferPopsTheCallThenSaysItRings()
    {
        var notices = new DeskNotices(_desk, _time);
        var call = new TestCallFacts { Id = "c1", Caller = "13800000001", Tier = "diamond" };

        notices.Offered(call, "1001", TestCallFacts.T0.AddSeconds(20), consult: false);

        Assert.That(_desk.Heard, Has.Count.EqualTo(2));
        var pop = (CallPop)_desk.Heard[0];
        Assert.Multiple(() =>
        {
            Assert.That(pop.CallId, Is.EqualTo("c1"));
            Assert.That(pop.Agent, Is.EqualTo("1001"));
            Assert.That(pop.Caller, Is.EqualTo("13800000001"));
            Assert.That(pop.Tier, Is.EqualTo("diamond"));
            Assert.That(pop.OfferedAt, Is.EqualTo(TestCallFacts.T0.AddSeconds(20)), "when the phone was rung, not now");
            Assert.That(_desk.Heard[1], Is.EqualTo(new DeskCallState("c1", "1001", DeskCallPhase.Ringing, _time.GetUtcNow(), null)));
        });
    }

    [Test]
    public void AConsultedAgentsPhoneRingsAsAConsultation()
    {
        var notices = new DeskNotices(_desk, _time);

        notices.Offered(new TestCallFacts { Id = "c1" }, "1002", TestCallFacts.T0, consult: true);

        Assert.That(((DeskCallState)_desk.Heard[1]).Detail, Is.EqualTo("consult"));
    }

    [Test]
    public void AChangeCarriesTheCallTheAgentThePhaseAndTheTimeNow()
    {
        var notices = new DeskNotices(_desk, _time);
        _time.Advance(TimeSpan.FromSeconds(5));

        notices.Changed("c1", "1001", DeskCallPhase.Held, "by the phone");

        Assert.That(_desk.Heard, Is.EqualTo(new object[] { new DeskCallState("c1", "1001", DeskCallPhase.Held, TestCallFacts.T0.AddSeconds(35), "by the phone") }));
    }
}
