using Dapper;

namespace CallCenter.Data.Callbacks;

/// <summary>A callback as stored (<c>callbacks</c>, migration 0017); times in UTC.</summary>
public sealed record CallbackRow
{
    public required string Id { get; init; }

    /// <summary>The number to call, as the dial plan normalized it (E.164).</summary>
    public required string Number { get; init; }

    public required string Queue { get; init; }

    public string? Tier { get; init; }

    public required string Language { get; init; }

    public string? AccountManager { get; init; }

    /// <summary>Who booked it: "queue-key" (the caller pressed 1), "queue-key-number" (2 and another number), "overflow" (a full queue), "api", "desk".</summary>
    public required string Source { get; init; }

    /// <summary>The inbound call that asked for it, if any.</summary>
    public string? OriginCallId { get; init; }

    /// <summary>When the caller first queued (their place in the queue), or when it was booked.</summary>
    public required DateTimeOffset RequestedAt { get; init; }

    /// <summary>A scheduled callback's time; null: as soon as an agent is free.</summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>After a failed attempt: not before this.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    public required string Status { get; init; }

    public int Attempts { get; init; }

    /// <summary>The last attempt's outcome (reached, busy, no-answer, wrong-number, refused, failed, agent-hung-up, ...).</summary>
    public string? Outcome { get; init; }

