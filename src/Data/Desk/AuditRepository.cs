using Dapper;

namespace CallCenter.Data.Desk;

/// <summary>The append-only audit log of desk actions (supervisors' and admins' actions, refused requests).</summary>
public sealed class AuditRepository(DbConnectionFactory factory)
{
    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await factory.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO audit_log (at_ms, actor, role, action, target, outcome, detail)
            VALUES (@AtMs, @Actor, @Role, @Action, @Target, @Outcome, @Detail)
            """,
            new { AtMs = entry.At.ToUnixTimeMilliseconds(), entry.Actor, entry.Role, entry.Action, entry.Target, entry.Outcome, entry.Detail },
            cancellationToken: cancellationToken));
    }

    /// <summary>The newest entries first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT seq AS Seq, at_ms AS AtMs, actor AS Actor, role AS Role, action AS Action, target AS Target, outcome AS Outcome, detail AS Detail
            FROM audit_log ORDER BY seq DESC LIMIT @limit
            """,
            new { limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToEntry())];
    }

    /// <summary>The newest entries first whose action starts with <paramref name="actionPrefix"/>, about <paramref name="target"/> when given.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(string actionPrefix, string? target, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actionPrefix);
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT seq AS Seq, at_ms AS AtMs, actor AS Actor, role AS Role, action AS Action, target AS Target, outcome AS Outcome, detail AS Detail
            FROM audit_log WHERE substr(action, 1, @length) = @actionPrefix AND (@target IS NULL OR target = @target)
            ORDER BY seq DESC LIMIT @limit
            """,
            new { actionPrefix, length = actionPrefix.Length, target, limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToEntry())];
    }

    private sealed class Row
    {
        public long Seq { get; set; }

        public long AtMs { get; set; }

        public string Actor { get; set; } = "";

        public string Role { get; set; } = "";

        public string Action { get; set; } = "";

        public string? Target { get; set; }

        public string Outcome { get; set; } = "";

        public string? Detail { get; set; }

        public AuditEntry ToEntry() => new(DateTimeOffset.FromUnixTimeMilliseconds(AtMs), Actor, Role, Action, Target, Outcome, Detail) { Seq = Seq };
    }
}
