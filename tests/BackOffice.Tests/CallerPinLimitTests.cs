using CallCenter.BackOffice.Rules;
using CallCenter.Data;
using CallCenter.Ivr.Flows;
using CallCenter.Ivr.SelfService;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallCenter.BackOffice.Tests;

/// <summary>
/// The platform's limit on wrong PINs per trusted calling number across calls and accounts (<see cref="CallerPinLimit"/>,
/// <see cref="CallerPinFailureStore"/>), through the IVR's executor and the built-in back office on a real database; and
/// the pruning of unknown account numbers' counts.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Providers))]
public sealed class CallerPinLimitTests(string provider)
{
    private const string Pin = "135790";
    private const string Sprayer = "13800000077";
    private static readonly DateTimeOffset _t = new(2026, 12, 4, 2, 0, 0, TimeSpan.Zero);

    private TestDatabase _db = null!;
    private ManualTimeProvider _time = null!;
    private CallerPinFailureStore _store = null!;
    private IvrBackOfficeExecutor _executor = null!;
    private long _nextId;

    [SetUp]
    public async Task SetUpAsync()
    {
        _db = await TestDatabase.CreateAsync(provider);
        await new Migrator(_db.Factory).MigrateAsync();
        await BackOfficeDemo.SeedAsync(_db.Factory, default);
        _time = new ManualTimeProvider(_t);
        _store = new CallerPinFailureStore(_db.Factory, _time);
        var backOffice = new BuiltInBackOffice(_db.Factory, new BackOfficeOptions(), _time, NullLogger<BuiltInBackOffice>.Instance);
        _executor = new IvrBackOfficeExecutor(backOffice, backOffice, holdings: backOffice, callerPinFailures: _store);
    }

    [TearDown]
    public async Task TearDownAsync() => await _db.DisposeAsync();

    private Task<IvrEvent.Answered> VerifyAsync(string callId, string account, string pin, string? trustedNumber)
    {
        var id = ++_nextId;
        var request = new IvrAction.BackOfficeRequest(id, $"95500.verify#{id}", IvrOperations.VerifyPin,
            new Dictionary<string, string> { ["account"] = account, ["pin"] = pin }, 1);
        return _executor.RunAsync(request, callId, null, default, new IvrCaller(trustedNumber, null));
    }

    private async Task<long> AccountFailuresAsync(string account)
    {
        await using var connection = await _db.Factory.OpenAsync();
        return await connection.ExecuteScalarAsync<long?>("SELECT failures FROM bo_pin_failures WHERE account = @account", new { account }) ?? 0;
    }

    /// <summary>One wrong PIN per call, each call a new account (real or not): the spraying no account's lock catches.</summary>
    private async Task<List<string>> SprayAsync(string? number, int calls, string prefix)
    {
        var results = new List<string>();
        for (var call = 1; call <= calls; call++)
        {
            var account = call % 2 == 0 ? BackOfficeDemo.AccountOf(1 + (call / 2 % 6)) : $"8899999{call:D5}";
            results.Add((await VerifyAsync($"{prefix}-{call}", account, "123456", number)).Result);
        }

        return results;
    }

    [Test]
    public async Task ANumberSprayingOnePinOverManyAccountsIsRefusedAfterTenWrongPinsEvenWithTheRightPin()
    {
        var spray = await SprayAsync(Sprayer, CallerPinLimit.MaxFailures, "spray");
        var failuresBefore = await AccountFailuresAsync(BackOfficeDemo.AccountOf(6));
        var right = await VerifyAsync("spray-right", BackOfficeDemo.AccountOf(6), Pin, Sprayer);
        var failuresAfter = await AccountFailuresAsync(BackOfficeDemo.AccountOf(6));
        var otherNumber = await VerifyAsync("other-right", BackOfficeDemo.AccountOf(6), Pin, "13800000078");

        Assert.Multiple(() =>
        {
            Assert.That(spray.Take(CallerPinLimit.MaxFailures - 1), Is.All.EqualTo("wrong"), "no account took three in a row, no call more than one");
            Assert.That(spray[^1], Is.EqualTo("locked"), "the tenth wrong PIN from the number spends its day");
            Assert.That(right.Result, Is.EqualTo("locked"), "even the right PIN is refused from that number");
            Assert.That(otherNumber.Result, Is.EqualTo("verified"), "another number and the account itself are not affected");
            Assert.That((failuresBefore, failuresAfter), Is.EqualTo((1L, 1L)), "a refused check never reached the back office (a right PIN there would clear the count)");
        });
    }

