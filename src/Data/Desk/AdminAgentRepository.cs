using System.Data.Common;
using Dapper;

namespace CallCenter.Data.Desk;

/// <summary>
/// The admin pages' view of agents: list, create or update (with the agent's SIP digest HA1s and
/// desk login when a password is given), delete. Each change is one transaction.
/// </summary>
public sealed class AdminAgentRepository(DbConnectionFactory factory)
{
    public async Task<IReadOnlyList<AdminAgent>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT extension AS Extension, name AS Name, skills AS Skills, kind AS Kind FROM agents ORDER BY extension",
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToAgent())];
    }

    /// <summary>
    /// Sets how the platform reaches the agent outside the hotline (the review's lists to account managers): a mobile
    /// and an e-mail address, null to clear. False for an unknown extension.
    /// </summary>
    public async Task<bool> SetContactAsync(string extension, string? mobile, string? email, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE agents SET mobile = @mobile, email = @email WHERE extension = @extension",
            new { extension, mobile, email }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>The agent's contact as <see cref="SetContactAsync"/> left it: (mobile, e-mail), or null for an unknown extension.</summary>
    public async Task<(string? Mobile, string? Email)?> ContactAsync(string extension, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<(string? Mobile, string? Email)>(new CommandDefinition(
            "SELECT mobile, email FROM agents WHERE extension = @extension", new { extension }, cancellationToken: cancellationToken))).ToList();
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<AdminAgent?> FindAsync(string extension, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await FindAsync(connection, null, extension, cancellationToken);
    }

    /// <summary>
    /// Creates the agent (kind 'agent'; <paramref name="credentials"/> required) or updates its name
    /// and skills, and with <paramref name="credentials"/> its HA1s and, for kind 'agent', the desk
    /// login named by the extension (role agent; a new password also clears a lockout). Nothing is
    /// written unless all of it is.
    /// </summary>
    public async Task<(AgentSaveOutcome Outcome, AdminAgent? Agent)> SaveAsync(
        string extension, string name, IReadOnlyList<string> skills, AgentCredentials? credentials, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(skills);
        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var existing = await FindAsync(connection, transaction, extension, cancellationToken);
        if (existing is null && credentials is null)
        {
            return (AgentSaveOutcome.PasswordRequired, null);
        }

        var joined = string.Join(',', skills);
        if (existing is null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO agents (extension, name, sip_realm, sip_ha1_md5, sip_ha1_sha256, skills, kind)
                VALUES (@extension, @name, @SipRealm, @SipHa1Md5, @SipHa1Sha256, @joined, 'agent')
                """,
                new { extension, name, credentials!.SipRealm, credentials.SipHa1Md5, credentials.SipHa1Sha256, joined },
                transaction,
                cancellationToken: cancellationToken));
        }
        else if (credentials is null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE agents SET name = @name, skills = @joined WHERE extension = @extension",
                new { extension, name, joined },
                transaction,
                cancellationToken: cancellationToken));
        }
        else
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE agents SET name = @name, skills = @joined, sip_realm = @SipRealm, sip_ha1_md5 = @SipHa1Md5, sip_ha1_sha256 = @SipHa1Sha256
                WHERE extension = @extension
                """,
                new { extension, name, joined, credentials.SipRealm, credentials.SipHa1Md5, credentials.SipHa1Sha256 },
                transaction,
                cancellationToken: cancellationToken));
        }

        var kind = existing?.Kind ?? AdminAgent.AgentKind;
        if (credentials is not null && kind == AdminAgent.AgentKind)
        {
            // The WHERE keeps a supervisor's or admin's login that happens to be named like the extension.
            var written = await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO desk_users (login, role, password_hash, agent_extension)
                VALUES (@extension, 'agent', @DeskPasswordHash, @extension)
                ON CONFLICT (login) DO UPDATE SET password_hash = excluded.password_hash, agent_extension = excluded.agent_extension
                WHERE desk_users.role = 'agent'
                """,
                new { extension, credentials.DeskPasswordHash },
                transaction,
                cancellationToken: cancellationToken));
            if (written == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return (AgentSaveOutcome.LoginTaken, null);
            }

            // A new password ends the login's sessions: a cookie taken before the change no longer works.
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM desk_sessions WHERE login = @extension", new { extension }, transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return (existing is null ? AgentSaveOutcome.Created : AgentSaveOutcome.Updated, new AdminAgent(extension, name, [.. skills], kind));
    }

    /// <summary>
    /// Deletes the agent with its agent desk login and its stored registrations; a supervisor's login
    /// that named the extension as its phone keeps the login without the phone. Refused while clients
    /// name the agent as their account manager (<paramref name="clients"/> says how many).
    /// </summary>
    public async Task<(AgentDeleteOutcome Outcome, int Clients)> DeleteAsync(string extension, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await FindAsync(connection, transaction, extension, cancellationToken) is null)
        {
            return (AgentDeleteOutcome.NotFound, 0);
        }

        var clients = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM clients WHERE manager_extension = @extension", new { extension }, transaction, cancellationToken: cancellationToken));
        if (clients > 0)
        {
            return (AgentDeleteOutcome.AccountManager, (int)clients);
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM desk_sessions WHERE login IN (SELECT login FROM desk_users WHERE agent_extension = @extension AND role = 'agent');
            DELETE FROM desk_users WHERE agent_extension = @extension AND role = 'agent';
            UPDATE desk_users SET agent_extension = NULL WHERE agent_extension = @extension;
            DELETE FROM sip_bindings WHERE aor = @extension;
            DELETE FROM agents WHERE extension = @extension;
            """,
            new { extension },
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return (AgentDeleteOutcome.Deleted, 0);
    }

    private static async Task<AdminAgent?> FindAsync(DbConnection connection, DbTransaction? transaction, string extension, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT extension AS Extension, name AS Name, skills AS Skills, kind AS Kind FROM agents WHERE extension = @extension",
            new { extension },
            transaction,
            cancellationToken: cancellationToken));
        return row?.ToAgent();
    }

    private sealed class Row
    {
        public string Extension { get; set; } = "";

        public string Name { get; set; } = "";

        public string Skills { get; set; } = "";

        public string Kind { get; set; } = "";

        public AdminAgent ToAgent() =>
            new(Extension, Name, Skills.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), Kind);
    }
}
