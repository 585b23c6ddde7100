using System.Data.Common;
using System.Globalization;
using CallCenter.BackOffice.Rules;
using CallCenter.Contracts.BackOffice;
using CallCenter.Data;
using Dapper;
using Microsoft.Extensions.Logging;

namespace CallCenter.BackOffice;

/// <summary>
/// The built-in back office: accounts, a simple counter and bank transfers in the platform's own
/// database (tables bo_*, migration 0013). Each state-changing step is one transaction that first
/// claims its idempotency key (<see cref="StepLedger"/>) and then locks the account's row, so steps on
/// one account run one at a time and a repeated step returns the stored result.
/// </summary>
public sealed partial class BuiltInBackOffice(DbConnectionFactory factory, BackOfficeOptions options, TimeProvider time, ILogger<BuiltInBackOffice> logger) : IBackOffice
{
    private readonly TimeZoneInfo _zone = options.Zone();

    // PostgreSQL: the account row is locked for the transaction. SQLite: every write transaction is
    // BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default), which already holds the database's write lock.
    private string ForUpdate => factory.Dialect == SqlDialect.Postgres ? " FOR UPDATE" : "";

    public Task<PinCheck> VerifyPinAsync(string account, string pin, OperationContext context, CancellationToken cancellationToken) =>
        VerifyAndPruneAsync(account, pin, context, cancellationToken);

