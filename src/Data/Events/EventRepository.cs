using System.Data;
using System.Data.Common;
using Dapper;

namespace CallCenter.Data.Events;

/// <summary>The event log: appended in batches, never updated; read by time range or by call.</summary>
public sealed class EventRepository(DbConnectionFactory factory)
{
    public async Task AppendAsync(IReadOnlyList<PlatformEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        await using var writer = new WriterConnection(factory);
        await writer.BeginAsync(cancellationToken);
        await AppendAsync(writer, events, cancellationToken);
        await writer.CommitAsync(cancellationToken);
    }

    /// <summary>Appends <paramref name="events"/> inside the batch <paramref name="writer"/> has open (the call records' writer commits them with its records).</summary>
    public static async Task AppendAsync(WriterConnection writer, IReadOnlyList<PlatformEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        // Every call writes two or more events: one statement, its parameters typed once and re-bound per row (RowStatement).
        var insert = writer.Statement(
            "INSERT INTO events (at_ms, call_id, agent, kind, detail) VALUES (@at_ms, @call_id, @agent, @kind, @detail)",
            ("at_ms", DbType.Int64), ("call_id", DbType.String), ("agent", DbType.String), ("kind", DbType.String), ("detail", DbType.String));
        foreach (var e in events)
        {
            insert.Set(0, e.At.ToUnixTimeMilliseconds());
            insert.Set(1, e.CallId);
            insert.Set(2, e.Agent);
            insert.Set(3, e.Kind);
            insert.Set(4, e.Detail);
            await insert.RunAsync(cancellationToken);
        }
    }

    /// <summary>Events in [<paramref name="from"/>, <paramref name="to"/>) in log order, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<PlatformEvent>> ListBetweenAsync(DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"{Select} WHERE at_ms >= @fromMs AND at_ms < @toMs ORDER BY seq LIMIT @limit",
            new { fromMs = from.ToUnixTimeMilliseconds(), toMs = to.ToUnixTimeMilliseconds(), limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToEvent())];
    }

    /// <summary>Events of one kind (such as "agent.state") in [<paramref name="from"/>, <paramref name="to"/>), in log order.</summary>
    public async Task<IReadOnlyList<PlatformEvent>> ListKindBetweenAsync(string kind, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"{Select} WHERE kind = @kind AND at_ms >= @fromMs AND at_ms < @toMs ORDER BY seq",
            new { kind, fromMs = from.ToUnixTimeMilliseconds(), toMs = to.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToEvent())];
    }

    /// <summary>A call's events in log order.</summary>
    public async Task<IReadOnlyList<PlatformEvent>> ListForCallAsync(string callId, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"{Select} WHERE call_id = @callId ORDER BY seq",
            new { callId },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToEvent())];
    }

    private const string Select = "SELECT seq AS Seq, at_ms AS AtMs, call_id AS CallId, agent AS Agent, kind AS Kind, detail AS Detail FROM events";

    private sealed record Row(long Seq, long AtMs, string? CallId, string? Agent, string Kind, string? Detail)
    {
        public PlatformEvent ToEvent() => new(DateTimeOffset.FromUnixTimeMilliseconds(AtMs), Kind, CallId, Agent, Detail) { Seq = Seq };
    }
}
