using System.Data;
using System.Data.Common;

namespace CallCenter.Data;

/// <summary>
/// One statement run for many rows of a batch in one transaction: the command and its parameters are
/// made once and only their values change per row, so SQLite keeps the compiled statement and
/// PostgreSQL the prepared one. The parameters carry the SQL's own <c>@</c> names, which
/// Microsoft.Data.Sqlite finds in one look-up; a bare name (what Dapper gives it) costs three more
/// look-ups and three new strings per parameter and row. Used where batches are the hot path (a call's
/// records in <see cref="Calls.CallRecordRepository"/>, the outbox's statuses); elsewhere Dapper's shorter
/// form is the better trade.
/// </summary>
public sealed class RowStatement : IAsyncDisposable
{
    private readonly DbCommand _command;
    private readonly DbParameter[] _parameters;

    /// <param name="connection">The batch's connection.</param>
    /// <param name="transaction">The batch's transaction.</param>
    /// <param name="sql">The statement, naming its parameters <c>@name</c>.</param>
    /// <param name="parameters">Each parameter's name (without <c>@</c>) and type, in the order <see cref="Set"/> numbers them: typed once, so a null in the first row is still its column's type.</param>
    public RowStatement(DbConnection connection, DbTransaction transaction, string sql, params (string Name, DbType Type)[] parameters)
    {
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        _command.CommandText = sql;
        _parameters = new DbParameter[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = _command.CreateParameter();
            parameter.ParameterName = "@" + parameters[i].Name;
            parameter.DbType = parameters[i].Type;
            _command.Parameters.Add(parameter);
            _parameters[i] = parameter;
        }
    }

    /// <summary>Runs the statement in <paramref name="transaction"/> from now on: a statement kept by <see cref="WriterConnection"/> serves one batch's transaction after another.</summary>
    internal void Enlist(DbTransaction transaction) => _command.Transaction = transaction;

    /// <summary>Sets the <paramref name="index"/>-th parameter for the next <see cref="RunAsync"/> (null is SQL NULL).</summary>
    /// <remarks>
    /// A NUL in text is stored as U+FFFD: PostgreSQL refuses NUL in text outright, and these statements write what
    /// peers sent (a caller id of <c>sip:%00@host</c> unescapes to one), where one refused row would hold its whole
    /// batch back in retries for ever.
    /// </remarks>
    public void Set(int index, object? value) =>
        _parameters[index].Value = value switch
        {
            null => DBNull.Value,
            string text when text.Contains('\0', StringComparison.Ordinal) => text.Replace('\0', '\uFFFD'),
            _ => value,
        };

    /// <summary>Runs the statement with the values set; returns the rows it changed.</summary>
    public Task<int> RunAsync(CancellationToken cancellationToken) => _command.ExecuteNonQueryAsync(cancellationToken);

    public ValueTask DisposeAsync() => _command.DisposeAsync();
}
