using Dapper;

namespace CallCenter.Data.Registrations;

/// <summary>The registrar's bindings in the database, so a restart keeps them until they expire.</summary>
public sealed class SipBindingRepository(DbConnectionFactory factory)
{
    private const string Columns =
        """
        aor AS Aor, contact_key AS ContactKey, contact_scheme AS ContactScheme, contact_user AS ContactUser,
        contact_host AS ContactHost, contact_port AS ContactPort, contact_transport AS ContactTransport,
        contact_uri_parameters AS ContactUriParameters, source_transport AS SourceTransport,
        source_address AS SourceAddress, source_port AS SourcePort, call_id AS CallId, cseq AS CSeq, q AS Q,
        expires_at_ms AS ExpiresAtMs, updated_at_ms AS UpdatedAtMs, path AS Path
        """;

    public async Task<IReadOnlyList<SipBindingRow>> GetAsync(string aor, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<SipBindingRow>(new CommandDefinition(
            $"SELECT {Columns} FROM sip_bindings WHERE aor = @aor ORDER BY contact_key", new { aor }, cancellationToken: cancellationToken))];
    }

    /// <summary>Every binding stored, expired ones included (the registrar's start-up pass over them).</summary>
    public async Task<IReadOnlyList<SipBindingRow>> GetAllAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<SipBindingRow>(new CommandDefinition(
            $"SELECT {Columns} FROM sip_bindings ORDER BY aor, contact_key", cancellationToken: cancellationToken))];
    }

    /// <summary>Every binding still valid at <paramref name="nowMs"/>, for the agent list.</summary>
    public async Task<IReadOnlyList<SipBindingRow>> GetActiveAsync(long nowMs, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<SipBindingRow>(new CommandDefinition(
            $"SELECT {Columns} FROM sip_bindings WHERE expires_at_ms > @nowMs ORDER BY aor, contact_key", new { nowMs }, cancellationToken: cancellationToken))];
    }

    public async Task UpsertAsync(SipBindingRow row, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO sip_bindings (aor, contact_key, contact_scheme, contact_user, contact_host, contact_port,
                contact_transport, contact_uri_parameters, source_transport, source_address, source_port,
                call_id, cseq, q, expires_at_ms, updated_at_ms, path)
            VALUES (@Aor, @ContactKey, @ContactScheme, @ContactUser, @ContactHost, @ContactPort,
                @ContactTransport, @ContactUriParameters, @SourceTransport, @SourceAddress, @SourcePort,
                @CallId, @CSeq, @Q, @ExpiresAtMs, @UpdatedAtMs, @Path)
            ON CONFLICT (aor, contact_key) DO UPDATE SET
                contact_scheme = excluded.contact_scheme, contact_user = excluded.contact_user,
                contact_host = excluded.contact_host, contact_port = excluded.contact_port,
                contact_transport = excluded.contact_transport, contact_uri_parameters = excluded.contact_uri_parameters,
                source_transport = excluded.source_transport, source_address = excluded.source_address,
                source_port = excluded.source_port, call_id = excluded.call_id, cseq = excluded.cseq, q = excluded.q,
                expires_at_ms = excluded.expires_at_ms, updated_at_ms = excluded.updated_at_ms, path = excluded.path
            """,
            row,
            cancellationToken: cancellationToken));
    }

    public async Task<bool> RemoveAsync(string aor, string contactKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM sip_bindings WHERE aor = @aor AND contact_key = @contactKey", new { aor, contactKey }, cancellationToken: cancellationToken)) > 0;
    }

    public async Task<int> RemoveAllAsync(string aor, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM sip_bindings WHERE aor = @aor", new { aor }, cancellationToken: cancellationToken));
    }

    /// <summary>Deletes and returns the bindings expired at <paramref name="nowMs"/>, in one transaction.</summary>
    public async Task<IReadOnlyList<SipBindingRow>> RemoveExpiredAsync(long nowMs, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var expired = (await connection.QueryAsync<SipBindingRow>(new CommandDefinition(
            $"SELECT {Columns} FROM sip_bindings WHERE expires_at_ms <= @nowMs", new { nowMs }, transaction, cancellationToken: cancellationToken))).ToList();
        foreach (var row in expired)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM sip_bindings WHERE aor = @Aor AND contact_key = @ContactKey AND expires_at_ms <= @ExpiresAtMs",
                row,
                transaction,
                cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return expired;
    }
}
