using CallCenter.Data;
using CallCenter.Ivr.Flows;
using CallCenter.Ivr.SelfService;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallCenter.BackOffice.Tests;

/// <summary>
/// The IVR's self-service operations against the built-in back office on a real database: what the
/// caller's entries become at the port, the results the flow branches on, the audit with the call
/// id, step key and recording, and that a refused step leaves the account as it was.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Providers))]
public sealed class IvrBackOfficeExecutorTests(string provider)
{
    private const string Account = "880000000001";
    private const string Pin = "135790";
    private static readonly DateTimeOffset _t = new(2026, 12, 4, 2, 0, 0, TimeSpan.Zero);

    private TestDatabase _db = null!;
    private IvrBackOfficeExecutor _executor = null!;
    private long _nextId;

    [SetUp]
    public async Task SetUpAsync()
    {
        _db = await TestDatabase.CreateAsync(provider);
        await new Migrator(_db.Factory).MigrateAsync();
        await BackOfficeDemo.SeedAsync(_db.Factory, default);
        _nextId = 0;
        var backOffice = new BuiltInBackOffice(_db.Factory, new BackOfficeOptions { DailyTransferLimit = 150_000m }, new ManualTimeProvider(_t), NullLogger<BuiltInBackOffice>.Instance);
        _executor = new IvrBackOfficeExecutor(backOffice, backOffice);
    }

    [TearDown]
    public async Task TearDownAsync() => await _db.DisposeAsync();

    private Task<IvrEvent.Answered> RunAsync(string operation, int attempt = 1, params (string Name, string Value)[] inputs)
    {
        var id = ++_nextId;
        var request = new IvrAction.BackOfficeRequest(id, $"95500.{operation}#{id}", operation, inputs.ToDictionary(i => i.Name, i => i.Value), attempt);
        return _executor.RunAsync(request, "call-7", "call-7.wav", default);
    }

    private async Task<(long Cash, long Frozen, long Bank, long Orders, long Transfers, long Shares)> SnapshotAsync()
    {
        await using var connection = await _db.Factory.OpenAsync();
        return await connection.QuerySingleAsync<(long, long, long, long, long, long)>(
            """
            SELECT a.cash_fen, a.frozen_fen, b.balance_fen,
                   (SELECT COUNT(*) FROM bo_orders), (SELECT COUNT(*) FROM bo_transfers),
                   (SELECT COALESCE(SUM(quantity), 0) FROM bo_positions WHERE account = a.account)
            FROM bo_accounts a JOIN bo_bank_links b ON b.account = a.account WHERE a.account = @Account
            """, new { Account });
    }

    private Task<IvrEvent.Answered> VerifyAsync(string callId, int attempt, string account, string pin)
    {
        var id = ++_nextId;
        var request = new IvrAction.BackOfficeRequest(id, $"95500.verify#{id}", IvrOperations.VerifyPin,
            new Dictionary<string, string> { ["account"] = account, ["pin"] = pin }, attempt);
        return _executor.RunAsync(request, callId, null, default);
    }

    private static string Spoken(IvrEvent.Answered answer) =>
        answer.Result + ";" + string.Join(",", answer.Values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value}"));

    [Test]
    public async Task AnUnknownAccountSoundsExactlyLikeAFreshRealAccountWithAWrongPinAtEveryAttempt()
    {
        var real = new List<string>();
        var unknown = new List<string>();
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            // A fresh real account each time: its own count would say 2 tries left at every attempt.
            real.Add(Spoken(await VerifyAsync("call-real", attempt, BackOfficeDemo.AccountOf(attempt), "000000")));
            unknown.Add(Spoken(await VerifyAsync("call-unknown", attempt, "889999999999", "000000")));
        }

