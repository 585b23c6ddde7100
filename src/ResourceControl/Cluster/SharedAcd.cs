using System.Data.Common;
using System.Threading.Channels;
using CallCenter.ResourceControl.Agents;
using CallCenter.ResourceControl.Queues;
using CallCenter.ResourceControl.Routing;

namespace CallCenter.ResourceControl.Cluster;

/// <summary>
/// The shell of the cluster's one ACD (issue 19; <c>Cluster:Enabled</c> on a shared PostgreSQL). Every node, every
/// <see cref="Every"/>: writes the agent states its presence changed (in order), publishes the callers waiting in its
/// <see cref="AcdQueues"/>, refreshes the rows it owns, takes the calls the leader gave its callers and raises them
/// through <see cref="AcdQueues.TakeAssigned"/> (the call rings the agent as on one node), and releases the agents it
/// claimed for an offer that never started. The node holding the lease (<see cref="LeaderLease"/>) also routes, before taking:
/// it reads every live node's waiting callers and agents, lets <see cref="ClusterRouting"/> decide, and keeps each
/// decision only if the agent's claim and the caller's row both still hold (<see cref="SharedAcdStore.AssignAsync"/>).
/// The leader keeps nothing between rounds, so the next one rebuilds everything from the rows at once.
/// Before this node rings an agent it claims them (<see cref="ClaimAsync"/>), whoever decided.
/// </summary>
internal sealed class SharedAcd(
    SharedAcdStore store,
    AgentPresence presence,
    AcdQueues queues,
    LeaderLease lease,
    RoutingOptions routing,
    Hosting.ClusterOptions options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<SharedAcd> logger) : BackgroundService, IAgentClaims
{
    /// <summary>How often a node publishes and takes, and the leader routes.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromMilliseconds(100);

    /// <summary>A row not refreshed for this long belongs to a node that stopped: its callers and agents are left out.</summary>
    public static readonly TimeSpan Alive = TimeSpan.FromSeconds(3);

    /// <summary>An agent claimed for an offer that has not started on this node after this long is released.</summary>
    public static readonly TimeSpan OfferStart = TimeSpan.FromSeconds(3);

    /// <summary>Waiting rows of a node silent this long are deleted by the leader (its callers went with it).</summary>
    public static readonly TimeSpan Forgotten = TimeSpan.FromMinutes(1);

    [ThreadStatic]
    private static bool _adopting;

    private readonly Channel<SharedAgent> _changes = Channel.CreateUnbounded<SharedAgent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly RoutingOptions _leaderOptions = routing.ForClusterLeader();
    private readonly Dictionary<string, WaitingCall> _published = new(StringComparer.Ordinal);

    private bool _republish;
    private volatile IReadOnlyDictionary<string, SharedAgent> _agents = new Dictionary<string, SharedAgent>();
    private bool _reset;
    private bool _failing;
    private long _leaderRounds;

    private string Node => options.Node;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        presence.StateChanged += OnStateChanged;
        presence.Requested += OnRequested;
        presence.ClusterView = ClusterView;
        queues.ClusterAvailable = AvailableHere;
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        presence.StateChanged -= OnStateChanged;
        presence.Requested -= OnRequested;
        await base.StopAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> ClaimAsync(string extension, string callId)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        bool claimed;
        try
        {
            claimed = await store.ClaimAsync(extension, callId, Node, now, now - (long)Alive.TotalMilliseconds, CancellationToken.None);
        }
        catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException or IOException)
        {
            ClusterLog.AcdStoreFailed(logger, Node, e.GetType().Name);
            return false;
        }

        if (!claimed)
        {
            return false;
        }

        // The agent was made available on another node: this node's presence now holds them for the call (not written
        // back: the shared row already says offered, and this node's offer writes what follows).
        if (presence.Find(extension) is { Routable: false })
        {
            _adopting = true;
            try
            {
                presence.Apply(extension, new AgentEvent.SupervisorSetState(AgentStatus.Available));
            }
            finally
            {
                _adopting = false;
            }

            ClusterLog.AgentAdopted(logger, Node, extension, callId);
        }

        return true;
    }

    private void OnStateChanged(AgentState state, IReadOnlyCollection<string> skills)
    {
        if (!_adopting)
        {
            var now = time.GetUtcNow();
            _changes.Writer.TryWrite(new SharedAgent(state.Extension, Node, AgentStatusText.ToApi(state), state.CallId, state.Since, skills, state.CallsOn(now)));
        }
    }

    // What GET /api/agents and the desk show: the shared row when another live node holds the agent and its state
    // there is newer than this node's view (which is then an old one); this node's own view otherwise.
    private Contracts.Agents.AgentSnapshot ClusterView(Contracts.Agents.AgentSnapshot local) =>
        _agents.TryGetValue(local.Id, out var shared) && shared.Node != Node && shared.Since >= local.Since
            ? local with { State = shared.Status, Since = shared.Since, CallId = shared.CallId, Reason = null }
            : local;

    // The available agents this node holds with a queue's skills (its own and its language are the caller's, not counted).
    private int AvailableHere(string queue)
    {
        var skills = SkillSet.Create(routing.Queues.TryGetValue(queue, out var options) ? options.Skills : []);
        return _agents.Values.Count(a => a.Node == Node && a.Status == SharedAgent.Available
            && skills.IsSatisfiedBy(SkillSet.Create(a.Skills).Items.ToHashSet(StringComparer.Ordinal)));
    }

    // Asked for here now: written as of now, even when this node's view did not change (it may be an old view, the
    // agent having been with another node since); a call another live node holds is still not overwritten.
    private void OnRequested(AgentState state, IReadOnlyCollection<string> skills)
    {
        var now = time.GetUtcNow();
        _changes.Writer.TryWrite(new SharedAgent(state.Extension, Node, AgentStatusText.ToApi(state), state.CallId, now > state.Since ? now : state.Since, skills, state.CallsOn(now)));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // After start-up: the schema is migrated by then (this service starts before the migration does).
        using (var started = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStarted, stoppingToken))
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, started.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        using var timer = new PeriodicTimer(Every, time);
        try
        {
            do
            {
                try
                {
                    await RoundAsync(stoppingToken);
                    if (_failing)
                    {
                        _failing = false;
                        ClusterLog.AcdStoreBack(logger, Node);
                    }
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested && e is DbException or TimeoutException or InvalidOperationException or IOException)
                {
                    // The store watch takes the node out of service; the round is tried again (agent changes stay queued).
                    // Every waiting caller is published again once the store is back: a leader may have forgotten this
                    // node's rows meanwhile (ForgetDeadAsync), and callers unchanged since would never be sent again.
                    _republish = true;
                    if (!_failing)
                    {
                        _failing = true;
                        ClusterLog.AcdStoreFailed(logger, Node, e.GetType().Name);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>One round: this node's duties, then the leader's when it leads.</summary>
    internal async Task RoundAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var staleBefore = nowMs - (long)Alive.TotalMilliseconds;
        if (!_reset)
        {
            await store.ResetNodeAsync(Node, cancellationToken);
            _reset = true;
        }

        await WriteChangesAsync(nowMs, staleBefore, cancellationToken);
        await PublishAsync(nowMs, cancellationToken);
        await store.RefreshAsync(Node, nowMs, cancellationToken);
        var agents = await store.LiveAgentsAsync(staleBefore, cancellationToken);
        _agents = agents.ToDictionary(a => a.Extension, StringComparer.Ordinal);
        if (lease.IsLeader)
        {
            // Before taking: a caller of the leader's own node is routed and rung in the same round.
            await LeadAsync(agents, now, staleBefore, cancellationToken);
        }

        await TakeRoutedAsync(cancellationToken);
        await ReleaseStaleClaimsAsync(nowMs, cancellationToken);
    }

    private async Task WriteChangesAsync(long nowMs, long staleBefore, CancellationToken cancellationToken)
    {
        while (_changes.Reader.TryPeek(out var change))
        {
            if (!await store.WriteAgentAsync(change, nowMs, staleBefore, cancellationToken))
            {
                ClusterLog.AgentStateKept(logger, Node, change.Extension, change.Status);
            }

            _changes.Reader.TryRead(out _);
        }
    }

    private async Task TakeRoutedAsync(CancellationToken cancellationToken)
    {
        foreach (var (callId, agent, explanation) in await store.RoutedAsync(Node, cancellationToken))
        {
            _published.Remove(callId);
            await store.DeleteWaitingAsync(Node, callId, cancellationToken);
            var taken = explanation is not null && queues.TakeAssigned(callId, agent, explanation with { Trigger = $"{explanation.Trigger}, by the cluster's leader" });
            if (!taken)
            {
                // The caller left meanwhile: the agent is free for the next call.
                await store.ReleaseAsync(agent, callId, Node, cancellationToken);
            }
        }
    }

    private async Task PublishAsync(long nowMs, CancellationToken cancellationToken)
    {
        var waiting = queues.WaitingCalls();
        var current = waiting.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var gone = _published.Keys.Where(id => !current.ContainsKey(id)).ToList();
        await store.WithdrawAsync(Node, gone, cancellationToken);
        foreach (var id in gone)
        {
            _published.Remove(id);
        }

        // New callers, and callers whose entry changed (an overflow to another queue); after a failed round, all.
        var changed = _republish ? [.. waiting] : waiting.Where(c => !_published.TryGetValue(c.Id, out var seen) || seen != c).ToList();
        await store.PublishAsync(Node, changed, nowMs, cancellationToken);
        _republish = false;
        foreach (var call in changed)
        {
            _published[call.Id] = call;
        }
    }

    private async Task ReleaseStaleClaimsAsync(long nowMs, CancellationToken cancellationToken)
    {
        foreach (var agent in await store.OfferedOnAsync(Node, cancellationToken))
        {
            var ringingHere = presence.Find(agent.Extension) is { Status: AgentStatus.Offered } state && state.CallId == agent.CallId;
            if (!ringingHere && nowMs - agent.Since.ToUnixTimeMilliseconds() > OfferStart.TotalMilliseconds)
            {
                await store.ReleaseAsync(agent.Extension, agent.CallId!, Node, cancellationToken);
                ClusterLog.ClaimReleased(logger, Node, agent.Extension, agent.CallId!);
            }
        }
    }

    private async Task LeadAsync(IReadOnlyList<SharedAgent> agents, DateTimeOffset now, long staleBefore, CancellationToken cancellationToken)
    {
        if (++_leaderRounds % 100 == 1)
        {
            await store.ForgetDeadAsync(now.ToUnixTimeMilliseconds() - (long)Forgotten.TotalMilliseconds, cancellationToken);
        }

        if (!agents.Any(a => a.Status == SharedAgent.Available))
        {
            return;
        }

        var callers = await store.LiveWaitingAsync(staleBefore, cancellationToken);
        if (callers.Count == 0)
        {
            return;
        }

        var nowMs = now.ToUnixTimeMilliseconds();
        foreach (var assignment in ClusterRouting.Decide(_leaderOptions, agents, callers, now))
        {
            var kept = await store.AssignAsync(assignment, nowMs, staleBefore, cancellationToken);
            ClusterLog.Routed(logger, Node, assignment.CallId, assignment.Node, assignment.Agent, kept ? "kept" : "lost a race, tried again next round", assignment.Explanation.ToString());
        }
    }
}
