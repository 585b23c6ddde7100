using Dapper;

namespace CallCenter.Data.Calls;

/// <summary>
/// The look-up made for every answered call (the caller's tier and language for the IVR, what the
/// screen pop shows): one connection and one command for the directory entry with its manager's
/// name and the caller's last calls, reading only the columns the pop shows (no JSON to parse), and whether the client's
/// latest answer on a new-account confirmation call about that manager was a denial (the relationship flagged for
/// removal; a later confirmation of the same manager lifts it).
/// </summary>
public sealed class CallerLookupRepository(DbConnectionFactory factory)
{
    // The same SQL on SQLite and PostgreSQL; both take the two statements as one command (two result sets).
    private const string Sql =
        """
        SELECT c.phone, c.name, c.account_masked AS AccountMasked, c.tier, c.manager_extension AS ManagerExtension,
            c.language, c.branch, COALESCE(a.name, c.manager_name) AS ManagerName, c.manager_name AS OutsideManagerName,
            c.manager_phone AS ManagerPhone,
            (SELECT CASE WHEN e.confirmation = 'denied' THEN e.updated_at_ms END FROM call_list_entries e
             WHERE e.number = c.phone AND e.confirmation IS NOT NULL AND e.account_manager IN (c.manager_extension, c.manager_name)
             ORDER BY e.updated_at_ms DESC, e.id DESC LIMIT 1) AS ManagerDeniedAtMs
        FROM clients c LEFT JOIN agents a ON a.extension = c.manager_extension
        WHERE c.phone = @phone;
        SELECT id AS Id, started_at_ms AS StartedAtMs, agent AS Agent, disposition AS Disposition,
            wrap_up_code AS WrapUpCode, wrap_up_notes AS WrapUpNotes, talk_seconds AS TalkSeconds
        FROM calls WHERE caller = @phone ORDER BY started_at_ms DESC, id DESC LIMIT @recent;
        """;

    /// <summary>The caller's entry (null when the number is not a client) and their <paramref name="recent"/> last calls.</summary>
    public async Task<CallerLookup> FindAsync(string phone, int recent, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(Sql, new { phone, recent }, cancellationToken: cancellationToken));
        var client = await results.ReadSingleOrDefaultAsync<ClientRow>();
        var calls = await results.ReadAsync<CallRow>();
        return new CallerLookup(
            client is null ? null : new Catalog.ClientRecord(client.Phone, client.Name, client.AccountMasked, client.Tier, client.ManagerExtension, client.Language, client.Branch, client.OutsideManagerName, client.ManagerPhone),
            client?.ManagerName,
            [.. calls.Select(c => new RecentCall(c.Id, DateTimeOffset.FromUnixTimeMilliseconds(c.StartedAtMs), c.Agent, c.Disposition, c.WrapUpCode, c.WrapUpNotes, c.TalkSeconds))],
            client?.ManagerDeniedAtMs is { } denied ? DateTimeOffset.FromUnixTimeMilliseconds(denied) : null);
    }

    // Settable properties, not a positional record: SQLite gives COALESCE of two NULLs no declared type, which Dapper
    // cannot match to a constructor's string parameter.
    private sealed class ClientRow
    {
        public string Phone { get; set; } = "";

        public string Name { get; set; } = "";

        public string AccountMasked { get; set; } = "";

        public string Tier { get; set; } = "";

        public string? ManagerExtension { get; set; }

        public string Language { get; set; } = "";

        public string Branch { get; set; } = "";

        public string? ManagerName { get; set; }

        public string? OutsideManagerName { get; set; }

        public string? ManagerPhone { get; set; }

        public long? ManagerDeniedAtMs { get; set; }
    }

    private sealed record CallRow(string Id, long StartedAtMs, string? Agent, string Disposition, string? WrapUpCode, string? WrapUpNotes, double TalkSeconds);
}
