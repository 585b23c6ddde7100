using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using CallCenter.Data;
using CallCenter.ResourceControl.Routing;
using Dapper;

namespace CallCenter.ResourceControl.Cluster;

/// <summary>
/// The cluster ACD's two tables on the shared PostgreSQL (issue 19): <c>cluster_agents</c>, one row per agent, written
/// by the node whose presence changed the agent, and <c>cluster_waiting</c>, one row per waiting caller, written by
/// the node holding the call. The one write every node may race on, taking an available agent for a call, is one
/// conditional UPDATE (<see cref="ClaimAsync"/>): PostgreSQL lets exactly one of two such claims through.
/// Times are Unix milliseconds. A row's <c>seen_ms</c> (when its node last refreshed it) is the database's clock, never a
/// node's, and is only ever compared with the database's clock: a row not refreshed for <see cref="AliveMs"/> belongs to
/// a node that stopped, whatever the nodes' clocks say (one whose clock is hours off neither loses its rows nor keeps
/// them alive after it died). The other times (<c>since_ms</c>, <c>entered_ms</c>) are the writing node's.
/// Lock order: every transaction that takes rows of both tables takes <c>cluster_agents</c> rows first, then
/// <c>cluster_waiting</c>: an assignment and a pick (the claim, then the mark), a node's refresh and reset (their two
/// statements run as one implicit transaction), so none of them waits for another in a cycle.
/// </summary>
internal sealed class SharedAcdStore(DbConnectionFactory factory)
{
    /// <summary>A row not refreshed for this long (the database's clock) belongs to a node that stopped (<see cref="SharedAcd.Alive"/>).</summary>
    public const long AliveMs = 3_000;

    /// <summary>Waiting rows not refreshed for this long (the database's clock) are deleted by the leader (<see cref="SharedAcd.Forgotten"/>).</summary>
    public const long ForgottenMs = 60_000;

    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    // The database's clock, in Unix milliseconds (the time its transaction began): what every seen_ms is written with and compared to.
    private const string DbNowMs = "(extract(epoch from now()) * 1000)::bigint";

    // The row (its seen_ms) was refreshed within AliveMs of the database's clock; and the opposite, for a row of cluster_agents.
    private static readonly string _fresh = $"seen_ms >= {DbNowMs} - {AliveMs.ToString(CultureInfo.InvariantCulture)}";
    private static readonly string _agentStale = $"cluster_agents.seen_ms < {DbNowMs} - {AliveMs.ToString(CultureInfo.InvariantCulture)}";

    private const string AgentColumns =
        "extension AS Extension, node AS Node, status AS Status, call_id AS CallId, since_ms AS SinceMs, seen_ms AS SeenMs, skills AS Skills, calls_today AS CallsToday, after_call AS AfterCall, after_call_reason AS AfterCallReason";

    private const string WaitingColumns =
        """
        call_id AS CallId, node AS Node, queue AS Queue, tier AS Tier, language AS Language, skills AS Skills,
        entered_ms AS EnteredMs, account_manager AS AccountManager, priority_hint AS PriorityHint,
        hold_until_ms AS HoldUntilMs, risk_notice AS RiskNotice, seen_ms AS SeenMs, agent AS Agent, explanation AS Explanation
        """;

