using System.Data;
using System.Data.Common;
using System.Text.Json;
using Dapper;

namespace CallCenter.Data.Calls;

/// <summary>
/// Call records: inserted once (a second insert of the same id changes nothing), read newest first.
/// A call in progress has an open row from its answer until its record is written, so that calls a
/// stopped process left open are closed as "interrupted" at the next start.
/// </summary>
public sealed class CallRecordRepository(DbConnectionFactory factory)
{
    // This node's name when several nodes share the database (Cluster:Enabled); null for a single platform.
    private readonly string? _node;

    /// <param name="factory">The database.</param>
    /// <param name="node">
    /// This node's name when nodes of a cluster share the database: its calls' open rows and records carry
    /// it; at start it closes as interrupted only its own open rows (and rows from before nodes were named),
    /// never another node's live calls; and the wallboard's live counts read only its own calls
    /// (<see cref="ListOpenProgressBetweenAsync"/>, <see cref="ListOwnStartedBetweenAsync"/>), since the
    /// cluster's view adds the nodes up. Null for a single platform, which owns every row.
    /// </param>
    public CallRecordRepository(DbConnectionFactory factory, string? node)
        : this(factory) => _node = node;

    // Which open rows are this process's to vouch for (heartbeat) and to close at start.
    private string OwnRows => _node is null ? "1 = 1" : "node_id = @node";

    private string ClosableRows => _node is null ? "1 = 1" : "(node_id = @node OR node_id IS NULL)";

    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    /// <summary>Notes a call in progress (idempotent; nothing when the call already has its record).</summary>
    public Task OpenAsync(string id, string caller, string dialed, DateTimeOffset startedAt, CancellationToken cancellationToken = default) =>
        WriteBatchAsync([new CallRecordWrite(id, null, (caller, dialed, startedAt))], cancellationToken);

    /// <summary>Writes the record unless one with its id exists, and closes its open row; true when this call wrote it.</summary>
    public async Task<bool> InsertOnceAsync(CallRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return await WriteBatchAsync([new CallRecordWrite(record.Id, record, null)], cancellationToken) > 0;
    }

    /// <summary>
    /// Writes a batch of open rows and records in one transaction (one commit, one sync of the log for
    /// all of them), in the order given, less the writes a later one in the batch makes moot
    /// (<see cref="CallRecordWrites.Coalesce"/>); each is idempotent as <see cref="OpenAsync"/> and
    /// <see cref="InsertOnceAsync"/> are, so a batch that failed can be written again whole.
    /// Returns how many records this batch wrote.
    /// </summary>
    public async Task<int> WriteBatchAsync(IReadOnlyList<CallRecordWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        await using var writer = new WriterConnection(factory);
        await writer.BeginAsync(cancellationToken);
        var written = await WriteBatchAsync(writer, writes, cancellationToken);
        await writer.CommitAsync(cancellationToken);
        return written;
    }

    /// <summary>
    /// <see cref="WriteBatchAsync(IReadOnlyList{CallRecordWrite}, CancellationToken)"/> inside the batch <paramref name="writer"/> has
    /// open, with the statements it keeps (the call records' writer commits them with the event log's batch).
    /// </summary>
    public async Task<int> WriteBatchAsync(WriterConnection writer, IReadOnlyList<CallRecordWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(writes);
        var written = 0;

        // Each kind of write runs as one command re-bound per row (RowStatement), not prepared again per
        // row. Grouping by kind keeps each call's writes in their order (open, progress, record: no call
        // has a write after its record once coalesced); a heartbeat stays where it was, between the
        // groups before and after it.
        var kept = CallRecordWrites.Coalesce(writes);
        var from = 0;
        for (var i = 0; i <= kept.Count; i++)
        {
            if (i < kept.Count && kept[i].AliveAt is null)
            {
                continue;
            }

            written += await WriteGroupedAsync(writer, kept, from, i, _node, cancellationToken);
            if (i < kept.Count)
            {
                // Only the calls this process answered: the rows a killed run left may still be open
                // while this one starts, and must keep the last moment that run was known alive.
                var alive = writer.Statement(
                    $"UPDATE calls_open SET alive_at_ms = @atMs WHERE started_at_ms >= @sinceMs AND (alive_at_ms IS NULL OR alive_at_ms < @atMs) AND {OwnRows}",
                    ("atMs", DbType.Int64),
                    ("sinceMs", DbType.Int64),
                    ("node", DbType.String));
                alive.Set(0, kept[i].AliveAt!.Value.ToUnixTimeMilliseconds());
                alive.Set(1, kept[i].AliveSince.ToUnixTimeMilliseconds());
                alive.Set(2, _node);
                await alive.RunAsync(cancellationToken);
            }

            from = i + 1;
        }

        return written;
    }

