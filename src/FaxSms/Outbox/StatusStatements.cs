using System.Data;
using System.Data.Common;
using CallCenter.Data;

namespace CallCenter.FaxSms.Outbox;

/// <summary>
/// The statements of <see cref="OutboxRepository.WriteStatusesAsync"/>, each a command made and prepared
/// once for the transaction and run again with new values: SQLite keeps a command's compiled statement
/// between runs (and PostgreSQL a prepared one), where a new command per row would plan its SQL each time.
/// </summary>
internal sealed class StatusStatements(DbConnection connection, DbTransaction transaction) : IAsyncDisposable
{
    private RowStatement? _markSent;
    private RowStatement? _clearInFlight;
    private RowStatement? _markRetry;
    private RowStatement? _markFailed;
    private RowStatement? _setStatus;
    private RowStatement? _addHistory;

    public Task<int> MarkSentAsync(string id, long at, CancellationToken cancellationToken) =>
        RunAsync(ref _markSent, "UPDATE messages SET status = 'sent', in_flight_at_ms = NULL, last_error = NULL, updated_at_ms = @at WHERE id = @id AND status = 'queued'",
            cancellationToken, ("id", id), ("at", at));

    public Task<int> ClearInFlightAsync(string id, CancellationToken cancellationToken) =>
        RunAsync(ref _clearInFlight, "UPDATE messages SET in_flight_at_ms = NULL WHERE id = @id", cancellationToken, ("id", id));

    public Task<int> MarkRetryAsync(string id, string reason, long next, long at, CancellationToken cancellationToken) =>
        RunAsync(ref _markRetry, "UPDATE messages SET in_flight_at_ms = NULL, last_error = @reason, next_attempt_at_ms = @next, updated_at_ms = @at WHERE id = @id AND status = 'queued'",
            cancellationToken, ("id", id), ("reason", reason), ("next", next), ("at", at));

    public Task<int> MarkFailedAsync(string id, string reason, long at, CancellationToken cancellationToken) =>
        RunAsync(ref _markFailed, "UPDATE messages SET status = 'failed', in_flight_at_ms = NULL, last_error = @reason, updated_at_ms = @at WHERE id = @id AND status = 'queued'",
            cancellationToken, ("id", id), ("reason", reason), ("at", at));

    public Task<int> SetStatusAsync(string id, string next, long at, CancellationToken cancellationToken) =>
        RunAsync(ref _setStatus, "UPDATE messages SET status = @next, in_flight_at_ms = CASE WHEN @next = 'queued' THEN in_flight_at_ms ELSE NULL END, updated_at_ms = @at WHERE id = @id",
            cancellationToken, ("id", id), ("next", next), ("at", at));

    public Task<int> AddHistoryAsync(string id, long at, string status, string? detail, CancellationToken cancellationToken) =>
        RunAsync(ref _addHistory, "INSERT INTO message_history (message_id, at_ms, status, detail) VALUES (@id, @at, @status, @detail)",
            cancellationToken, ("id", id), ("at", at), ("status", status), ("detail", detail));

    public async ValueTask DisposeAsync()
    {
        foreach (var statement in new[] { _markSent, _clearInFlight, _markRetry, _markFailed, _setStatus, _addHistory })
        {
            if (statement is not null)
            {
                await statement.DisposeAsync();
            }
        }
    }

    /// <summary>Runs the statement, making it on first use; the values are set in the order first given.</summary>
    private Task<int> RunAsync(ref RowStatement? statement, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] values)
    {
        // Typed once for every run: a null on the first (a history line without detail) is still text.
        statement ??= new RowStatement(connection, transaction, sql, [.. values.Select(v => (v.Name, v.Value is long ? DbType.Int64 : DbType.String))]);
        for (var i = 0; i < values.Length; i++)
        {
            statement.Set(i, values[i].Value);
        }

        return statement.RunAsync(cancellationToken);
    }
}
