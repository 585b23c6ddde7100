using System.Data;
using System.Data.Common;
using System.Globalization;

namespace CallCenter.Data.Calls;

/// <summary>
/// The look-up made for every answered call (the caller's tier and language for the IVR, what the
/// screen pop shows): one connection and one command for the directory entry with its manager's
/// name and the caller's last calls, reading only the columns the pop shows (no JSON to parse), and whether the client's
/// latest answer on a new-account confirmation call about that manager was a denial (the relationship flagged for
/// removal; a later confirmation of the same manager lifts it).
/// </summary>
public sealed class CallerLookupRepository(DbConnectionFactory factory) : IAsyncDisposable
{
    /// <summary>Prepared look-ups kept open between calls on SQLite (about the look-ups running at once).</summary>
    public const int KeptPrepared = 4;

    // On SQLite, compiling the two statements cost more than running them: a few open connections keep
    // them prepared, each used by one look-up at a time. A connection that failed is closed, not kept.
    // PostgreSQL keeps the pooled path (the server plans the statements).
    private readonly System.Collections.Concurrent.ConcurrentQueue<Prepared> _prepared = new();
    private int _idle;
    private int _disposed; // 1 once disposed; set and read with full fences (Keep and DisposeAsync race at shutdown)

    // The same SQL on SQLite and PostgreSQL; both take the two statements as one command (two result sets).
    private static readonly string _sql =
        $"""
        SELECT c.phone, c.name, c.account_masked AS AccountMasked, c.tier, c.manager_extension AS ManagerExtension,
            c.language, c.branch, COALESCE(a.name, c.manager_name) AS ManagerName, c.manager_name AS OutsideManagerName,
            c.manager_phone AS ManagerPhone,
            {Clients.ManagerDenial.DeniedAtMs("c")} AS ManagerDeniedAtMs
        FROM clients c LEFT JOIN agents a ON a.extension = c.manager_extension
        WHERE c.phone = @phone;
        SELECT id AS Id, started_at_ms AS StartedAtMs, agent AS Agent, disposition AS Disposition,
            wrap_up_code AS WrapUpCode, wrap_up_notes AS WrapUpNotes, talk_seconds AS TalkSeconds
        FROM calls WHERE caller = @phone ORDER BY started_at_ms DESC, id DESC LIMIT @recent;
        """;

    /// <summary>The caller's entry (null when the number is not a client) and their <paramref name="recent"/> last calls.</summary>
    /// <remarks>
    /// Read by column position, without Dapper: this runs for every answered call, and Dapper's multi-result reader
    /// (type look-ups per column, a buffered list per result) was a tenth of the call's whole look-up.
    /// </remarks>
    public async Task<CallerLookup> FindAsync(string phone, int recent, CancellationToken cancellationToken = default)
    {
        if (factory.Dialect != SqlDialect.Sqlite || Volatile.Read(ref _disposed) == 1)
        {
            await using var connection = await factory.OpenAsync(cancellationToken);
            await using var command = NewCommand(connection, phone, recent);
            return await ReadAsync(command, recent, cancellationToken);
        }

        Prepared prepared;
        if (_prepared.TryDequeue(out var idle))
        {
            Interlocked.Decrement(ref _idle);
            prepared = idle;
        }
        else
        {
            prepared = await PrepareAsync(cancellationToken);
        }

        try
        {
            prepared.Command.Parameters[0].Value = phone;
            prepared.Command.Parameters[1].Value = recent;
            var found = await ReadAsync(prepared.Command, recent, cancellationToken);
            Keep(prepared);
            return found;
        }
        catch
        {
            prepared.Dispose();
            throw;
        }
    }

    private async Task<Prepared> PrepareAsync(CancellationToken cancellationToken)
    {
        var connection = await factory.OpenAsync(cancellationToken);
        try
        {
            var command = NewCommand(connection, "", 0);
            await command.PrepareAsync(cancellationToken);
            return new Prepared(connection, command);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Back to the idle ones for the next call; closed when enough are kept or the platform is stopping.</summary>
    private void Keep(Prepared prepared)
    {
        if (Interlocked.Increment(ref _idle) > KeptPrepared || Volatile.Read(ref _disposed) == 1)
        {
            Interlocked.Decrement(ref _idle);
            prepared.Dispose();
            return;
        }

        _prepared.Enqueue(prepared);
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _disposed) == 1)
        {
            // Stopped meanwhile: nothing may stay open.
            Close();
        }
    }

    private static async Task<CallerLookup> ReadAsync(DbCommand command, int recent, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);

        Catalog.ClientRecord? client = null;
        string? managerName = null;
        DateTimeOffset? deniedAt = null;
        if (await reader.ReadAsync(cancellationToken))
        {
            client = new Catalog.ClientRecord(
                reader.GetString(0), Text(reader, 1) ?? "", Text(reader, 2) ?? "", Text(reader, 3) ?? "", Text(reader, 4),
                Text(reader, 5) ?? "", Text(reader, 6) ?? "", Text(reader, 8), Text(reader, 9));
            managerName = Text(reader, 7);
            deniedAt = reader.IsDBNull(10) ? null : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(reader.GetValue(10), CultureInfo.InvariantCulture));
        }

        var calls = new List<RecentCall>(recent);
        if (await reader.NextResultAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                calls.Add(new RecentCall(
                    reader.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), Text(reader, 2), Text(reader, 3) ?? "",
                    Text(reader, 4), Text(reader, 5), Convert.ToDouble(reader.GetValue(6), CultureInfo.InvariantCulture)));
            }
        }

        return new CallerLookup(client, managerName, calls, deniedAt);
    }

    /// <summary>Closes the kept connections (at shutdown).</summary>
    public ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _disposed, 1);
        Close();
        return ValueTask.CompletedTask;
    }

    private void Close()
    {
        while (_prepared.TryDequeue(out var prepared))
        {
            prepared.Dispose();
        }
    }

    private sealed class Prepared(DbConnection connection, DbCommand command) : IDisposable
    {
        public DbCommand Command { get; } = command;

        public void Dispose()
        {
            Command.Dispose();
            connection.Dispose();
        }
    }

    /// <summary>The look-up's command on <paramref name="connection"/>: its two parameters are the first two, in this order.</summary>
    private static DbCommand NewCommand(DbConnection connection, string phone, int recent)
    {
        var command = connection.CreateCommand();
        command.CommandText = _sql;
        Add(command, "@phone", DbType.String, phone);
        Add(command, "@recent", DbType.Int32, recent);
        return command;
    }

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static void Add(DbCommand command, string name, DbType type, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
