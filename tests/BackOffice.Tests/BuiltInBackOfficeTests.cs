using CallCenter.BackOffice.Rules;
using CallCenter.Contracts.BackOffice;
using CallCenter.Data;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallCenter.BackOffice.Tests;

[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Providers))]
public sealed class BuiltInBackOfficeTests(string provider)
{
    private const string Account = "880000000001";
    private const string Pin = "135790";

    private static readonly DateTimeOffset _t = new(2026, 12, 4, 2, 0, 0, TimeSpan.Zero);

    private TestDatabase _db = null!;
    private ManualTimeProvider _time = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _db = await TestDatabase.CreateAsync(provider);
        await new Migrator(_db.Factory).MigrateAsync();
        await BackOfficeDemo.SeedAsync(_db.Factory, default);
        _time = new ManualTimeProvider(_t);
    }

    [TearDown]
    public async Task TearDownAsync() => await _db.DisposeAsync();

    /// <summary>A new instance on the same database: what a restarted process has.</summary>
    private BuiltInBackOffice NewBackOffice(decimal dailyLimit = 50_000m) =>
        new(_db.Factory, new BackOfficeOptions { DailyTransferLimit = dailyLimit }, _time, NullLogger<BuiltInBackOffice>.Instance);

    private static OperationContext Step(string step) => new("call-1", "call-1:" + step, "rec-1.wav");

    private async Task<(decimal Cash, decimal Frozen, long Shares, decimal Bank, long Orders, long Transfers)> SnapshotAsync()
    {
        await using var connection = await _db.Factory.OpenAsync();
        var (cash, frozen) = await connection.QuerySingleAsync<(long, long)>("SELECT cash_fen, frozen_fen FROM bo_accounts WHERE account = @Account", new { Account });
        var shares = await connection.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(quantity), 0) FROM bo_positions WHERE account = @Account", new { Account });
        var bank = await connection.ExecuteScalarAsync<long>("SELECT balance_fen FROM bo_bank_links WHERE account = @Account", new { Account });
        var orders = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM bo_orders");
        var transfers = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM bo_transfers");
        return (cash / 100m, frozen / 100m, shares, bank / 100m, orders, transfers);
    }

    [Test]
    public async Task TheDemoAccountsAreSeededAsTheContractSaysAndSeedingAgainChangesNothing()
    {
        await BackOfficeDemo.SeedAsync(_db.Factory, default);
        var backOffice = NewBackOffice();

        for (var n = 1; n <= 6; n++)
        {
            var funds = await backOffice.GetFundsAsync($"88000000000{n}", default);
            Assert.That(funds, Is.EqualTo(new AccountFunds($"88000000000{n}", 100_000.00m, 0m, 100_000.00m, "CNY")));
        }

        var positions = await backOffice.GetPositionsAsync(Account, default);
        Assert.That(positions.Select(p => (p.Code, p.Name, p.Quantity)), Is.EqualTo(new[] { ("600000", "浦发银行", 1_000L) }));
        Assert.That(positions[0].MarketValue, Is.EqualTo(10_500.00m));
        Assert.That(await backOffice.GetBankLinksAsync(Account, default), Has.Count.EqualTo(1));
        foreach (var code in new[] { "600000", "600036", "000001" })
        {
            Assert.That(await backOffice.GetQuoteAsync(code, default), Is.Not.Null, code);
        }

        Assert.That((await backOffice.GetQuoteAsync("600036", default))!.Name, Is.EqualTo("招商银行"));
        Assert.That(await backOffice.GetQuoteAsync("999999", default), Is.Null);
        Assert.That((await backOffice.VerifyPinAsync(Account, Pin, Step("pin"), default)).IsVerified, Is.True);
        Assert.That(await backOffice.GetFundsAsync("880000000009", default), Is.Null);
    }

    [Test]
    public async Task ThreeWrongPinsLockTheAccountForThirtyMinutesAcrossARestart()
    {
        var first = NewBackOffice();
        Assert.That(await first.VerifyPinAsync(Account, "000000", Step("pin-1"), default), Is.EqualTo(new PinCheck(PinCheckOutcome.Wrong, 2, null)));
        Assert.That(await first.VerifyPinAsync(Account, "12", Step("pin-2"), default), Is.EqualTo(new PinCheck(PinCheckOutcome.Wrong, 1, null)));

        // Another call, after a restart: the count is in the database.
        var restarted = NewBackOffice();
        var locked = await restarted.VerifyPinAsync(Account, "999999", new OperationContext("call-2", "call-2:pin-1"), default);
        Assert.That(locked, Is.EqualTo(new PinCheck(PinCheckOutcome.Locked, 0, _t.AddMinutes(30))));
        Assert.That((await NewBackOffice().VerifyPinAsync(Account, Pin, new OperationContext("call-3", "call-3:pin-1"), default)).Outcome, Is.EqualTo(PinCheckOutcome.Locked), "the right PIN does not open a locked account");
        Assert.That((await NewBackOffice().VerifyPinAsync("880000000002", Pin, new OperationContext("call-3", "call-3:pin-2"), default)).IsVerified, Is.True, "other accounts are not locked");

        _time.Advance(TimeSpan.FromMinutes(30));
        Assert.That(await NewBackOffice().VerifyPinAsync(Account, Pin, new OperationContext("call-4", "call-4:pin-1"), default), Is.EqualTo(new PinCheck(PinCheckOutcome.Verified, 3, null)));
        Assert.That(await NewBackOffice().VerifyPinAsync(Account, "000000", new OperationContext("call-4", "call-4:pin-2"), default), Is.EqualTo(new PinCheck(PinCheckOutcome.Wrong, 2, null)), "a right PIN cleared the count");
    }

    [Test]
    public async Task ALockThatRanOutDoesNotResetTheCountSoTheNextLocksAreLongerUntilARightPin()
    {
        var n = 0;
        async Task<PinCheck> WrongAsync() => await NewBackOffice().VerifyPinAsync(Account, "000000", new OperationContext($"call-{++n}", $"call-{n}:pin"), default);

        await WrongAsync();
        await WrongAsync();
        Assert.That((await WrongAsync()).LockedUntil, Is.EqualTo(_time.GetUtcNow().AddMinutes(30)));
        _time.Advance(TimeSpan.FromMinutes(30));
        Assert.That(await WrongAsync(), Is.EqualTo(new PinCheck(PinCheckOutcome.Wrong, 2, null)), "the lock ran out, the count did not");
        await WrongAsync();
        Assert.That((await WrongAsync()).LockedUntil, Is.EqualTo(_time.GetUtcNow().AddHours(2)), "the second lock is longer");
        _time.Advance(TimeSpan.FromHours(2));
        await WrongAsync();
        await WrongAsync();
        Assert.That((await WrongAsync()).LockedUntil, Is.EqualTo(_time.GetUtcNow().AddHours(24)), "the third and later locks last a day");
        _time.Advance(TimeSpan.FromHours(24));

        Assert.That((await NewBackOffice().VerifyPinAsync(Account, Pin, new OperationContext("call-r", "call-r:pin"), default)).IsVerified, Is.True);
        Assert.That(await WrongAsync(), Is.EqualTo(new PinCheck(PinCheckOutcome.Wrong, 2, null)), "a right PIN cleared the count");
    }

    [Test]
    public async Task AnUnknownOrLockedAccountRunsTheSlowHashAsAWrongPinDoes()
    {
        var backOffice = NewBackOffice();
        async Task<long> HashesOfAsync(string account, string step)
        {
            var before = PinHasher.Verifications;
            await backOffice.VerifyPinAsync(account, "000000", Step(step), default);
            return PinHasher.Verifications - before;
        }

        Assert.That(await HashesOfAsync(Account, "pin-1"), Is.EqualTo(1), "a real account's wrong PIN");
        Assert.That(await HashesOfAsync("889999999999", "pin-2"), Is.EqualTo(1), "an unknown account");
        await HashesOfAsync(Account, "pin-3");
        await HashesOfAsync(Account, "pin-4");
        Assert.That(await HashesOfAsync(Account, "pin-5"), Is.EqualTo(1), "a locked account");
    }

    [Test]
    public async Task ARepeatedPinCheckStepIsCountedOnce()
    {
        var backOffice = NewBackOffice();
        await backOffice.VerifyPinAsync(Account, "000000", Step("pin-1"), default);
        var again = await NewBackOffice().VerifyPinAsync(Account, "000000", Step("pin-1"), default);

        Assert.That(again, Is.EqualTo(new PinCheck(PinCheckOutcome.Wrong, 2, null)));
        Assert.That(await backOffice.VerifyPinAsync(Account, "000000", Step("pin-2"), default), Is.EqualTo(new PinCheck(PinCheckOutcome.Wrong, 1, null)));
    }

    [Test]
    public async Task ARepeatedIdempotencyKeyReturnsTheFirstResultAndChangesNothing()
    {
        var backOffice = NewBackOffice();
        var transfer = await backOffice.TransferAsync(new TransferRequest(Account, TransferDirection.BankToBrokerage, 1_000.00m), Step("transfer"), default);
        var repeated = await NewBackOffice().TransferAsync(new TransferRequest(Account, TransferDirection.BankToBrokerage, 1_000.00m), Step("transfer"), default);
        var order = await backOffice.PlaceOrderAsync(new OrderRequest(Account, "600000", OrderSide.Buy, 10.00m, 100), Step("order"), default);
        var repeatedOrder = await backOffice.PlaceOrderAsync(new OrderRequest(Account, "600000", OrderSide.Buy, 10.00m, 100), Step("order"), default);

        Assert.That(transfer.IsDone, Is.True);
        Assert.That(repeated, Is.EqualTo(transfer));
        Assert.That(repeatedOrder.Order, Is.EqualTo(order.Order));
        Assert.That(await SnapshotAsync(), Is.EqualTo((101_000.00m, 1_000.00m, 1_000L, 199_000.00m, 1L, 1L)));

        // The same key for another request is refused, and changes nothing either.
        var reused = await backOffice.TransferAsync(new TransferRequest(Account, TransferDirection.BankToBrokerage, 2_000.00m), Step("transfer"), default);
        Assert.That(reused.Refusal, Is.EqualTo(TransferRefusal.KeyReused));
        Assert.That(await SnapshotAsync(), Is.EqualTo((101_000.00m, 1_000.00m, 1_000L, 199_000.00m, 1L, 1L)));
    }

    [Test]
    public async Task EachBadRequestIsRefusedWithItsOwnReasonAndLeavesTheAccountUntouched()
    {
        var backOffice = NewBackOffice();
        var before = await SnapshotAsync();

        Assert.That((await backOffice.PlaceOrderAsync(new OrderRequest(Account, "600036", OrderSide.Buy, 35.20m, 10_000), Step("o1"), default)).Refusal, Is.EqualTo(OrderRefusal.InsufficientFunds));
        Assert.That((await backOffice.PlaceOrderAsync(new OrderRequest(Account, "600000", OrderSide.Buy, 10.50m, 150), Step("o2"), default)).Refusal, Is.EqualTo(OrderRefusal.NotWholeLot));
        Assert.That((await backOffice.PlaceOrderAsync(new OrderRequest(Account, "600000", OrderSide.Buy, 12.00m, 100), Step("o3"), default)).Refusal, Is.EqualTo(OrderRefusal.PriceOutOfBand));
        Assert.That((await backOffice.PlaceOrderAsync(new OrderRequest(Account, "600000", OrderSide.Sell, 10.50m, 1_100), Step("o4"), default)).Refusal, Is.EqualTo(OrderRefusal.InsufficientPosition));
        Assert.That((await backOffice.PlaceOrderAsync(new OrderRequest(Account, "123456", OrderSide.Buy, 10.00m, 100), Step("o5"), default)).Refusal, Is.EqualTo(OrderRefusal.UnknownCode));
        Assert.That((await backOffice.TransferAsync(new TransferRequest(Account, TransferDirection.BankToBrokerage, 50_000.01m), Step("t1"), default)).Refusal, Is.EqualTo(TransferRefusal.OverDailyLimit));
        Assert.That((await backOffice.TransferAsync(new TransferRequest(Account, TransferDirection.BrokerageToBank, 0m), Step("t2"), default)).Refusal, Is.EqualTo(TransferRefusal.AmountNotPositive));
        Assert.That((await backOffice.TransferAsync(new TransferRequest(Account, TransferDirection.BrokerageToBank, 1.001m), Step("t3"), default)).Refusal, Is.EqualTo(TransferRefusal.AmountTooPrecise));
        Assert.That((await backOffice.TransferAsync(new TransferRequest("880000000009", TransferDirection.BrokerageToBank, 1m), Step("t4"), default)).Refusal, Is.EqualTo(TransferRefusal.UnknownAccount));
        Assert.That((await backOffice.TransferAsync(new TransferRequest("", TransferDirection.BrokerageToBank, 1m), Step("t7"), default)).Refusal, Is.EqualTo(TransferRefusal.UnknownAccount));
        Assert.That((await backOffice.VerifyPinAsync("", "135790", Step("p1"), default)).Outcome, Is.EqualTo(PinCheckOutcome.UnknownAccount));

        Assert.That(await SnapshotAsync(), Is.EqualTo(before));

        // A refusal frees its key: the corrected entry goes through under the same step.
        var corrected = await backOffice.TransferAsync(new TransferRequest(Account, TransferDirection.BankToBrokerage, 50_000.00m), Step("t1"), default);
        Assert.That(corrected.IsDone, Is.True);
        Assert.That((await backOffice.TransferAsync(new TransferRequest(Account, TransferDirection.BrokerageToBank, 0.01m), Step("t5"), default)).Refusal, Is.EqualTo(TransferRefusal.OverDailyLimit), "both directions count towards the limit");

        // The next day in Shanghai (16:00 UTC) the limit starts again.
        _time.Advance(TimeSpan.FromHours(14));
        Assert.That((await backOffice.TransferAsync(new TransferRequest(Account, TransferDirection.BrokerageToBank, 0.01m), Step("t6"), default)).IsDone, Is.True);
    }

    [Test]
    public async Task ConcurrentTransfersDoNotOverdraw()
    {
        var backOffice = NewBackOffice(dailyLimit: 1_000_000m);
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() =>
            backOffice.TransferAsync(new TransferRequest(Account, TransferDirection.BrokerageToBank, 15_000.00m), new OperationContext($"call-{i}", $"call-{i}:transfer"), default))));

        Assert.That(results.Count(r => r.IsDone), Is.EqualTo(6));
        Assert.That(results.Where(r => !r.IsDone).Select(r => r.Refusal), Has.All.EqualTo(TransferRefusal.InsufficientFunds));
        Assert.That(await SnapshotAsync(), Is.EqualTo((10_000.00m, 0m, 1_000L, 290_000.00m, 0L, 6L)));
    }

    [Test]
    public async Task ConcurrentRepeatsOfOneStepTransferOnce()
    {
        var backOffice = NewBackOffice();
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() =>
            backOffice.TransferAsync(new TransferRequest(Account, TransferDirection.BankToBrokerage, 700.00m), Step("transfer"), default))));

        Assert.That(results.Select(r => r.Transfer?.Id).Distinct().Count(), Is.EqualTo(1));
        Assert.That(results, Has.All.Matches<TransferResult>(r => r.IsDone));
        Assert.That(await SnapshotAsync(), Is.EqualTo((100_700.00m, 0m, 1_000L, 199_300.00m, 0L, 1L)));
    }

    [Test]
    public async Task TheCounterFillsMarketableOrdersFreezesTheRestAndCancellingUnfreezes()
    {
        var backOffice = NewBackOffice();

        var filled = await backOffice.PlaceOrderAsync(new OrderRequest(Account, "600000", OrderSide.Buy, 10.50m, 200), Step("o1"), default);
        Assert.That(filled.Order!.Status, Is.EqualTo(OrderStatus.Filled));
        Assert.That(await SnapshotAsync(), Is.EqualTo((97_900.00m, 0m, 1_200L, 200_000.00m, 1L, 0L)));
        Assert.That((await backOffice.GetTodaysTradesAsync(Account, default)).Select(t => (t.OrderId, t.Price, t.Quantity)), Is.EqualTo(new[] { (filled.Order.Id, 10.50m, 200L) }));

        var openBuy = await backOffice.PlaceOrderAsync(new OrderRequest(Account, "600000", OrderSide.Buy, 10.00m, 1_000), Step("o2"), default);
        var openSell = await backOffice.PlaceOrderAsync(new OrderRequest(Account, "600000", OrderSide.Sell, 11.00m, 1_200), Step("o3"), default);
        Assert.That(openBuy.Order!.Status, Is.EqualTo(OrderStatus.Open));
        Assert.That(openSell.Order!.Status, Is.EqualTo(OrderStatus.Open));
        Assert.That(await backOffice.GetFundsAsync(Account, default), Is.EqualTo(new AccountFunds(Account, 97_900.00m, 10_000.00m, 87_900.00m, "CNY")));
        Assert.That((await backOffice.GetPositionsAsync(Account, default))[0].Available, Is.EqualTo(0));
        Assert.That((await backOffice.PlaceOrderAsync(new OrderRequest(Account, "600000", OrderSide.Sell, 10.00m, 100), Step("o4"), default)).Refusal, Is.EqualTo(OrderRefusal.InsufficientPosition), "frozen shares are not sold twice");

        Assert.That((await backOffice.CancelOrderAsync(Account, openBuy.Order.Id, Step("c1"), default)).Order!.Status, Is.EqualTo(OrderStatus.Cancelled));
        Assert.That((await backOffice.CancelOrderAsync(Account, openSell.Order.Id, Step("c2"), default)).IsCancelled, Is.True);
        Assert.That((await backOffice.CancelOrderAsync(Account, openSell.Order.Id, Step("c3"), default)).Refusal, Is.EqualTo(CancelRefusal.NotOpen));
        Assert.That((await backOffice.CancelOrderAsync("880000000002", filled.Order.Id, Step("c4"), default)).Refusal, Is.EqualTo(CancelRefusal.UnknownOrder));
        Assert.That(await backOffice.GetFundsAsync(Account, default), Is.EqualTo(new AccountFunds(Account, 97_900.00m, 0m, 97_900.00m, "CNY")));
        Assert.That((await backOffice.GetPositionsAsync(Account, default))[0].Available, Is.EqualTo(1_200));
        Assert.That((await backOffice.GetTodaysOrdersAsync(Account, default)).Select(o => o.Status), Is.EqualTo(new[] { OrderStatus.Filled, OrderStatus.Cancelled, OrderStatus.Cancelled }));

        var sellAll = await backOffice.PlaceOrderAsync(new OrderRequest(Account, "600000", OrderSide.Sell, 10.50m, 1_200), Step("o5"), default);
        Assert.That(sellAll.Order!.Status, Is.EqualTo(OrderStatus.Filled));
        Assert.That(await backOffice.GetPositionsAsync(Account, default), Is.Empty);
        Assert.That((await backOffice.GetFundsAsync(Account, default))!.Cash, Is.EqualTo(110_500.00m));
    }

    [Test]
    public async Task APinChangeChecksTheOldPinAndTheNewPinsRulesAndNoPinIsEverStored()
    {
        var backOffice = NewBackOffice();
        await backOffice.VerifyPinAsync(Account, Pin, Step("pin-1"), default);
        await backOffice.VerifyPinAsync(Account, "246802", Step("pin-2"), default);

        Assert.That((await backOffice.ChangePinAsync(new PinChangeRequest(Account, "111111", "246801", "246801"), Step("change-1"), default)).Refusal, Is.EqualTo(PinChangeRefusal.WrongPin));
        Assert.That((await backOffice.ChangePinAsync(new PinChangeRequest(Account, Pin, "246801", "246809"), Step("change-2"), default)).Refusal, Is.EqualTo(PinChangeRefusal.Mismatch));
        Assert.That((await backOffice.ChangePinAsync(new PinChangeRequest(Account, Pin, Pin, Pin), Step("change-3"), default)).Refusal, Is.EqualTo(PinChangeRefusal.SameAsOld));
        Assert.That((await backOffice.ChangePinAsync(new PinChangeRequest(Account, Pin, "246801", "246801"), Step("change-4"), default)).Changed, Is.True);
        Assert.That((await backOffice.VerifyPinAsync(Account, Pin, Step("pin-3"), default)).Outcome, Is.EqualTo(PinCheckOutcome.Wrong));
        Assert.That((await backOffice.VerifyPinAsync(Account, "246801", Step("pin-4"), default)).IsVerified, Is.True);

        await using var connection = await _db.Factory.OpenAsync();
        var audit = (await connection.QueryAsync<(string, string, string, string, string, string?, string, string)>(
            "SELECT CAST(at_ms AS TEXT), action, account, call_id, idempotency_key, recording, outcome, detail FROM bo_audit")).ToList();
        var requests = (await connection.QueryAsync<(string, string, string, string, string)>("SELECT idempotency_key, action, account, request, result FROM bo_requests")).ToList();
        var hashes = (await connection.QueryAsync<string>("SELECT pin_hash FROM bo_accounts")).ToList();
        var everything = string.Join("\n", audit.Select(a => a.ToString()).Concat(requests.Select(r => r.ToString())).Concat(hashes));

        Assert.That(audit, Has.Count.EqualTo(8));
        Assert.That(audit.Select(a => a.Item6), Has.All.EqualTo("rec-1.wav"));
        foreach (var pin in new[] { Pin, "246802", "111111", "246801", "246809" })
        {
            Assert.That(everything, Does.Not.Contain(pin));
        }
    }
}
