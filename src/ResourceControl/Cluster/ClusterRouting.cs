using CallCenter.ResourceControl.Routing;

namespace CallCenter.ResourceControl.Cluster;

/// <summary>An agent as the cluster sees it: one row of <c>cluster_agents</c>.</summary>
/// <param name="Extension">The agent.</param>
/// <param name="Node">The node whose presence last changed the agent (or claimed it for a call).</param>
/// <param name="Status">As <c>GET /api/agents</c> says it: <c>available</c> (routable), <c>offered</c>, <c>onCall</c>, <c>wrapUp</c>, <c>break</c>, <c>email</c>, <c>offline</c>.</param>
/// <param name="CallId">The call offered, talked or wrapped up; null otherwise.</param>
/// <param name="Since">When the agent entered <paramref name="Status"/>: "available since" for longest-idle routing.</param>
/// <param name="Skills">The agent's skills.</param>
/// <param name="CallsToday">Calls the agent answered today (fewest-calls routing).</param>
internal sealed record SharedAgent(string Extension, string Node, string Status, string? CallId, DateTimeOffset Since, IReadOnlyCollection<string> Skills, int CallsToday)
{
    public const string Available = "available";
    public const string Offered = "offered";
    public const string Offline = "offline";

    /// <summary>The statuses of an agent busy with a call, which only the node holding the call may change.</summary>
    public static readonly IReadOnlyList<string> CallStatuses = [Offered, "onCall", "wrapUp"];

    /// <summary>What the agent asked to do after their call (break, offline; available: nothing pending), or null.</summary>
    public string? AfterCall { get; init; }

    /// <summary>The reason of <see cref="AfterCall"/>.</summary>
    public string? AfterCallReason { get; init; }
}

/// <summary>A caller waiting on <paramref name="Node"/>: one row of <c>cluster_waiting</c>.</summary>
internal sealed record SharedCaller(WaitingCall Call, string Node);

/// <summary>The leader's decision: <paramref name="Agent"/> takes the call <paramref name="CallId"/> waiting on <paramref name="Node"/>.</summary>
internal sealed record ClusterAssignment(string CallId, string Node, string Agent, RoutingExplanation Explanation);

/// <summary>
/// The cluster's ACD decision, pure (issue 19): every node's waiting callers and every node's agents in, the calls to
/// give out now. It reuses the single-node <see cref="AcdRouter"/> as it is, on a router built afresh for each round
/// (so a new leader needs nothing but the published rows): every agent not offline logs in (a busy account manager
/// still holds their clients' calls), every caller enters, oldest first, while no agent is free, and then the
/// available agents become free one by one, longest idle first, each taking the best waiting call exactly as on one
/// node (its own clients first, a risk notice, the starvation guard, then the highest score by tier and wait).
/// Queue limits are the holding node's business: the leader's options have none (<see cref="RoutingOptions.ForClusterLeader"/>).
/// </summary>
internal static class ClusterRouting
{
    public static IReadOnlyList<ClusterAssignment> Decide(
        RoutingOptions leaderOptions, IReadOnlyList<SharedAgent> agents, IReadOnlyList<SharedCaller> callers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(callers);
        var router = new AcdRouter(leaderOptions);
        foreach (var agent in agents.Where(a => a.Status != SharedAgent.Offline))
        {
            router.LogIn(agent.Extension, agent.Skills, agent.CallsToday);
        }

        var nodeOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var caller in callers.OrderBy(c => c.Call.EnteredAt).ThenBy(c => c.Call.Id, StringComparer.Ordinal))
        {
            if (nodeOf.TryAdd(caller.Call.Id, caller.Node))
            {
                // No agent is free yet: the caller waits (or is held for its busy account manager); never assigned here.
                router.Enqueue(caller.Call, now);
            }
        }

        var assignments = new List<ClusterAssignment>();
        foreach (var agent in agents.Where(a => a.Status == SharedAgent.Available).OrderBy(a => a.Since).ThenBy(a => a.Extension, StringComparer.Ordinal))
        {
            if (router.AgentAvailable(agent.Extension, now) is { } assignment)
            {
                assignments.Add(new ClusterAssignment(assignment.Call.Id, nodeOf[assignment.Call.Id], agent.Extension, assignment.Explanation));
            }
        }

        return assignments;
    }

    /// <summary>
    /// A supervisor's pick in the cluster, pure: <paramref name="caller"/> (waiting on its node) goes to
    /// <paramref name="agent"/> (available by its row), explained as on one node (rule <c>supervisorPick</c>, "picked by
    /// …"), whatever the call's skills or its hold for a busy account manager, since the supervisor chose. Null when the
    /// row does not say the agent is available.
    /// </summary>
    public static ClusterAssignment? Pick(RoutingOptions leaderOptions, SharedAgent agent, SharedCaller caller, string pickedBy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(caller);
        if (agent.Status != SharedAgent.Available)
        {
            return null;
        }

        // As Decide builds it: the agent logged in but not yet free, so the caller only enters (never routed here).
        var router = new AcdRouter(leaderOptions);
        router.LogIn(agent.Extension, agent.Skills, agent.CallsToday);
        router.Enqueue(caller.Call, now);
        var (assignment, _) = router.PickAvailableElsewhere(caller.Call.Id, agent.Extension, pickedBy, agent.Since, now);
        return assignment is null ? null : new ClusterAssignment(caller.Call.Id, caller.Node, agent.Extension, assignment.Explanation);
    }
}
