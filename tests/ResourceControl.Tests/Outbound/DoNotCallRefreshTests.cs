using CallCenter.Data;
using CallCenter.Data.Callbacks;
using CallCenter.ResourceControl.Outbound;
using CallCenter.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallCenter.ResourceControl.Tests.Outbound;

/// <summary>
/// Two nodes sharing one database (SQLite, and PostgreSQL with CALLCENTER_TEST_POSTGRES), each with its own
/// <see cref="OutboundRules"/> and its own clock: a number listed or taken off through one node is honoured by the other
/// once its clock has passed <see cref="OutboundOptions.DoNotCallRefreshSeconds"/>, not only after a restart; a read
/// that fails keeps the last list.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Providers))]
public sealed class DoNotCallRefreshTests(string provider)
{
    private const string Typed = "13900000061";
    private const string E164 = "+8613900000061";
    private static readonly DateTimeOffset _t = new(2026, 12, 7, 2, 0, 0, TimeSpan.Zero);

    // Any hour: only the list decides here.
    private static OutboundOptions Options() => new() { CallingHoursStart = "00:00", CallingHoursEnd = "00:00", DoNotCallRefreshSeconds = 3 };

    private static DialableNumber Number() => DialPlan.Normalize(Typed, new DialingOptions()).Number!;

    private static async Task<OutboundRules> StartNodeAsync(TestDatabase db, TimeProvider time, ILogger<OutboundRules>? logger = null)
    {
        var rules = new OutboundRules(new DoNotCallRepository(new DbConnectionFactory(db.Options)), new DialingOptions(), Options(), time, logger ?? NullLogger<OutboundRules>.Instance);
        await rules.StartAsync(CancellationToken.None);
        return rules;
    }

    [Test]
    public async Task ANumberListedThroughOneNodeIsRefusedByTheOtherOnceItsClockPassesTheRefreshAndFreedWhenTakenOff()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var clockA = new ManualTimeProvider(_t);
        var clockB = new ManualTimeProvider(_t);
        using var a = await StartNodeAsync(db, clockA);
        using var b = await StartNodeAsync(db, clockB);

        await a.AddAsync(Typed, "client asked node A's supervisor", "li.na", CancellationToken.None);
        var beforeRefresh = b.Check(Number(), riskNotice: false, "list call", "le-1");
        await StepUntilAsync(clockB, () => b.DoNotCallReason(E164) is not null);
        var listed = b.Check(Number(), riskNotice: false, "list call", "le-1");
        var riskNotice = b.Check(Number(), riskNotice: true, "list call", "le-2");

        await a.RemoveAsync(Typed, "li.na", CancellationToken.None);
        await StepUntilAsync(clockB, () => b.DoNotCallReason(E164) is null);
        var freed = b.Check(Number(), riskNotice: false, "list call", "le-1");

