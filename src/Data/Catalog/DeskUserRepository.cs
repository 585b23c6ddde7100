using Dapper;

namespace CallCenter.Data.Catalog;

/// <summary>Desk logins for sign-in: the user with its failed sign-ins and lockout.</summary>
public sealed class DeskUserRepository(DbConnectionFactory factory)
{
    public async Task<DeskUserSignIn?> FindAsync(string login, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            """
            SELECT login AS Login, role AS Role, password_hash AS PasswordHash, agent_extension AS AgentExtension,
                failed_sign_ins AS FailedSignIns, locked_until_ms AS LockedUntilMs
            FROM desk_users WHERE login = @login
            """,
            new { login },
            cancellationToken: cancellationToken));
        return row is null
            ? null
            : new DeskUserSignIn(
                new DeskUserRecord(row.Login, row.Role, row.PasswordHash, row.AgentExtension),
                (int)row.FailedSignIns,
                row.LockedUntilMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null);
    }

    /// <summary>
    /// Counts a wrong password. The <paramref name="maxFailures"/>-th in a row locks the login until
    /// <paramref name="lockedUntil"/> and starts the count again. One UPDATE, so two sign-ins racing
    /// cannot both read the old count. Returns the lock's end when this failure locked the login.
    /// </summary>
    public async Task<DateTimeOffset?> RecordFailureAsync(string login, int maxFailures, DateTimeOffset lockedUntil, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFailures, 1);
        await using var connection = await factory.OpenAsync(cancellationToken);
        var locked = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            """
            UPDATE desk_users SET
                failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= @maxFailures THEN 0 ELSE failed_sign_ins + 1 END,
                locked_until_ms = CASE WHEN failed_sign_ins + 1 >= @maxFailures THEN @until ELSE locked_until_ms END
            WHERE login = @login
            RETURNING CASE WHEN failed_sign_ins = 0 THEN locked_until_ms END
            """,
            new { login, maxFailures, until = lockedUntil.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
        return locked is null ? null : lockedUntil;
    }

    /// <summary>A right password: the count of failures starts again and any expired lock is cleared.</summary>
    public async Task RecordSuccessAsync(string login, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE desk_users SET failed_sign_ins = 0, locked_until_ms = NULL WHERE login = @login",
            new { login },
            cancellationToken: cancellationToken));
    }

    // A class with setters, not a positional record: PostgreSQL reads INTEGER as int, SQLite as long.
    private sealed class Row
    {
        public string Login { get; set; } = "";

        public string Role { get; set; } = "";

        public string PasswordHash { get; set; } = "";

        public string? AgentExtension { get; set; }

        public long FailedSignIns { get; set; }

        public long? LockedUntilMs { get; set; }
    }
}
