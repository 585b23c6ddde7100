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
/// The leader keeps nothing between rounds, so the next one rebuilds everything from the rows at once (save its view of
/// the nodes' heartbeats, <see cref="NodeHeartbeats"/>: it frees the agents a dead node held on a call).
/// Before this node rings an agent it claims them (<see cref="ClaimAsync"/>), whoever decided.
/// </summary>
internal sealed class SharedAcd(
    SharedAcdStore store,
    NodeIdLock nodeLock,
    AgentPresence presence,
    AcdQueues queues,
    LeaderLease lease,
    RoutingOptions routing,
    Hosting.ClusterOptions options,
    Hosting.PlatformReadiness readiness,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<SharedAcd> logger) : BackgroundService, IAgentClaims
{
    /// <summary>How often a node publishes and takes, and the leader routes.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// A row not refreshed for this long belongs to a node that stopped: its callers and agents are left out. Measured on
    /// the database's clock only (<see cref="SharedAcdStore"/>: rows are refreshed with it and compared with it), so the
    /// nodes' clocks need not agree.
    /// </summary>
    public static readonly TimeSpan Alive = TimeSpan.FromMilliseconds(SharedAcdStore.AliveMs);

    /// <summary>
    /// An agent claimed for an offer that has not started on this node this long after the node first saw the claim
    /// (its own monotonic clock: the claim's time may be the leader's clock) is released.
    /// </summary>
    public static readonly TimeSpan OfferStart = TimeSpan.FromSeconds(3);

    /// <summary>Waiting rows of a node silent this long (the database's clock) are deleted by the leader (its callers went with it).</summary>
    public static readonly TimeSpan Forgotten = TimeSpan.FromMilliseconds(SharedAcdStore.ForgottenMs);

    /// <summary>
    /// A round not done after this long is cancelled (PostgreSQL slow or blocked, not down); a leader whose round
    /// stalls gives up the lease unless it read the heartbeats lately and saw no other node beat, so another node routes
    /// the cluster meanwhile; alone, it keeps it (nobody else could route) for up to <see cref="StalledRoundsMax"/> stalled
    /// rounds in a row.
    /// </summary>
    public static readonly TimeSpan RoundDeadline = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A node whose heartbeat (<c>cluster_nodes</c>) the leader has seen stand still this long, on the leader's own
    /// clock, is dead: the agents it held on a call whose phone is registered are made available. Well above
    /// <see cref="Alive"/> and <see cref="RoundDeadline"/>, so a node whose rounds are slow (PostgreSQL slow for a
    /// while) keeps its agents; a node cut off from PostgreSQL that long is taken for dead although its calls may go on.
    /// </summary>
    public static readonly TimeSpan DeadNode = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A node id whose <c>cluster_nodes</c> row the leader has watched stand still this long, on its own monotonic clock
    /// (<see cref="NodeHeartbeats"/>; the row's time is never compared with the leader's, so a live node whose clock is
    /// behind is never removed), is removed by the leader, so ids of nodes retired or renamed (a host name changed, a
    /// machine replaced) do not pile up. An hour: far past anything that still needs the row (<see cref="DeadNode"/>, a
    /// restart's reset); a node that comes back later inserts its row again.
    /// </summary>
    public static readonly TimeSpan NodeForgotten = TimeSpan.FromHours(1);

    /// <summary>
    /// A leader whose rounds stalled this many times in a row gives up the lease even when it believes it is alone: it
    /// routes nothing meanwhile, and another node may reach PostgreSQL better.
    /// </summary>
    public const int StalledRoundsMax = 5;

    /// <summary>
    /// A process that found the node id's lock taken by another session and then took it (the holder's session ended)
    /// takes the id over only once the instance that held it has had no session for this long: a holder that lives on
    /// notices the loss of its session within <see cref="NodeIdLock.Check"/> (and <see cref="NodeIdLock.CheckDeadline"/>
    /// more for a connection that does not answer) and connects again in its next round, well within it; the twin then
    /// gives the lock back.
    /// </summary>
    public static readonly TimeSpan TakeOverGrace = TimeSpan.FromSeconds(5);

    /// <summary>How often the leader reads every node's heartbeat.</summary>
    public static readonly TimeSpan BeatCheck = TimeSpan.FromSeconds(1);

    [ThreadStatic]
    private static bool _adopting;

    // Not SingleReader: a pass counts the changes queued when it began (a single-reader channel cannot count).
    private readonly Channel<Change> _changes = Channel.CreateUnbounded<Change>();

    // Per agent, the after-call state (status, reason) this node last wrote for them or took from their row: a change
    // of the agent's pending state here is written; a different one on the row was put there by another node.
    private readonly Dictionary<string, (string? Status, string? Reason)> _afterCallHere = new(StringComparer.Ordinal);

    // The call each agent was last offered here, while the offer lasts (written under the presence's lock, in order).
    private readonly Dictionary<string, string> _offeredHere = new(StringComparer.Ordinal);

    private readonly RoutingOptions _leaderOptions = routing.ForClusterLeader();
    private readonly Dictionary<string, WaitingCall> _published = new(StringComparer.Ordinal);

    // The claims for this node's calls (agent, call) seen offered, and when this node first saw each (monotonic).
    private readonly Dictionary<(string Extension, string CallId), long> _claimsSeen = new();

    private bool _republish;
    private volatile IReadOnlyDictionary<string, SharedAgent> _agents = new Dictionary<string, SharedAgent>();
    private bool _reset;
    private bool _failing;
    private long _leaderRounds;
    private volatile bool _nodeOwn;
    private DateTimeOffset? _clashSince;

    // Work that waits for the node id to be confirmed as this process's (at most one, run once), and its last run.
    private Func<CancellationToken, Task>? _whenConfirmed;
    private Task _confirmedWork = Task.CompletedTask;

    // Holding the id's lock after another session held it: since when (monotonic) the instance the id's row names has
    // been seen without a session.
    private long? _formerGoneSince;
    private bool _clashReported;
    private int _fencedTerm = -1;
    private long? _fence;

    // The leader's view of every node's heartbeat, on this process's monotonic clock (null while it does not lead).
    private long? _origin;
    private NodeHeartbeats? _heartbeats;
    private TimeSpan? _beatsRead;
    private int _stalledRounds;

    private string Node => options.Node;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        presence.StateChanged += OnStateChanged;
        presence.Requested += OnRequested;
        presence.ClusterView = ClusterView;
        presence.ClusterElsewhere = AfterCallElsewhere;
        queues.ClusterAvailable = AvailableHere;
        queues.ClusterPick = PickAsync;
        lease.MayLead = () => _nodeOwn;
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        presence.StateChanged -= OnStateChanged;
        presence.Requested -= OnRequested;
        await base.StopAsync(cancellationToken);
        await nodeLock.DisposeAsync();
    }

    /// <inheritdoc />
    public async Task<bool> ClaimAsync(string extension, string callId)
    {
        // Not holding the node id (a twin, or its lock lost for now): no agent is claimed in the node's name.
        if (!_nodeOwn)
        {
            return false;
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        bool claimed;
        try
        {
            claimed = await store.ClaimAsync(extension, callId, Node, now, CancellationToken.None);
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

    /// <summary>
    /// A supervisor's pick on this node, for the whole cluster: any node's waiting caller to any node's available agent,
    /// taken in one transaction of the shared store (<see cref="SharedAcdStore.PickAsync"/>), explained as on one node
    /// (<see cref="ClusterRouting.Pick"/>). The node holding the call rings the agent at its next round, as for the
    /// leader's assignments. A store that does not answer within <see cref="RoundDeadline"/> changes nothing.
    /// </summary>
    internal async Task<Contracts.Queues.QueuePickError> PickAsync(string callId, string extension, string pickedBy)
    {
        using var deadline = new CancellationTokenSource(RoundDeadline, time);
        Contracts.Queues.QueuePickError error;
        try
        {
            var now = time.GetUtcNow();
            error = await store.PickAsync(
                callId, extension, now.ToUnixTimeMilliseconds(), (agent, caller) => ClusterRouting.Pick(_leaderOptions, agent, caller, pickedBy, now), deadline.Token);
        }
        catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException or IOException or OperationCanceledException)
        {
            ClusterLog.PickFailed(logger, Node, pickedBy, callId, extension, e.GetType().Name);
            return Contracts.Queues.QueuePickError.Unavailable;
        }

        ClusterLog.Picked(logger, Node, pickedBy, callId, extension, error.ToString());
        return error;
    }

    /// <inheritdoc />
    public async Task ReleaseAsync(string extension, string callId, string why)
    {
        // Not holding the node id: the claim is released by this process's round once it holds it again, or freed by
        // the reset of the instance that took the id over.
        if (!_nodeOwn)
        {
            return;
        }

        try
        {
            await store.ReleaseAsync(extension, callId, Node, CancellationToken.None);
            ClusterLog.ClaimReleasedAtOnce(logger, Node, extension, callId, why);
        }
        catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException or IOException)
        {
            // Released by the round's check for claims that never rang (OfferStart) instead.
            ClusterLog.AcdStoreFailed(logger, Node, e.GetType().Name);
        }
    }

    /// <summary>
    /// What becomes of <paramref name="target"/> asked for on <paramref name="node"/> when <paramref name="shared"/> (the
    /// agent's live row) says another node holds the agent's call: it applies after that call (the message says so).
    /// Null when this node applies it (no row, this node's, or no call).
    /// </summary>
    internal static string? HeldElsewhere(SharedAgent? shared, string node, AgentStatus target) =>
        shared is not null && shared.Node != node && SharedAgent.CallStatuses.Contains(shared.Status)
            ? $"agent {shared.Extension} is {Describe(shared.Status)} (call {shared.CallId}) through node {shared.Node}: "
              + (target == AgentStatus.Available
                  ? "nothing is kept for after that call any more (node " + shared.Node + " applies it)"
                  : $"{AgentStatusText.ToApi(target)} applies after that call (node {shared.Node} applies it)")
            : null;

    private static string Describe(string status) => status switch
    {
        SharedAgent.Offered => "being offered a call",
        "onCall" => "on a call",
        _ => "wrapping up a call",
    };

    // A state asked for here while another node holds the agent's call: queued for the agent's shared row (written in
    // the next round), and the answer says it applies after the call.
    private string? AfterCallElsewhere(string extension, AgentStatus target, string? reason)
    {
        var shared = _agents.GetValueOrDefault(extension);
        if (HeldElsewhere(shared, Node, target) is not { } message)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var status = AgentStatusText.ToApi(target);
        _changes.Writer.TryWrite(new Change(new SharedAgent(extension, Node, status, shared!.CallId, now, [], 0) { AfterCall = status, AfterCallReason = reason }, null, false, Remote: true));
        return message;
    }

    // The agent's pending state as its row spells it, and whether it differs from what this node last wrote or took.
    private (string? Status, string? Reason, bool Changed) AfterCallOf(AgentState state)
    {
        var after = state.Pending is { } pending ? (AgentStatusText.ToApi(pending.Status), pending.Reason) : ((string?)null, (string?)null);
        lock (_afterCallHere)
        {
            var changed = !_afterCallHere.TryGetValue(state.Extension, out var known) ? after.Item1 is not null : known != after;
            _afterCallHere[state.Extension] = after;
            return (after.Item1, after.Item2, changed);
        }
    }

    private void OnStateChanged(AgentState state, IReadOnlyCollection<string> skills)
    {
        if (!_adopting)
        {
            var now = time.GetUtcNow();
            var (afterCall, afterCallReason, changed) = AfterCallOf(state);
            var agent = new SharedAgent(state.Extension, Node, AgentStatusText.ToApi(state), state.CallId, state.Since, skills, state.CallsOn(now)) { AfterCall = afterCall, AfterCallReason = afterCallReason };
            _changes.Writer.TryWrite(new Change(agent, EndsOffer(state), changed, Reason: state.Reason));
        }
    }

    // The call whose offer here this change ends (answered, refused, unanswered, withdrawn), if it ends one.
    private string? EndsOffer(AgentState state)
    {
        lock (_offeredHere)
        {
            var ends = _offeredHere.Remove(state.Extension, out var offered) ? offered : null;
            if (state.Status == AgentStatus.Offered && state.CallId is { } call)
            {
                _offeredHere[state.Extension] = call;
            }

            return ends == state.CallId && state.Status == AgentStatus.Offered ? null : ends;
        }
    }

    // What GET /api/agents and the desk show: the shared row when another live node holds the agent and its state
    // there is newer than this node's view (which is then an old one), or when the row names this node but says
    // something newer and different (an agent this node held on a call in a former life, available again after its
    // restart); this node's own view otherwise.
    private Contracts.Agents.AgentSnapshot ClusterView(Contracts.Agents.AgentSnapshot local) =>
        _agents.TryGetValue(local.Id, out var shared) && (shared.Node != Node ? shared.Since >= local.Since : shared.Since > local.Since && shared.Status != local.State)
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
        var (afterCall, afterCallReason, _) = AfterCallOf(state);
        var agent = new SharedAgent(state.Extension, Node, AgentStatusText.ToApi(state), state.CallId, now > state.Since ? now : state.Since, skills, state.CallsOn(now))
        {
            AfterCall = afterCall,
            AfterCallReason = afterCallReason,
        };
        _changes.Writer.TryWrite(new Change(agent, null, SetsAfterCall: true, Requested: true, Reason: state.Reason));
    }

    /// <summary>
    /// One write queued for the shared agent row: a change of this node's presence (<paramref name="SetsAfterCall"/>:
    /// its after-call state changed here), a state asked for here (<paramref name="Requested"/>), or a state asked for
    /// here while another node holds the agent's call (<paramref name="Remote"/>: only the row's after-call state).
    /// </summary>
    private sealed record Change(SharedAgent Agent, string? EndsOffer, bool SetsAfterCall, bool Requested = false, bool Remote = false, string? Reason = null);

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
                using var deadline = new CancellationTokenSource(RoundDeadline, time);
                using var round = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, deadline.Token);
                try
                {
                    await RoundAsync(round.Token);
                    _stalledRounds = 0;
                    if (_failing)
                    {
                        _failing = false;
                        ClusterLog.AcdStoreBack(logger, Node);
                    }
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested
                    && (e is DbException or TimeoutException or InvalidOperationException or IOException || deadline.IsCancellationRequested))
                {
                    if (deadline.IsCancellationRequested)
                    {
                        Stalled();
                    }

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

    // A round ran past RoundDeadline. A leader gives the lease up unless it knows it is alone: it read the heartbeats
    // within DeadNode (a new leader, or one whose rounds stall before that step, has no such reading) and saw no other
    // node beat (its heartbeat seen changing by this leader, within DeadNode); another node may reach PostgreSQL better
    // and routes meanwhile. After StalledRoundsMax stalled rounds in a row it gives the lease up anyway. A leader
    // alone keeps it otherwise: nobody else could route, so giving it up would only stall routing in StepDownPause steps while
    // PostgreSQL is slow but working (or catching up after an outage). Keeping it is safe: the lease is PostgreSQL's
    // advisory lock (lost with the session, LeaderLease sees that on its own keepalive), and an assignment needs the
    // fencing token, so a node that only believes it leads can assign nothing once another bumped it.
    private void Stalled()
    {
        ClusterLog.RoundStalled(logger, Node, (int)RoundDeadline.TotalMilliseconds);
        _stalledRounds++;
        if (!lease.IsLeader)
        {
            return;
        }

        var alone = _heartbeats is { } beats && _origin is { } origin && _beatsRead is { } read
            && time.GetElapsedTime(origin) is var now && now - read < DeadNode && !beats.AnotherBeats(now);
        if (!alone)
        {
            lease.StepDown($"a round of the cluster's ACD took longer than {RoundDeadline.TotalMilliseconds:F0} ms and another node may be alive to route");
        }
        else if (_stalledRounds >= StalledRoundsMax)
        {
            lease.StepDown($"{_stalledRounds} rounds of the cluster's ACD in a row took longer than {RoundDeadline.TotalMilliseconds:F0} ms");
        }
        else
        {
            ClusterLog.StalledAlone(logger, Node, (int)RoundDeadline.TotalMilliseconds);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> once, in the background, after the first round in which this process holds its node
    /// id (<c>PlatformStartup</c>: closing the calls a former life left open under the node's name, which until then may
    /// be a live twin's). Work that fails (the database away) runs again after the next round that holds the id.
    /// </summary>
    public void WhenNodeIdConfirmed(Func<CancellationToken, Task> work) => Volatile.Write(ref _whenConfirmed, work);

    /// <summary>The last run of the work given to <see cref="WhenNodeIdConfirmed"/> (tests wait for it).</summary>
    internal Task ConfirmedWork => Volatile.Read(ref _confirmedWork);

    private async Task RunConfirmedAsync(Func<CancellationToken, Task> work)
    {
        try
        {
            await work(lifetime.ApplicationStopping);
        }
        catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException or IOException)
        {
            ClusterLog.ConfirmedWorkFailed(logger, Node, e.GetType().Name);
            Interlocked.CompareExchange(ref _whenConfirmed, work, null);
        }
    }

    /// <summary>One round: this node's duties, then the leader's when it leads.</summary>
    internal async Task RoundAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        if (!await OwnNodeIdAsync(now, cancellationToken))
        {
            return;
        }

        if (Interlocked.Exchange(ref _whenConfirmed, null) is { } confirmed)
        {
            Volatile.Write(ref _confirmedWork, Task.Run(() => RunConfirmedAsync(confirmed), CancellationToken.None));
        }

        if (!_reset)
        {
            await store.ResetNodeAsync(Node, nowMs, cancellationToken);
            _reset = true;
        }

        await WriteChangesAsync(cancellationToken);
        await PublishAsync(cancellationToken);
        await store.RefreshAsync(Node, cancellationToken);
        await FreeAgentsOfDeadNodesAsync(nowMs, cancellationToken);
        var agents = await store.LiveAgentsAsync(nowMs, cancellationToken);
        _agents = agents.ToDictionary(a => a.Extension, StringComparer.Ordinal);
        TakeAfterCallRequests(agents);
        if (lease.IsLeader)
        {
            // Before taking: a caller of the leader's own node is routed and rung in the same round.
            await LeadAsync(agents, now, cancellationToken);
        }

        await TakeRoutedAsync(cancellationToken);
        await ReleaseStaleClaimsAsync(cancellationToken);
    }

    // The node id is this process's (taken or refreshed): false while another live process holds it, and then this
    // node does nothing in the cluster (it would reset, refresh and route as that other node). Only the holder of the
    // id's lock (NodeIdLock) may act as the node, and only if the id's row names this process's instance, or names one
    // with no session left: a restart's former life (gone, its lock free, its row perhaps still fresh) is taken over at
    // once. A live instance that lost its lock session for a moment (PostgreSQL restarted, the session was terminated,
    // the network blinked) is still connected, or connects again within TakeOverGrace: a twin that took the freed lock
    // gives it back to it. Only a clash lasting longer than Alive is logged.
    private async Task<bool> OwnNodeIdAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        bool holds;
        try
        {
            holds = await nodeLock.HoldAsync(cancellationToken);
        }
        catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException or IOException)
        {
            // The lock may be gone with its session: nothing is written as the node until it is held again.
            if (_nodeOwn)
            {
                ClusterLog.NodeIdLockLost(logger, Node, e.GetType().Name);
            }

            _nodeOwn = false;
            if (lease.IsLeader)
            {
                lease.StepDown($"its hold on Cluster:NodeId {Node} was lost with its session ({e.GetType().Name})");
            }

            _formerGoneSince = null;
            throw;
        }

        if (!holds)
        {
            _formerGoneSince = null;
        }

        var claim = holds ? await ClaimNodeIdAsync(now, cancellationToken) : null;
        if (claim is { Own: true })
        {
            if (claim.Prior is { } former && former != nodeLock.Instance)
            {
                // Taken from another instance (gone): its rows are reset as a restart's are, and this process's callers
                // are all published again (a node that held the id before, lost it to that instance and took it back
                // finds its rows reset by it).
                ClusterLog.NodeIdTakenOver(logger, Node, nodeLock.Instance, former);
                _reset = false;
                _republish = true;
            }

            if (_clashReported)
            {
                ClusterLog.NodeIdOwn(logger, Node, nodeLock.Instance);
            }

            _clashSince = null;
            _clashReported = false;
            _formerGoneSince = null;
            readiness.NodeIdClash = false;
            _nodeOwn = true;
            return true;
        }

        _nodeOwn = false;
        readiness.NodeIdClash = true;
        if (lease.IsLeader)
        {
            lease.StepDown($"Cluster:NodeId {Node} is in use by another live process");
        }

        _clashSince ??= now;
        if (!_clashReported && now - _clashSince > Alive)
        {
            _clashReported = true;
            ClusterLog.NodeIdClash(logger, Node, nodeLock.Instance);
        }

        return false;
    }

    // Holding the lock: the id's row is this process's if it names this instance or none, or names an instance with no
    // session (at once for a process that never found the lock taken; after TakeOverGrace of that instance's absence
    // for a twin that waited behind another's lock). A live former instance gets the lock back.
    private async Task<NodeClaim> ClaimNodeIdAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var mayTakeOver = !nodeLock.Contended || (_formerGoneSince is { } since && time.GetElapsedTime(since) >= TakeOverGrace);
        var claim = await store.ClaimNodeAsync(Node, nodeLock.Instance, now.ToUnixTimeMilliseconds(), cancellationToken, mayTakeOver);
        if (claim.Own)
        {
            return claim;
        }

        if (claim.PriorConnected)
        {
            ClusterLog.NodeIdYielded(logger, Node, nodeLock.Instance, claim.Prior ?? "?");
            _formerGoneSince = null;
            await nodeLock.YieldAsync();
        }
        else if (_formerGoneSince is null)
        {
            ClusterLog.NodeIdTakeOverPending(logger, Node, nodeLock.Instance, claim.Prior ?? "?", (int)TakeOverGrace.TotalSeconds);
            _formerGoneSince = time.GetTimestamp();
        }

        return claim;
    }

    // The leader, every BeatCheck: the agents a dead node held on a call are free (their call went with it) once their
    // phone is registered; each freed once, and only while that node's heartbeat is still the one seen standing still.
    private async Task FreeAgentsOfDeadNodesAsync(long nowMs, CancellationToken cancellationToken)
    {
        if (!lease.IsLeader)
        {
            _heartbeats = null;
            _beatsRead = null;
            return;
        }

        _origin ??= time.GetTimestamp();
        var now = time.GetElapsedTime(_origin.Value);
        if (_beatsRead is { } read && now - read < BeatCheck)
        {
            return;
        }

        // Taken as read once the heartbeats came back (a stalled read is no reading, Stalled).
        var beats = await store.NodeBeatsAsync(cancellationToken);
        _beatsRead = now;
        _heartbeats ??= new NodeHeartbeats(DeadNode);
        foreach (var (last, silentFor, newly) in _heartbeats.Observe(beats, Node, now))
        {
            if (newly)
            {
                ClusterLog.NodeSilent(logger, Node, last.Node, last.Instance, (int)silentFor.TotalSeconds);
            }

            // Watched standing still for NodeForgotten by this leader itself: the id is removed (its agents freed with it).
            if (silentFor >= NodeForgotten)
            {
                if (await store.ForgetNodeAsync(last, nowMs, cancellationToken))
                {
                    ClusterLog.NodeForgotten(logger, Node, last.Node, (int)NodeForgotten.TotalMinutes);
                }

                continue;
            }

            foreach (var (extension, status, callId) in await store.FreeAgentsOfDeadNodeAsync(last, nowMs, cancellationToken))
            {
                ClusterLog.AgentFreedFromDeadNode(logger, Node, extension, status, callId, last.Node, (int)silentFor.TotalSeconds);
            }
        }
    }

    // Only the changes queued when the pass began: one queued meanwhile (a request asked again below) waits for the
    // next round, so a round always ends and the rows are read again.
    private async Task WriteChangesAsync(CancellationToken cancellationToken)
    {
        for (var left = _changes.Reader.Count; left > 0 && _changes.Reader.TryPeek(out var pending); left--)
        {
            var change = pending.Agent;
            if (pending.Remote)
            {
                if (await store.RequestAfterCallAsync(change.Extension, Node, change.AfterCall!, change.AfterCallReason, cancellationToken, change.CallId))
                {
                    ClusterLog.AfterCallRequested(logger, Node, change.Extension, change.CallId, _agents.GetValueOrDefault(change.Extension)?.Node ?? "?", change.AfterCall!);
                }
                else
                {
                    // That call ended meanwhile (or this node holds the agent now): the state is this node's to apply,
                    // or the next call's holder's. The agent's row is read again first, so the request is not judged
                    // on the same old view (which would queue it again for the call that ended).
                    await ReadAgentAgainAsync(change, cancellationToken);
                    presence.Request(change.Extension, change.AfterCall!, change.AfterCallReason);
                }
            }
            else if (!await store.WriteAgentAsync(change, cancellationToken, pending.EndsOffer, pending.SetsAfterCall))
            {
                // A state asked for here that did not take because another node claimed the agent for a call since
                // this node last read the rows: kept for after that call, as when asked while the call was known.
                var afterCall = pending.Requested && !SharedAgent.CallStatuses.Contains(change.Status)
                    ? (change.Status == AgentStatusText.Email ? SharedAgent.Available : change.Status)
                    : null;
                if (afterCall is not null && await store.RequestAfterCallAsync(change.Extension, Node, afterCall, pending.Reason, cancellationToken))
                {
                    ClusterLog.AfterCallRequested(logger, Node, change.Extension, null, "another node", afterCall);
                }
                else
                {
                    ClusterLog.AgentStateKept(logger, Node, change.Extension, change.Status);
                }
            }

            _changes.Reader.TryRead(out _);
        }
    }

    // The agent's row as it is now, in this node's view of the rows: kept when another node holds them on another call
    // (the request goes to that call) or on none; left out when it still shows the call the request failed for (that
    // node stopped refreshing it: the call is not held by a live node).
    private async Task ReadAgentAgainAsync(SharedAgent change, CancellationToken cancellationToken)
    {
        var row = await store.AgentAsync(change.Extension, cancellationToken);
        var agents = new Dictionary<string, SharedAgent>(_agents, StringComparer.Ordinal);
        if (row is not null && (row.Node == Node || !SharedAgent.CallStatuses.Contains(row.Status) || row.CallId != change.CallId))
        {
            agents[change.Extension] = row;
        }
        else
        {
            agents.Remove(change.Extension);
        }

        _agents = agents;
    }

    // A state another node asked for, after the call this node holds (the agent's row says so, and it is not what this
    // node last wrote or took): applied here as if asked here during the call (a break or sign-off waits for wrap-up
    // to end; one asked while the call still rings withdraws it, as on one node).
    private void TakeAfterCallRequests(IReadOnlyList<SharedAgent> agents)
    {
        foreach (var row in agents.Where(a => a.Node == Node && a.AfterCall is not null && SharedAgent.CallStatuses.Contains(a.Status)))
        {
            lock (_afterCallHere)
            {
                if (_afterCallHere.TryGetValue(row.Extension, out var known) && known == (row.AfterCall, row.AfterCallReason))
                {
                    continue;
                }
            }

            var state = presence.Find(row.Extension);
            var parsed = AgentStatusText.TryParseRequest(row.AfterCall, out var status);
            if (parsed && state is { Status: AgentStatus.Offered or AgentStatus.OnCall or AgentStatus.WrapUp } && state.CallId == row.CallId)
            {
                RememberAfterCall(row);
                presence.Apply(row.Extension, new AgentEvent.SupervisorSetState(status, row.AfterCallReason));
                ClusterLog.AfterCallTaken(logger, Node, row.Extension, row.CallId, row.AfterCall!);
            }
            else if (parsed && state is not null && state.Status is not (AgentStatus.Offered or AgentStatus.OnCall or AgentStatus.WrapUp))
            {
                // The call ended here since the row was written (the write saying so still queued, and it clears the
                // row's request): applied at once, as the requester was told it would be after the call.
                presence.Apply(row.Extension, new AgentEvent.SupervisorSetState(status, row.AfterCallReason));
                ClusterLog.AfterCallTaken(logger, Node, row.Extension, row.CallId, row.AfterCall!);
            }
            else
            {
                RememberAfterCall(row);
            }
        }
    }

    private void RememberAfterCall(SharedAgent row)
    {
        lock (_afterCallHere)
        {
            _afterCallHere[row.Extension] = (row.AfterCall, row.AfterCallReason);
        }
    }

    private async Task TakeRoutedAsync(CancellationToken cancellationToken)
    {
        foreach (var (callId, agent, explanation) in await store.RoutedAsync(Node, cancellationToken))
        {
            _published.Remove(callId);
            await store.DeleteWaitingAsync(Node, callId, cancellationToken);
            // Who decided: the leader's routing, or a supervisor's pick (whose trigger already names them).
            var decidedBy = explanation?.Rule == RoutingRule.SupervisorPick ? ", through the cluster's store" : ", by the cluster's leader";
            var taken = explanation is not null && queues.TakeAssigned(callId, agent, explanation with { Trigger = explanation.Trigger + decidedBy });
            if (!taken)
            {
                // The caller left meanwhile: the agent is free for the next call.
                await store.ReleaseAsync(agent, callId, Node, cancellationToken);
            }
        }
    }

    private async Task PublishAsync(CancellationToken cancellationToken)
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
        await store.PublishAsync(Node, changed, cancellationToken);
        _republish = false;
        foreach (var call in changed)
        {
            _published[call.Id] = call;
        }
    }

    // A claim for this node's call that has not rung here OfferStart after this node first saw it, on its own monotonic
    // clock (the claim's since_ms may be the leader's clock, and is never compared with this node's).
    private async Task ReleaseStaleClaimsAsync(CancellationToken cancellationToken)
    {
        var offered = await store.OfferedOnAsync(Node, cancellationToken);
        var seenNow = new HashSet<(string, string)>();
        foreach (var agent in offered)
        {
            var claim = (agent.Extension, agent.CallId!);
            seenNow.Add(claim);
            if (!_claimsSeen.TryGetValue(claim, out var seenAt))
            {
                _claimsSeen[claim] = seenAt = time.GetTimestamp();
            }

            var ringingHere = presence.Find(agent.Extension) is { Status: AgentStatus.Offered } state && state.CallId == agent.CallId;
            if (!ringingHere && time.GetElapsedTime(seenAt) > OfferStart)
            {
                await store.ReleaseAsync(agent.Extension, agent.CallId!, Node, cancellationToken);
                ClusterLog.ClaimReleased(logger, Node, agent.Extension, agent.CallId!);
            }
        }

        foreach (var gone in _claimsSeen.Keys.Where(c => !seenNow.Contains(c)).ToList())
        {
            _claimsSeen.Remove(gone);
        }
    }

    private async Task LeadAsync(IReadOnlyList<SharedAgent> agents, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (++_leaderRounds % 100 == 1)
        {
            await store.ForgetDeadAsync(cancellationToken);
        }

        if (!agents.Any(a => a.Status == SharedAgent.Available))
        {
            return;
        }

        var callers = await store.LiveWaitingAsync(cancellationToken);
        if (callers.Count == 0)
        {
            return;
        }

        // A new term: the fencing token is bumped (only while this node's lease session holds the lock) before the
        // first assignment, so the leader before it can assign no more.
        var term = lease.Term;
        if (_fencedTerm != term || _fence is null)
        {
            _fence = await store.TakeFenceAsync(Node, cancellationToken);
            _fencedTerm = term;
            if (_fence is null)
            {
                return;
            }
        }

        var nowMs = now.ToUnixTimeMilliseconds();
        foreach (var assignment in ClusterRouting.Decide(_leaderOptions, agents, callers, now))
        {
            // The lease may have gone mid-round: stop, and let the next leader route the rest in tier order.
            if (!lease.IsLeader)
            {
                return;
            }

            var outcome = await store.AssignAsync(assignment, _fence.Value, nowMs, cancellationToken);
            if (outcome == AssignOutcome.Deposed)
            {
                ClusterLog.Deposed(logger, Node, assignment.CallId, assignment.Agent, _fence.Value);
                _fence = null;
                return;
            }

            ClusterLog.Routed(logger, Node, assignment.CallId, assignment.Node, assignment.Agent, outcome == AssignOutcome.Kept ? "kept" : "lost a race, tried again next round", assignment.Explanation.ToString());
        }
    }
}