        Assert.Multiple(() =>
        {
            Assert.That(beforeRefresh.Allowed, Is.True, "before its refresh node B has not read the row (the window this period bounds)");
            Assert.That(listed.Allowed, Is.False, "node B must refuse a number listed through node A");
            Assert.That(listed.Block, Is.EqualTo(OutboundBlock.DoNotCall));
            Assert.That(listed.Reason, Does.Contain("client asked node A's supervisor"));
            Assert.That(riskNotice.Allowed, Is.False, "a risk notice overrides quiet hours, never the do-not-call list");
            Assert.That(freed.Allowed, Is.True, "a number taken off through node A is dialled by node B again");
            Assert.That(clockB.GetUtcNow() - _t, Is.LessThanOrEqualTo(TimeSpan.FromSeconds(12)), "each change is seen within about one period");
        });
    }

    [Test]
    public async Task AReadThatFailsKeepsTheLastListAndAWarningSaysSo()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var clockA = new ManualTimeProvider(_t);
        var clockB = new ManualTimeProvider(_t);
        var log = new ListLogger();
        using var a = await StartNodeAsync(db, clockA);
        using var b = await StartNodeAsync(db, clockB, log);
        await a.AddAsync(Typed, "complaint to the regulator", "li.na", CancellationToken.None);
        var firstRead = await b.RefreshAsync();

        // The table gone for a while (a real failure of the database's, not a stub's): B's reads fail.
        await ExecuteAsync(db, "ALTER TABLE do_not_call RENAME TO do_not_call_away");
        var failedRead = await b.RefreshAsync();
        var secondFailure = await b.RefreshAsync();
        var duringOutage = b.Check(Number(), riskNotice: false, "callback", "cb-1");
        var warnings = log.Lines.Count(l => l.Level == LogLevel.Warning && l.Id == 4125);

        await ExecuteAsync(db, "ALTER TABLE do_not_call_away RENAME TO do_not_call");
        var recovered = await b.RefreshAsync();

        Assert.Multiple(() =>
        {
            Assert.That(firstRead, Is.True);
            Assert.That(failedRead, Is.False, "the read must fail while the table is away");
            Assert.That(secondFailure, Is.False);
            Assert.That(duringOutage.Allowed, Is.False, "a failed read must keep the last list, not empty it");
            Assert.That(duringOutage.Reason, Does.Contain("complaint to the regulator"));
            Assert.That(warnings, Is.EqualTo(1), "one warning for a run of failures:\n" + string.Join("\n", log.Lines));
            Assert.That(recovered, Is.True);
            Assert.That(log.Lines.Any(l => l.Id == 4127), Is.True, "the recovery is logged");
            Assert.That(b.DoNotCallReason(E164), Is.EqualTo("complaint to the regulator"));
        });
    }

    [Test]
    public async Task AnAddOnThisNodeIsNotUndoneByARefreshAndAppliesAtOnce()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var clock = new ManualTimeProvider(_t);
        using var a = await StartNodeAsync(db, clock);

        await a.AddAsync(Typed, "asked on the phone", "1003", CancellationToken.None);
        var atOnce = a.Check(Number(), riskNotice: false, "click-to-dial", "1003");
        var refreshed = await a.RefreshAsync();

        Assert.Multiple(() =>
        {
            Assert.That(atOnce.Allowed, Is.False, "an add made here applies before any refresh");
            Assert.That(refreshed, Is.True);
            Assert.That(a.DoNotCallReason(E164), Is.EqualTo("asked on the phone"));
        });
    }

    [Test]
    public async Task TheCheckBeforeACallbacksInviteAsksTheDatabaseSoAnAddOnAnotherNodeCountsAtOnce()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var log = new ListLogger();
        using var a = await StartNodeAsync(db, new ManualTimeProvider(_t));
        using var b = await StartNodeAsync(db, new ManualTimeProvider(_t), log);

        await a.AddAsync(Typed, "client asked node A", "li.na", CancellationToken.None);
        var fromMemory = b.Check(Number(), riskNotice: false, "callback", "cb-1");
        var listed = await b.CheckAsync(Number(), riskNotice: false, "callback", "cb-1");
        await b.RefreshAsync();
        await a.RemoveAsync(Typed, "li.na", CancellationToken.None);
        var removed = await b.CheckAsync(Number(), riskNotice: false, "callback", "cb-1");

        // The database unreachable for the look-up: the list in memory decides (B read the number before its removal).
        await b.RefreshAsync();
        await a.AddAsync(Typed, "listed again", "li.na", CancellationToken.None);
        await b.RefreshAsync();
        await ExecuteAsync(db, "ALTER TABLE do_not_call RENAME TO do_not_call_away");
        var fallback = await b.CheckAsync(Number(), riskNotice: false, "callback", "cb-1");
        await ExecuteAsync(db, "ALTER TABLE do_not_call_away RENAME TO do_not_call");

        Assert.Multiple(() =>
        {
            Assert.That(fromMemory.Allowed, Is.True, "B's memory has not read the row yet");
            Assert.That(listed.Allowed, Is.False, "the look-up must see the row node A just wrote");
            Assert.That(listed.Reason, Does.Contain("client asked node A"));
            Assert.That(removed.Allowed, Is.True, "the database no longer lists it: it may be dialled");
            Assert.That(fallback.Allowed, Is.False, "a failed look-up falls back on the list in memory");
            Assert.That(fallback.Reason, Does.Contain("listed again"));
            Assert.That(log.Lines.Any(l => l.Id == 4129 && l.Level == LogLevel.Warning), Is.True, "the failed look-up is logged");
        });
    }

    [Test]
    public async Task ALookUpThatIgnoresItsDeadlineIsGivenUpAfterASecondAndTheListInMemoryDecides()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var clock = new ManualTimeProvider(_t);
        var store = new HungLookUps(new DoNotCallRepository(new DbConnectionFactory(db.Options)));
        var log = new ListLogger();
        using var rules = new OutboundRules(store, new DialingOptions(), Options(), clock, log);
        await rules.StartAsync(CancellationToken.None);
        await rules.AddAsync(Typed, "client asked", "li.na", CancellationToken.None);

        // A database that neither answers nor heeds the cancellation (a blocked command, a lost connection).
        var check = rules.CheckAsync(Number(), riskNotice: false, "callback", "cb-hung");
        await Task.Delay(100);
        var beforeTheDeadline = check.IsCompleted;
        clock.Advance(OutboundRules.LookupDeadline);
        var decision = await check.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Multiple(() =>
        {
            Assert.That(beforeTheDeadline, Is.False, "it waits for the database up to the deadline");
            Assert.That(decision.Allowed, Is.False, "the list in memory has the number");
            Assert.That(decision.Reason, Does.Contain("client asked"));
            Assert.That(log.Lines.Any(l => l.Id == 4129 && l.Level == LogLevel.Warning), Is.True, "the given-up look-up is logged");
        });
        store.Release.SetResult();
    }

    [Test]
    public async Task AnAddRacingARefreshThatReadTheListBeforeItIsNotLost()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var store = new HeldReads(new DoNotCallRepository(new DbConnectionFactory(db.Options)));
        using var rules = new OutboundRules(store, new DialingOptions(), Options(), new ManualTimeProvider(_t), NullLogger<OutboundRules>.Instance);
        await rules.StartAsync(CancellationToken.None);

        // The refresh reads the list (without the number) and is held there; an add on this node comes meanwhile.
        store.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var refresh = rules.RefreshAsync();
        await store.Read.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var add = rules.AddAsync(Typed, "asked on the phone", "1003", CancellationToken.None);
        await Task.Delay(200);
        store.Hold.SetResult();
        await Task.WhenAll(refresh, add).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(rules.DoNotCallReason(E164), Is.EqualTo("asked on the phone"), "the refresh's older read must not undo the add");
    }

    /// <summary>The real store; a list read, once read, waits for <see cref="Hold"/> (when set) before it returns.</summary>
    private sealed class HeldReads(IDoNotCallStore inner) : IDoNotCallStore
    {
        public TaskCompletionSource? Hold { get; set; }

        public TaskCompletionSource Read { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<bool> AddAsync(DoNotCallRow row, CancellationToken cancellationToken = default) => inner.AddAsync(row, cancellationToken);

        public Task<bool> RemoveAsync(string number, CancellationToken cancellationToken = default) => inner.RemoveAsync(number, cancellationToken);

        public async Task<IReadOnlyList<DoNotCallRow>> ListAsync(CancellationToken cancellationToken = default)
        {
            var rows = await inner.ListAsync(cancellationToken);
            if (Hold is { } hold)
            {
                Read.TrySetResult();
                await hold.Task;
            }

            return rows;
        }

        public Task<DoNotCallRow?> FindAsync(string number, CancellationToken cancellationToken = default) => inner.FindAsync(number, cancellationToken);
    }

    /// <summary>The real store, but a look-up by number waits for <see cref="Release"/> whatever its token says.</summary>
    private sealed class HungLookUps(IDoNotCallStore inner) : IDoNotCallStore
    {
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<bool> AddAsync(DoNotCallRow row, CancellationToken cancellationToken = default) => inner.AddAsync(row, cancellationToken);

        public Task<bool> RemoveAsync(string number, CancellationToken cancellationToken = default) => inner.RemoveAsync(number, cancellationToken);

        public Task<IReadOnlyList<DoNotCallRow>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);

        public async Task<DoNotCallRow?> FindAsync(string number, CancellationToken cancellationToken = default)
        {
            await Release.Task;
            return await inner.FindAsync(number, CancellationToken.None);
        }
    }

    /// <summary>Steps <paramref name="clock"/> a second at a time (each step may fire the node's refresh) until <paramref name="done"/>, 30 s of its time at most.</summary>
    private static async Task StepUntilAsync(ManualTimeProvider clock, Func<bool> done)
    {
        for (var i = 0; i < 30 && !done(); i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            for (var wait = 0; wait < 20 && !done(); wait++)
            {
                await Task.Delay(25);
            }
        }

        Assert.That(done(), Is.True, "the node did not see the change within 30 s of its clock");
    }

    private static async Task ExecuteAsync(TestDatabase db, string sql)
    {
        await using var connection = await db.Factory.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private sealed class ListLogger : ILogger<OutboundRules>
    {
        private readonly List<(LogLevel Level, int Id, string Text)> _lines = [];

        public IReadOnlyList<(LogLevel Level, int Id, string Text)> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines)
            {
                _lines.Add((logLevel, eventId.Id, formatter(state, exception)));
            }
        }
    }
}
