using System.Data.Common;
using CallCenter.Data.Catalog;
using Dapper;

namespace CallCenter.Data.Desk;

/// <summary>
/// The client directory import: upserts many clients in one transaction and counts which were new
/// and which replaced an entry. Either every row is written or none is. A file without the optional
/// <c>call_hours</c> column keeps the hours known clients have (<c>keepCallHours</c>); one with it sets them
/// (an empty cell clears them).
/// </summary>
/// <remarks>
/// The fast way differs by database: PostgreSQL takes <see cref="PostgresBatchSize"/> rows per
/// statement as arrays (<c>unnest</c>), one round trip each; SQLite, in process, runs one prepared
/// single-row statement per client (a multi-row VALUES list is slow there: binding looks parameters
/// up by name, so its cost grows with the square of the row count).
/// </remarks>
public sealed class ClientImportRepository(DbConnectionFactory factory)
{
    public const int PostgresBatchSize = 10_000;

    private const string Upsert =
        """
         ON CONFLICT (phone) DO UPDATE SET name = excluded.name, account_masked = excluded.account_masked,
            tier = excluded.tier, manager_extension = excluded.manager_extension,
            language = excluded.language, branch = excluded.branch,
            manager_name = excluded.manager_name, manager_phone = excluded.manager_phone, business = excluded.business
        """;

    private const string SetCallHours = ", call_hours = excluded.call_hours";

    public Task<ClientImportCounts> UpsertAsync(IReadOnlyList<ClientRecord> clients, CancellationToken cancellationToken = default) =>
        UpsertAsync(clients, keepCallHours: false, cancellationToken);

    /// <summary>
    /// The upsert; <paramref name="keepCallHours"/>: a known client keeps their stored <c>call_hours</c> (the file had no
    /// such column), a new one has none.
    /// </summary>
    public async Task<ClientImportCounts> UpsertAsync(IReadOnlyList<ClientRecord> clients, bool keepCallHours, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clients);
        if (clients.Select(c => c.Phone).Distinct(StringComparer.Ordinal).Count() != clients.Count)
        {
            // PostgreSQL refuses to upsert a row twice in one statement, and the counts would be wrong.
            throw new ArgumentException("Each phone may appear once in an import.", nameof(clients));
        }

        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // New rows are what the directory grew by: the same SQL on both databases, and no list of phones to look up.
        var before = await CountAsync(connection, transaction, cancellationToken);
        if (factory.Dialect == SqlDialect.Postgres)
        {
            await UpsertPostgresAsync(connection, transaction, clients, keepCallHours, cancellationToken);
        }
        else
        {
            await UpsertSqliteAsync(connection, transaction, clients, keepCallHours, cancellationToken);
        }

        var imported = (int)(await CountAsync(connection, transaction, cancellationToken) - before);
        await transaction.CommitAsync(cancellationToken);
        return new ClientImportCounts(imported, clients.Count - imported);
    }

    private static Task<long> CountAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM clients", transaction: transaction, cancellationToken: cancellationToken));

    private static async Task UpsertPostgresAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<ClientRecord> clients, bool keepCallHours, CancellationToken cancellationToken)
    {
        for (var start = 0; start < clients.Count; start += PostgresBatchSize)
        {
            var batch = clients.Skip(start).Take(PostgresBatchSize).ToArray();
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO clients (phone, name, account_masked, tier, manager_extension, language, branch, manager_name, manager_phone, business, call_hours)
                SELECT * FROM unnest(@phones, @names, @accounts, @tiers, @managers, @languages, @branches, @managerNames, @managerPhones, @businesses, @callHours)
                """ + Upsert + (keepCallHours ? "" : SetCallHours),
                new
                {
                    phones = batch.Select(c => c.Phone).ToArray(),
                    names = batch.Select(c => c.Name).ToArray(),
                    accounts = batch.Select(c => c.AccountMasked).ToArray(),
                    tiers = batch.Select(c => c.Tier).ToArray(),
                    managers = batch.Select(c => c.ManagerExtension).ToArray(),
                    languages = batch.Select(c => c.Language).ToArray(),
                    branches = batch.Select(c => c.Branch).ToArray(),
                    managerNames = batch.Select(c => c.ManagerName).ToArray(),
                    managerPhones = batch.Select(c => c.ManagerPhone).ToArray(),
                    businesses = batch.Select(c => c.Business).ToArray(),
                    callHours = batch.Select(c => keepCallHours ? null : c.CallHours).ToArray(),
                },
                transaction,
                cancellationToken: cancellationToken));
        }
    }

    private static async Task UpsertSqliteAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<ClientRecord> clients, bool keepCallHours, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            """
            INSERT INTO clients (phone, name, account_masked, tier, manager_extension, language, branch, manager_name, manager_phone, business, call_hours)
            VALUES ($phone, $name, $account, $tier, $manager, $language, $branch, $managerName, $managerPhone, $business, $callHours)
            """ + Upsert + (keepCallHours ? "" : SetCallHours);
        var parameters = new[] { "$phone", "$name", "$account", "$tier", "$manager", "$language", "$branch", "$managerName", "$managerPhone", "$business", "$callHours" }.Select(name =>
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
            return parameter;
        }).ToArray();
        await command.PrepareAsync(cancellationToken);
        foreach (var c in clients)
        {
            parameters[0].Value = c.Phone;
            parameters[1].Value = c.Name;
            parameters[2].Value = c.AccountMasked;
            parameters[3].Value = c.Tier;
            parameters[4].Value = (object?)c.ManagerExtension ?? DBNull.Value;
            parameters[5].Value = c.Language;
            parameters[6].Value = c.Branch;
            parameters[7].Value = (object?)c.ManagerName ?? DBNull.Value;
            parameters[8].Value = (object?)c.ManagerPhone ?? DBNull.Value;
            parameters[9].Value = (object?)c.Business ?? DBNull.Value;
            parameters[10].Value = keepCallHours ? DBNull.Value : (object?)c.CallHours ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
