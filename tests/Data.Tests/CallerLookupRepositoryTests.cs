using CallCenter.Data.CallLists;
using CallCenter.Data.Calls;
using CallCenter.Data.Catalog;

namespace CallCenter.Data.Tests;

[TestFixtureSource(typeof(CallCenter.TestSupport.TestDatabases), nameof(CallCenter.TestSupport.TestDatabases.Providers))]
public sealed class CallerLookupRepositoryTests(string provider)
{
    private static readonly DateTimeOffset _t0 = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private static CallRecord Record(string id, string caller, int minute) => new()
    {
        Id = id,
        Caller = caller,
        Dialed = "95500",
        IvrPath = ["95500.menu"],
        StartedAt = _t0.AddMinutes(minute),
        EndedAt = _t0.AddMinutes(minute).AddSeconds(40),
        Disposition = "agent-hung-up",
    };

    [Test]
    public async Task AClientIsFoundWithTheirManagersNameAndTheirLastCallsNewestFirst()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var catalog = new CatalogRepository(db.Factory);
        var calls = new CallRecordRepository(db.Factory);
        await catalog.UpsertAgentAsync(new AgentRecord("1004", "周强", "callcenter", "a", "b"));
        await catalog.UpsertClientAsync(new ClientRecord("13800000003", "张伟", "6225****0003", "Gold", "1004", "zh", "深圳"));
        for (var minute = 0; minute < 7; minute++)
        {
            await calls.InsertOnceAsync(Record($"r{minute}", "13800000003", minute) with
            {
                Agent = "1004",
                TalkSeconds = minute * 10,
                WrapUpCode = minute == 6 ? "resolved" : null,
                WrapUpNotes = minute == 6 ? "备注" : null,
            });
        }

        await calls.InsertOnceAsync(Record("other", "13800000009", 8));

        var found = await new CallerLookupRepository(db.Factory).FindAsync("13800000003", 5);