    /// <summary>
    /// This node's state of an agent, from its presence. The newest state wins (by <c>since_ms</c>), and a call held by
    /// another live node (offered, on a call, wrapping up there) is never overwritten: only that node changes it.
    /// False when the row was kept as it was.
    /// </summary>
    /// <remarks>
    /// <paramref name="endsOffer"/>: the call this node offered the agent, when this change is the one that follows that
    /// offer (answered, refused, unanswered, withdrawn). It always replaces the claim this node holds for that call,
    /// whatever the claim's <c>since_ms</c> says (the claim's time may be another node's clock, ahead of this one), so
    /// the agent is free for the next caller from this write on, not when the claim times out.
    /// <paramref name="setsAfterCall"/>: this write carries the node's own after-call state of the agent (it changed
    /// here); otherwise a write in a call state keeps the row's (another node may have put a request there). A write
    /// out of a call state always writes it (the call is over: what was pending was applied).
    /// </remarks>
    public async Task<bool> WriteAgentAsync(SharedAgent agent, CancellationToken cancellationToken, string? endsOffer = null, bool setsAfterCall = true)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO cluster_agents (extension, node, status, call_id, since_ms, seen_ms, skills, calls_today, after_call, after_call_reason)
            VALUES (@Extension, @Node, @Status, @CallId, @sinceMs, {DbNowMs}, @skills, @CallsToday, @AfterCall, @AfterCallReason)
            ON CONFLICT (extension) DO UPDATE SET node = excluded.node, status = excluded.status, call_id = excluded.call_id,
                since_ms = excluded.since_ms, seen_ms = excluded.seen_ms, skills = excluded.skills, calls_today = excluded.calls_today,
                after_call = CASE WHEN @setsAfterCall OR excluded.status <> ALL(@callStatuses) THEN excluded.after_call ELSE cluster_agents.after_call END,
                after_call_reason = CASE WHEN @setsAfterCall OR excluded.status <> ALL(@callStatuses) THEN excluded.after_call_reason ELSE cluster_agents.after_call_reason END
            WHERE (excluded.since_ms >= cluster_agents.since_ms
                   OR (cluster_agents.status = 'offered' AND cluster_agents.call_id = @endsOffer AND cluster_agents.node = excluded.node))
              AND (cluster_agents.node = excluded.node OR cluster_agents.status <> ALL(@callStatuses) OR {_agentStale})
            """,
            new
            {
                agent.Extension,
                agent.Node,
                agent.Status,
                agent.CallId,
                sinceMs = agent.Since.ToUnixTimeMilliseconds(),
                skills = string.Join(',', agent.Skills),
                agent.CallsToday,
                callStatuses = SharedAgent.CallStatuses.ToArray(),
                endsOffer,
                agent.AfterCall,
                agent.AfterCallReason,
                setsAfterCall,
            },
            cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>
    /// A state asked for on <paramref name="node"/> while another live node holds the agent's call: kept on the agent's
    /// row as what they do after the call (<paramref name="afterCall"/>: break, offline, or available for nothing
    /// pending), which the holding node applies. False (nothing written) when no other live node holds a call of the
    /// agent any more (or, with <paramref name="callId"/>, not that call: it ended, and the agent may be in the next one):
    /// the request is this node's to apply then, or the next call's.
    /// </summary>
    public async Task<bool> RequestAfterCallAsync(string extension, string node, string afterCall, string? reason, CancellationToken cancellationToken, string? callId = null)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE cluster_agents SET after_call = @afterCall, after_call_reason = @reason
            WHERE extension = @extension AND node <> @node AND status = ANY(@callStatuses) AND {_fresh}
              AND (@callId::text IS NULL OR call_id = @callId::text)
            """,
            new { extension, node, afterCall, reason, callId, callStatuses = SharedAgent.CallStatuses.ToArray() },
            cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>
    /// Takes the available agent <paramref name="extension"/> for <paramref name="callId"/> held by <paramref name="node"/>:
    /// true for exactly one claim while the agent is available on a live node (and again for the same call and node,
    /// so the node holding a call the leader gave it may confirm the leader's claim).
    /// </summary>
    public async Task<bool> ClaimAsync(string extension, string callId, string node, long nowMs, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(_claimSql, new { extension, callId, node, nowMs }, cancellationToken: cancellationToken)) == 1;
    }

    private static readonly string _claimSql =
        $"""
        UPDATE cluster_agents SET status = 'offered', node = @node, call_id = @callId, since_ms = GREATEST(since_ms, @nowMs), seen_ms = {DbNowMs}
        WHERE extension = @extension
          AND ((status = 'available' AND ({_fresh} OR {Registered})) OR (status = 'offered' AND call_id = @callId AND node = @node))
        """;

    // The agent's phone is registered now (through any node): an agent who said they are available stays so when
    // the node that wrote their row stops, since their availability is theirs and their phone's, not that node's.
    private const string Registered = "EXISTS (SELECT 1 FROM sip_bindings b WHERE b.aor = cluster_agents.extension AND b.expires_at_ms > @nowMs)";

    // The state of an agent whose call went with its node (the node died, restarted or was forgotten): what they asked
    // for after the call (a break, offline), else available if their phone is registered, offline if not.
    private const string AfterCallEnds =
        $"status = CASE WHEN cluster_agents.after_call IN ('break', 'offline') THEN cluster_agents.after_call WHEN {Registered} THEN 'available' ELSE 'offline' END, "
        + "after_call = NULL, after_call_reason = NULL";

    /// <summary>A claim that led to no offer (the call was gone, the offer could not start): the agent is available again.</summary>
    public async Task ReleaseAsync(string extension, string callId, string node, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE cluster_agents SET status = 'available', call_id = NULL WHERE extension = @extension AND status = 'offered' AND call_id = @callId AND node = @node",
            new { extension, callId, node },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// The leader's decision, kept only if still true: the agent claimed for the call's node and the call's row marked,
    /// in one transaction; false (nothing written) when the agent is no longer available or the call no longer waits.
    /// </summary>
    /// <remarks>
    /// Only while <paramref name="fence"/> is still the leader's token (<see cref="TakeFenceAsync"/>): the token's row is
    /// read FOR SHARE in the same transaction, so a successor's bump waits for this transaction and, once it committed,
    /// every later assignment of the deposed leader is refused (<see cref="AssignOutcome.Deposed"/>), nothing written.
    /// </remarks>
    public async Task<AssignOutcome> AssignAsync(ClusterAssignment assignment, long fence, long nowMs, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var token = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT token FROM cluster_lease WHERE id = 1 FOR SHARE", transaction: transaction, cancellationToken: cancellationToken));
        if (token != fence)
        {
            await transaction.RollbackAsync(cancellationToken);
            return AssignOutcome.Deposed;
        }

        var marked = await ClaimAndMarkAsync(connection, transaction, assignment, nowMs, cancellationToken);
        if (marked)
        {
            await transaction.CommitAsync(cancellationToken);
        }
        else
        {
            await transaction.RollbackAsync(cancellationToken);
        }

        return marked ? AssignOutcome.Kept : AssignOutcome.LostRace;
    }

    /// <summary>
    /// A supervisor's pick, from any node: in one transaction the agent's row (available, live or with a registered phone)
    /// and the caller's (live, still unrouted) are locked, <paramref name="decide"/> explains the assignment, and
    /// the agent is claimed for the caller's node and the caller's row marked exactly as the leader's assignment marks
    /// it: the node holding the call takes it at its next round and rings the agent. The leader's assignments and other
    /// picks race on the same rows; PostgreSQL's row locks let one through and the other finds the caller routed or the
    /// agent offered. No fencing token: a pick is the supervisor's decision, not the leader's.
    /// </summary>
    public async Task<Contracts.Queues.QueuePickError> PickAsync(
        string callId, string extension, long nowMs, Func<SharedAgent, SharedCaller, ClusterAssignment?> decide, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decide);
        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The agent's row first, then the caller's: the order the leader's assignment takes them in (the claim, then the
        // mark), so a pick and an assignment of the same caller to the same agent wait for each other, not in a cycle.
        var agent = await connection.QuerySingleOrDefaultAsync<AgentRow>(new CommandDefinition(
            $"SELECT {AgentColumns} FROM cluster_agents WHERE extension = @extension AND status = 'available' AND ({_fresh} OR {Registered}) FOR UPDATE",
            new { extension, nowMs },
            transaction,
            cancellationToken: cancellationToken));
        var caller = await connection.QueryFirstOrDefaultAsync<WaitingRow>(new CommandDefinition(
            $"SELECT {WaitingColumns} FROM cluster_waiting WHERE call_id = @callId AND agent IS NULL AND {_fresh} FOR UPDATE",
            new { callId },
            transaction,
            cancellationToken: cancellationToken));
        if (caller is null)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            return Contracts.Queues.QueuePickError.CallNotWaiting;
        }

        if (agent is null || decide(agent.ToAgent(), caller.ToCaller()) is not { } assignment
            || !await ClaimAndMarkAsync(connection, transaction, assignment, nowMs, cancellationToken))
        {
            await transaction.RollbackAsync(CancellationToken.None);
            return Contracts.Queues.QueuePickError.AgentNotAvailable;
        }

        await transaction.CommitAsync(cancellationToken);
        return Contracts.Queues.QueuePickError.None;
    }

    // An assignment's two writes, in the caller's transaction: the agent claimed for the call's node, then the caller's
    // row marked with the agent and the explanation. False (nothing to keep: the caller rolls back) when either did not take.
    private static async Task<bool> ClaimAndMarkAsync(
        DbConnection connection, DbTransaction transaction, ClusterAssignment assignment, long nowMs, CancellationToken cancellationToken)
    {
        var claimed = await connection.ExecuteAsync(new CommandDefinition(
            _claimSql,
            new { extension = assignment.Agent, callId = assignment.CallId, node = assignment.Node, nowMs },
            transaction,
            cancellationToken: cancellationToken));
        return claimed == 1 && await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE cluster_waiting SET agent = @agent, explanation = @explanation WHERE call_id = @callId AND node = @node AND agent IS NULL AND {_fresh}",
            new { agent = assignment.Agent, explanation = JsonSerializer.Serialize(assignment.Explanation, _json), callId = assignment.CallId, node = assignment.Node },
            transaction,
            cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>
    /// The leader's fencing token, bumped for a new term of <paramref name="node"/>'s lease, or null when this node's lease
    /// connection does not hold the advisory lock right now (a node that only believes it leads cannot bump it).
    /// </summary>
    public async Task<long?> TakeFenceAsync(string node, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            UPDATE cluster_lease SET token = token + 1, node = @node
            WHERE id = 1 AND EXISTS (
                SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                  AND l.classid = 0 AND l.objid::bigint = @objid AND l.objsubid = 1 AND a.application_name = @holder)
            RETURNING token
            """,
            new { node, objid = (long)(uint)LeaderLease.Key, holder = LeaderLease.ApplicationNamePrefix + node },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Takes (or keeps) the node id <paramref name="node"/> for this process (<paramref name="instance"/>, random per
    /// start) and refreshes it; to be called only while this process holds the id's lock (<see cref="NodeIdLock"/>).
    /// The id is this process's when its row names this instance (the same process, which lost its lock session for a
    /// moment, holds it again), when there is no row, or, with <paramref name="mayTakeOver"/>, when the instance the row
    /// names has no session left (no connection whose application name starts with
    /// <see cref="NodeIdLock.SessionPrefix"/> of that instance): a restart's former life, or a process gone. The answer
    /// also says which instance the row named before and whether a session of it is connected now (a live twin that
    /// lost its lock for a moment: the lock must be given back to it).
    /// </summary>
    /// <remarks>
    /// Neither the row's time nor this process's clock is looked at: a live process is told from a dead one by its
    /// session, which PostgreSQL keeps exactly as long as the process is connected.
    /// </remarks>
    public async Task<NodeClaim> ClaimNodeAsync(string node, string instance, long nowMs, CancellationToken cancellationToken, bool mayTakeOver = false)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync<NodeClaim>(new CommandDefinition(
            """
            WITH former AS (
                SELECT n.instance, EXISTS (
                    SELECT 1 FROM pg_stat_activity a
                    WHERE a.datname = current_database() AND starts_with(a.application_name, @prefix || n.instance || ':')) AS connected
                FROM cluster_nodes n WHERE n.node = @node),
            kept AS (
                UPDATE cluster_nodes SET instance = @instance, seen_ms = @nowMs
                WHERE node = @node AND (instance = @instance OR (@mayTakeOver AND NOT (SELECT connected FROM former)))
                RETURNING 1),
            inserted AS (
                INSERT INTO cluster_nodes (node, instance, seen_ms) SELECT @node, @instance, @nowMs
                WHERE NOT EXISTS (SELECT 1 FROM former)
                ON CONFLICT (node) DO NOTHING
                RETURNING 1)
            SELECT EXISTS (SELECT 1 FROM kept) OR EXISTS (SELECT 1 FROM inserted) AS Own,
                (SELECT instance FROM former) AS Prior,
                COALESCE((SELECT connected FROM former), false) AS PriorConnected
            """,
            new { node, instance, nowMs, mayTakeOver, prefix = NodeIdLock.ApplicationNamePrefix },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// A node starting: its callers of a former life are gone, and so are the calls it held, so the agents it had on a
    /// call (offered, talking, wrapping up) take what they asked for after the call (a break, offline: the row's
    /// <c>after_call</c>), else are available again as of now if their phone is registered, and offline if not (an
    /// available agent nobody can ring would be offered call after call, each refused). An agent it last wrote in any
    /// other state (available, on a break, offline) keeps that state: it is the agent's, not the node's.
    /// </summary>
    public async Task ResetNodeAsync(string node, long nowMs, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE cluster_agents SET {AfterCallEnds}, call_id = NULL, since_ms = GREATEST(since_ms, @nowMs)
            WHERE node = @node AND status = ANY(@callStatuses);
            DELETE FROM cluster_waiting WHERE node = @node
            """,
            new { node, nowMs, callStatuses = SharedAgent.CallStatuses.ToArray() },
            cancellationToken: cancellationToken));
    }

    /// <summary>Every node's heartbeat (<c>cluster_nodes</c>), for the leader to see which stopped beating.</summary>
    public async Task<IReadOnlyList<NodeBeat>> NodeBeatsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<NodeBeat>(new CommandDefinition(
            "SELECT node AS Node, instance AS Instance, seen_ms AS SeenMs FROM cluster_nodes", cancellationToken: cancellationToken))];
    }

    /// <summary>
    /// A node that died (its heartbeat stood still at <paramref name="last"/>): the calls it held went with it, so the
    /// agents it held on a call (offered, talking, wrapping up) whose phone is registered now are available again as of
    /// <paramref name="nowMs"/>, as its restart would make them (<see cref="ResetNodeAsync"/>). Returns the agents freed
    /// (their extension, the call state and the call they were in); empty when none was, or when the heartbeat is no
    /// longer <paramref name="last"/> (the node was slow, not dead, and beat since; or it restarted).
    /// </summary>
    /// <remarks>
    /// The node's row is locked (FOR UPDATE) while it still says <paramref name="last"/>, and the agents are freed in the
    /// same transaction, so a node that comes back beats only after the agents were freed, never in between; and only rows
    /// still held by that node in a call state match, so each agent is freed once. An agent whose phone is not registered
    /// is left as it is (and freed by a later call once it registers while the node is still dead).
    /// </remarks>
    public async Task<IReadOnlyList<(string Extension, string Status, string? CallId)>> FreeAgentsOfDeadNodeAsync(NodeBeat last, long nowMs, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var still = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
            "SELECT 1 FROM cluster_nodes WHERE node = @Node AND instance = @Instance AND seen_ms = @SeenMs FOR UPDATE",
            new { last.Node, last.Instance, last.SeenMs },
            transaction,
            cancellationToken: cancellationToken));
        if (still is null)
        {
            await transaction.RollbackAsync(cancellationToken);
            return [];
        }

        var freed = await connection.QueryAsync<(string, string, string?)>(new CommandDefinition(
            $"""
            WITH held AS (
                SELECT extension, status, call_id FROM cluster_agents
                WHERE node = @Node AND status = ANY(@callStatuses) AND {Registered}
                FOR UPDATE)
            UPDATE cluster_agents SET {AfterCallEnds}, call_id = NULL, since_ms = GREATEST(cluster_agents.since_ms, @nowMs)
            FROM held
            WHERE cluster_agents.extension = held.extension AND cluster_agents.node = @Node AND cluster_agents.status = ANY(@callStatuses)
            RETURNING held.extension, held.status, held.call_id
            """,
            new { last.Node, nowMs, callStatuses = SharedAgent.CallStatuses.ToArray() },
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return [.. freed];
    }

    /// <summary>This node is alive: every row it owns is refreshed.</summary>
    public async Task RefreshAsync(string node, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE cluster_agents SET seen_ms = {DbNowMs} WHERE node = @node; UPDATE cluster_waiting SET seen_ms = {DbNowMs} WHERE node = @node",
            new { node },
            cancellationToken: cancellationToken));
    }

    /// <summary>Publishes (or updates, while the leader has not routed it) a caller waiting on <paramref name="node"/>.</summary>
    public async Task PublishAsync(string node, IReadOnlyList<WaitingCall> calls, CancellationToken cancellationToken)
    {
        if (calls.Count == 0)
        {
            return;
        }

        await using var connection = await factory.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO cluster_waiting (call_id, node, queue, tier, language, skills, entered_ms, account_manager, priority_hint, hold_until_ms, risk_notice, seen_ms)
            VALUES (@Id, @node, @Queue, @Tier, @Language, @skills, @enteredMs, @AccountManager, @PriorityHint, @holdUntilMs, @RiskNotice, {DbNowMs})
            ON CONFLICT (call_id) DO UPDATE SET queue = excluded.queue, tier = excluded.tier, language = excluded.language,
                skills = excluded.skills, entered_ms = excluded.entered_ms, account_manager = excluded.account_manager,
                priority_hint = excluded.priority_hint, hold_until_ms = excluded.hold_until_ms, risk_notice = excluded.risk_notice,
                seen_ms = excluded.seen_ms
            WHERE cluster_waiting.node = excluded.node AND cluster_waiting.agent IS NULL
            """,
            calls.Select(c => new
            {
                c.Id,
                node,
                c.Queue,
                c.Tier,
                c.Language,
                skills = string.Join(',', c.RequiredSkills),
                enteredMs = c.EnteredAt.ToUnixTimeMilliseconds(),
                c.AccountManager,
                c.PriorityHint,
                holdUntilMs = c.HoldUntil?.ToUnixTimeMilliseconds(),
                c.RiskNotice,
            }),
            cancellationToken: cancellationToken));
    }

    /// <summary>Callers that no longer wait on <paramref name="node"/> (answered elsewhere, hung up, overflowed): rows not yet routed are removed.</summary>
    public async Task WithdrawAsync(string node, IReadOnlyCollection<string> callIds, CancellationToken cancellationToken)
    {
        if (callIds.Count == 0)
        {
            return;
        }

        await using var connection = await factory.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM cluster_waiting WHERE node = @node AND agent IS NULL AND {factory.Dialect.InList("call_id", "ids")}",
            new { node, ids = callIds.ToArray() },
            cancellationToken: cancellationToken));
    }

    /// <summary>The rows of <paramref name="node"/>'s callers the leader routed (agent set), for the node to ring the agents.</summary>
    public async Task<IReadOnlyList<(string CallId, string Agent, RoutingExplanation? Explanation)>> RoutedAsync(string node, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<WaitingRow>(new CommandDefinition(
            $"SELECT {WaitingColumns} FROM cluster_waiting WHERE node = @node AND agent IS NOT NULL", new { node }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => (r.CallId, r.Agent!, r.Explanation is null ? null : JsonSerializer.Deserialize<RoutingExplanation>(r.Explanation, _json)))];
    }

    /// <summary>A routed row taken by its node.</summary>
    public async Task DeleteWaitingAsync(string node, string callId, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM cluster_waiting WHERE node = @node AND call_id = @callId", new { node, callId }, cancellationToken: cancellationToken));
    }

    /// <summary>Agents claimed for <paramref name="node"/>'s calls (status offered, held by the node), to release those whose offer never started.</summary>
    public async Task<IReadOnlyList<SharedAgent>> OfferedOnAsync(string node, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AgentRow>(new CommandDefinition(
            $"SELECT {AgentColumns} FROM cluster_agents WHERE node = @node AND status = 'offered'", new { node }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToAgent())];
    }

    /// <summary>Every agent of a live node (refreshed within <see cref="AliveMs"/>, the database's clock).</summary>
    /// <remarks>
    /// Also the agents of a node that stopped whose phone is registered now, unless that node held them on a call (the
    /// call went with it): an agent's state is theirs, and stays true when the node that last wrote it goes.
    /// </remarks>
    public async Task<IReadOnlyList<SharedAgent>> LiveAgentsAsync(long nowMs, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AgentRow>(new CommandDefinition(
            $"SELECT {AgentColumns} FROM cluster_agents WHERE {_fresh} OR (status <> ALL(@callStatuses) AND {Registered})",
            new { nowMs, callStatuses = SharedAgent.CallStatuses.ToArray() },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToAgent())];
    }

    /// <summary>The agent's row, or null.</summary>
    public async Task<SharedAgent?> AgentAsync(string extension, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AgentRow>(new CommandDefinition(
            $"SELECT {AgentColumns} FROM cluster_agents WHERE extension = @extension", new { extension }, cancellationToken: cancellationToken));
        return row?.ToAgent();
    }

    /// <summary>Every caller waiting on a live node and not yet routed, as the leader rebuilds its queues from them.</summary>
    public async Task<IReadOnlyList<SharedCaller>> LiveWaitingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<WaitingRow>(new CommandDefinition(
            $"SELECT {WaitingColumns} FROM cluster_waiting WHERE agent IS NULL AND {_fresh}", cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToCaller())];
    }

    /// <summary>
    /// Waiting rows of nodes gone for longer than a take-over needs (not refreshed for <see cref="ForgottenMs"/>, the
    /// database's clock): removed by the leader. Returns how many.
    /// </summary>
    public async Task<int> ForgetDeadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM cluster_waiting WHERE seen_ms < {DbNowMs} - {ForgottenMs.ToString(CultureInfo.InvariantCulture)}", cancellationToken: cancellationToken));
    }

    /// <summary>
    /// A node id whose heartbeat the leader watched stand still at <paramref name="last"/> for an hour (on the leader's
    /// own clock, <see cref="NodeHeartbeats"/>; never by comparing the row's time with the leader's, so a live node whose
    /// clock is far behind is not touched): its <c>cluster_nodes</c> row is deleted, and the agents it still held on a
    /// call are freed as its restart would (available if their phone is registered, offline if not). False when the row
    /// is no longer <paramref name="last"/> (the node beat since, or restarted). One that comes back inserts its row again.
    /// </summary>
    public async Task<bool> ForgetNodeAsync(NodeBeat last, long nowMs, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            $"""
            WITH gone AS (DELETE FROM cluster_nodes WHERE node = @Node AND instance = @Instance AND seen_ms = @SeenMs RETURNING node),
            freed AS (
                UPDATE cluster_agents SET {AfterCallEnds}, call_id = NULL, since_ms = GREATEST(since_ms, @nowMs)
                WHERE node IN (SELECT node FROM gone) AND status = ANY(@callStatuses)
                RETURNING 1)
            SELECT node FROM gone
            """,
            new { last.Node, last.Instance, last.SeenMs, nowMs, callStatuses = SharedAgent.CallStatuses.ToArray() },
            cancellationToken: cancellationToken))).Any();
    }

    private static IReadOnlyCollection<string> Split(string skills) => skills.Split(',', StringSplitOptions.RemoveEmptyEntries);

    private sealed record AgentRow(string Extension, string Node, string Status, string? CallId, long SinceMs, long SeenMs, string Skills, int CallsToday, string? AfterCall, string? AfterCallReason)
    {
        public SharedAgent ToAgent() => new(Extension, Node, Status, CallId, DateTimeOffset.FromUnixTimeMilliseconds(SinceMs), Split(Skills), CallsToday)
        {
            AfterCall = AfterCall,
            AfterCallReason = AfterCallReason,
        };
    }

    private sealed record WaitingRow(
        string CallId, string Node, string Queue, string? Tier, string? Language, string Skills, long EnteredMs, string? AccountManager,
        int PriorityHint, long? HoldUntilMs, bool RiskNotice, long SeenMs, string? Agent, string? Explanation)
    {
        public SharedCaller ToCaller() => new(
            new WaitingCall(CallId, Queue, Tier, Language, Split(Skills), DateTimeOffset.FromUnixTimeMilliseconds(EnteredMs), AccountManager, PriorityHint)
            {
                HoldUntil = HoldUntilMs is { } hold ? DateTimeOffset.FromUnixTimeMilliseconds(hold) : null,
                RiskNotice = RiskNotice,
            },
            Node);
    }
}

/// <summary>
/// What <see cref="SharedAcdStore.ClaimNodeAsync"/> found: whether the node id is this process's now, the instance its
/// row named before (null when there was none), and whether a session of that instance is connected now.
/// </summary>
internal sealed record NodeClaim(bool Own, string? Prior, bool PriorConnected);

/// <summary>What became of a leader's assignment (<see cref="SharedAcdStore.AssignAsync"/>).</summary>
internal enum AssignOutcome
{
    /// <summary>The agent claimed for the call's node and the caller's row marked.</summary>
    Kept,

    /// <summary>The agent was taken or the caller left meanwhile: nothing written, tried again next round.</summary>
    LostRace,

    /// <summary>Another node took the lease (and bumped the fencing token) since: nothing written, this node no longer routes.</summary>
    Deposed,
}
