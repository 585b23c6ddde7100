using Dapper;

namespace CallCenter.Data.Desk;

/// <summary>
/// Desk sessions on the server (table desk_sessions): created at sign-in, looked up on each request that carries the
/// cookie, deleted at sign-out and, for all of a login's sessions, when its password changes or the login goes.
/// </summary>
public sealed class DeskSessionRepository(DbConnectionFactory factory)
{
    /// <summary>Adds a session; sessions idle since before <paramref name="idleBefore"/> (abandoned, never signed out) go with it.</summary>
    public async Task CreateAsync(string id, string login, DateTimeOffset now, DateTimeOffset idleBefore, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM desk_sessions WHERE seen_at_ms < @idle;
            INSERT INTO desk_sessions (id, login, created_at_ms, seen_at_ms) VALUES (@id, @login, @now, @now);
            """,
            new { id, login, now = now.ToUnixTimeMilliseconds(), idle = idleBefore.ToUnixTimeMilliseconds() },
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// The login of a live session, or null when it was deleted or has been idle since before <paramref name="idleBefore"/>.
    /// Its last use is written at most once per <paramref name="touchEvery"/>, so a busy desk does not write on every request.
    /// </summary>
    public async Task<string?> FindAsync(string id, DateTimeOffset now, DateTimeOffset idleBefore, TimeSpan touchEvery, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT login AS Login, seen_at_ms AS SeenAtMs FROM desk_sessions WHERE id = @id",
            new { id },
            cancellationToken: cancellationToken));
        if (row is null || row.SeenAtMs < idleBefore.ToUnixTimeMilliseconds())
        {
            return null;
        }

        var nowMs = now.ToUnixTimeMilliseconds();
        if (nowMs - row.SeenAtMs >= (long)touchEvery.TotalMilliseconds)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE desk_sessions SET seen_at_ms = @nowMs WHERE id = @id AND seen_at_ms < @nowMs",
                new { id, nowMs },
                cancellationToken: cancellationToken));
        }

        return row.Login;
    }

    /// <summary>Ends one session (sign-out); true when it existed.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM desk_sessions WHERE id = @id", new { id }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>Ends every session of a login; how many there were.</summary>
    public async Task<int> DeleteForLoginAsync(string login, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM desk_sessions WHERE login = @login", new { login }, cancellationToken: cancellationToken));
    }

    // Setters, not a positional record: PostgreSQL and SQLite read BIGINT alike, but keep one shape for all rows.
    private sealed class Row
    {
        public string Login { get; set; } = "";

        public long SeenAtMs { get; set; }
    }
}
