using Dapper;

namespace CallCenter.Data.Callbacks;

/// <summary>A number on the do-not-call list (<c>do_not_call</c>, migration 0025), in its E.164 form.</summary>
public sealed record DoNotCallRow(string Number, string Reason, string AddedBy, DateTimeOffset AddedAt);

/// <summary>Where the do-not-call list is kept (<see cref="DoNotCallRepository"/>; a test's own store to cross two changes on purpose).</summary>
public interface IDoNotCallStore
{
    /// <summary>Adds the number, or replaces its reason; true when it was not on the list before.</summary>
    Task<bool> AddAsync(DoNotCallRow row, CancellationToken cancellationToken = default);

    /// <summary>Takes the number off the list; false when it was not on it.</summary>
    Task<bool> RemoveAsync(string number, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<DoNotCallRow>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>The row of <paramref name="number"/> (E.164), or null when it is not on the list: one look-up by the key.</summary>
    Task<DoNotCallRow?> FindAsync(string number, CancellationToken cancellationToken = default);
}

/// <summary>The one store of the do-not-call list.</summary>
public sealed class DoNotCallRepository(DbConnectionFactory factory) : IDoNotCallStore
{
    /// <summary>Adds the number, or replaces its reason; true when it was not on the list before.</summary>
    public async Task<bool> AddAsync(DoNotCallRow row, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        await using var connection = await factory.OpenAsync(cancellationToken);
        var removed = await connection.ExecuteAsync(new CommandDefinition("DELETE FROM do_not_call WHERE number = @Number", new { row.Number }, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO do_not_call (number, reason, added_by, added_at_ms) VALUES (@Number, @Reason, @AddedBy, @AddedAtMs)",
            new { row.Number, row.Reason, row.AddedBy, AddedAtMs = row.AddedAt.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
        return removed == 0;
    }

    /// <summary>Takes the number off the list; false when it was not on it.</summary>
    public async Task<bool> RemoveAsync(string number, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("DELETE FROM do_not_call WHERE number = @number", new { number }, cancellationToken: cancellationToken)) > 0;
    }

    public async Task<IReadOnlyList<DoNotCallRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT number AS Number, reason AS Reason, added_by AS AddedBy, added_at_ms AS AddedAtMs FROM do_not_call ORDER BY number",
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new DoNotCallRow(r.Number, r.Reason, r.AddedBy, DateTimeOffset.FromUnixTimeMilliseconds(r.AddedAtMs)))];
    }

    /// <summary>The row of <paramref name="number"/> (E.164), or null when it is not on the list: one look-up by the key.</summary>
    public async Task<DoNotCallRow?> FindAsync(string number, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT number AS Number, reason AS Reason, added_by AS AddedBy, added_at_ms AS AddedAtMs FROM do_not_call WHERE number = @number",
            new { number },
            cancellationToken: cancellationToken));
        return row is null ? null : new DoNotCallRow(row.Number, row.Reason, row.AddedBy, DateTimeOffset.FromUnixTimeMilliseconds(row.AddedAtMs));
    }

    // Properties, not a positional record: SQLite reports no column types for an empty result.
    private sealed class Row
    {
        public string Number { get; set; } = "";

        public string Reason { get; set; } = "";

        public string AddedBy { get; set; } = "";

        public long AddedAtMs { get; set; }
    }
}
