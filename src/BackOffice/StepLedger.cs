using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using CallCenter.Contracts.BackOffice;
using CallCenter.Data;
using Dapper;

namespace CallCenter.BackOffice;

/// <summary>
/// Runs one call step as one transaction, once per idempotency key: the key is claimed first (an
/// INSERT into bo_requests that does nothing when the key is there, and on PostgreSQL waits for a
/// transaction still holding it), then the step's work, its stored result and its audit row commit
/// together. A process killed at any point leaves either none of it or all of it. A key seen before
/// returns the stored result and changes nothing; a key used for another request is refused.
/// </summary>
internal static class StepLedger
{
    public const int MaxKeyLength = 200;

    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static async Task<T> RunAsync<T>(
        DbConnectionFactory factory,
        TimeProvider time,
        string action,
        string account,
        string request,
        OperationContext context,
        T keyReused,
        Func<DbConnection, DbTransaction, DateTimeOffset, Task<StepOutcome<T>>> work,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        // An empty or unknown account is the step's answer to give (UnknownAccount), not an exception.
        ArgumentNullException.ThrowIfNull(account);
        if (string.IsNullOrEmpty(context.IdempotencyKey) || context.IdempotencyKey.Length > MaxKeyLength)
        {
            throw new ArgumentException($"An idempotency key of 1 to {MaxKeyLength} characters is required.", nameof(context));
        }

        var now = time.GetUtcNow();
        var key = context.IdempotencyKey;
        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var claimed = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO bo_requests (idempotency_key, action, account, request, result, at_ms) VALUES (@key, @action, @account, @request, '', @now)
            ON CONFLICT (idempotency_key) DO NOTHING
            """,
            new { key, action, account, request, now = now.ToUnixTimeMilliseconds() }, transaction, cancellationToken: cancellationToken));
        if (claimed == 0)
        {
            var stored = await connection.QuerySingleAsync<(string Action, string Account, string Request, string Result)>(new CommandDefinition(
                "SELECT action, account, request, result FROM bo_requests WHERE idempotency_key = @key", new { key }, transaction, cancellationToken: cancellationToken));
            await transaction.RollbackAsync(cancellationToken);
            return stored.Action == action && stored.Account == account && stored.Request == request
                ? JsonSerializer.Deserialize<T>(stored.Result, _json)!
                : keyReused;
        }

        var outcome = await work(connection, transaction, now);
        if (outcome.Keep)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE bo_requests SET result = @result WHERE idempotency_key = @key",
                new { key, result = JsonSerializer.Serialize(outcome.Result, _json) }, transaction, cancellationToken: cancellationToken));
        }
        else
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM bo_requests WHERE idempotency_key = @key", new { key }, transaction, cancellationToken: cancellationToken));
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO bo_audit (at_ms, action, account, call_id, idempotency_key, recording, outcome, detail)
            VALUES (@now, @action, @account, @CallId, @key, @Recording, @Outcome, @Detail)
            """,
            new { now = now.ToUnixTimeMilliseconds(), action, account, context.CallId, key, context.Recording, outcome.Outcome, outcome.Detail },
            transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return outcome.Result;
    }
}
