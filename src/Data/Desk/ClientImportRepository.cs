using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using CallCenter.Data.Catalog;
using Dapper;

namespace CallCenter.Data.Desk;

/// <summary>
/// The client directory import: upserts many clients in one transaction, in batches of
/// <see cref="BatchSize"/> rows per statement (one round trip per batch, not per client), and counts
/// which were new and which replaced an entry. Either every row is written or none is.
/// </summary>
public sealed class ClientImportRepository(DbConnectionFactory factory)
{
    // 7 parameters a row: 3,500 a statement, well under SQLite's 32,766 and PostgreSQL's 65,535.
    public const int BatchSize = 500;

    public async Task<ClientImportCounts> UpsertAsync(IReadOnlyList<ClientRecord> clients, CancellationToken cancellationToken = default)
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
        for (var start = 0; start < clients.Count; start += BatchSize)
        {
            await UpsertBatchAsync(connection, transaction, clients.Skip(start).Take(BatchSize).ToList(), cancellationToken);
        }

        var imported = (int)(await CountAsync(connection, transaction, cancellationToken) - before);
        await transaction.CommitAsync(cancellationToken);
        return new ClientImportCounts(imported, clients.Count - imported);
    }

    private static Task<long> CountAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM clients", transaction: transaction, cancellationToken: cancellationToken));

    private static async Task UpsertBatchAsync(DbConnection connection, DbTransaction transaction, List<ClientRecord> batch, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder("INSERT INTO clients (phone, name, account_masked, tier, manager_extension, language, branch) VALUES ");
        var parameters = new DynamicParameters();
        for (var i = 0; i < batch.Count; i++)
        {
            var c = batch[i];
            var n = i.ToString(CultureInfo.InvariantCulture);
            sql.Append(i == 0 ? "" : ", ")
                .Append(CultureInfo.InvariantCulture, $"(@p{n}, @n{n}, @a{n}, @t{n}, @m{n}, @l{n}, @b{n})");
            parameters.Add("p" + n, c.Phone, DbType.String);
            parameters.Add("n" + n, c.Name, DbType.String);
            parameters.Add("a" + n, c.AccountMasked, DbType.String);
            parameters.Add("t" + n, c.Tier, DbType.String);
            parameters.Add("m" + n, c.ManagerExtension, DbType.String);
            parameters.Add("l" + n, c.Language, DbType.String);
            parameters.Add("b" + n, c.Branch, DbType.String);
        }

        sql.Append(
            """
             ON CONFLICT (phone) DO UPDATE SET name = excluded.name, account_masked = excluded.account_masked,
                tier = excluded.tier, manager_extension = excluded.manager_extension,
                language = excluded.language, branch = excluded.branch
            """);
        await connection.ExecuteAsync(new CommandDefinition(sql.ToString(), parameters, transaction, cancellationToken: cancellationToken));
    }
}
