using Dapper;

namespace CallCenter.Data.Catalog;

/// <summary>Desk logins for sign-in. The guessing limits live in the desk's memory, not here (issue 12).</summary>
public sealed class DeskUserRepository(DbConnectionFactory factory)
{
    public async Task<DeskUserRecord?> FindAsync(string login, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            """
            SELECT login AS Login, role AS Role, password_hash AS PasswordHash, agent_extension AS AgentExtension
            FROM desk_users WHERE login = @login
            """,
            new { login },
            cancellationToken: cancellationToken));
        return row is null ? null : new DeskUserRecord(row.Login, row.Role, row.PasswordHash, row.AgentExtension);
    }

    private sealed class Row
    {
        public string Login { get; set; } = "";

        public string Role { get; set; } = "";

        public string PasswordHash { get; set; } = "";

        public string? AgentExtension { get; set; }
    }
}