        Assert.Multiple(() =>
        {
            Assert.That(unknown, Is.EqualTo(real));
            Assert.That(real, Is.EqualTo(new[] { "wrong;triesLeft=2", "wrong;triesLeft=1", "locked;", "locked;" }));
        });
    }

    [Test]
    public async Task AnUnknownAccountLocksAfterThreeWrongPinsAcrossCallsAsARealOneDoesSoALockDoesNotSayItExists()
    {
        // One wrong PIN per call, four calls each: the real account locks on its third; so must the unknown number.
        var real = new List<string>();
        var unknown = new List<string>();
        for (var call = 1; call <= 4; call++)
        {
            real.Add(Spoken(await VerifyAsync($"call-real-{call}", 1, Account, "000000")));
            unknown.Add(Spoken(await VerifyAsync($"call-unknown-{call}", 1, "889999999999", "000000")));
        }

        var otherUnknown = Spoken(await VerifyAsync("call-unknown-5", 1, "889999999998", "000000"));

        Assert.Multiple(() =>
        {
            Assert.That(real, Is.EqualTo(new[] { "wrong;triesLeft=2", "wrong;triesLeft=2", "locked;", "locked;" }));
            Assert.That(unknown, Is.EqualTo(real));
            Assert.That(otherUnknown, Is.EqualTo("wrong;triesLeft=2"), "each number is counted on its own");
        });
    }

    [Test]
    public async Task OneCallGetsThreeWrongPinsInAllWhateverAccountsItTries()
    {
        var first = await VerifyAsync("call-spray", 1, Account, "123456");
        var second = await VerifyAsync("call-spray", 2, "880000000002", "123456");
        var third = await VerifyAsync("call-spray", 3, "889999999999", "123456");
        var rightButSpent = await VerifyAsync("call-spray", 4, "880000000002", Pin);
        var otherCall = await VerifyAsync("call-other", 1, "880000000002", Pin);

        Assert.Multiple(() =>
        {
            Assert.That(Spoken(first), Is.EqualTo("wrong;triesLeft=2"));
            Assert.That(Spoken(second), Is.EqualTo("wrong;triesLeft=1"), "another account does not start the call's count again");
            Assert.That(third.Result, Is.EqualTo("locked"));
            Assert.That(rightButSpent.Result, Is.EqualTo("locked"), "no more checks in this call, not even a right PIN");
            Assert.That(otherCall.Result, Is.EqualTo("verified"), "the account itself is not locked by one wrong PIN");
        });
    }

    [Test]
    public async Task AWrongOldPinAtAPinChangeCountsAgainstTheCallToo()
    {
        await VerifyAsync("call-7", 1, Account, "000000");
        await VerifyAsync("call-7", 2, Account, "000001");
        var change = await RunAsync(IvrOperations.ChangePin, 1, ("account", "880000000002"), ("pin", "000000"), ("newPin", "246801"), ("newPinAgain", "246801"));
        var again = await RunAsync(IvrOperations.ChangePin, 2, ("account", "880000000002"), ("pin", Pin), ("newPin", "246801"), ("newPinAgain", "246801"));

        Assert.That((change.Result, again.Result), Is.EqualTo(("locked", "locked")));
    }

    [Test]
    public async Task AVerifiedPinAnswersTheAccountOwnersRecordedLanguageWhenTheDirectoryKnowsIt()
    {
        var backOffice = new BuiltInBackOffice(_db.Factory, new BackOfficeOptions(), new ManualTimeProvider(_t), NullLogger<BuiltInBackOffice>.Instance);
        var recorded = new Languages(new Dictionary<string, string> { ["13800000001"] = "en" });
        var withDirectory = new IvrBackOfficeExecutor(backOffice, backOffice, holdings: backOffice, languages: recorded);
        IvrAction.BackOfficeRequest Verify(string account, string pin) =>
            new(++_nextId, $"95500.verify#{_nextId}", IvrOperations.VerifyPin, new Dictionary<string, string> { ["account"] = account, ["pin"] = pin }, 1);

        var known = await withDirectory.RunAsync(Verify(Account, Pin), "call-7", null, default);
        var notRecorded = await withDirectory.RunAsync(Verify("880000000002", Pin), "call-7", null, default);
        var wrong = await withDirectory.RunAsync(Verify(Account, "000000"), "call-7", null, default);
        var withoutDirectory = await RunAsync(IvrOperations.VerifyPin, 1, ("account", Account), ("pin", Pin));

        Assert.Multiple(() =>
        {
            Assert.That((known.Result, known.Values.GetValueOrDefault(IvrOperations.ClientLanguage)), Is.EqualTo(("verified", "en")));
            Assert.That(recorded.Asked, Does.Contain("13800000001"), "the account's owner, found through the back office");
            Assert.That((notRecorded.Result, notRecorded.Values.ContainsKey(IvrOperations.ClientLanguage)), Is.EqualTo(("verified", false)));
            Assert.That(wrong.Values.ContainsKey(IvrOperations.ClientLanguage), Is.False, "nothing about the owner before the PIN is right");
            Assert.That(withoutDirectory.Values.ContainsKey(IvrOperations.ClientLanguage), Is.False);
        });
    }

    private sealed class Languages(Dictionary<string, string> recorded) : CallCenter.Contracts.Clients.IClientLanguages
    {
        public List<string> Asked { get; } = [];

        public Task<string?> LanguageOfAsync(string phone, CancellationToken cancellationToken)
        {
            Asked.Add(phone);
            return Task.FromResult(recorded.GetValueOrDefault(phone));
        }
    }

    [Test]
    public async Task ThreeWrongPinsAnswerLocked()
    {
        await RunAsync(IvrOperations.VerifyPin, 1, ("account", Account), ("pin", "000000"));
        await RunAsync(IvrOperations.VerifyPin, 2, ("account", Account), ("pin", "000001"));
        var third = await RunAsync(IvrOperations.VerifyPin, 3, ("account", Account), ("pin", "000002"));
        var rightButLocked = await RunAsync(IvrOperations.VerifyPin, 4, ("account", Account), ("pin", Pin));

        Assert.That((third.Result, rightButLocked.Result), Is.EqualTo(("locked", "locked")));
    }

    [Test]
    public async Task FundsPositionsAndQuotesAreTextTheSayEngineReads()
    {
        var funds = await RunAsync(IvrOperations.Funds, 1, ("account", Account));
        var positions = await RunAsync(IvrOperations.Positions, 1, ("account", Account));
        var quote = await RunAsync(IvrOperations.Quote, 1, ("code", "600036"));
        var unknown = await RunAsync(IvrOperations.Quote, 1, ("code", "999999"));

        Assert.Multiple(() =>
        {
            Assert.That(funds.Result, Is.EqualTo("ok"));
            Assert.That(funds.Values, Is.EqualTo(new Dictionary<string, string> { ["cash"] = "100000.00", ["available"] = "100000.00", ["frozen"] = "0.00" }));
            Assert.That(positions.Result, Is.EqualTo("ok"));
            Assert.That(positions.Items.Single(), Is.EqualTo(new Dictionary<string, string>
            {
                ["itemCode"] = "600000",
                ["itemName"] = "stock-600000",
                ["itemQuantity"] = "1000",
                ["itemValue"] = "10500.00",
            }));
            Assert.That((quote.Result, quote.Values["quoteName"], quote.Values["quoteLast"]), Is.EqualTo(("known", "stock-600036", "35.20")));
            Assert.That(unknown.Result, Is.EqualTo("unknownCode"));
        });
    }

    [Test]
    public async Task AQuoteCarriesTheDirectionAndSizeOfTheChangeFromThePreviousClose()
    {
        var up = await RunAsync(IvrOperations.Quote, 1, ("code", "600000"));
        var down = await RunAsync(IvrOperations.Quote, 1, ("code", "600036"));
        var alsoUp = await RunAsync(IvrOperations.Quote, 1, ("code", "000001"));
        var malformed = await RunAsync(IvrOperations.Quote, 1, ("code", "60000"));

        Assert.Multiple(() =>
        {
            Assert.That(up.Values, Is.EqualTo(new Dictionary<string, string>
            {
                ["quoteName"] = "stock-600000",
                ["quoteLast"] = "10.50",
                ["quotePreviousClose"] = "10.40",
                ["quoteTrend"] = "up",
                ["quoteChange"] = "0.10",
            }));
            Assert.That((down.Values["quoteTrend"], down.Values["quoteChange"]), Is.EqualTo(("down", "0.40")), "35.20 against 35.60: spoken without a sign");
            Assert.That((alsoUp.Values["quoteTrend"], alsoUp.Values["quoteChange"], alsoUp.Values["quoteLast"]), Is.EqualTo(("up", "0.05", "11.80")));
            Assert.That(malformed.Result, Is.EqualTo("unknownCode"));
        });
    }

    [Test]
    public async Task QuotesComeFromTheQuotePortNotTheCounter()
    {
        var backOffice = new BuiltInBackOffice(_db.Factory, new BackOfficeOptions(), new ManualTimeProvider(_t), NullLogger<BuiltInBackOffice>.Instance);
        var feed = new FixedQuotes(new Contracts.BackOffice.Quote("300750", "宁德时代", 200.00m, 200.00m));
        var executor = new IvrBackOfficeExecutor(backOffice, feed);

        var flat = await executor.RunAsync(new IvrAction.BackOfficeRequest(1, "95500.quoteLookup#1", IvrOperations.Quote, new Dictionary<string, string> { ["code"] = "300750" }, 1), "call-8", null, default);
        var notInFeed = await executor.RunAsync(new IvrAction.BackOfficeRequest(2, "95500.quoteLookup#2", IvrOperations.Quote, new Dictionary<string, string> { ["code"] = "600000" }, 1), "call-8", null, default);

        Assert.That((flat.Result, flat.Values["quoteTrend"], flat.Values["quoteChange"]), Is.EqualTo(("known", "flat", "0.00")));
        Assert.That(notInFeed.Result, Is.EqualTo("unknownCode"), "600000 is in the counter's table but not in this feed");
    }

    [Test]
    public async Task AnnouncementsAreAskedInTheSessionLanguageAndAnsweredAsPromptsToPlay()
    {
        var backOffice = new BuiltInBackOffice(_db.Factory, new BackOfficeOptions(), new ManualTimeProvider(_t), NullLogger<BuiltInBackOffice>.Instance);
        var notices = new FixedAnnouncements(new Contracts.Notices.CurrentAnnouncement(12, "a", "en", TimeSpan.FromSeconds(3)), new Contracts.Notices.CurrentAnnouncement(5, "b", "en", TimeSpan.FromSeconds(2)));
        var request = new IvrAction.BackOfficeRequest(1, "95500.announcements#1", IvrOperations.Announcements, new Dictionary<string, string> { ["language"] = "en" }, 1);

        var some = await new IvrBackOfficeExecutor(backOffice, backOffice, notices).RunAsync(request, "call-9", null, default);
        var without = await new IvrBackOfficeExecutor(backOffice, backOffice).RunAsync(request, "call-9", null, default);

        Assert.That(notices.Languages, Is.EqualTo(new[] { "en" }));
        Assert.That((some.Result, some.Values["itemCount"]), Is.EqualTo(("ok", "2")));
        Assert.That(some.Items.Select(i => i["itemAudio"]), Is.EqualTo(new[] { "announcement-12", "announcement-5" }));
        Assert.That(without.Result, Is.EqualTo("none"));
    }

    private sealed class FixedAnnouncements(params Contracts.Notices.CurrentAnnouncement[] current) : Contracts.Notices.IAnnouncements
    {
        public List<string> Languages { get; } = [];

        public Task<IReadOnlyList<Contracts.Notices.CurrentAnnouncement>> CurrentAsync(string language, int limit, CancellationToken cancellationToken)
        {
            Languages.Add(language);
            return Task.FromResult<IReadOnlyList<Contracts.Notices.CurrentAnnouncement>>([.. current.Take(limit)]);
        }

        public short[]? AudioOf(long id) => null;
    }

    private sealed class FixedQuotes(params Contracts.BackOffice.Quote[] quotes) : Contracts.BackOffice.IQuoteSource
    {
        public Task<Contracts.BackOffice.Quote?> GetQuoteAsync(string code, CancellationToken cancellationToken) =>
            Task.FromResult(quotes.FirstOrDefault(q => q.Code == code));
    }

    [Test]
    public async Task AnOrderIsPlacedOnceFrozenListedAndAuditedWithTheCallAndRecording()
    {
        var placed = await RunAsync(IvrOperations.PlaceOrder, 1, ("account", Account), ("side", "1"), ("code", "600000"), ("price", "10.2"), ("quantity", "200"));
        var orders = await RunAsync(IvrOperations.TodaysOrders, 1, ("account", Account));
        var after = await SnapshotAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(placed.Result, Is.EqualTo("placed"), "a buy below the last price stays open");
            Assert.That(after.Frozen, Is.EqualTo(2_040_00));
            Assert.That(orders.Items.Single()["itemStatus"], Is.EqualTo("status-open"));
            Assert.That(orders.Items.Single()["itemSide"], Is.EqualTo("side-buy"));
            await using var connection = await _db.Factory.OpenAsync();
            var audit = await connection.QuerySingleAsync<(string CallId, string Key, string? Recording)>(
                "SELECT call_id, idempotency_key, recording FROM bo_audit WHERE action = 'order'");
            Assert.That(audit, Is.EqualTo(("call-7", "call-7:95500.placeOrder#1", (string?)"call-7.wav")));
        });
    }

    [Test]
    public async Task AnOpenOrderIsListedAsCancellableAndCancelledOnceByTheVerifiedAccountOnly()
    {
        var placed = await RunAsync(IvrOperations.PlaceOrder, 1, ("account", Account), ("side", "1"), ("code", "600000"), ("price", "10.2"), ("quantity", "200"));
        var listed = (await RunAsync(IvrOperations.TodaysOrders, 1, ("account", Account))).Items.Single();
        var orderId = placed.Values["orderId"];

        var someoneElse = await RunAsync(IvrOperations.CancelOrder, 1, ("account", "880000000002"), ("itemOrderId", orderId));
        var notANumber = await RunAsync(IvrOperations.CancelOrder, 1, ("account", Account), ("itemOrderId", "1 OR 1=1"));
        var request = new IvrAction.BackOfficeRequest(99, "95500.orderCancel#99", IvrOperations.CancelOrder, new Dictionary<string, string> { ["account"] = Account, ["itemOrderId"] = orderId }, 1);
        var cancelled = await _executor.RunAsync(request, "call-7", "call-7.wav", default);
        var retried = await _executor.RunAsync(request, "call-7", "call-7.wav", default);
        var again = await RunAsync(IvrOperations.CancelOrder, 1, ("account", Account), ("itemOrderId", orderId));
        var after = await SnapshotAsync();
        var relisted = (await RunAsync(IvrOperations.TodaysOrders, 1, ("account", Account))).Items.Single();

        Assert.Multiple(() =>
        {
            Assert.That((listed["itemOrderId"], listed["itemCancellable"]), Is.EqualTo((orderId, "yes")));
            Assert.That(someoneElse.Result, Is.EqualTo("unknownOrder"), "another account's order is not found");
            Assert.That(notANumber.Result, Is.EqualTo("unknownOrder"));
            Assert.That((cancelled.Result, retried.Result), Is.EqualTo(("cancelled", "cancelled")), "a retried step cancels once and answers the same");
            Assert.That(again.Result, Is.EqualTo("notOpen"));
            Assert.That(after.Frozen, Is.Zero, "the cash the order held is released");
            Assert.That((relisted["itemStatus"], relisted["itemCancellable"]), Is.EqualTo(("status-cancelled", "no")));
        });
    }

    [TestCase("1", "600000", "12.00", "200", "priceOutOfBand")]
    [TestCase("1", "600000", "10.5", "150", "notWholeLot")]
    [TestCase("1", "600000", "10.5", "100000", "insufficientFunds")]
    [TestCase("2", "600000", "10.5", "2000", "insufficientPosition")]
    [TestCase("1", "999999", "10.5", "100", "unknownCode")]
    [TestCase("1", "600000", "1.2.3", "100", "invalidPrice")]
    [TestCase("1", "600000", "0", "100", "invalidPrice")]
    [TestCase("3", "600000", "10.5", "100", "invalidSide")]
    public async Task EachBadOrderHasItsOwnResultAndLeavesTheAccountUntouched(string side, string code, string price, string quantity, string result)
    {
        var before = await SnapshotAsync();
        var answer = await RunAsync(IvrOperations.PlaceOrder, 1, ("account", Account), ("side", side), ("code", code), ("price", price), ("quantity", quantity));

        Assert.That(answer.Result, Is.EqualTo(result));
        Assert.That(await SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task ATransferMovesTheMoneyOnceEvenWhenTheStepIsRetried()
    {
        var request = new IvrAction.BackOfficeRequest(1, "95500.transferDo#1", IvrOperations.Transfer,
            new Dictionary<string, string> { ["account"] = Account, ["direction"] = "1", ["amount"] = "5000.5" }, 1);
        var first = await _executor.RunAsync(request, "call-7", null, default);
        var retried = await _executor.RunAsync(request, "call-7", null, default);
        var after = await SnapshotAsync();

        Assert.Multiple(() =>
        {
            Assert.That((first.Result, first.Values["cash"]), Is.EqualTo(("done", "105000.50")));
            Assert.That(retried.Result, Is.EqualTo("done"));
            Assert.That((after.Cash, after.Bank, after.Transfers), Is.EqualTo((105_000_50L, 194_999_50L, 1L)));
        });
    }

    [Test]
    public async Task ADoneTransferAnswersDoneWhenTheBalanceReadAfterItFails()
    {
        var backOffice = new BuiltInBackOffice(_db.Factory, new BackOfficeOptions { DailyTransferLimit = 150_000m }, new ManualTimeProvider(_t), NullLogger<BuiltInBackOffice>.Instance);
        var executor = new IvrBackOfficeExecutor(new FundsReadFails(backOffice), backOffice);
        var request = new IvrAction.BackOfficeRequest(1, "95500.transferDo#1", IvrOperations.Transfer,
            new Dictionary<string, string> { ["account"] = Account, ["direction"] = "1", ["amount"] = "5000.5" }, 1);

        var answer = await executor.RunAsync(request, "call-7", null, default);
        var after = await SnapshotAsync();

        Assert.Multiple(() =>
        {
            Assert.That(answer.Result, Is.EqualTo("done"), "the money moved: the caller must not hear it failed and transfer again");
            Assert.That(answer.Values.ContainsKey("cash"), Is.False);
            Assert.That(after.Transfers, Is.EqualTo(1L));
        });
    }

    /// <summary>The built-in back office whose funds read fails (the database went away after the transfer's commit).</summary>
    private sealed class FundsReadFails(BuiltInBackOffice inner) : Contracts.BackOffice.IBackOffice
    {
        public Task<Contracts.BackOffice.AccountFunds?> GetFundsAsync(string account, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the database went away");

        public Task<Contracts.BackOffice.PinCheck> VerifyPinAsync(string account, string pin, Contracts.BackOffice.OperationContext context, CancellationToken cancellationToken) =>
            inner.VerifyPinAsync(account, pin, context, cancellationToken);

        public Task<IReadOnlyList<Contracts.BackOffice.Position>> GetPositionsAsync(string account, CancellationToken cancellationToken) => inner.GetPositionsAsync(account, cancellationToken);

        public Task<IReadOnlyList<Contracts.BackOffice.Order>> GetTodaysOrdersAsync(string account, CancellationToken cancellationToken) => inner.GetTodaysOrdersAsync(account, cancellationToken);

        public Task<IReadOnlyList<Contracts.BackOffice.Trade>> GetTodaysTradesAsync(string account, CancellationToken cancellationToken) => inner.GetTodaysTradesAsync(account, cancellationToken);

        public Task<Contracts.BackOffice.OrderResult> PlaceOrderAsync(Contracts.BackOffice.OrderRequest request, Contracts.BackOffice.OperationContext context, CancellationToken cancellationToken) =>
            inner.PlaceOrderAsync(request, context, cancellationToken);

        public Task<Contracts.BackOffice.CancelResult> CancelOrderAsync(string account, long orderId, Contracts.BackOffice.OperationContext context, CancellationToken cancellationToken) =>
            inner.CancelOrderAsync(account, orderId, context, cancellationToken);

        public Task<IReadOnlyList<Contracts.BackOffice.BankLink>> GetBankLinksAsync(string account, CancellationToken cancellationToken) => inner.GetBankLinksAsync(account, cancellationToken);

        public Task<Contracts.BackOffice.TransferResult> TransferAsync(Contracts.BackOffice.TransferRequest request, Contracts.BackOffice.OperationContext context, CancellationToken cancellationToken) =>
            inner.TransferAsync(request, context, cancellationToken);

        public Task<Contracts.BackOffice.PinChangeResult> ChangePinAsync(Contracts.BackOffice.PinChangeRequest request, Contracts.BackOffice.OperationContext context, CancellationToken cancellationToken) =>
            inner.ChangePinAsync(request, context, cancellationToken);

        public Task<Contracts.BackOffice.Quote?> GetQuoteAsync(string code, CancellationToken cancellationToken) => inner.GetQuoteAsync(code, cancellationToken);
    }

    [TestCase("1", "150000.01", "overDailyLimit")]
    [TestCase("2", "100000.01", "insufficientFunds")]
    [TestCase("1", "0", "invalidAmount")]
    [TestCase("1", "1.234", "invalidAmount")]
    [TestCase("1", "1.2.3", "invalidAmount")]
    [TestCase("9", "100", "invalidDirection")]
    public async Task EachBadTransferHasItsOwnResultAndMovesNothing(string direction, string amount, string result)
    {
        var before = await SnapshotAsync();
        var answer = await RunAsync(IvrOperations.Transfer, 1, ("account", Account), ("direction", direction), ("amount", amount));

        Assert.That(answer.Result, Is.EqualTo(result));
        Assert.That(await SnapshotAsync(), Is.EqualTo(before));
    }

    [TestCase("246801", "246802", "mismatch")]
    [TestCase(Pin, Pin, "sameAsOld")]
    [TestCase("24680", "24680", "notSixDigits")]
    [TestCase("123456", "123456", "tooSimple")]
    [TestCase("246801", "246801", "changed")]
    public async Task APinChangeAnswersEachRuleAndTheNewPinWorksOnlyOnceChanged(string newPin, string again, string result)
    {
        var answer = await RunAsync(IvrOperations.ChangePin, 1, ("account", Account), ("pin", Pin), ("newPin", newPin), ("newPinAgain", again));
        var withNew = await RunAsync(IvrOperations.VerifyPin, 1, ("account", Account), ("pin", "246801"));

        Assert.That(answer.Result, Is.EqualTo(result));
        Assert.That(withNew.Result, Is.EqualTo(result == "changed" ? "verified" : "wrong"));
    }

    [Test]
    public async Task NoPinOrAccountDigitsReachTheAuditOrTheStepKeys()
    {
        await RunAsync(IvrOperations.VerifyPin, 1, ("account", Account), ("pin", "975310"));
        await RunAsync(IvrOperations.VerifyPin, 2, ("account", Account), ("pin", Pin));
        await RunAsync(IvrOperations.ChangePin, 1, ("account", Account), ("pin", Pin), ("newPin", "864208"), ("newPinAgain", "864208"));

        await using var connection = await _db.Factory.OpenAsync();
        var stored = string.Join("\n", await connection.QueryAsync<string>(
            "SELECT action || ' ' || call_id || ' ' || idempotency_key || ' ' || outcome || ' ' || detail FROM bo_audit"));
        var keys = string.Join("\n", await connection.QueryAsync<string>("SELECT idempotency_key FROM bo_requests"));
        Assert.That(stored + keys, Does.Not.Contain("975310").And.Not.Contain(Pin).And.Not.Contain("864208"));
        Assert.That(stored, Does.Contain("call-7:95500.verifyPin#1"));
    }
}
