using CallCenter.ResourceControl.Queues;
using CallCenter.ResourceControl.Routing;
using CallCenter.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallCenter.ResourceControl.Tests.Cluster;

/// <summary>
/// A cluster node's queues (issue 19, <see cref="AcdQueues.ClusterDecides"/>): they keep the node's callers but never
/// give one to an agent themselves; the leader's decision comes in through <see cref="AcdQueues.TakeAssigned"/> and is
/// raised as the router's own, with the node's own entry of the call. One node's queues still decide at once.
/// </summary>
public sealed class ClusterQueuesTests
{
    private static WaitingCall Caller(string id, DateTimeOffset at) =>
        new(id, "general", "Gold", "zh", [], at, null) { Caller = "13800000003", SipCallId = "sip-" + id };

    [Test]
    public void InAClusterTheNodesQueuesHoldTheCallerAndRaiseOnlyTheLeadersDecision()
    {
        var time = new ManualTimeProvider();
        using var queues = new AcdQueues(new RoutingOptions(), time, NullLogger<AcdQueues>.Instance) { ClusterDecides = true };
        var assigned = new List<RoutingAssignment>();
        queues.Assigned += assigned.Add;
        var call = Caller("c1", time.GetUtcNow());

        queues.AgentAvailable("1001", ["zh"], 0);
        queues.Enqueue(call, "zh", _ => { });
        var waitingBefore = queues.WaitingCalls();
        var explanation = new RoutingExplanation("c1", "general", "Gold", "1001", RoutingRule.HighestScore, "agent 1001 available", 3, 240, 0, 1, 1, []);
        var taken = queues.TakeAssigned("c1", "1001", explanation);
        var takenTwice = queues.TakeAssigned("c1", "1001", explanation);

        Assert.That(waitingBefore, Is.EqualTo(new[] { call }), "the caller waits though an agent is available: the leader decides");
        Assert.That(taken, Is.True);
        Assert.That(takenTwice, Is.False, "the call no longer waits here");
        Assert.That(assigned, Has.Count.EqualTo(1));
        Assert.That(assigned[0].Call, Is.SameAs(call), "the node's own entry, with its caller number and SIP Call-ID");
        Assert.That(assigned[0].Agent, Is.EqualTo("1001"));
        Assert.That(queues.WaitingCalls(), Is.Empty);
    }

    [Test]
    public void OnOneNodeTheQueuesGiveTheCallerToTheAvailableAgentAtOnce()
    {
        var time = new ManualTimeProvider();
        using var queues = new AcdQueues(new RoutingOptions(), time, NullLogger<AcdQueues>.Instance);
        var assigned = new List<RoutingAssignment>();
        queues.Assigned += assigned.Add;

        queues.AgentAvailable("1001", ["zh"], 0);
        queues.Enqueue(Caller("c1", time.GetUtcNow()), "zh", _ => { });

        Assert.That(assigned.Select(a => (a.Call.Id, a.Agent)), Is.EqualTo(new[] { ("c1", "1001") }));
        Assert.That(queues.WaitingCalls(), Is.Empty);
    }
}