    /// <summary>Closes a call's open row inside <paramref name="writer"/>'s batch without a record (the record was refused and set aside).</summary>
    public async Task CloseOpenAsync(WriterConnection writer, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var close = CloseOpen(writer);
        close.Set(0, id);
        await close.RunAsync(cancellationToken);
    }

    /// <summary>Notes what is known of a call in progress so far (nothing once its record is written).</summary>
    public Task UpdateProgressAsync(CallRecord progress, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        WriteBatchAsync([CallRecordWrite.Progressed(progress, at)], cancellationToken);

    /// <summary>The platform's heartbeat: every call open now that started since <paramref name="since"/> (this process's start) was still alive at <paramref name="at"/>.</summary>
    public Task NoteAliveAsync(DateTimeOffset at, DateTimeOffset since, CancellationToken cancellationToken = default) =>
        WriteBatchAsync([CallRecordWrite.Alive(at, since)], cancellationToken);

    /// <summary>
    /// At start-up: every call still open was in progress when the process stopped; each becomes an
    /// "interrupted" record with what was known of it (<see cref="InterruptedCall"/>), ending at the
    /// last moment known alive, or at <paramref name="restartedAt"/> when none is known. Returns the ids closed.
    /// </summary>
    public Task<IReadOnlyList<string>> CloseInterruptedAsync(DateTimeOffset restartedAt, CancellationToken cancellationToken = default) =>
        CloseInterruptedAsync(restartedAt, _ => null, cancellationToken);

    /// <param name="restartedAt">Now, at the start.</param>
    /// <param name="recordingOf">A call's recording on disk (path and SHA-256), for records whose progress lacks it.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <param name="startedBefore">
    /// Only calls that started before this (the process's start): when the closing waits until a cluster node's id is
    /// confirmed as the process's own, the calls it took meanwhile are its own live ones, not a former life's.
    /// </param>
    public async Task<IReadOnlyList<string>> CloseInterruptedAsync(DateTimeOffset restartedAt, Func<string, (string Path, string Sha256)?> recordingOf, CancellationToken cancellationToken = default, DateTimeOffset? startedBefore = null)
    {
        ArgumentNullException.ThrowIfNull(recordingOf);
        var beforeMs = startedBefore?.ToUnixTimeMilliseconds() ?? long.MaxValue;
        await using var connection = await factory.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        var open = (await connection.QueryAsync<OpenRow>(new CommandDefinition(
            $"""
            SELECT id AS Id, caller AS Caller, dialed AS Dialed, started_at_ms AS StartedAtMs, progress AS Progress,
                updated_at_ms AS UpdatedAtMs, alive_at_ms AS AliveAtMs
            FROM calls_open WHERE {ClosableRows} AND started_at_ms < @beforeMs
            """,
            new { node = _node, beforeMs },
            transaction: transaction,
            cancellationToken: cancellationToken))).ToList();
        foreach (var row in open)
        {
            var startedAt = DateTimeOffset.FromUnixTimeMilliseconds(row.StartedAtMs);
            var endedAt = InterruptedCall.EndOf(startedAt, FromMs(row.UpdatedAtMs), FromMs(row.AliveAtMs), restartedAt);
            var progress = row.Progress is null ? null : JsonSerializer.Deserialize<CallRecord>(row.Progress, _json);
            var recording = recordingOf(row.Id);
            await connection.ExecuteAsync(new CommandDefinition(
                InsertSql,
                RecordParameters(InterruptedCall.Close(row.Id, row.Caller, row.Dialed, startedAt, progress, endedAt, recording?.Path, recording?.Sha256), _node),
                transaction,
                cancellationToken: cancellationToken));
        }

        await connection.ExecuteAsync(new CommandDefinition($"DELETE FROM calls_open WHERE {ClosableRows} AND started_at_ms < @beforeMs", new { node = _node, beforeMs }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return [.. open.Select(r => r.Id)];
    }

    /// <summary>The newest <paramref name="limit"/> records, newest first.</summary>
    public async Task<IReadOnlyList<CallRecord>> ListNewestAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"{SelectColumns} ORDER BY started_at_ms DESC, id DESC LIMIT @limit",
            new { limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>Records of calls that started in [<paramref name="from"/>, <paramref name="to"/>), oldest first.</summary>
    public async Task<IReadOnlyList<CallRecord>> ListStartedBetweenAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"{SelectColumns} WHERE started_at_ms >= @fromMs AND started_at_ms < @toMs ORDER BY started_at_ms, id",
            new { fromMs = from.ToUnixTimeMilliseconds(), toMs = to.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>
    /// Records of this node's calls (see the constructor's node; every call for a single platform) that started in
    /// [<paramref name="from"/>, <paramref name="to"/>), oldest first.
    /// </summary>
    public async Task<IReadOnlyList<CallRecord>> ListOwnStartedBetweenAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"{SelectColumns} WHERE started_at_ms >= @fromMs AND started_at_ms < @toMs AND {OwnRows} ORDER BY started_at_ms, id",
            new { fromMs = from.ToUnixTimeMilliseconds(), toMs = to.ToUnixTimeMilliseconds(), node = _node },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>
    /// What is known so far of this node's calls still open (in progress, or ended and waiting for their agent's
    /// wrap-up) that started in [<paramref name="from"/>, <paramref name="to"/>): their progress records, oldest
    /// first; an open row without progress yet (not identified, not queued) is left out. Another node's open calls
    /// on a shared database are its own to count.
    /// </summary>
    public async Task<IReadOnlyList<CallRecord>> ListOpenProgressBetweenAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<string>(new CommandDefinition(
            $"SELECT progress FROM calls_open WHERE progress IS NOT NULL AND started_at_ms >= @fromMs AND started_at_ms < @toMs AND {OwnRows} ORDER BY started_at_ms, id",
            new { fromMs = from.ToUnixTimeMilliseconds(), toMs = to.ToUnixTimeMilliseconds(), node = _node },
            cancellationToken: cancellationToken));
        return [.. rows.Select(p => JsonSerializer.Deserialize<CallRecord>(p, _json)).OfType<CallRecord>()];
    }

    /// <summary>The newest <paramref name="limit"/> records of calls from <paramref name="caller"/> (a screen pop's last interactions).</summary>
    public Task<IReadOnlyList<CallRecord>> ListByCallerAsync(string caller, int limit, CancellationToken cancellationToken = default) =>
        ListWhereAsync("caller = @party", caller, limit, cancellationToken);

    /// <summary>The newest <paramref name="limit"/> records of calls answered by agent <paramref name="agent"/> (the agent's history).</summary>
    public Task<IReadOnlyList<CallRecord>> ListByAgentAsync(string agent, int limit, CancellationToken cancellationToken = default) =>
        ListWhereAsync("agent = @party", agent, limit, cancellationToken);

    public async Task<CallRecord?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"{SelectColumns} WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    /// <summary>
    /// A wrap-up given after the record was written: sets code and notes once, only on the agent's own
    /// record and only while it has no code. True when this call set them. With <paramref name="reachedOutcome"/> (the
    /// agent's code says the outbound call reached a wrong number, or a client who refused), an outbound record whose
    /// outcome is <c>reached</c> takes that outcome instead.
    /// </summary>
    public async Task<bool> SetWrapUpAsync(string id, string agent, string code, string? notes, string? reachedOutcome = null, CancellationToken cancellationToken = default)
    {
        var outcome = reachedOutcome is null ? "" : ", outcome = CASE WHEN direction = 'outbound' AND outcome = 'reached' THEN @reachedOutcome ELSE outcome END";
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE calls SET wrap_up_code = @code, wrap_up_notes = @notes{outcome} WHERE id = @id AND agent = @agent AND wrap_up_code IS NULL",
            new { id, agent, code, notes, reachedOutcome },
            cancellationToken: cancellationToken));
        return rows > 0;
    }

    /// <summary>
    /// An outbound call's record whose client's side answered (<c>reached</c>) takes <paramref name="outcome"/> (an agent who
    /// transferred the call away said it was a wrong number or a refusal); any other outcome stays. True when it changed.
    /// </summary>
    public async Task<bool> SetReachedOutcomeAsync(string id, string outcome, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE calls SET outcome = @outcome WHERE id = @id AND direction = 'outbound' AND outcome = 'reached'",
            new { id, outcome },
            cancellationToken: cancellationToken));
        return rows > 0;
    }