    private async Task<PinCheck> VerifyCheckedAsync(string account, string pin, OperationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pin);
        return await StepLedger.RunAsync(factory, time, "verify", account, "", context, new PinCheck(PinCheckOutcome.Wrong, 0, null), async (connection, transaction, now) =>
        {
            var check = await CheckPinAsync(connection, transaction, account, pin, now, cancellationToken);
            LogPinChecked(logger, context.CallId, AccountMask.Mask(account), check.Outcome, check.TriesLeft);
            // Kept for every outcome, an unknown account's too (it counts a failure now): a repeated key counts nothing twice.
            return new StepOutcome<PinCheck>(check, check.Outcome.ToString(), $"triesLeft={check.TriesLeft}", Keep: true);
        }, cancellationToken);
    }

    /// <summary><see cref="VerifyPinAsync"/>, then the hourly prune of unknown numbers' forgotten counts.</summary>
    private async Task<PinCheck> VerifyAndPruneAsync(string account, string pin, OperationContext context, CancellationToken cancellationToken)
    {
        var check = await VerifyCheckedAsync(account, pin, context, cancellationToken);
        await PruneUnknownIfDueAsync(CancellationToken.None); // a caller hanging up must not cancel the hour's prune
        return check;
    }

    /// <summary>
    /// Checks a PIN inside a transaction, counting a wrong one and locking on every third in a row
    /// (<see cref="PinLockout"/>). An unknown account number is counted and locked the same way (in
    /// <c>bo_unknown_pin_failures</c>), so a lock does not say whether the account exists; an unknown or locked
    /// account still runs the slow hash, against <see cref="PinHasher.Dummy"/>, so its answer takes as long as a
    /// real account's wrong PIN.
    /// </summary>
    private async Task<PinCheck> CheckPinAsync(DbConnection connection, DbTransaction transaction, string account, string pin, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var hash = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT pin_hash FROM bo_accounts WHERE account = @account" + ForUpdate, new { account }, transaction, cancellationToken: cancellationToken));
        // An unknown number's wrong PINs are counted and locked as a real account's are (their own table, with no
        // account to refer to): otherwise a lock, or its absence after three tries, would say whether an account exists.
        var table = hash is null ? "bo_unknown_pin_failures" : "bo_pin_failures";
        var stored = await connection.QuerySingleOrDefaultAsync<(long Failures, long? LockedUntil, long UpdatedAt)?>(new CommandDefinition(
            $"SELECT failures, locked_until_ms, updated_at_ms FROM {table} WHERE account = @account", new { account }, transaction, cancellationToken: cancellationToken));
        var state = PinLockout.Current(
            stored is { } s ? new PinFailureState((int)s.Failures, s.LockedUntil is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null) : PinFailureState.Clear,
            stored is { } u ? DateTimeOffset.FromUnixTimeMilliseconds(u.UpdatedAt) : null,
            now);
        if (PinLockout.IsLocked(state, now))
        {
            _ = PinHasher.Verify(pin, PinHasher.Dummy);
            return new PinCheck(PinCheckOutcome.Locked, 0, state.LockedUntil, Compared: false);
        }

        // A malformed entry is a wrong PIN (and costs a try); it is hashed all the same.
        var matches = PinHasher.Verify(pin, hash ?? PinHasher.Dummy);
        var right = hash is not null && PinRules.IsWellFormed(pin) && matches;
        var next = PinLockout.After(state, right, now);
        // Both tables say when the count last changed: a count left a week without a lock is forgotten (PinLockout.Current)
        // in both alike, so deleting an unknown number's old row (PruneUnknownIfDueAsync) changes no answer.
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO {table} (account, failures, locked_until_ms, updated_at_ms) VALUES (@account, @failures, @until, @now)
            ON CONFLICT (account) DO UPDATE SET failures = excluded.failures, locked_until_ms = excluded.locked_until_ms, updated_at_ms = excluded.updated_at_ms
            """,
            new { account, failures = (long)next.Failures, until = next.LockedUntil?.ToUnixTimeMilliseconds(), now = now.ToUnixTimeMilliseconds() }, transaction, cancellationToken: cancellationToken));
        if (right)
        {
            return new PinCheck(PinCheckOutcome.Verified, PinLockout.MaxFailures, null);
        }

        if (PinLockout.IsLocked(next, now))
        {
            return new PinCheck(PinCheckOutcome.Locked, 0, next.LockedUntil);
        }

        return hash is null
            ? new PinCheck(PinCheckOutcome.UnknownAccount, PinLockout.TriesLeft(next), null)
            : new PinCheck(PinCheckOutcome.Wrong, PinLockout.TriesLeft(next), null);
    }

    private long _lastUnknownPruneMs = long.MinValue;

    /// <summary>
    /// Deletes the unknown account numbers whose count is forgotten anyway (<see cref="PinLockout.ForgetAfter"/> since the
    /// last wrong PIN, no lock running), at most once an hour, after a PIN check is decided and in a transaction of its own
    /// (the check's answer waits for it once an hour, never its locks): one small row per number tried would otherwise stay for ever. A real account's count
    /// is forgotten at the same age, so a deleted row answers exactly as a kept one would. A failure is logged, never the caller's.
    /// </summary>
    private async Task PruneUnknownIfDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var last = Interlocked.Read(ref _lastUnknownPruneMs);
        var nowMs = now.ToUnixTimeMilliseconds();
        if ((last != long.MinValue && nowMs - last < (long)TimeSpan.FromHours(1).TotalMilliseconds) || Interlocked.CompareExchange(ref _lastUnknownPruneMs, nowMs, last) != last)
        {
            return;
        }

        try
        {
            await using var connection = await factory.OpenAsync(cancellationToken);
            var pruned = await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM bo_unknown_pin_failures WHERE updated_at_ms <= @cut AND (locked_until_ms IS NULL OR locked_until_ms <= @now)",
                new { cut = (now - PinLockout.ForgetAfter).ToUnixTimeMilliseconds(), now = nowMs }, cancellationToken: cancellationToken));
            if (pruned > 0)
            {
                LogUnknownPruned(logger, pruned);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogUnknownPruneFailed(logger, e);
        }
    }

    public async Task<OrderResult> PlaceOrderAsync(OrderRequest request, OperationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var described = string.Create(CultureInfo.InvariantCulture, $"{request.Side} {request.Code} {request.Quantity}@{request.Price}");
        return await StepLedger.RunAsync(factory, time, "order", request.Account, described, context, new OrderResult(null, OrderRefusal.KeyReused), async (connection, transaction, now) =>
        {
            var result = await PlaceAsync(connection, transaction, request, now, cancellationToken);
            LogOrder(logger, context.CallId, AccountMask.Mask(request.Account), described, result.Order?.Status.ToString() ?? result.Refusal.ToString()!);
            return new StepOutcome<OrderResult>(result, result.Refusal?.ToString() ?? result.Order!.Status.ToString(), described + (result.Order is { } o ? $" order={o.Id}" : ""), Keep: result.IsPlaced);
        }, cancellationToken);
    }

    private async Task<OrderResult> PlaceAsync(DbConnection connection, DbTransaction transaction, OrderRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var funds = await connection.QuerySingleOrDefaultAsync<(long Cash, long Frozen)?>(new CommandDefinition(
            "SELECT cash_fen, frozen_fen FROM bo_accounts WHERE account = @Account" + ForUpdate, new { request.Account }, transaction, cancellationToken: cancellationToken));
        if (funds is not { } f)
        {
            return new OrderResult(null, OrderRefusal.UnknownAccount);
        }

        var quote = OrderRules.IsStockCode(request.Code) ? await QuoteAsync(connection, transaction, request.Code, cancellationToken) : null;
        var shares = await connection.QuerySingleOrDefaultAsync<(long Quantity, long Frozen)?>(new CommandDefinition(
            "SELECT quantity, frozen FROM bo_positions WHERE account = @Account AND code = @Code", new { request.Account, request.Code }, transaction, cancellationToken: cancellationToken));
        var refusal = OrderRules.Check(request, quote, Money.FromFen(f.Cash - f.Frozen), shares is { } p ? p.Quantity - p.Frozen : 0);
        if (refusal is not null)
        {
            return new OrderResult(null, refusal);
        }

        var fills = OrderRules.FillsAtOnce(request.Side, request.Price, quote!.Last);
        var priceFen = Money.ToFen(request.Price);
        var valueFen = priceFen * request.Quantity;
        var side = request.Side == OrderSide.Buy ? "buy" : "sell";
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO bo_orders (account, code, side, price_fen, quantity, status, placed_at_ms, closed_at_ms)
            VALUES (@Account, @Code, @side, @priceFen, @Quantity, @status, @now, @closed) RETURNING id
            """,
            new { request.Account, request.Code, side, priceFen, request.Quantity, status = fills ? "filled" : "open", now = now.ToUnixTimeMilliseconds(), closed = fills ? now.ToUnixTimeMilliseconds() : (long?)null },
            transaction, cancellationToken: cancellationToken));

        // Open: freeze the cash (buy) or the shares (sell). Filled: move cash and shares at the limit price.
        var changes = (request.Side, fills) switch
        {
            (OrderSide.Buy, false) => ["UPDATE bo_accounts SET frozen_fen = frozen_fen + @valueFen WHERE account = @Account"],
            (OrderSide.Sell, false) => ["UPDATE bo_positions SET frozen = frozen + @Quantity WHERE account = @Account AND code = @Code"],
            (OrderSide.Buy, true) => new[]
            {
                "UPDATE bo_accounts SET cash_fen = cash_fen - @valueFen WHERE account = @Account",
                "INSERT INTO bo_positions (account, code, quantity, frozen) VALUES (@Account, @Code, @Quantity, 0) ON CONFLICT (account, code) DO UPDATE SET quantity = bo_positions.quantity + excluded.quantity",
            },
            _ =>
            [
                "UPDATE bo_accounts SET cash_fen = cash_fen + @valueFen WHERE account = @Account",
                "UPDATE bo_positions SET quantity = quantity - @Quantity WHERE account = @Account AND code = @Code",
                "DELETE FROM bo_positions WHERE account = @Account AND code = @Code AND quantity = 0",
            ],
        };
        foreach (var sql in changes)
        {
            await connection.ExecuteAsync(new CommandDefinition(sql, new { request.Account, request.Code, request.Quantity, valueFen }, transaction, cancellationToken: cancellationToken));
        }

        if (fills)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO bo_trades (order_id, account, code, side, price_fen, quantity, at_ms) VALUES (@id, @Account, @Code, @side, @priceFen, @Quantity, @now)",
                new { id, request.Account, request.Code, side, priceFen, request.Quantity, now = now.ToUnixTimeMilliseconds() }, transaction, cancellationToken: cancellationToken));
        }

        return new OrderResult(new Order(id, request.Account, request.Code, quote.Name, request.Side, request.Price, request.Quantity, fills ? OrderStatus.Filled : OrderStatus.Open, now), null);
    }

    public async Task<CancelResult> CancelOrderAsync(string account, long orderId, OperationContext context, CancellationToken cancellationToken)
    {
        var described = string.Create(CultureInfo.InvariantCulture, $"order={orderId}");
        return await StepLedger.RunAsync(factory, time, "cancel", account, described, context, new CancelResult(null, CancelRefusal.KeyReused), async (connection, transaction, now) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT account FROM bo_accounts WHERE account = @account" + ForUpdate, new { account }, transaction, cancellationToken: cancellationToken));
            var order = await OrderAsync(connection, transaction, account, orderId, cancellationToken);
            CancelResult result;
            if (order is null)
            {
                result = new CancelResult(null, CancelRefusal.UnknownOrder);
            }
            else if (order.Status != OrderStatus.Open)
            {
                result = new CancelResult(null, CancelRefusal.NotOpen);
            }
            else
            {
                var valueFen = Money.ToFen(order.Price) * order.Quantity;
                var sql = order.Side == OrderSide.Buy
                    ? "UPDATE bo_accounts SET frozen_fen = frozen_fen - @valueFen WHERE account = @account"
                    : "UPDATE bo_positions SET frozen = frozen - @Quantity WHERE account = @account AND code = @Code";
                await connection.ExecuteAsync(new CommandDefinition(sql, new { account, valueFen, order.Quantity, order.Code }, transaction, cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE bo_orders SET status = 'cancelled', closed_at_ms = @now WHERE id = @orderId", new { orderId, now = now.ToUnixTimeMilliseconds() }, transaction, cancellationToken: cancellationToken));
                result = new CancelResult(order with { Status = OrderStatus.Cancelled }, null);
            }

            return new StepOutcome<CancelResult>(result, result.Refusal?.ToString() ?? "Cancelled", described, Keep: result.IsCancelled);
        }, cancellationToken);
    }

    public async Task<TransferResult> TransferAsync(TransferRequest request, OperationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var described = string.Create(CultureInfo.InvariantCulture, $"{request.Direction} {request.Amount}");
        return await StepLedger.RunAsync(factory, time, "transfer", request.Account, described, context, new TransferResult(null, TransferRefusal.KeyReused), async (connection, transaction, now) =>
        {
            var result = await MoveAsync(connection, transaction, request, now, cancellationToken);
            LogTransfer(logger, context.CallId, AccountMask.Mask(request.Account), described, result.Refusal?.ToString() ?? "Done");
            return new StepOutcome<TransferResult>(result, result.Refusal?.ToString() ?? "Done", described + (result.Transfer is { } t ? $" transfer={t.Id}" : ""), Keep: result.IsDone);
        }, cancellationToken);
    }

    private async Task<TransferResult> MoveAsync(DbConnection connection, DbTransaction transaction, TransferRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var funds = await connection.QuerySingleOrDefaultAsync<(long Cash, long Frozen)?>(new CommandDefinition(
            "SELECT cash_fen, frozen_fen FROM bo_accounts WHERE account = @Account" + ForUpdate, new { request.Account }, transaction, cancellationToken: cancellationToken));
        if (funds is not { } f)
        {
            return new TransferResult(null, TransferRefusal.UnknownAccount);
        }

        var bank = await connection.QueryFirstOrDefaultAsync<(string Code, long Balance)?>(new CommandDefinition(
            "SELECT bank_code, balance_fen FROM bo_bank_links WHERE account = @Account ORDER BY bank_code", new { request.Account }, transaction, cancellationToken: cancellationToken));
        if (bank is not { } b)
        {
            return new TransferResult(null, TransferRefusal.NoBankLink);
        }

        var (day, _) = BusinessDay.Of(now, _zone);
        var todayFen = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COALESCE(SUM(amount_fen), 0) FROM bo_transfers WHERE account = @Account AND day = @day", new { request.Account, day }, transaction, cancellationToken: cancellationToken));
        var refusal = TransferRules.Check(request.Direction, request.Amount, Money.FromFen(todayFen), options.DailyTransferLimit, Money.FromFen(f.Cash - f.Frozen), Money.FromFen(b.Balance));
        if (refusal is not null)
        {
            return new TransferResult(null, refusal);
        }

        // Signed from the fund account's side: + in, − out. The CHECKs on both balances back the rule.
        var amountFen = Money.ToFen(request.Amount);
        var delta = request.Direction == TransferDirection.BankToBrokerage ? amountFen : -amountFen;
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE bo_accounts SET cash_fen = cash_fen + @delta WHERE account = @Account", new { delta, request.Account }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE bo_bank_links SET balance_fen = balance_fen - @delta WHERE account = @Account AND bank_code = @code", new { delta, request.Account, code = b.Code }, transaction, cancellationToken: cancellationToken));
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO bo_transfers (account, direction, amount_fen, bank_code, day, at_ms) VALUES (@Account, @direction, @amountFen, @code, @day, @now) RETURNING id",
            new { request.Account, direction = request.Direction == TransferDirection.BankToBrokerage ? "in" : "out", amountFen, code = b.Code, day, now = now.ToUnixTimeMilliseconds() },
            transaction, cancellationToken: cancellationToken));
        return new TransferResult(new Transfer(id, request.Account, request.Direction, request.Amount, b.Code, now), null);
    }

    public async Task<PinChangeResult> ChangePinAsync(PinChangeRequest request, OperationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await StepLedger.RunAsync(factory, time, "pin-change", request.Account, "", context, new PinChangeResult(false, PinChangeRefusal.KeyReused, 0, null), async (connection, transaction, now) =>
        {
            var check = await CheckPinAsync(connection, transaction, request.Account, request.OldPin, now, cancellationToken);
            PinChangeResult result = check.Outcome switch
            {
                PinCheckOutcome.UnknownAccount => new(false, PinChangeRefusal.UnknownAccount, 0, null),
                PinCheckOutcome.Locked => new(false, PinChangeRefusal.Locked, 0, check.LockedUntil),
                PinCheckOutcome.Wrong => new(false, PinChangeRefusal.WrongPin, check.TriesLeft, null),
                _ => PinRules.CheckNew(request.OldPin, request.NewPin, request.NewPinAgain) is { } refusal
                    ? new(false, refusal, check.TriesLeft, null)
                    : new(true, null, check.TriesLeft, null),
            };
            if (result.Changed)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE bo_accounts SET pin_hash = @hash WHERE account = @Account", new { hash = PinHasher.Hash(request.NewPin), request.Account }, transaction, cancellationToken: cancellationToken));
            }

            // A wrong old PIN counted a failure: keep the step, so a retry does not count it twice.
            var keep = result.Changed || check.Outcome is PinCheckOutcome.Wrong or PinCheckOutcome.Locked;
            return new StepOutcome<PinChangeResult>(result, result.Refusal?.ToString() ?? "Changed", $"triesLeft={result.TriesLeft}", keep);
        }, cancellationToken);
    }

    [LoggerMessage(8000, LogLevel.Information, "Call {CallId}: PIN check for account {Account}: {Outcome}, {TriesLeft} tries left")]
    private static partial void LogPinChecked(ILogger logger, string callId, string account, PinCheckOutcome outcome, int triesLeft);

    [LoggerMessage(8003, LogLevel.Information, "PIN checks: {Count} unknown account numbers not tried for a week and not locked were forgotten")]
    private static partial void LogUnknownPruned(ILogger logger, int count);

    [LoggerMessage(8004, LogLevel.Warning, "PIN checks: the unknown account numbers' old counts could not be pruned; they are tried again in an hour")]
    private static partial void LogUnknownPruneFailed(ILogger logger, Exception exception);

    [LoggerMessage(8001, LogLevel.Information, "Call {CallId}: order for account {Account} ({Order}): {Outcome}")]
    private static partial void LogOrder(ILogger logger, string callId, string account, string order, string outcome);

    [LoggerMessage(8002, LogLevel.Information, "Call {CallId}: transfer for account {Account} ({Transfer}): {Outcome}")]
    private static partial void LogTransfer(ILogger logger, string callId, string account, string transfer, string outcome);
}
