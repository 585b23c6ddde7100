using CallCenter.BackOffice.Rules;
using CallCenter.Contracts.BackOffice;
using Dapper;

namespace CallCenter.BackOffice;

/// <summary>The built-in back office's answers about clients as a whole (<see cref="IClientHoldings"/>): plain SELECTs.</summary>
public sealed partial class BuiltInBackOffice : IClientHoldings, IQuoteSource
{
    public async Task<IReadOnlyList<string>> HoldersAsync(string code, CancellationToken cancellationToken)
    {
        if (!OrderRules.IsStockCode(code))
        {
            return [];
        }

        await using var connection = await factory.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT DISTINCT a.phone FROM bo_positions p JOIN bo_accounts a ON a.account = p.account WHERE p.code = @code AND p.quantity > 0 ORDER BY a.phone",
            new { code }, cancellationToken: cancellationToken))];
    }

    public async Task<string?> PhoneOfAccountAsync(string account, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await connection.QueryFirstOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT phone FROM bo_accounts WHERE account = @account", new { account }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<string>> WithoutBankLinkAsync(CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT DISTINCT a.phone FROM bo_accounts a WHERE NOT EXISTS (SELECT 1 FROM bo_bank_links b WHERE b.account = a.account) ORDER BY a.phone",
            cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<Position>>> PositionsByClientAsync(IReadOnlyCollection<string> phones, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(phones);
        var result = new Dictionary<string, IReadOnlyList<Position>>(StringComparer.Ordinal);
        if (phones.Count == 0)
        {
            return result;
        }

        await using var connection = await factory.OpenAsync(cancellationToken);
        // In chunks: SQLite binds each element of an IN list as a parameter (at most 32,766).
        foreach (var chunk in phones.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            var rows = await connection.QueryAsync<(string Phone, string Code, string Name, long Quantity, long Frozen, long Last)>(new CommandDefinition(
                $"""
                SELECT a.phone, p.code, q.name, CAST(SUM(p.quantity) AS BIGINT), CAST(SUM(p.frozen) AS BIGINT), q.last_fen
                FROM bo_positions p JOIN bo_accounts a ON a.account = p.account JOIN bo_quotes q ON q.code = p.code
                WHERE p.quantity > 0 AND {factory.Dialect.InList("a.phone", "phones")}
                GROUP BY a.phone, p.code, q.name, q.last_fen ORDER BY a.phone, p.code
                """,
                new { phones = chunk }, cancellationToken: cancellationToken));
            foreach (var client in rows.GroupBy(r => r.Phone, StringComparer.Ordinal))
            {
                result[client.Key] = [.. client.Select(r => new Position(r.Code, r.Name, r.Quantity, r.Quantity - r.Frozen, Money.FromFen(r.Last), Money.FromFen(r.Last * r.Quantity)))];
            }
        }

        return result;
    }

    public async Task<IReadOnlyList<HeldStock>> HeldStocksAsync(CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Code, string Name, long Holders)>(new CommandDefinition(
            """
            SELECT p.code, q.name, COUNT(DISTINCT a.phone) FROM bo_positions p JOIN bo_accounts a ON a.account = p.account JOIN bo_quotes q ON q.code = p.code
            WHERE p.quantity > 0 GROUP BY p.code, q.name ORDER BY p.code
            """,
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new HeldStock(r.Code, r.Name, (int)r.Holders))];
    }
}
