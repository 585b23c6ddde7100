using Dapper;

namespace CallCenter.Data.CallLists;

/// <summary>
/// A compliance call list (<c>call_lists</c>, migrations 0025 and 0027); <paramref name="Mode"/> is how its entries are
/// dialled (<see cref="CallListModes"/>).
/// </summary>
public sealed record CallListRow(string Id, string Name, string Kind, string Queue, int MaxAttempts, int RetrySeconds, string CreatedBy, DateTimeOffset CreatedAt, string Mode = CallListModes.Progressive);

/// <summary>How a list's entries are dialled.</summary>
public static class CallListModes
{
    /// <summary>Each entry is booked as a callback in the list's queue: the next free agent with its skills is rung, then the client.</summary>
    public const string Progressive = "progressive";

    /// <summary>An agent asks for the next entry at the desk, sees it, and dials it or skips it with a reason.</summary>
    public const string Preview = "preview";

    public static readonly IReadOnlyList<string> All = [Progressive, Preview];
}

/// <summary>One client to call on a list, by its deadline (<c>call_list_entries</c>); times in UTC.</summary>
public sealed record CallListEntryRow
{
    public required string Id { get; init; }

    public required string ListId { get; init; }

    /// <summary>The number as the dial plan normalized it (the dialled form).</summary>
    public required string Number { get; init; }

    public string? ClientName { get; init; }

    public string? AccountManager { get; init; }

    public string? Note { get; init; }

    /// <summary>The deadline: the client must be reached by then.</summary>
    public required DateTimeOffset DueBy { get; init; }

    /// <summary>open, calling, reached, failed, refused (see <see cref="CallListStatuses"/>).</summary>
    public required string Status { get; init; }

    public int Attempts { get; init; }

    public string? Outcome { get; init; }

    /// <summary>Why the entry was refused or failed, in words.</summary>
    public string? Reason { get; init; }

    public string? CallbackId { get; init; }

    public string? LastCallId { get; init; }

    /// <summary>A new-account call: confirmed or denied (the relationship flagged for removal).</summary>
    public string? Confirmation { get; init; }

    public string? ConfirmedBy { get; init; }

    public DateTimeOffset? EscalatedAt { get; init; }

    /// <summary>A risk notice's second channel: the SMS in the outbox, and when it was queued.</summary>
    public string? NoticeMessageId { get; init; }

    public DateTimeOffset? NoticeSentAt { get; init; }

    /// <summary>A preview entry's agent (held while <c>previewing</c>; after a dial, who dialled it).</summary>
    public string? PreviewAgent { get; init; }

    public DateTimeOffset? PreviewAt { get; init; }

    /// <summary>An open entry is not offered for preview before then (a retry's delay, a skip's pause).</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>Times agents skipped the entry at preview, and the last skip's reason.</summary>
    public int Skips { get; init; }