    [Test]
    public async Task TheRefusalEndsWithTheWindowAndTheNextWrongPinStartsANewCount()
    {
        await SprayAsync(Sprayer, CallerPinLimit.MaxFailures, "day1");
        _time.Advance(CallerPinLimit.Window - TimeSpan.FromMinutes(1));
        var stillRefused = await VerifyAsync("day1-late", BackOfficeDemo.AccountOf(6), Pin, Sprayer);
        _time.Advance(TimeSpan.FromMinutes(1));
        var nextDay = await VerifyAsync("day2-right", BackOfficeDemo.AccountOf(6), Pin, Sprayer);
        var nextDayWrong = await VerifyAsync("day2-wrong", "889999900001", "123456", Sprayer);

        Assert.Multiple(() =>
        {
            Assert.That(stillRefused.Result, Is.EqualTo("locked"));
            Assert.That(nextDay.Result, Is.EqualTo("verified"), "24 hours after the window's first wrong PIN");
            Assert.That(nextDayWrong.Result, Is.EqualTo("wrong"), "a new window: one wrong PIN of ten");
        });
    }

    [Test]
    public async Task ACallerIdThePlatformDoesNotTrustIsNotCountedSoNobodyCanLockAClientsNumberOut()
    {
        var untrusted = await SprayAsync(null, CallerPinLimit.MaxFailures + 2, "untrusted");
        var client = await VerifyAsync("client", BackOfficeDemo.AccountOf(5), Pin, Sprayer);

        Assert.Multiple(() =>
        {
            Assert.That(untrusted, Is.All.EqualTo("wrong"), "each call and account keeps its own limits only");
            Assert.That(client.Result, Is.EqualTo("verified"));
        });
    }

