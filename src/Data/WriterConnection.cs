using System.Data;
using System.Data.Common;

namespace CallCenter.Data;

/// <summary>
/// The connection of one writer that commits batch after batch (the call records and the event log), kept open
/// between its batches with the statements it runs: each is compiled once for the writer's life, not once per
/// batch (on SQLite, compiling the record's 30-column insert cost more than running it for the rows of a
/// batch). One batch at a time: <see cref="BeginAsync"/>, the batch's <see cref="Statement"/>s, <see cref="CommitAsync"/>.
/// After any failure the caller calls <see cref="ResetAsync"/>, so the next batch starts on a new connection,
/// never on one left in an unknown state. Not thread-safe: its one writer's loop uses it.
/// </summary>
public sealed class WriterConnection(DbConnectionFactory factory) : IAsyncDisposable
{
    private readonly Dictionary<string, RowStatement> _statements = new(StringComparer.Ordinal);
    private DbConnection? _connection;
    private DbTransaction? _transaction;

    /// <summary>The open batch's connection.</summary>
    public DbConnection Connection => _connection ?? throw new InvalidOperationException("No batch is open: call BeginAsync first.");

    /// <summary>The open batch's transaction.</summary>
    public DbTransaction Transaction => _transaction ?? throw new InvalidOperationException("No batch is open: call BeginAsync first.");

    /// <summary>Opens the connection if it is not open yet, and begins the batch's transaction.</summary>
    public async Task BeginAsync(CancellationToken cancellationToken)
    {
        if (_transaction is not null)
        {
            throw new InvalidOperationException("A batch is already open: commit it or reset first.");
        }

        _connection ??= await factory.OpenAsync(cancellationToken);
        _transaction = await _connection.BeginTransactionAsync(cancellationToken);
    }

    /// <summary>
    /// The statement for <paramref name="sql"/> in the open batch: made (and compiled at its first run) the first time
    /// it is asked for, then the same one, its parameters re-bound per row (<see cref="RowStatement"/>).
    /// </summary>
    public RowStatement Statement(string sql, params (string Name, DbType Type)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var transaction = Transaction;
        if (_statements.TryGetValue(sql, out var statement))
        {
            statement.Enlist(transaction);
            return statement;
        }

        statement = new RowStatement(Connection, transaction, sql, parameters);
        _statements[sql] = statement;
        return statement;
    }

    /// <summary>Commits the open batch; the connection and its statements stay for the next.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        var transaction = Transaction;
        await transaction.CommitAsync(cancellationToken);
        _transaction = null;
        await transaction.DisposeAsync();
    }

    /// <summary>Drops the batch (rolled back if it was not committed), the statements and the connection: the next batch opens anew.</summary>
    public async Task ResetAsync()
    {
        var transaction = _transaction;
        var connection = _connection;
        _transaction = null;
        _connection = null;
        foreach (var statement in _statements.Values)
        {
            await statement.DisposeAsync();
        }

        _statements.Clear();
        if (transaction is not null)
        {
            try
            {
                await transaction.DisposeAsync();
            }
            catch (Exception e) when (e is DbException or InvalidOperationException)
            {
                // The connection may be gone already; disposing it below is all that is left to do.
            }
        }

        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => new(ResetAsync());
}
