using System.Text.Json;
using Dapper;

namespace CallCenter.Data.Calls;

/// <summary>Call records: inserted once (a second insert of the same id changes nothing), read newest first.</summary>
public sealed class CallRecordRepository(DbConnectionFactory factory)
{
    /// <summary>Writes the record unless one with its id exists; true when this call wrote it.</summary>
    public async Task<bool> InsertOnceAsync(CallRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO calls (id, caller, dialed, tier, ivr_path, queue, agent, started_at_ms, ended_at_ms,
                wait_seconds, talk_seconds, disposition, recording, recording_sha256)
            VALUES (@Id, @Caller, @Dialed, @Tier, @IvrPath, @Queue, @Agent, @StartedAtMs, @EndedAtMs,
                @WaitSeconds, @TalkSeconds, @Disposition, @Recording, @RecordingSha256)
            ON CONFLICT (id) DO NOTHING
            """,
            new
            {
                record.Id,
                record.Caller,
                record.Dialed,
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
            },
            cancellationToken: cancellationToken));
        return rows > 0;
    }

    /// <summary>The newest <paramref name="limit"/> records, newest first.</summary>
    public async Task<IReadOnlyList<CallRecord>> ListNewestAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT id AS Id, caller AS Caller, dialed AS Dialed, tier AS Tier, ivr_path AS IvrPath, queue AS Queue,
                agent AS Agent, started_at_ms AS StartedAtMs, ended_at_ms AS EndedAtMs, wait_seconds AS WaitSeconds,
                talk_seconds AS TalkSeconds, disposition AS Disposition, recording AS Recording,
                recording_sha256 AS RecordingSha256
            FROM calls ORDER BY started_at_ms DESC, id DESC LIMIT @limit
            """,
            new { limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

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
        string? RecordingSha256)
    {
        public CallRecord ToRecord() => new()
        {
            Id = Id,
            Caller = Caller,
            Dialed = Dialed,
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
        };
    }
}