    [Test]
    public async Task ConcurrentWrongPinsFromOneNumberAreAllCounted()
    {
        // A first row, then 30 at once: each reads the row and writes its count back.
        await _store.AddFailureAsync(Sprayer, default);
        using var start = new ManualResetEventSlim();
        var adds = Enumerable.Range(0, 30).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            await _store.AddFailureAsync(Sprayer, default);
        })).ToList();
        start.Set();
        await Task.WhenAll(adds);

        await using var connection = await _db.Factory.OpenAsync();
        var failures = await connection.ExecuteScalarAsync<long>("SELECT failures FROM ivr_caller_pin_failures WHERE number = @Sprayer", new { Sprayer });
        Assert.Multiple(async () =>
        {
            Assert.That(failures, Is.EqualTo(31));
            Assert.That(await _store.BlockedUntilAsync(Sprayer, default), Is.EqualTo(_t + CallerPinLimit.Window));
        });
    }

    [Test]
    public async Task ANumberWhoseWindowEndedIsPrunedAndOneStillCountingIsKept()
    {
        await _store.AddFailureAsync("13800000001", default);
        _time.Advance(TimeSpan.FromHours(20));
        await _store.AddFailureAsync("13800000002", default);
        _time.Advance(TimeSpan.FromHours(5)); // the first window ended 1 hour ago, the second has 19 hours left
        await _store.AddFailureAsync("13800000003", default);

        await using var connection = await _db.Factory.OpenAsync();
        var left = (await connection.QueryAsync<string>("SELECT number FROM ivr_caller_pin_failures ORDER BY number")).ToList();
        Assert.That(left, Is.EqualTo(new[] { "13800000002", "13800000003" }));
    }

    [Test]
    public async Task AnUnknownAccountNumberNotTriedForAWeekIsForgottenUnlessItIsLocked()
    {
        await using (var connection = await _db.Factory.OpenAsync())
        {
            // From before the column: a lock still running is kept, an old count without a lock goes.
            await connection.ExecuteAsync(
                "INSERT INTO bo_unknown_pin_failures (account, failures, locked_until_ms, updated_at_ms) VALUES ('889999900010', 3, @until, 0), ('889999900011', 2, NULL, 0)",
                new { until = (_t + TimeSpan.FromDays(9)).ToUnixTimeMilliseconds() });
        }

        await VerifyAsync("old", "889999900012", "123456", null); // the first check prunes (nothing of its own yet)
        _time.Advance(TimeSpan.FromDays(8));
        await VerifyAsync("new", "889999900013", "123456", null);

        await using var check = await _db.Factory.OpenAsync();
        var left = (await check.QueryAsync<string>("SELECT account FROM bo_unknown_pin_failures ORDER BY account")).ToList();
        Assert.That(left, Is.EqualTo(new[] { "889999900010", "889999900013" }), "the locked one and today's are kept; last week's and the unlocked old one are gone");
    }

    [Test]
    public async Task AClientsOwnAccountStaysOpenFromTheirNumberAfterSomeoneSpentItAndOtherAccountsDoNot()
    {
        // Someone names the client's number (+86 form) as their caller id and spends its day on other accounts.
        var spray = await SprayAsync("+8613800000005", CallerPinLimit.MaxFailures, "spoofed");
        var own = await VerifyAsync("client", BackOfficeDemo.AccountOf(5), Pin, "008613800000005");
        var other = await VerifyAsync("client-other", BackOfficeDemo.AccountOf(4), Pin, "13800000005");

        Assert.Multiple(() =>
        {
            Assert.That(spray[^1], Is.EqualTo("locked"), "+86 138…, 0086 138… and 138… are one number");
            Assert.That(own.Result, Is.EqualTo("verified"), "the account the directory gives the number is still the client's to open");
            Assert.That(other.Result, Is.EqualTo("locked"), "any other account stays refused from that number");
        });
    }

    [TestCase("anonymous")]
    [TestCase("1234")]
    public async Task AWithheldOrNonNumericCallerIdIsNotCountedSoOneCannotLockEveryWithheldCallerOut(string callerId)
    {
        var spray = await SprayAsync(callerId, CallerPinLimit.MaxFailures + 2, "withheld");

        Assert.That(spray, Is.All.EqualTo("wrong"));
        await using var connection = await _db.Factory.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ivr_caller_pin_failures"), Is.Zero);
    }

    [Test]
    public async Task ALockedAccountsAnswerIsNoGuessAndDoesNotSpendTheNumber()
    {
        for (var call = 1; call <= 3; call++)
        {
            await VerifyAsync($"lock-{call}", BackOfficeDemo.AccountOf(3), "123456", null); // untrusted: locks the account only
        }

        var onLocked = new List<string>();
        for (var call = 1; call <= CallerPinLimit.MaxFailures + 2; call++)
        {
            onLocked.Add((await VerifyAsync($"owner-{call}", BackOfficeDemo.AccountOf(3), Pin, Sprayer)).Result);
        }

        var elsewhere = await VerifyAsync("owner-other", BackOfficeDemo.AccountOf(2), Pin, Sprayer);

        Assert.Multiple(() =>
        {
            Assert.That(onLocked, Is.All.EqualTo("locked"));
            Assert.That(elsewhere.Result, Is.EqualTo("verified"), "twelve tries on a locked account spent nothing of the number's day");
        });
    }

    [Test]
    public async Task AfterAWeekWithoutAWrongPinARealAccountAndAnUnknownNumberAnswerAlikeSoPruningTellsNothing()
    {
        // Two wrong PINs on each, from calls whose caller id is not trusted; then a week and a day of silence, in which
        // the unknown number's row is pruned; then one more wrong PIN each, and two more.
        for (var call = 1; call <= 2; call++)
        {
            await VerifyAsync($"real-{call}", BackOfficeDemo.AccountOf(1), "123456", null);
            await VerifyAsync($"unknown-{call}", "889999900020", "123456", null);
        }

        _time.Advance(TimeSpan.FromDays(8));
        var real = new List<string>();
        var unknown = new List<string>();
        for (var call = 3; call <= 5; call++)
        {
            real.Add((await VerifyAsync($"real-{call}", BackOfficeDemo.AccountOf(1), "123456", null)).Result);
            unknown.Add((await VerifyAsync($"unknown-{call}", "889999900020", "123456", null)).Result);
        }

        Assert.Multiple(() =>
        {
            Assert.That(real, Is.EqualTo(new[] { "wrong", "wrong", "locked" }), "the real account's old count is forgotten too");
            Assert.That(unknown, Is.EqualTo(real));
        });
    }

    [Test]
    public async Task TheWrongPinThatLocksAnAccountIsAGuessAndCountsAgainstTheNumber()
    {
        // Three wrong PINs on each of three accounts, one a call: the third on each locks it, and was compared all the same.
        var results = new List<string>();
        for (var account = 1; account <= 3; account++)
        {
            for (var call = 1; call <= 3; call++)
            {
                results.Add((await VerifyAsync($"a{account}-{call}", BackOfficeDemo.AccountOf(account), "123456", Sprayer)).Result);
            }
        }

        var tenth = await VerifyAsync("tenth", "889999900030", "123456", Sprayer);

        Assert.Multiple(() =>
        {
            Assert.That(results, Is.EqualTo(new[] { "wrong", "wrong", "locked", "wrong", "wrong", "locked", "wrong", "wrong", "locked" }));
            Assert.That(tenth.Result, Is.EqualTo("locked"), "nine guesses counted, so the tenth spends the number's day");
        });
    }
}
