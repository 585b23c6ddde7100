using System.Text;
using Dapper;

namespace CallCenter.Data.Calls;

/// <summary>
/// The recordings side of the call records: the supervisors' search, a file found changed (flagged),
/// and the retention job's candidates and deletions. The call record itself is written once by
/// <see cref="CallRecordRepository"/>; this class only sets the recording's later state.
/// </summary>
public sealed class RecordingRepository(DbConnectionFactory factory)
{
    public const int MaxLimit = 1000;

    public async Task<IReadOnlyList<RecordingEntry>> SearchAsync(RecordingQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new StringBuilder("WHERE 1 = 1");
        var parameters = new DynamicParameters();
        if (query.From is { } from)
        {
            where.Append(" AND started_at_ms >= @fromMs");
            parameters.Add("fromMs", from.ToUnixTimeMilliseconds());
        }

        if (query.To is { } to)
        {
            where.Append(" AND started_at_ms < @toMs");
            parameters.Add("toMs", to.ToUnixTimeMilliseconds());
        }

        if (query.Number is { Length: > 0 } number)
        {
            // The endpoint lets through digits, '+', '*' and '#' only: no LIKE wildcard can come in.
            where.Append(" AND (caller LIKE @number OR dialed LIKE @number)");
            parameters.Add("number", "%" + number + "%");
        }

        Equal(where, parameters, "agent", query.Agent);
        Equal(where, parameters, "queue", query.Queue);
        Equal(where, parameters, "tier", query.Tier);
        if (query.Disposition is { Length: > 0 } disposition)
        {
            where.Append(" AND (disposition = @disposition OR wrap_up_code = @disposition)");
            parameters.Add("disposition", disposition);
        }

        if (query.RecordedOnly)
        {
            where.Append(" AND recording IS NOT NULL");
        }

        parameters.Add("limit", Math.Clamp(query.Limit, 1, MaxLimit));
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"{SelectColumns} {where} ORDER BY started_at_ms DESC, id DESC LIMIT @limit",
            parameters,
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToEntry())];
    }

    public async Task<RecordingEntry?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"{SelectColumns} WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToEntry();
    }

    /// <summary>Flags the call's recording (the first finding's time is kept); true when it was not flagged before.</summary>
    public async Task<bool> FlagAsync(string id, string flag, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE calls SET recording_flag = @flag, recording_flagged_at_ms = @atMs WHERE id = @id AND recording_flag IS NULL",
            new { id, flag, atMs = at.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>
    /// Calls that started before <paramref name="before"/> whose recording is still kept and not flagged (a recording
    /// that no longer matches its hash is evidence, kept until someone looks) and is not the reached call of a
    /// compliance list's entry (the proof that the call was made: a new account confirmed or denied, a risk notice, a
    /// complaint called back, a core client's review; kept whatever the retention periods say; a general list's calls
    /// are retention's to judge like any call), oldest first, at most
    /// <paramref name="limit"/>; after <paramref name="after"/> (the last one of the previous page) when given.
    /// </summary>
    public async Task<IReadOnlyList<RecordingEntry>> ListKeptStartedBeforeAsync(DateTimeOffset before, int limit, RecordingEntry? after = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            {SelectColumns}
            WHERE recording IS NOT NULL AND recording_deleted_at_ms IS NULL AND recording_flag IS NULL AND started_at_ms < @beforeMs
                AND (@afterMs IS NULL OR started_at_ms > @afterMs OR (started_at_ms = @afterMs AND id > @afterId))
                AND NOT EXISTS (SELECT 1 FROM call_list_entries e JOIN call_lists l ON l.id = e.list_id
                                WHERE e.last_call_id = calls.id AND e.status = 'reached' AND l.kind <> 'general')
            ORDER BY started_at_ms, id LIMIT @limit
            """,
            new { beforeMs = before.ToUnixTimeMilliseconds(), limit, afterMs = after?.StartedAt.ToUnixTimeMilliseconds(), afterId = after?.Id ?? "" },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToEntry())];
    }

    /// <summary>Notes that the recording's file was deleted (the path and SHA-256 stay); true when this call noted it.</summary>
    public async Task<bool> MarkDeletedAsync(string id, string by, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE calls SET recording_deleted_at_ms = @atMs, recording_deleted_by = @by WHERE id = @id AND recording_deleted_at_ms IS NULL",
            new { id, by, atMs = at.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken)) > 0;
    }

    private static void Equal(StringBuilder where, DynamicParameters parameters, string column, string? value)
    {
        if (value is { Length: > 0 })
        {
            where.Append(" AND ").Append(column).Append(" = @").Append(column);
            parameters.Add(column, value);
        }
    }

    private const string SelectColumns =
        """
        SELECT id AS Id, caller AS Caller, dialed AS Dialed, tier AS Tier, queue AS Queue, agent AS Agent,
            started_at_ms AS StartedAtMs, ended_at_ms AS EndedAtMs, talk_seconds AS TalkSeconds,
            disposition AS Disposition, wrap_up_code AS WrapUpCode, recording AS Recording,
            recording_sha256 AS RecordingSha256, recording_deleted_at_ms AS RecordingDeletedAtMs,
            recording_deleted_by AS RecordingDeletedBy, recording_flag AS RecordingFlag,
            recording_flagged_at_ms AS RecordingFlaggedAtMs
        FROM calls
        """;

    private sealed class Row
    {
        public string Id { get; set; } = "";

        public string Caller { get; set; } = "";

        public string Dialed { get; set; } = "";

        public string? Tier { get; set; }

        public string? Queue { get; set; }

        public string? Agent { get; set; }

        public long StartedAtMs { get; set; }

        public long EndedAtMs { get; set; }

        public double TalkSeconds { get; set; }

        public string Disposition { get; set; } = "";

        public string? WrapUpCode { get; set; }

        public string? Recording { get; set; }

        public string? RecordingSha256 { get; set; }

        public long? RecordingDeletedAtMs { get; set; }

        public string? RecordingDeletedBy { get; set; }

        public string? RecordingFlag { get; set; }

        public long? RecordingFlaggedAtMs { get; set; }

        public RecordingEntry ToEntry() => new()
        {
            Id = Id,
            Caller = Caller,
            Dialed = Dialed,
            Tier = Tier,
            Queue = Queue,
            Agent = Agent,
            StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(StartedAtMs),
            EndedAt = DateTimeOffset.FromUnixTimeMilliseconds(EndedAtMs),
            TalkSeconds = TalkSeconds,
            Disposition = Disposition,
            WrapUpCode = WrapUpCode,
            Recording = Recording,
            RecordingSha256 = RecordingSha256,
            RecordingDeletedAt = RecordingDeletedAtMs is { } d ? DateTimeOffset.FromUnixTimeMilliseconds(d) : null,
            RecordingDeletedBy = RecordingDeletedBy,
            RecordingFlag = RecordingFlag,
            RecordingFlaggedAt = RecordingFlaggedAtMs is { } f ? DateTimeOffset.FromUnixTimeMilliseconds(f) : null,
        };
    }
}