    /// <summary>The platform call id of the last attempt (its record).</summary>
    public string? LastCallId { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The call list entry this callback calls (a list's call), if any.</summary>
    public string? ListEntryId { get; init; }

    /// <summary>That entry's list.</summary>
    public string? ListId { get; init; }

    /// <summary>The list's retry rules; null: the <c>Callbacks</c> section's.</summary>
    public int? MaxAttempts { get; init; }

    public int? RetrySeconds { get; init; }

    /// <summary>A futures risk notice: it may ring in quiet hours (logged as such).</summary>
    public bool RiskNotice { get; init; }

    /// <summary>The agent (extension) who owns it: offered to them first when due, then to the queue; null: the queue's.</summary>
    public string? OwnerAgent { get; init; }

    /// <summary>
    /// Who asked for it: the caller's number for a queue key or an overflow (the number the cap
    /// <c>Callbacks:MaxPendingPerNumber</c> counts by), the agent or user for the desk and the API; null before migration 0044.
    /// </summary>
    public string? RequestedBy { get; init; }

    /// <summary>Who cancelled it (an agent's extension, a user's name, or "api-key"); null unless cancelled.</summary>
    public string? CancelledBy { get; init; }

    /// <summary>When it was cancelled.</summary>
    public DateTimeOffset? CancelledAt { get; init; }

    /// <summary>
    /// The node (<c>Cluster:NodeId</c>) that claimed it to dial it (its last attempt); null on a single platform and
    /// before migration 0053.
    /// </summary>
    public string? ClaimedBy { get; init; }

    /// <summary>When <see cref="ClaimedBy"/> last said it still dials it (refreshed every second while "calling").</summary>
    public DateTimeOffset? ClaimSeenAt { get; init; }

    /// <summary>
    /// An agent's wrap-up outcome (wrong-number, refused) given while the attempt <see cref="AgentOutcomeCall"/> still
    /// lasted (<see cref="CallbackRepository.SetAgentOutcomeAsync"/>); read, never written, by the other writes.
    /// </summary>
    public string? AgentOutcome { get; init; }

    /// <summary>The attempt (its call id) <see cref="AgentOutcome"/> was given for.</summary>
    public string? AgentOutcomeCall { get; init; }
}

/// <summary>The values of <see cref="CallbackRow.Status"/>.</summary>
public static class CallbackStatuses
{
    public const string Scheduled = "scheduled";
    public const string Queued = "queued";
    public const string Calling = "calling";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    /// <summary>Waiting for an agent or its time: the statuses a claim or a cancel moves a callback from.</summary>
    public static readonly IReadOnlyList<string> Waiting = [Scheduled, Queued];

    /// <summary>Statuses that still need the platform: loaded again at start-up.</summary>
    public static bool IsOpen(string status) => status is Scheduled or Queued or Calling;
}

/// <summary>The one store of callbacks. Rows are inserted once and then only their status moves on.</summary>
public sealed class CallbackRepository(DbConnectionFactory factory)
{
    public async Task InsertAsync(CallbackRow row, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        await using var connection = await factory.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO callbacks (id, number, queue, tier, language, account_manager, source, origin_call_id,
                requested_at_ms, due_at_ms, next_attempt_at_ms, status, attempts, outcome, last_call_id, updated_at_ms,
                list_entry_id, max_attempts, retry_seconds, risk_notice, list_id, owner_agent, requested_by, claimed_by, claim_seen_ms)
            VALUES (@Id, @Number, @Queue, @Tier, @Language, @AccountManager, @Source, @OriginCallId,
                @RequestedAtMs, @DueAtMs, @NextAttemptAtMs, @Status, @Attempts, @Outcome, @LastCallId, @UpdatedAtMs,
                @ListEntryId, @MaxAttempts, @RetrySeconds, @RiskNotice, @ListId, @OwnerAgent, @RequestedBy, @ClaimedBy, @ClaimSeenAtMs)
            """,
            Parameters(row),
            cancellationToken: cancellationToken));
    }

    // Every column an attempt's move writes, from a row's parameters (Parameters): each writer below adds its own WHERE.
    private const string WriteRow = """
        UPDATE callbacks SET status = @Status, attempts = @Attempts, outcome = @Outcome,
            next_attempt_at_ms = @NextAttemptAtMs, last_call_id = @LastCallId, updated_at_ms = @UpdatedAtMs,
            cancelled_by = @CancelledBy, cancelled_at_ms = @CancelledAtMs, claimed_by = @ClaimedBy, claim_seen_ms = @ClaimSeenAtMs
        """;

    /// <summary>Moves a callback on: status, attempts, outcome, next attempt and last call (and who cancelled it, when, and who claimed it).</summary>
    public async Task UpdateAsync(CallbackRow row, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        await using var connection = await factory.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            {WriteRow}
            WHERE id = @Id
            """,
            Parameters(row),
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// The write that decides between two nodes (or threads) holding the same callback: <paramref name="row"/>'s status,
    /// attempts, outcome and times are written only while the stored row is still in one of <paramref name="from"/> with
    /// <paramref name="attempts"/> attempts (as the writer read it). False when a claim, a cancel or an attempt's end got
    /// there first: nothing is written, and the caller must not act on the row (dial it, call it cancelled).
    /// </summary>
    public async Task<bool> TryMoveAsync(CallbackRow row, IReadOnlyCollection<string> from, int attempts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(from);
        if (from.Count == 0 || from.Any(s => !_statuses.Contains(s)))
        {
            throw new ArgumentException($"the statuses to move from must be some of {string.Join(", ", _statuses)}", nameof(from));
        }

        // The statuses are the constants above, never input: written into the statement as they are.
        var statuses = string.Join(", ", from.Select(s => $"'{s}'"));
        var parameters = new DynamicParameters(Parameters(row));
        parameters.Add("ExpectedAttempts", attempts);
        await using var connection = await factory.OpenAsync(cancellationToken);
        var moved = await connection.ExecuteAsync(new CommandDefinition(
            $"""
            {WriteRow}
            WHERE id = @Id AND status IN ({statuses}) AND attempts = @ExpectedAttempts
            """,
            parameters,
            cancellationToken: cancellationToken));
        return moved == 1;
    }

    /// <summary>
    /// An attempt's end, written only while the stored row is still that attempt: "calling", its last call
    /// <paramref name="callId"/> (or, for a preview whose call was not named on the row yet, the call
    /// <paramref name="readCallId"/> the row was read with), claimed by <paramref name="node"/> (null: by nobody named, a
    /// single platform). False when another node took the callback over meanwhile (and may be dialling it again): nothing
    /// is written.
    /// </summary>
    public async Task<bool> TryEndAttemptAsync(CallbackRow row, string callId, string? readCallId, string? node, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        var parameters = new DynamicParameters(Parameters(row));
        parameters.Add("EndedCall", callId);
        parameters.Add("ReadCall", readCallId);
        parameters.Add("Node", node);

        // Null-safe comparisons written per value (IS NULL or =): the same statement on SQLite and PostgreSQL.
        var claimed = node is null ? "claimed_by IS NULL" : "claimed_by = @Node";
        var call = readCallId is null ? "(last_call_id = @EndedCall OR last_call_id IS NULL)" : "(last_call_id = @EndedCall OR last_call_id = @ReadCall)";
        await using var connection = await factory.OpenAsync(cancellationToken);
        var moved = await connection.ExecuteAsync(new CommandDefinition(
            $"""
            {WriteRow}
            WHERE id = @Id AND status = 'calling' AND {call} AND {claimed}
            """,
            parameters,
            cancellationToken: cancellationToken));
        return moved == 1;
    }

    /// <summary>How long one refresh of a node's claims may take (seconds): well under a claim's life (15 s), so one hung refresh does not hold up the next ones that long.</summary>
    public const int RefreshTimeoutSeconds = 4;

    /// <summary>
    /// Node <paramref name="node"/> still dials the "calling" callbacks <paramref name="ids"/> (those its process holds):
    /// their <see cref="CallbackRow.ClaimSeenAt"/> moves to <paramref name="now"/> (every second), so the other nodes,
    /// watching it move, leave them be. A row claimed under the node's name that the process does not hold is not
    /// refreshed. The rows refreshed.
    /// </summary>
    public async Task<int> RefreshClaimsAsync(string node, IReadOnlyCollection<string> ids, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return 0;
        }

        await using var connection = await factory.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE callbacks SET claim_seen_ms = @nowMs WHERE claimed_by = @node AND status = 'calling' AND {factory.Dialect.InList("id", "ids")}",
            new { node, ids = ids.ToArray(), nowMs = now.ToUnixTimeMilliseconds() },
            commandTimeout: RefreshTimeoutSeconds,
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Takes over a "calling" callback whose claiming node went quiet: <paramref name="row"/> (its status, attempts, outcome,
    /// times and new claim) is written only while the stored row is still "calling" with <paramref name="attempts"/>
    /// attempts, claimed by <paramref name="claimedBy"/>, and its <see cref="CallbackRow.ClaimSeenAt"/> is still
    /// <paramref name="seen"/> (the value the caller watched stand still; null: never refreshed). No clocks are compared:
    /// false when its node refreshed it after all, or another node took it first.
    /// </summary>
    public async Task<bool> TryTakeOverAsync(CallbackRow row, string claimedBy, int attempts, DateTimeOffset? seen, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        var parameters = new DynamicParameters(Parameters(row));
        parameters.Add("ExpectedAttempts", attempts);
        parameters.Add("OldClaim", claimedBy);
        parameters.Add("SeenMs", seen?.ToUnixTimeMilliseconds());
        var stillSeen = seen is null ? "claim_seen_ms IS NULL" : "claim_seen_ms = @SeenMs";
        await using var connection = await factory.OpenAsync(cancellationToken);
        var moved = await connection.ExecuteAsync(new CommandDefinition(
            $"""
            {WriteRow}
            WHERE id = @Id AND status = 'calling' AND attempts = @ExpectedAttempts AND claimed_by = @OldClaim AND {stillSeen}
            """,
            parameters,
            cancellationToken: cancellationToken));
        return moved == 1;
    }

    /// <summary>
    /// "Calling" callbacks claimed by a named node (this one included): the claims a node watches for one that stops moving.
    /// </summary>
    public async Task<IReadOnlyList<CallbackRow>> ListClaimedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"{Select} WHERE status = 'calling' AND claimed_by IS NOT NULL ORDER BY requested_at_ms, id",
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToCallback())];
    }

    /// <summary>
    /// An agent's wrap-up outcome (<paramref name="outcome"/>: wrong-number, refused) for the attempt <paramref name="callId"/>
    /// that still lasts: kept on the row (<see cref="CallbackRow.AgentOutcome"/>) while it is "calling" with that attempt, so
    /// the attempt's end, on any node or after a restart, ends the callback with it. False when the attempt has ended.
    /// </summary>
    public async Task<bool> SetAgentOutcomeAsync(string id, string callId, string outcome, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE callbacks SET agent_outcome = @outcome, agent_outcome_call = @callId WHERE id = @id AND status = 'calling' AND last_call_id = @callId",
            new { id, callId, outcome },
            cancellationToken: cancellationToken));
        return rows == 1;
    }

    /// <summary>
    /// A preview attempt's call is placed: the "calling" row names it (<see cref="CallbackRow.LastCallId"/>) while it lasts,
    /// as a queue callback's claim does, so an agent's wrap-up finds it. False when the attempt ended first.
    /// </summary>
    public async Task<bool> SetAttemptCallAsync(string id, string callId, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE callbacks SET last_call_id = @callId WHERE id = @id AND status = 'calling'",
            new { id, callId },
            cancellationToken: cancellationToken));
        return rows == 1;
    }

    private static readonly HashSet<string> _statuses =
    [
        CallbackStatuses.Scheduled, CallbackStatuses.Queued, CallbackStatuses.Calling,
        CallbackStatuses.Completed, CallbackStatuses.Failed, CallbackStatuses.Cancelled,
    ];

    public async Task<CallbackRow?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"{Select} WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToCallback();
    }

    /// <summary>The callback whose last attempt was the call <paramref name="callId"/>, if any (an agent's wrap-up names the call).</summary>
    public async Task<CallbackRow?> GetByLastCallAsync(string callId, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var row = await connection.QueryFirstOrDefaultAsync<Row>(new CommandDefinition(
            $"{Select} WHERE last_call_id = @callId ORDER BY updated_at_ms DESC, id LIMIT 1", new { callId }, cancellationToken: cancellationToken));
        return row?.ToCallback();
    }

    /// <summary>Callbacks not finished yet (scheduled, queued, calling), oldest request first.</summary>
    public async Task<IReadOnlyList<CallbackRow>> ListOpenAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"{Select} WHERE status IN ('scheduled', 'queued', 'calling') ORDER BY requested_at_ms, id",
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToCallback())];
    }

    /// <summary>The newest callbacks, optionally of one status.</summary>
    public async Task<IReadOnlyList<CallbackRow>> ListAsync(string? status, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var where = status is null ? "" : "WHERE status = @status";
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"{Select} {where} ORDER BY requested_at_ms DESC, id DESC LIMIT @limit",
            new { status, limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToCallback())];
    }

    /// <summary>
    /// Callbacks still waiting (scheduled or queued) that are not a call list's entries (the list owns those), the soonest
    /// due first: a retry's or the calling hours' next attempt, else the booked time, else when it was asked for (the wallboard's list).
    /// </summary>
    public async Task<IReadOnlyList<CallbackRow>> ListWaitingAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            {Select} WHERE status IN ('scheduled', 'queued') AND list_entry_id IS NULL
            ORDER BY COALESCE(next_attempt_at_ms, due_at_ms, requested_at_ms), requested_at_ms, id LIMIT @limit
            """,
            new { limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToCallback())];
    }

    /// <summary>The newest callbacks <paramref name="owner"/> owns (the desk's own list).</summary>
    public async Task<IReadOnlyList<CallbackRow>> ListByOwnerAsync(string owner, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"{Select} WHERE owner_agent = @owner ORDER BY requested_at_ms DESC, id DESC LIMIT @limit",
            new { owner, limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToCallback())];
    }

    private const string Select =
        """
        SELECT id AS Id, number AS Number, queue AS Queue, tier AS Tier, language AS Language,
            account_manager AS AccountManager, source AS Source, origin_call_id AS OriginCallId,
            requested_at_ms AS RequestedAtMs, due_at_ms AS DueAtMs, next_attempt_at_ms AS NextAttemptAtMs,
            status AS Status, attempts AS Attempts, outcome AS Outcome, last_call_id AS LastCallId, updated_at_ms AS UpdatedAtMs,
            list_entry_id AS ListEntryId, max_attempts AS MaxAttempts, retry_seconds AS RetrySeconds, risk_notice AS RiskNotice,
            list_id AS ListId, owner_agent AS OwnerAgent, requested_by AS RequestedBy,
            cancelled_by AS CancelledBy, cancelled_at_ms AS CancelledAtMs, claimed_by AS ClaimedBy, claim_seen_ms AS ClaimSeenAtMs,
            agent_outcome AS AgentOutcome, agent_outcome_call AS AgentOutcomeCall
        FROM callbacks
        """;

    private static object Parameters(CallbackRow r) => new
    {
        r.Id,
        r.Number,
        r.Queue,
        r.Tier,
        r.Language,
        r.AccountManager,
        r.Source,
        r.OriginCallId,
        RequestedAtMs = r.RequestedAt.ToUnixTimeMilliseconds(),
        DueAtMs = r.DueAt?.ToUnixTimeMilliseconds(),
        NextAttemptAtMs = r.NextAttemptAt?.ToUnixTimeMilliseconds(),
        r.Status,
        r.Attempts,
        r.Outcome,
        r.LastCallId,
        UpdatedAtMs = r.UpdatedAt.ToUnixTimeMilliseconds(),
        r.ListEntryId,
        r.MaxAttempts,
        r.RetrySeconds,
        RiskNotice = r.RiskNotice ? 1 : 0,
        r.ListId,
        r.OwnerAgent,
        r.RequestedBy,
        r.CancelledBy,
        CancelledAtMs = r.CancelledAt?.ToUnixTimeMilliseconds(),
        r.ClaimedBy,
        ClaimSeenAtMs = r.ClaimSeenAt?.ToUnixTimeMilliseconds(),
    };

    private static DateTimeOffset? At(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;

    // Properties, not a positional record: SQLite reports no column types for an empty result.
    private sealed class Row
    {
        public string Id { get; set; } = "";

        public string Number { get; set; } = "";

        public string Queue { get; set; } = "";

        public string? Tier { get; set; }

        public string Language { get; set; } = "";

        public string? AccountManager { get; set; }

        public string Source { get; set; } = "";

        public string? OriginCallId { get; set; }

        public long RequestedAtMs { get; set; }

        public long? DueAtMs { get; set; }

        public long? NextAttemptAtMs { get; set; }

        public string Status { get; set; } = "";

        public long Attempts { get; set; }

        public string? Outcome { get; set; }

        public string? LastCallId { get; set; }

        public long UpdatedAtMs { get; set; }

        public string? ListEntryId { get; set; }

        public long? MaxAttempts { get; set; }

        public long? RetrySeconds { get; set; }

        public long RiskNotice { get; set; }

        public string? ListId { get; set; }

        public string? OwnerAgent { get; set; }

        public string? RequestedBy { get; set; }

        public string? CancelledBy { get; set; }

        public long? CancelledAtMs { get; set; }

        public string? ClaimedBy { get; set; }

        public long? ClaimSeenAtMs { get; set; }

        public string? AgentOutcome { get; set; }

        public string? AgentOutcomeCall { get; set; }

        public CallbackRow ToCallback() => new()
        {
            Id = Id,
            Number = Number,
            Queue = Queue,
            Tier = Tier,
            Language = Language,
            AccountManager = AccountManager,
            Source = Source,
            OriginCallId = OriginCallId,
            RequestedAt = DateTimeOffset.FromUnixTimeMilliseconds(RequestedAtMs),
            DueAt = At(DueAtMs),
            NextAttemptAt = At(NextAttemptAtMs),
            Status = Status,
            Attempts = (int)Attempts,
            Outcome = Outcome,
            LastCallId = LastCallId,
            UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAtMs),
            ListEntryId = ListEntryId,
            MaxAttempts = (int?)MaxAttempts,
            RetrySeconds = (int?)RetrySeconds,
            RiskNotice = RiskNotice != 0,
            ListId = ListId,
            OwnerAgent = OwnerAgent,
            RequestedBy = RequestedBy,
            CancelledBy = CancelledBy,
            CancelledAt = At(CancelledAtMs),
            ClaimedBy = ClaimedBy,
            ClaimSeenAt = At(ClaimSeenAtMs),
            AgentOutcome = AgentOutcome,
            AgentOutcomeCall = AgentOutcomeCall,
        };
    }
}
