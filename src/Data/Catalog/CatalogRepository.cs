using Dapper;

namespace CallCenter.Data.Catalog;

/// <summary>Hotlines, agents, desk users and clients: the platform's reference data.</summary>
public sealed class CatalogRepository(DbConnectionFactory factory)
{
    public async Task<HotlineRecord?> FindHotlineAsync(string number, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<HotlineRecord>(new CommandDefinition(
            "SELECT number, name, kind FROM hotlines WHERE number = @number", new { number }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<HotlineRecord>> ListHotlinesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<HotlineRecord>(new CommandDefinition(
            "SELECT number, name, kind FROM hotlines ORDER BY number", cancellationToken: cancellationToken))];
    }

    public async Task<AgentRecord?> FindAgentAsync(string extension, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<AgentRecord>(new CommandDefinition(
            "SELECT extension, name, sip_realm AS SipRealm, sip_ha1_md5 AS SipHa1Md5, sip_ha1_sha256 AS SipHa1Sha256, skills AS Skills, kind AS Kind FROM agents WHERE extension = @extension",
            new { extension },
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<AgentRecord>> ListAgentsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<AgentRecord>(new CommandDefinition(
            "SELECT extension, name, sip_realm AS SipRealm, sip_ha1_md5 AS SipHa1Md5, sip_ha1_sha256 AS SipHa1Sha256, skills AS Skills, kind AS Kind FROM agents ORDER BY extension",
            cancellationToken: cancellationToken))];
    }

    public async Task<ClientRecord?> FindClientAsync(string phone, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ClientRecord>(new CommandDefinition(
            "SELECT phone, name, account_masked AS AccountMasked, tier, manager_extension AS ManagerExtension, language, branch, manager_name AS ManagerName, manager_phone AS ManagerPhone, business AS Business, call_hours AS CallHours FROM clients WHERE phone = @phone",
            new { phone },
            cancellationToken: cancellationToken));
    }

    /// <summary>True when no hotline, agent or client exists yet: the condition for seeding demo data.</summary>
    public async Task<bool> IsEmptyAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT (SELECT COUNT(*) FROM hotlines) + (SELECT COUNT(*) FROM agents) + (SELECT COUNT(*) FROM clients)",
            cancellationToken: cancellationToken));
        return count == 0;
    }

    public async Task UpsertHotlineAsync(HotlineRecord hotline, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO hotlines (number, name, kind) VALUES (@Number, @Name, @Kind)
            ON CONFLICT (number) DO UPDATE SET name = excluded.name, kind = excluded.kind
            """,
            hotline,
            cancellationToken: cancellationToken));
    }

    public async Task UpsertAgentAsync(AgentRecord agent, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO agents (extension, name, sip_realm, sip_ha1_md5, sip_ha1_sha256, skills, kind)
            VALUES (@Extension, @Name, @SipRealm, @SipHa1Md5, @SipHa1Sha256, @Skills, @Kind)
            ON CONFLICT (extension) DO UPDATE SET name = excluded.name, sip_realm = excluded.sip_realm,
                sip_ha1_md5 = excluded.sip_ha1_md5, sip_ha1_sha256 = excluded.sip_ha1_sha256, skills = excluded.skills,
                kind = excluded.kind
            """,
            agent,
            cancellationToken: cancellationToken));
    }

    public async Task UpsertDeskUserAsync(DeskUserRecord user, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO desk_users (login, role, password_hash, agent_extension)
            VALUES (@Login, @Role, @PasswordHash, @AgentExtension)
            ON CONFLICT (login) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash,
                agent_extension = excluded.agent_extension
            """,
            user,
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Adds or replaces a client (the demo seed at every start, and tests). Calling hours are only ever set here, never
    /// cleared: a record without them keeps the hours the import gave the client (the client import clears them).
    /// </summary>
    public async Task UpsertClientAsync(ClientRecord client, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO clients (phone, name, account_masked, tier, manager_extension, language, branch, manager_name, manager_phone, business, call_hours)
            VALUES (@Phone, @Name, @AccountMasked, @Tier, @ManagerExtension, @Language, @Branch, @ManagerName, @ManagerPhone, @Business, @CallHours)
            ON CONFLICT (phone) DO UPDATE SET name = excluded.name, account_masked = excluded.account_masked,
                tier = excluded.tier, manager_extension = excluded.manager_extension,
                language = excluded.language, branch = excluded.branch,
                manager_name = excluded.manager_name, manager_phone = excluded.manager_phone, business = excluded.business,
                call_hours = COALESCE(excluded.call_hours, clients.call_hours)
            """,
            client,
            cancellationToken: cancellationToken));
    }
}
