using CallCenter.BackOffice.Rules;
using CallCenter.Contracts.BackOffice;
using CallCenter.Data;
using Dapper;

namespace CallCenter.BackOffice;

/// <summary>
/// The platform's count of wrong PINs per trusted calling number (<c>ivr_caller_pin_failures</c>, migration 0061), decided
/// by <see cref="CallerPinLimit"/>. A wrong PIN is one transaction (read, decide, write), so two calls from one number
/// never lose a count; rows whose window ended are pruned at most once an hour, after a write. Numbers are kept as the
/// caller id came (digits, not a secret); nothing about the PIN is stored here.
/// </summary>
public sealed class CallerPinFailureStore(DbConnectionFactory factory, TimeProvider time) : ICallerPinFailures
{
    private static readonly TimeSpan _pruneEvery = TimeSpan.FromHours(1);
    private long _lastPruneMs = long.MinValue;

    public async Task<DateTimeOffset?> BlockedUntilAsync(string number, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(number);
        await using var connection = await factory.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(long Failures, long WindowStartMs)?>(new CommandDefinition(
            "SELECT failures, window_start_ms FROM ivr_caller_pin_failures WHERE number = @number", new { number }, cancellationToken: cancellationToken));
        return row is { } r ? CallerPinLimit.BlockedUntil((int)r.Failures, DateTimeOffset.FromUnixTimeMilliseconds(r.WindowStartMs), time.GetUtcNow()) : null;
    }

    public async Task<DateTimeOffset?> AddFailureAsync(string number, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(number);
        var now = time.GetUtcNow();
        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var forUpdate = factory.Dialect == SqlDialect.Postgres ? " FOR UPDATE" : "";
        var row = await connection.QuerySingleOrDefaultAsync<(long Failures, long WindowStartMs)?>(new CommandDefinition(
            "SELECT failures, window_start_ms FROM ivr_caller_pin_failures WHERE number = @number" + forUpdate, new { number }, transaction, cancellationToken: cancellationToken));
        var (failures, windowStart) = row is { } r
            ? CallerPinLimit.After((int)r.Failures, DateTimeOffset.FromUnixTimeMilliseconds(r.WindowStartMs), now)
            : (1, now);
        // Two first failures racing on PostgreSQL (no row to lock yet): the second insert adds to the first's row.
        var stored = await connection.QuerySingleAsync<(long Failures, long WindowStartMs)>(new CommandDefinition(
            """
            INSERT INTO ivr_caller_pin_failures (number, failures, window_start_ms) VALUES (@number, @failures, @start)
            ON CONFLICT (number) DO UPDATE SET failures = CASE WHEN @fresh THEN ivr_caller_pin_failures.failures + 1 ELSE excluded.failures END,
                                               window_start_ms = CASE WHEN @fresh THEN ivr_caller_pin_failures.window_start_ms ELSE excluded.window_start_ms END
            RETURNING failures, window_start_ms
            """,
            new { number, failures = (long)failures, start = windowStart.ToUnixTimeMilliseconds(), fresh = row is null },
            transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        await PruneIfDueAsync(now, cancellationToken);
        return CallerPinLimit.BlockedUntil((int)stored.Failures, DateTimeOffset.FromUnixTimeMilliseconds(stored.WindowStartMs), now);
    }

    /// <summary>Deletes the rows whose window ended (they refuse nothing and would start again): at most once an hour.</summary>
    internal async Task<int> PruneIfDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var last = Interlocked.Read(ref _lastPruneMs);
        var nowMs = now.ToUnixTimeMilliseconds();
        if ((last != long.MinValue && nowMs - last < (long)_pruneEvery.TotalMilliseconds) || Interlocked.CompareExchange(ref _lastPruneMs, nowMs, last) != last)
        {
            return 0;
        }

        await using var connection = await factory.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM ivr_caller_pin_failures WHERE window_start_ms <= @cut",
            new { cut = (now - CallerPinLimit.Window).ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
    }
}
