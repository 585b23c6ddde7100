using CallCenter.ResourceControl.Agents;

namespace CallCenter.ResourceControl.Tests.Agents;

public sealed class AgentRosterTests
{
    private static readonly DateTimeOffset _t0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.FromHours(8));

    private static AgentRoster RosterWith(params string[] extensions)
    {
        var roster = new AgentRoster(new AgentStateMachine(new AgentOptions()));
        foreach (var extension in extensions)
        {
            roster.Add(extension, _t0);
            roster.Apply(extension, new AgentEvent.PhoneRegistered(), _t0);
        }

        return roster;
    }

    [Test]
    public void AvailableAgentsComeLongestIdleFirst()
    {
        var roster = RosterWith("1001", "1002", "1003");
        roster.Apply("1002", new AgentEvent.SetAvailable(), _t0.AddSeconds(1));
        roster.Apply("1003", new AgentEvent.SetAvailable(), _t0.AddSeconds(2));
        roster.Apply("1001", new AgentEvent.SetAvailable(), _t0.AddSeconds(3));

        var available = roster.Available(_t0.AddSeconds(10));

        Assert.That(available.Select(a => a.Extension), Is.EqualTo(new[] { "1002", "1003", "1001" }));
        Assert.That(available[0].AvailableSince, Is.EqualTo(_t0.AddSeconds(1)));
    }

    [Test]
    public void AgentsNotAvailableAreLeftOut()
    {
        var roster = RosterWith("1001", "1002");
        roster.Apply("1001", new AgentEvent.SetAvailable(), _t0);
        roster.Apply("1002", new AgentEvent.SetAvailable(), _t0);
        roster.Apply("1002", new AgentEvent.Offer("c1"), _t0.AddSeconds(1));

        Assert.That(roster.Available(_t0.AddSeconds(2)).Select(a => a.Extension), Is.EqualTo(new[] { "1001" }));
    }

    [Test]
    public void AvailableAgentsCarryTheirCallsToday()
    {
        var roster = RosterWith("1001");
        roster.Apply("1001", new AgentEvent.SetAvailable(), _t0);
        for (var i = 0; i < 2; i++)
        {
            var at = _t0.AddMinutes(i + 1);
            roster.Apply("1001", new AgentEvent.Offer($"c{i}"), at);
            roster.Apply("1001", new AgentEvent.OfferAnswered(), at);
            roster.Apply("1001", new AgentEvent.CallEnded(), at);
            roster.Apply("1001", new AgentEvent.WrapUpDone(), at);
        }

        var agent = roster.Available(_t0.AddMinutes(5)).Single();

        Assert.That(agent.CallsToday, Is.EqualTo(2));
        Assert.That(agent.AvailableSince, Is.EqualTo(_t0.AddMinutes(2)));
    }

    [Test]
    public void RingTimeoutRotatesTheCallToTheNextAgentAndThisOneQueuesBehind()
    {
        var roster = RosterWith("1001", "1002");
        roster.Apply("1001", new AgentEvent.SetAvailable(), _t0);
        roster.Apply("1002", new AgentEvent.SetAvailable(), _t0.AddSeconds(1));
        var first = roster.Available(_t0.AddSeconds(2))[0].Extension;
        roster.Apply(first, new AgentEvent.Offer("c1"), _t0.AddSeconds(2));

        var timedOut = roster.Apply(first, new AgentEvent.OfferTimedOut("c1"), _t0.AddSeconds(22));

        var next = timedOut.Effects.OfType<AgentEffect.OfferNextAgent>().Single();
        Assert.That(next, Is.EqualTo(new AgentEffect.OfferNextAgent("c1", "1001")));
        Assert.That(roster.Available(_t0.AddSeconds(22)).Select(a => a.Extension), Is.EqualTo(new[] { "1002", "1001" }));
    }

    [Test]
    public void UnknownExtensionIsRefused()
    {
        var roster = RosterWith("1001");

        var t = roster.Apply("1999", new AgentEvent.SetAvailable(), _t0);

        Assert.That(t.Refusal, Does.Contain("1999"));
        Assert.That(roster.Find("1999"), Is.Null);
    }

    [Test]
    public void RefusedEventLeavesTheRosterAsItWas()
    {
        var roster = new AgentRoster(new AgentStateMachine(new AgentOptions()));
        roster.Add("1001", _t0);

        var t = roster.Apply("1001", new AgentEvent.SetAvailable(), _t0);

        Assert.That(t.Refusal, Does.Contain("not registered"));
        Assert.That(roster.Find("1001")!.Status, Is.EqualTo(AgentStatus.Offline));
    }

    [Test]
    public void AddingAKnownExtensionKeepsItsState()
    {
        var roster = RosterWith("1001");
        roster.Apply("1001", new AgentEvent.SetAvailable(), _t0);

        var added = roster.Add("1001", _t0.AddSeconds(5));

        Assert.That(added, Is.False);
        Assert.That(roster.Find("1001")!.Status, Is.EqualTo(AgentStatus.Available));
        Assert.That(roster.All().Select(a => a.Extension), Is.EqualTo(new[] { "1001" }));
    }
}
