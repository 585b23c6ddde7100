using Dapper;

namespace CallCenter.Data.Catalog;

/// <summary>A client's own calling hours as stored (<c>clients.call_hours</c>), keyed by the client's phone.</summary>
public sealed record ClientHoursRow(string Phone, string CallHours);

/// <summary>The clients' calling hours, read for the calls the platform places (never for an inbound call).</summary>
public interface IClientHoursStore
{
    /// <summary>Every client that has hours of their own (through the partial index of migration 0065: those rows only).</summary>
    Task<IReadOnlyList<ClientHoursRow>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>The hours of the client whose phone is <paramref name="phone"/>, or null (no such client, or no hours): one look-up by the key.</summary>
    Task<string?> FindAsync(string phone, CancellationToken cancellationToken = default);
}

/// <summary>The one store of the clients' calling hours (the column is the client directory's; written by its import).</summary>
public sealed class ClientHoursRepository(DbConnectionFactory factory) : IClientHoursStore
{
    public async Task<IReadOnlyList<ClientHoursRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT phone AS Phone, call_hours AS CallHours FROM clients WHERE call_hours IS NOT NULL",
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new ClientHoursRow(r.Phone, r.CallHours))];
    }

    public async Task<string?> FindAsync(string phone, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT call_hours FROM clients WHERE phone = @phone",
            new { phone },
            cancellationToken: cancellationToken));
    }

    // Properties, not a positional record: SQLite reports no column types for an empty result.
    private sealed class Row
    {
        public string Phone { get; set; } = "";

        public string CallHours { get; set; } = "";
    }
}
