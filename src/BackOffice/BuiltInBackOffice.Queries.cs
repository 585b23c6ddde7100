using System.Data.Common;
using CallCenter.BackOffice.Rules;
using CallCenter.Contracts.BackOffice;
using Dapper;
using OrderRow = (long Id, string Account, string Code, string Name, string Side, long PriceFen, long Quantity, string Status, long PlacedAt);

namespace CallCenter.BackOffice;

/// <summary>The built-in back office's reads: plain SELECTs outside any step.</summary>
public sealed partial class BuiltInBackOffice
{
    public async Task<AccountFunds?> GetFundsAsync(string account, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await FundsAsync(connection, account, cancellationToken);
    }

    private static async Task<AccountFunds?> FundsAsync(DbConnection connection, string account, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<(long Cash, long Frozen)?>(new CommandDefinition(
            "SELECT cash_fen, frozen_fen FROM bo_accounts WHERE account = @account", new { account }, cancellationToken: cancellationToken)) is { } f
            ? new AccountFunds(account, Money.FromFen(f.Cash), Money.FromFen(f.Frozen), Money.FromFen(f.Cash - f.Frozen), "CNY")
            : null;

    public async Task<IReadOnlyList<Position>> GetPositionsAsync(string account, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await PositionsAsync(connection, account, cancellationToken);
    }

    private static async Task<IReadOnlyList<Position>> PositionsAsync(DbConnection connection, string account, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(string Code, string Name, long Quantity, long Frozen, long Last)>(new CommandDefinition(
            """
            SELECT p.code, q.name, p.quantity, p.frozen, q.last_fen FROM bo_positions p JOIN bo_quotes q ON q.code = p.code
            WHERE p.account = @account ORDER BY p.code
            """,
            new { account }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new Position(r.Code, r.Name, r.Quantity, r.Quantity - r.Frozen, Money.FromFen(r.Last), Money.FromFen(r.Last * r.Quantity)))];
    }

    public async Task<IReadOnlyList<Order>> GetTodaysOrdersAsync(string account, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await OrdersSinceAsync(connection, account, BusinessDay.Of(time.GetUtcNow(), _zone).Start, cancellationToken);
    }

    private static async Task<IReadOnlyList<Order>> OrdersSinceAsync(DbConnection connection, string account, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<OrderRow>(new CommandDefinition(
            OrderSelect + " WHERE o.account = @account AND o.placed_at_ms >= @since ORDER BY o.id",
            new { account, since = since.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
        return [.. rows.Select(ToOrder)];
    }

    private const string OrderSelect =
        "SELECT o.id, o.account, o.code, q.name, o.side, o.price_fen, o.quantity, o.status, o.placed_at_ms FROM bo_orders o JOIN bo_quotes q ON q.code = o.code";

    private static async Task<Order?> OrderAsync(DbConnection connection, DbTransaction transaction, string account, long id, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<OrderRow?>(new CommandDefinition(
            OrderSelect + " WHERE o.account = @account AND o.id = @id", new { account, id }, transaction, cancellationToken: cancellationToken)) is { } row
            ? ToOrder(row)
            : null;

    private static Order ToOrder(OrderRow r) => new(
        r.Id,
        r.Account,
        r.Code,
        r.Name,
        r.Side == "buy" ? OrderSide.Buy : OrderSide.Sell,
        Money.FromFen(r.PriceFen),
        r.Quantity,
        r.Status switch { "open" => OrderStatus.Open, "filled" => OrderStatus.Filled, _ => OrderStatus.Cancelled },
        DateTimeOffset.FromUnixTimeMilliseconds(r.PlacedAt));

    public async Task<IReadOnlyList<Trade>> GetTodaysTradesAsync(string account, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Id, long OrderId, string Code, string Name, string Side, long Price, long Quantity, long At)>(new CommandDefinition(
            """
            SELECT t.id, t.order_id, t.code, q.name, t.side, t.price_fen, t.quantity, t.at_ms FROM bo_trades t JOIN bo_quotes q ON q.code = t.code
            WHERE t.account = @account AND t.at_ms >= @since ORDER BY t.id
            """,
            new { account, since = BusinessDay.Of(time.GetUtcNow(), _zone).Start.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new Trade(r.Id, r.OrderId, r.Code, r.Name, r.Side == "buy" ? OrderSide.Buy : OrderSide.Sell, Money.FromFen(r.Price), r.Quantity, DateTimeOffset.FromUnixTimeMilliseconds(r.At)))];
    }

    public async Task<IReadOnlyList<BankLink>> GetBankLinksAsync(string account, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await BankLinksAsync(connection, account, cancellationToken);
    }

    private static async Task<IReadOnlyList<BankLink>> BankLinksAsync(DbConnection connection, string account, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(string Code, string Name, string Card, long Balance)>(new CommandDefinition(
            "SELECT bank_code, bank_name, card_masked, balance_fen FROM bo_bank_links WHERE account = @account ORDER BY bank_code",
            new { account }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new BankLink(r.Code, r.Name, r.Card, Money.FromFen(r.Balance)))];
    }

    public async Task<Quote?> GetQuoteAsync(string code, CancellationToken cancellationToken)
    {
        if (!OrderRules.IsStockCode(code))
        {
            return null;
        }

        await using var connection = await factory.OpenAsync(cancellationToken);
        return await QuoteAsync(connection, null, code, cancellationToken);
    }

    private static async Task<Quote?> QuoteAsync(DbConnection connection, DbTransaction? transaction, string code, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<(string Code, string Name, long Last, long PreviousClose)?>(new CommandDefinition(
            "SELECT code, name, last_fen, previous_close_fen FROM bo_quotes WHERE code = @code", new { code }, transaction, cancellationToken: cancellationToken)) is { } q
            ? new Quote(q.Code, q.Name, Money.FromFen(q.Last), Money.FromFen(q.PreviousClose))
            : null;

    /// <summary>
    /// Everything held for one account, for GET /api/backoffice/accounts/{account}: funds, positions,
    /// bank links, and the latest orders and transfers (all days, newest first, at most <paramref name="limit"/>).
    /// </summary>
    public async Task<AccountView?> GetAccountViewAsync(string account, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        if (await FundsAsync(connection, account, cancellationToken) is not { } funds)
        {
            return null;
        }

        var orders = await connection.QueryAsync<OrderRow>(new CommandDefinition(
            OrderSelect + " WHERE o.account = @account ORDER BY o.id DESC LIMIT @limit", new { account, limit = (long)limit }, cancellationToken: cancellationToken));
        var transfers = await connection.QueryAsync<(long Id, string Direction, long Amount, string Bank, long At)>(new CommandDefinition(
            "SELECT id, direction, amount_fen, bank_code, at_ms FROM bo_transfers WHERE account = @account ORDER BY id DESC LIMIT @limit",
            new { account, limit = (long)limit }, cancellationToken: cancellationToken));
        var phone = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT phone FROM bo_accounts WHERE account = @account", new { account }, cancellationToken: cancellationToken));
        return new AccountView(
            phone!,
            funds,
            await PositionsAsync(connection, account, cancellationToken),
            await BankLinksAsync(connection, account, cancellationToken),
            [.. orders.Select(ToOrder)],
            [.. transfers.Select(t => new Transfer(t.Id, account, t.Direction == "in" ? TransferDirection.BankToBrokerage : TransferDirection.BrokerageToBank, Money.FromFen(t.Amount), t.Bank, DateTimeOffset.FromUnixTimeMilliseconds(t.At)))]);
    }

}