    public string? SkipReason { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A client of the directory as a rule that makes list entries sees them (<c>clients</c>).</summary>
public sealed record DirectoryClient(string Phone, string Name, string? Manager, string Tier);

/// <summary>The values of <see cref="CallListEntryRow.Status"/>.</summary>
public static class CallListStatuses
{
    public const string Open = "open";
    public const string Calling = "calling";

    /// <summary>A preview entry shown to one agent, who dials or skips it.</summary>
    public const string Previewing = "previewing";
    public const string Reached = "reached";
    public const string Failed = "failed";
    public const string Refused = "refused";

    /// <summary>Still owed: counted as due or overdue against its deadline.</summary>
    public static bool IsOpen(string status) => status is Open or Calling or Previewing;
}

/// <summary>The one store of call lists and their entries.</summary>
public sealed class CallListRepository(DbConnectionFactory factory)
{
    private const string EntryColumns =
        """
        id AS Id, list_id AS ListId, number AS Number, client_name AS ClientName, account_manager AS AccountManager, note AS Note,
        due_by_ms AS DueByMs, status AS Status, attempts AS Attempts, outcome AS Outcome, reason AS Reason, callback_id AS CallbackId,
        last_call_id AS LastCallId, confirmation AS Confirmation, confirmed_by AS ConfirmedBy, escalated_at_ms AS EscalatedAtMs,
        notice_message_id AS NoticeMessageId, notice_sent_at_ms AS NoticeSentAtMs, preview_agent AS PreviewAgent, preview_at_ms AS PreviewAtMs,
        next_attempt_at_ms AS NextAttemptAtMs, skips AS Skips, skip_reason AS SkipReason, created_at_ms AS CreatedAtMs, updated_at_ms AS UpdatedAtMs
        """;

    public async Task InsertListAsync(CallListRow list, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(list);
        await using var connection = await factory.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO call_lists (id, name, kind, queue, max_attempts, retry_seconds, created_by, created_at_ms, mode)
            VALUES (@Id, @Name, @Kind, @Queue, @MaxAttempts, @RetrySeconds, @CreatedBy, @CreatedAtMs, @Mode)
            """,
            new { list.Id, list.Name, list.Kind, list.Queue, list.MaxAttempts, list.RetrySeconds, list.CreatedBy, list.Mode, CreatedAtMs = list.CreatedAt.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<CallListRow>> ListsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ListRow>(new CommandDefinition(
            "SELECT id AS Id, name AS Name, kind AS Kind, queue AS Queue, max_attempts AS MaxAttempts, retry_seconds AS RetrySeconds, created_by AS CreatedBy, created_at_ms AS CreatedAtMs, mode AS Mode FROM call_lists ORDER BY created_at_ms, id",
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new CallListRow(r.Id, r.Name, r.Kind, r.Queue, (int)r.MaxAttempts, (int)r.RetrySeconds, r.CreatedBy, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAtMs), r.Mode))];
    }

    /// <summary>Writes new entries in one transaction (an import's good rows go in together or not at all).</summary>
    public async Task InsertEntriesAsync(IReadOnlyList<CallListEntryRow> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var e in entries)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO call_list_entries (id, list_id, number, client_name, account_manager, note, due_by_ms, status, attempts, outcome, reason,
                    callback_id, last_call_id, confirmation, confirmed_by, escalated_at_ms, notice_message_id, notice_sent_at_ms, created_at_ms, updated_at_ms)
                VALUES (@Id, @ListId, @Number, @ClientName, @AccountManager, @Note, @DueByMs, @Status, @Attempts, @Outcome, @Reason,
                    @CallbackId, @LastCallId, @Confirmation, @ConfirmedBy, @EscalatedAtMs, @NoticeMessageId, @NoticeSentAtMs, @CreatedAtMs, @UpdatedAtMs)
                """,
                Parameters(e),
                transaction,
                cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Moves an entry on (its dialling: status, attempts, outcome, callback, last call, notice). The escalation and
    /// the client's confirmation have writers of their own (<see cref="MarkEscalatedAsync"/>,
    /// <see cref="SetConfirmationAsync"/>), so a move read before one of them never undoes it, and neither undoes a move.
    /// </summary>
    public async Task UpdateEntryAsync(CallListEntryRow e, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(e);
        await using var connection = await factory.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE call_list_entries SET status = @Status, attempts = @Attempts, outcome = @Outcome, reason = @Reason, callback_id = @CallbackId,
                last_call_id = @LastCallId, notice_message_id = @NoticeMessageId, notice_sent_at_ms = @NoticeSentAtMs, next_attempt_at_ms = @NextAttemptAtMs,
                updated_at_ms = @UpdatedAtMs
            WHERE id = @Id
            """,
            Parameters(e),
            cancellationToken: cancellationToken));
    }

    /// <summary>Marks an entry escalated at <paramref name="at"/> unless it already was; false when it was.</summary>
    public async Task<bool> MarkEscalatedAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var ms = at.ToUnixTimeMilliseconds();
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE call_list_entries SET escalated_at_ms = @ms, updated_at_ms = @ms WHERE id = @id AND escalated_at_ms IS NULL",
            new { id, ms },
            cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>
    /// Records the client's answer on a reached entry (status still <c>reached</c> in the database); false when the
    /// entry is not reached any more or not at all, or, with <paramref name="keepAnswersBy"/>, when its answer was given
    /// by someone whose name starts with it (the client by key: no one else's word replaces theirs, even one racing it).
    /// </summary>
    public async Task<bool> SetConfirmationAsync(string id, string confirmation, string by, DateTimeOffset at, CancellationToken cancellationToken = default, string? keepAnswersBy = null)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var keep = keepAnswersBy is null ? "" : " AND (confirmed_by IS NULL OR substr(confirmed_by, 1, @keepLength) <> @keepAnswersBy)";
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE call_list_entries SET confirmation = @confirmation, confirmed_by = @by, updated_at_ms = @ms WHERE id = @id AND status = 'reached'" + keep,
            new { id, confirmation, by, ms = at.ToUnixTimeMilliseconds(), keepAnswersBy, keepLength = keepAnswersBy?.Length ?? 0 },
            cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>
    /// Holds an open entry whose time has come for <paramref name="agent"/> to preview (status <c>previewing</c>); false
    /// when someone else took it first, or it is not open or not due: one agent per entry.
    /// </summary>
    public Task<bool> TryHoldForPreviewAsync(string id, string agent, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ExecuteOneAsync(
            """
            UPDATE call_list_entries SET status = 'previewing', preview_agent = @agent, preview_at_ms = @ms, updated_at_ms = @ms
            WHERE id = @id AND status = 'open' AND (next_attempt_at_ms IS NULL OR next_attempt_at_ms <= @ms)
            """,
            new { id, agent, ms = at.ToUnixTimeMilliseconds() },
            cancellationToken);

    /// <summary>
    /// The previewing agent dials: <c>previewing</c> by <paramref name="agent"/> becomes <c>calling</c>, once; false for a
    /// second click, another agent, or an entry given back meanwhile (nobody is rung twice for one attempt).
    /// </summary>
    public Task<bool> TryStartPreviewDialAsync(string id, string agent, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ExecuteOneAsync(
            "UPDATE call_list_entries SET status = 'calling', updated_at_ms = @ms WHERE id = @id AND status = 'previewing' AND preview_agent = @agent",
            new { id, agent, ms = at.ToUnixTimeMilliseconds() },
            cancellationToken);

    /// <summary>A preview dial that could not be placed (the agent's phone busy, a refusal): the entry is the agent's preview again.</summary>
    public Task<bool> UndoPreviewDialAsync(string id, string agent, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ExecuteOneAsync(
            "UPDATE call_list_entries SET status = 'previewing', updated_at_ms = @ms WHERE id = @id AND status = 'calling' AND preview_agent = @agent",
            new { id, agent, ms = at.ToUnixTimeMilliseconds() },
            cancellationToken);

    /// <summary>
    /// Gives a previewed entry back to its list (open, not offered before <paramref name="notBefore"/>): a skip
    /// (<paramref name="skipReason"/> counted), or an agent who left or let it lie. False when it is not
    /// <paramref name="agent"/>'s preview any more.
    /// </summary>
    public Task<bool> GiveBackPreviewAsync(string id, string agent, string? skipReason, DateTimeOffset? notBefore, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ExecuteOneAsync(
            """
            UPDATE call_list_entries SET status = 'open', preview_agent = NULL, preview_at_ms = NULL, next_attempt_at_ms = @next,
                skips = skips + @skip, skip_reason = COALESCE(@skipReason, skip_reason), updated_at_ms = @ms
            WHERE id = @id AND status = 'previewing' AND preview_agent = @agent
            """,
            new { id, agent, skipReason, skip = skipReason is null ? 0 : 1, next = notBefore?.ToUnixTimeMilliseconds(), ms = at.ToUnixTimeMilliseconds() },
            cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> entries of <paramref name="listIds"/> not yet handed to the dialler (open, no
    /// callback), nearest deadline first.
    /// </summary>
    public async Task<IReadOnlyList<CallListEntryRow>> ReadyForDialAsync(IReadOnlyCollection<string> listIds, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listIds);
        if (listIds.Count == 0 || limit <= 0)
        {
            return [];
        }

        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<EntryRow>(new CommandDefinition(
            $"SELECT {EntryColumns} FROM call_list_entries WHERE {factory.Dialect.InList("list_id", "listIds")} AND status = 'open' AND callback_id IS NULL ORDER BY due_by_ms, created_at_ms, id LIMIT @limit",
            new { listIds = listIds.ToArray(), limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToEntry())];
    }

    /// <summary>
    /// Up to <paramref name="limit"/> entries of the list <paramref name="listId"/> an agent may preview at <paramref name="now"/>
    /// (open, their retry or skip pause over), in the preview's order within a list: nearest deadline, fewest attempts,
    /// oldest, id. <paramref name="notManagedBy"/>: leave out the entries whose account manager is that agent (a
    /// new-account list's). Read through the index call_list_entries_preview (migration 0031), so a big list costs
    /// the few rows read, not the whole list.
    /// </summary>
    public async Task<IReadOnlyList<CallListEntryRow>> PreviewCandidatesAsync(string listId, DateTimeOffset now, string? notManagedBy, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listId);
        if (limit <= 0)
        {
            return [];
        }

        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<EntryRow>(new CommandDefinition(
            $"""
            SELECT {EntryColumns} FROM call_list_entries
            WHERE list_id = @listId AND status = 'open' AND (next_attempt_at_ms IS NULL OR next_attempt_at_ms <= @ms)
              AND (@notManagedBy IS NULL OR account_manager IS NULL OR account_manager <> @notManagedBy)
            ORDER BY due_by_ms, attempts, created_at_ms, id LIMIT @limit
            """,
            new { listId, ms = now.ToUnixTimeMilliseconds(), notManagedBy, limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToEntry())];
    }

    /// <summary>The entries held for a preview (all agents', or <paramref name="agent"/>'s), through the index call_list_entries_held.</summary>
    public async Task<IReadOnlyList<CallListEntryRow>> PreviewingAsync(string? agent, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<EntryRow>(new CommandDefinition(
            $"SELECT {EntryColumns} FROM call_list_entries WHERE status = 'previewing' AND (@agent IS NULL OR preview_agent = @agent) ORDER BY preview_at_ms, id",
            new { agent },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToEntry())];
    }

    /// <summary>
    /// Hands an open entry to the dialler under <paramref name="callbackId"/> (status <c>calling</c>) before that callback is
    /// booked; false when another pass took it first. A start finds an entry whose callback was never written.
    /// </summary>
    public Task<bool> TryHandToDiallerAsync(string id, string callbackId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ExecuteOneAsync(
            "UPDATE call_list_entries SET status = 'calling', callback_id = @callbackId, updated_at_ms = @ms WHERE id = @id AND status = 'open' AND callback_id IS NULL",
            new { id, callbackId, ms = at.ToUnixTimeMilliseconds() },
            cancellationToken);

    /// <summary>An entry handed to the dialler whose callback was never booked (the process stopped between the two): open again.</summary>
    public Task<bool> ReopenUnbookedAsync(string id, string callbackId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ExecuteOneAsync(
            "UPDATE call_list_entries SET status = 'open', callback_id = NULL, updated_at_ms = @ms WHERE id = @id AND status = 'calling' AND callback_id = @callbackId",
            new { id, callbackId, ms = at.ToUnixTimeMilliseconds() },
            cancellationToken);

    private async Task<bool> ExecuteOneAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken)) == 1;
    }

    public async Task<CallListEntryRow?> GetEntryAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<EntryRow>(new CommandDefinition($"SELECT {EntryColumns} FROM call_list_entries WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToEntry();
    }

    /// <summary>The entry whose last attempt was the call <paramref name="callId"/>, if any.</summary>
    public async Task<CallListEntryRow?> EntryByLastCallAsync(string callId, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var row = await connection.QueryFirstOrDefaultAsync<EntryRow>(new CommandDefinition(
            $"SELECT {EntryColumns} FROM call_list_entries WHERE last_call_id = @callId", new { callId }, cancellationToken: cancellationToken));
        return row?.ToEntry();
    }

    /// <summary>A list's entries (all lists' when <paramref name="listId"/> is null), by deadline.</summary>
    public async Task<IReadOnlyList<CallListEntryRow>> EntriesAsync(string? listId, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var where = listId is null ? "" : "WHERE list_id = @listId";
        var rows = await connection.QueryAsync<EntryRow>(new CommandDefinition(
            $"SELECT {EntryColumns} FROM call_list_entries {where} ORDER BY due_by_ms, id", new { listId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToEntry())];
    }

    /// <summary>When each number's newest entry on <paramref name="listId"/> was made (whatever became of it).</summary>
    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> LatestEntryTimesAsync(string listId, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Number, long AtMs)>(new CommandDefinition(
            "SELECT number, MAX(created_at_ms) FROM call_list_entries WHERE list_id = @listId GROUP BY number", new { listId }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Number, r => DateTimeOffset.FromUnixTimeMilliseconds(r.AtMs), StringComparer.Ordinal);
    }

    /// <summary>The client directory's clients whose tier is one of <paramref name="tiers"/>, by phone.</summary>
    public async Task<IReadOnlyList<DirectoryClient>> ClientsOfTiersAsync(IReadOnlyCollection<string> tiers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        if (tiers.Count == 0)
        {
            return [];
        }

        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<DirectoryClient>(new CommandDefinition(
            // A manager the client denied on a new-account call is not the one their review call goes to.
            $"SELECT c.phone AS Phone, c.name AS Name, {Clients.ManagerDenial.RoutableManager("c")} AS Manager, c.tier AS Tier FROM clients c WHERE {factory.Dialect.InList("c.tier", "tiers")} ORDER BY c.phone",
            new { tiers = tiers.ToArray() }, cancellationToken: cancellationToken));
        return [.. rows];
    }

    private static object Parameters(CallListEntryRow e) => new
    {
        e.Id,
        e.ListId,
        e.Number,
        e.ClientName,
        e.AccountManager,
        e.Note,
        DueByMs = e.DueBy.ToUnixTimeMilliseconds(),
        e.Status,
        e.Attempts,
        e.Outcome,
        e.Reason,
        e.CallbackId,
        e.LastCallId,
        e.Confirmation,
        e.ConfirmedBy,
        EscalatedAtMs = e.EscalatedAt?.ToUnixTimeMilliseconds(),
        e.NoticeMessageId,
        NoticeSentAtMs = e.NoticeSentAt?.ToUnixTimeMilliseconds(),
        NextAttemptAtMs = e.NextAttemptAt?.ToUnixTimeMilliseconds(),
        CreatedAtMs = e.CreatedAt.ToUnixTimeMilliseconds(),
        UpdatedAtMs = e.UpdatedAt.ToUnixTimeMilliseconds(),
    };

    private static DateTimeOffset? At(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;

    // Properties, not positional records: SQLite reports no column types for an empty result.
    private sealed class ListRow
    {
        public string Id { get; set; } = "";

        public string Name { get; set; } = "";

        public string Kind { get; set; } = "";

        public string Queue { get; set; } = "";

        public long MaxAttempts { get; set; }

        public long RetrySeconds { get; set; }

        public string CreatedBy { get; set; } = "";

        public long CreatedAtMs { get; set; }

        public string Mode { get; set; } = CallListModes.Progressive;
    }

    private sealed class EntryRow
    {
        public string Id { get; set; } = "";

        public string ListId { get; set; } = "";

        public string Number { get; set; } = "";

        public string? ClientName { get; set; }

        public string? AccountManager { get; set; }

        public string? Note { get; set; }

        public long DueByMs { get; set; }

        public string Status { get; set; } = "";

        public long Attempts { get; set; }

        public string? Outcome { get; set; }

        public string? Reason { get; set; }

        public string? CallbackId { get; set; }

        public string? LastCallId { get; set; }

        public string? Confirmation { get; set; }

        public string? ConfirmedBy { get; set; }

        public long? EscalatedAtMs { get; set; }

        public string? NoticeMessageId { get; set; }

        public long? NoticeSentAtMs { get; set; }

        public string? PreviewAgent { get; set; }

        public long? PreviewAtMs { get; set; }

        public long? NextAttemptAtMs { get; set; }

        public long Skips { get; set; }

        public string? SkipReason { get; set; }

        public long CreatedAtMs { get; set; }

        public long UpdatedAtMs { get; set; }

        public CallListEntryRow ToEntry() => new()
        {
            Id = Id,
            ListId = ListId,
            Number = Number,
            ClientName = ClientName,
            AccountManager = AccountManager,
            Note = Note,
            DueBy = DateTimeOffset.FromUnixTimeMilliseconds(DueByMs),
            Status = Status,
            Attempts = (int)Attempts,
            Outcome = Outcome,
            Reason = Reason,
            CallbackId = CallbackId,
            LastCallId = LastCallId,
            Confirmation = Confirmation,
            ConfirmedBy = ConfirmedBy,
            EscalatedAt = At(EscalatedAtMs),
            NoticeMessageId = NoticeMessageId,
            NoticeSentAt = At(NoticeSentAtMs),
            PreviewAgent = PreviewAgent,
            PreviewAt = At(PreviewAtMs),
            NextAttemptAt = At(NextAttemptAtMs),
            Skips = (int)Skips,
            SkipReason = SkipReason,
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(CreatedAtMs),
            UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAtMs),
        };
    }
}
