using System.Data.Common;
using System.Globalization;
using Dapper;

namespace CallCenter.Data;

/// <summary>
/// Brings the schema up to date from the SQL files embedded under Migrations/&lt;dialect&gt;/,
/// named NNNN_description.sql and applied in order, each in its own transaction.
/// </summary>
public sealed class Migrator(DbConnectionFactory factory)
{
    // PostgreSQL's advisory lock that nodes sharing one database take around their migrations.
    private const long MigrationLock = 0x43_43_4D_49_47; // "CCMIG"

    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        if (factory.Dialect != SqlDialect.Postgres)
        {
            return await MigrateAsync(connection, cancellationToken);
        }

        // Nodes of a cluster started together on one PostgreSQL: one migrates, the others wait and find it done.
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@key)", new { key = MigrationLock }, cancellationToken: cancellationToken));
        try
        {
            return await MigrateAsync(connection, cancellationToken);
        }
        finally
        {
            // A session lock outlives the transaction and would go back to the pool with the connection.
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock(@key)", new { key = MigrationLock }, cancellationToken: CancellationToken.None));
        }
    }

    private async Task<int> MigrateAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at_ms BIGINT NOT NULL)",
            cancellationToken: cancellationToken));
        var applied = (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT version FROM schema_migrations", cancellationToken: cancellationToken))).ToHashSet();

        var count = 0;
        foreach (var (version, sql) in Scripts(factory.Dialect))
        {
            if (applied.Contains(version))
            {
                continue;
            }

            await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (version, applied_at_ms) VALUES (@version, @now)",
                new { version, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
                transaction,
                cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            count++;
        }

        return count;
    }

    internal static IEnumerable<(long Version, string Sql)> Scripts(SqlDialect dialect)
    {
        var assembly = typeof(Migrator).Assembly;
        var prefix = $"{assembly.GetName().Name}.Migrations.{dialect.Name}.";
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var file = name[prefix.Length..];
            var version = long.Parse(file.AsSpan(0, file.IndexOf('_', StringComparison.Ordinal)), NumberStyles.None, CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return (version, reader.ReadToEnd());
        }
    }
}