        Assert.That(found.Client, Is.EqualTo(new ClientRecord("13800000003", "张伟", "6225****0003", "Gold", "1004", "zh", "深圳")));
        Assert.That(found.ManagerName, Is.EqualTo("周强"));
        Assert.That(found.Recent.Select(r => r.Id), Is.EqualTo(new[] { "r6", "r5", "r4", "r3", "r2" }));
        Assert.That(found.Recent[0], Is.EqualTo(new RecentCall("r6", _t0.AddMinutes(6), "1004", "agent-hung-up", "resolved", "备注", 60)));
    }

    [Test]
    public async Task AManagerOutsideTheHotlineIsFoundByNameAndPhoneWithNoExtensionToRouteTo()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var client = new ClientRecord("13800000006", "陈静", "6225****0006", "Dormant", null, "zh", "杭州", "吴敏", "+8657188886666");
        await new CatalogRepository(db.Factory).UpsertClientAsync(client);

        var found = await new CallerLookupRepository(db.Factory).FindAsync("13800000006", 5);

        Assert.That(found.Client, Is.EqualTo(client));
        Assert.That((found.Client!.ManagerExtension, found.ManagerName), Is.EqualTo(((string?)null, "吴敏")));
    }

    [Test]
    public async Task AnUnknownNumberHasNoEntryButKeepsItsHistoryAndAClientWithoutManagerHasNoManagerName()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        await new CatalogRepository(db.Factory).UpsertClientAsync(new ClientRecord("13800000004", "李娜", "6225****0004", "Silver", null, "en", "北京"));
        await new CallRecordRepository(db.Factory).InsertOnceAsync(Record("x", "010-5550100", 1));
        var lookup = new CallerLookupRepository(db.Factory);

        var unknown = await lookup.FindAsync("010-5550100", 5);
        var noManager = await lookup.FindAsync("13800000004", 5);

        Assert.That((unknown.Client, unknown.ManagerName), Is.EqualTo(((ClientRecord?)null, (string?)null)));
        Assert.That(unknown.Recent.Select(r => r.Id), Is.EqualTo(new[] { "x" }));
        Assert.That((noManager.Client?.Name, noManager.ManagerName, noManager.Recent.Count), Is.EqualTo(("李娜", (string?)null, 0)));
    }

    [Test]
    public async Task AClientWhoseLatestAnswerDeniedTheirManagerIsFoundWithWhenButNotForAnotherManagerOrALaterConfirmation()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var catalog = new CatalogRepository(db.Factory);
        await catalog.UpsertAgentAsync(new AgentRecord("1004", "周强", "callcenter", "a", "b"));
        await catalog.UpsertAgentAsync(new AgentRecord("1002", "刘洋", "callcenter", "a", "b"));
        await catalog.UpsertClientAsync(new ClientRecord("13800000003", "张伟", "6225****0003", "Gold", "1004", "zh", "深圳"));
        await catalog.UpsertClientAsync(new ClientRecord("13800000004", "李娜", "6225****0004", "Gold", "1004", "zh", "北京"));
        await catalog.UpsertClientAsync(new ClientRecord("13800000005", "王芳", "6225****0005", "Gold", "1002", "zh", "上海"));
        await catalog.UpsertClientAsync(new ClientRecord("13800000006", "赵磊", "6225****0006", "Gold", "1004", "zh", "上海"));
        await catalog.UpsertClientAsync(new ClientRecord("13800000007", "孙丽", "6225****0007", "Gold", "1004", "zh", "上海"));
        var lists = new CallListRepository(db.Factory);
        await lists.InsertListAsync(new CallListRow("new", "New accounts", "new-account", "general", 3, 60, "api-key", _t0));
        CallListEntryRow Entry(string id, string number, string manager, string? confirmation, int minute) => new()
        {
            Id = id,
            ListId = "new",
            Number = number,
            AccountManager = manager,
            DueBy = _t0.AddDays(1),
            Status = CallListStatuses.Reached,
            Confirmation = confirmation,
            CreatedAt = _t0,
            UpdatedAt = _t0.AddMinutes(minute),
        };

        await lists.InsertEntriesAsync(
        [
            Entry("denied", "13800000003", "1004", "denied", 5),
            Entry("confirmed", "13800000004", "1004", "confirmed", 6),
            Entry("denied-old-manager", "13800000005", "1004", "denied", 7), // since then the directory names 1002
            Entry("denied-then", "13800000006", "1004", "denied", 8),
            Entry("confirmed-later", "13800000006", "1004", "confirmed", 9), // a later call's answer lifts the flag
            Entry("confirmed-then", "13800000007", "1004", "confirmed", 8),
            Entry("denied-later", "13800000007", "1004", "denied", 9),
            Entry("unanswered-latest", "13800000007", "1004", null, 10),       // no answer: the last answer stands
        ]);
        var lookup = new CallerLookupRepository(db.Factory);

        Assert.That((await lookup.FindAsync("13800000003", 5)).ManagerDeniedAt, Is.EqualTo(_t0.AddMinutes(5)));
        Assert.That((await lookup.FindAsync("13800000004", 5)).ManagerDeniedAt, Is.Null, "confirmed");
        Assert.That((await lookup.FindAsync("13800000005", 5)).ManagerDeniedAt, Is.Null, "the denied manager is no longer the directory's");
        Assert.That((await lookup.FindAsync("13800000006", 5)).ManagerDeniedAt, Is.Null, "confirmed on a later call");
        Assert.That((await lookup.FindAsync("13800000007", 5)).ManagerDeniedAt, Is.EqualTo(_t0.AddMinutes(9)), "denied on a later call");
    }

    [Test]
    public async Task AKeptLookupSeesWhatWasWrittenSinceAndLookupsAtOnceEachGetTheirOwnCaller()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var catalog = new CatalogRepository(db.Factory);
        var records = new CallRecordRepository(db.Factory);
        for (var n = 0; n < 12; n++)
        {
            await catalog.UpsertClientAsync(new ClientRecord($"138000001{n:D2}", $"客户{n}", $"6225****01{n:D2}", "Silver", null, "zh", "上海"));
        }

        await using var lookup = new CallerLookupRepository(db.Factory);
        var first = await lookup.FindAsync("13800000100", 5);
        Assert.That((first.Client?.Tier, first.Recent.Count), Is.EqualTo(("Silver", 0)));

        // Written through other connections after the look-up was prepared: the next look-up reads them.
        await catalog.UpsertClientAsync(new ClientRecord("13800000100", "客户0", "6225****0100", "VIP", null, "zh", "上海"));
        await records.InsertOnceAsync(Record("later", "13800000100", 3));
        var again = await lookup.FindAsync("13800000100", 5);
        Assert.That((again.Client?.Tier, again.Recent.Select(r => r.Id).Single()), Is.EqualTo(("VIP", "later")));

        // More look-ups at once than are kept prepared, several rounds: each answers for its own number.
        for (var round = 0; round < 5; round++)
        {
            var found = await Task.WhenAll(Enumerable.Range(0, 12).Select(n => Task.Run(() => lookup.FindAsync($"138000001{n:D2}", 5))));
            Assert.That(found.Select(f => f.Client?.Name), Is.EqualTo(Enumerable.Range(0, 12).Select(n => $"客户{n}")));
        }

        // Once disposed (the platform stopping), a late look-up still answers, on a connection of its own.
        await lookup.DisposeAsync();
        Assert.That((await lookup.FindAsync("13800000105", 5)).Client?.Name, Is.EqualTo("客户5"));
    }
}