    private async Task<IReadOnlyList<CallRecord>> ListWhereAsync(string where, string party, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"{SelectColumns} WHERE {where} ORDER BY started_at_ms DESC, id DESC LIMIT @limit",
            new { party, limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    private const string SelectColumns =
        """
        SELECT id AS Id, caller AS Caller, dialed AS Dialed, tier AS Tier, ivr_path AS IvrPath, queue AS Queue,
            agent AS Agent, started_at_ms AS StartedAtMs, ended_at_ms AS EndedAtMs, wait_seconds AS WaitSeconds,
            talk_seconds AS TalkSeconds, disposition AS Disposition, recording AS Recording,
            recording_sha256 AS RecordingSha256, queued_at_ms AS QueuedAtMs, answered_at_ms AS AnsweredAtMs,
            ring_seconds AS RingSeconds, hold_seconds AS HoldSeconds, wrap_up_seconds AS WrapUpSeconds,
            legs AS Legs, routing AS Routing, wrap_up_code AS WrapUpCode, wrap_up_notes AS WrapUpNotes,
            direction AS Direction, list_id AS ListId, list_entry_id AS ListEntryId, attempt AS Attempt, outcome AS Outcome,
            fax AS Fax
        FROM calls
        """;

    /// <summary>
    /// Open rows, then progress, then records (each closing its open row) of writes [from, to): one
    /// statement per kind, kept by the writer and run per row (<see cref="RowStatement"/>).
    /// </summary>
    private static async Task<int> WriteGroupedAsync(WriterConnection writer, IReadOnlyList<CallRecordWrite> writes, int from, int to, string? node, CancellationToken cancellationToken)
    {
        List<CallRecordWrite>? opens = null;
        List<CallRecordWrite>? progress = null;
        List<CallRecord>? records = null;
        for (var i = from; i < to; i++)
        {
            var write = writes[i];
            if (write.Record is { } record)
            {
                (records ??= []).Add(record);
            }
            else if (write.Open is not null)
            {
                (opens ??= []).Add(write);
            }
            else if (write.Progress is not null)
            {
                (progress ??= []).Add(write);
            }
        }

        if (opens is not null)
        {
            var open = writer.Statement(
                """
                INSERT INTO calls_open (id, caller, dialed, started_at_ms, node_id)
                SELECT @id, @caller, @dialed, @startedAtMs, @node
                WHERE NOT EXISTS (SELECT 1 FROM calls WHERE id = @id)
                ON CONFLICT (id) DO NOTHING
                """,
                ("id", DbType.String),
                ("caller", DbType.String),
                ("dialed", DbType.String),
                ("startedAtMs", DbType.Int64),
                ("node", DbType.String));
            foreach (var write in opens)
            {
                var (caller, dialed, startedAt) = write.Open!.Value;
                open.Set(0, write.Id);
                open.Set(1, caller);
                open.Set(2, dialed);
                open.Set(3, startedAt.ToUnixTimeMilliseconds());
                open.Set(4, node);
                await open.RunAsync(cancellationToken);
            }
        }

        if (progress is not null)
        {
            // Only the open row is updated: once the record is written the row is gone, so a late
            // update changes nothing (the final record wins), and an older update never replaces a newer.
            var update = writer.Statement(
                """
                UPDATE calls_open SET progress = @progress, updated_at_ms = @atMs
                WHERE id = @id AND (updated_at_ms IS NULL OR updated_at_ms <= @atMs)
                """,
                ("id", DbType.String),
                ("progress", DbType.String),
                ("atMs", DbType.Int64));
            foreach (var write in progress)
            {
                update.Set(0, write.Id);
                update.Set(1, JsonSerializer.Serialize(write.Progress, _json));
                update.Set(2, write.ProgressAt.ToUnixTimeMilliseconds());
                await update.RunAsync(cancellationToken);
            }
        }

        if (records is null)
        {
            return 0;
        }

        var written = 0;
        var insert = writer.Statement(InsertSql, _recordColumns);
        var close = CloseOpen(writer);
        foreach (var record in records)
        {
            SetRecord(insert, record, node);
            written += await insert.RunAsync(cancellationToken);
            close.Set(0, record.Id);
            await close.RunAsync(cancellationToken);
        }

        return written;
    }

    // InsertSql's parameters in the order SetRecord gives them, typed as Dapper types RecordParameters' properties.
    private static readonly (string Name, DbType Type)[] _recordColumns =
    [
        ("Id", DbType.String), ("Caller", DbType.String), ("Dialed", DbType.String), ("Direction", DbType.String),
        ("Tier", DbType.String), ("IvrPath", DbType.String), ("Queue", DbType.String), ("Agent", DbType.String),
        ("StartedAtMs", DbType.Int64), ("EndedAtMs", DbType.Int64), ("WaitSeconds", DbType.Double), ("TalkSeconds", DbType.Double),
        ("Disposition", DbType.String), ("Recording", DbType.String), ("RecordingSha256", DbType.String), ("QueuedAtMs", DbType.Int64),
        ("AnsweredAtMs", DbType.Int64), ("RingSeconds", DbType.Double), ("HoldSeconds", DbType.Double), ("WrapUpSeconds", DbType.Double),
        ("Legs", DbType.String), ("Routing", DbType.String), ("WrapUpCode", DbType.String), ("WrapUpNotes", DbType.String),
        ("ListId", DbType.String), ("ListEntryId", DbType.String), ("Attempt", DbType.Int32), ("Outcome", DbType.String),
        ("NodeId", DbType.String), ("Fax", DbType.String),
    ];

    /// <summary>The statement that closes a call's open row: with its record, or alone when the record was set aside.</summary>
    private static RowStatement CloseOpen(WriterConnection writer) => writer.Statement("DELETE FROM calls_open WHERE id = @Id", ("Id", DbType.String));

    /// <summary>
    /// A duration as stored: not a number (or an infinite one) is 0. Only a bug makes one, and SQLite's driver throws on binding
    /// it, which the records' writer would take for the database being away and retry with its whole batch for ever.
    /// </summary>
    private static double Finite(double seconds) => double.IsFinite(seconds) ? seconds : 0;

    private static void SetRecord(RowStatement insert, CallRecord record, string? node)
    {
        insert.Set(0, record.Id);
        insert.Set(1, record.Caller);
        insert.Set(2, record.Dialed);
        insert.Set(3, record.Direction);
        insert.Set(4, record.Tier);
        insert.Set(5, JsonSerializer.Serialize(record.IvrPath));
        insert.Set(6, record.Queue);
        insert.Set(7, record.Agent);
        insert.Set(8, record.StartedAt.ToUnixTimeMilliseconds());
        insert.Set(9, record.EndedAt.ToUnixTimeMilliseconds());
        insert.Set(10, Finite(record.WaitSeconds));
        insert.Set(11, Finite(record.TalkSeconds));
        insert.Set(12, record.Disposition);
        insert.Set(13, record.Recording);
        insert.Set(14, record.RecordingSha256);
        insert.Set(15, record.QueuedAt?.ToUnixTimeMilliseconds());
        insert.Set(16, record.AnsweredAt?.ToUnixTimeMilliseconds());
        insert.Set(17, Finite(record.RingSeconds));
        insert.Set(18, Finite(record.HoldSeconds));
        insert.Set(19, Finite(record.WrapUpSeconds));
        insert.Set(20, JsonSerializer.Serialize(record.Legs, _json));
        insert.Set(21, record.Routing);
        insert.Set(22, record.WrapUpCode);
        insert.Set(23, record.WrapUpNotes);
        insert.Set(24, record.ListId);
        insert.Set(25, record.ListEntryId);
        insert.Set(26, record.Attempt);
        insert.Set(27, record.Outcome);
        insert.Set(28, node);
        insert.Set(29, record.Fax is null ? null : JsonSerializer.Serialize(record.Fax, _json));
    }

    private const string InsertSql =
        """
        INSERT INTO calls (id, caller, dialed, direction, tier, ivr_path, queue, agent, started_at_ms, ended_at_ms,
            wait_seconds, talk_seconds, disposition, recording, recording_sha256, queued_at_ms, answered_at_ms,
            ring_seconds, hold_seconds, wrap_up_seconds, legs, routing, wrap_up_code, wrap_up_notes, list_id, list_entry_id, attempt, outcome, node_id, fax)
        VALUES (@Id, @Caller, @Dialed, @Direction, @Tier, @IvrPath, @Queue, @Agent, @StartedAtMs, @EndedAtMs,
            @WaitSeconds, @TalkSeconds, @Disposition, @Recording, @RecordingSha256, @QueuedAtMs, @AnsweredAtMs,
            @RingSeconds, @HoldSeconds, @WrapUpSeconds, @Legs, @Routing, @WrapUpCode, @WrapUpNotes, @ListId, @ListEntryId, @Attempt, @Outcome, @NodeId, @Fax)
        ON CONFLICT (id) DO NOTHING
        """;

    private static object RecordParameters(CallRecord record, string? node) =>
        new
        {
            record.Id,
            record.Caller,
            record.Dialed,
            record.Direction,
            record.Tier,
            IvrPath = JsonSerializer.Serialize(record.IvrPath),
            record.Queue,
            record.Agent,
            StartedAtMs = record.StartedAt.ToUnixTimeMilliseconds(),
            EndedAtMs = record.EndedAt.ToUnixTimeMilliseconds(),
            record.WaitSeconds,
            record.TalkSeconds,
            record.Disposition,
            record.Recording,
            record.RecordingSha256,
            QueuedAtMs = record.QueuedAt?.ToUnixTimeMilliseconds(),
            AnsweredAtMs = record.AnsweredAt?.ToUnixTimeMilliseconds(),
            record.RingSeconds,
            record.HoldSeconds,
            record.WrapUpSeconds,
            Legs = JsonSerializer.Serialize(record.Legs, _json),
            record.Routing,
            record.WrapUpCode,
            record.WrapUpNotes,
            record.ListId,
            record.ListEntryId,
            record.Attempt,
            record.Outcome,
            NodeId = node,
            Fax = record.Fax is null ? null : JsonSerializer.Serialize(record.Fax, _json),
        };

    private static DateTimeOffset? FromMs(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;

    private sealed record OpenRow(string Id, string Caller, string Dialed, long StartedAtMs, string? Progress, long? UpdatedAtMs, long? AliveAtMs);

    private sealed record Row(
        string Id,
        string Caller,
        string Dialed,
        string? Tier,
        string IvrPath,
        string? Queue,
        string? Agent,
        long StartedAtMs,
        long EndedAtMs,
        double WaitSeconds,
        double TalkSeconds,
        string Disposition,
        string? Recording,
        string? RecordingSha256,
        long? QueuedAtMs,
        long? AnsweredAtMs,
        double RingSeconds,
        double HoldSeconds,
        double WrapUpSeconds,
        string Legs,
        string? Routing,
        string? WrapUpCode,
        string? WrapUpNotes,
        string Direction,
        string? ListId,
        string? ListEntryId,
        long? Attempt,
        string? Outcome,
        string? Fax)
    {
        public CallRecord ToRecord() => new()
        {
            Id = Id,
            Caller = Caller,
            Dialed = Dialed,
            ListId = ListId,
            ListEntryId = ListEntryId,
            Attempt = (int?)Attempt,
            Outcome = Outcome,
            Direction = Direction,
            Tier = Tier,
            IvrPath = JsonSerializer.Deserialize<List<string>>(IvrPath) ?? [],
            Queue = Queue,
            Agent = Agent,
            StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(StartedAtMs),
            EndedAt = DateTimeOffset.FromUnixTimeMilliseconds(EndedAtMs),
            WaitSeconds = WaitSeconds,
            TalkSeconds = TalkSeconds,
            Disposition = Disposition,
            Recording = Recording,
            RecordingSha256 = RecordingSha256,
            QueuedAt = QueuedAtMs is { } q ? DateTimeOffset.FromUnixTimeMilliseconds(q) : null,
            AnsweredAt = AnsweredAtMs is { } a ? DateTimeOffset.FromUnixTimeMilliseconds(a) : null,
            RingSeconds = RingSeconds,
            HoldSeconds = HoldSeconds,
            WrapUpSeconds = WrapUpSeconds,
            Legs = JsonSerializer.Deserialize<List<CallLeg>>(Legs, _json) ?? [],
            Routing = Routing,
            WrapUpCode = WrapUpCode,
            WrapUpNotes = WrapUpNotes,
            Fax = Fax is null ? null : JsonSerializer.Deserialize<CallFax>(Fax, _json),
        };
    }
}
