using CallCenter.Data.Clients;
using CallCenter.ResourceControl.Clients;
using CallCenter.ResourceControl.Hosting;
using CallCenter.TestSupport;

namespace CallCenter.ResourceControl.Tests.Clients;

public sealed class TierReviewRunnerTests
{
    private static readonly Quarter _q2 = new(2026, 2);

    [Test]
    public async Task AQuarterIsAppliedOnceWithItsHistory()
    {
        await using var db = await TierDatabase.CreateAsync();
        await db.SeedQuarterLiftingClient5Async(_q2);
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 7, 1, 2, 0, 0, TimeSpan.Zero));
        var runner = db.Runner(time);

        var first = await runner.RunAsync(_q2, TierReviewSources.Command, dryRun: false, CancellationToken.None);
        time.Advance(TimeSpan.FromHours(1));
        var second = await runner.RunAsync(_q2, TierReviewSources.Job, dryRun: false, CancellationToken.None);

        Assert.That(first.Applied, Is.True);
        Assert.That(first.Clients, Is.EqualTo(6));
        Assert.That(first.Changes.Select(c => (c.Phone, c.OldTier, c.NewTier)), Is.EqualTo(new[] { ("13800000005", "Effective", "Quality") }));
        Assert.That(second.Applied, Is.False);
        Assert.That(second.AlreadyReviewed!.Source, Is.EqualTo("command"));
        Assert.That((await db.Catalog.FindClientAsync("13800000005"))!.Tier, Is.EqualTo("Quality"));
        var history = await db.Changes.ListAsync(null, 10);
        Assert.That(history, Has.Count.EqualTo(1));
        Assert.That(history[0].Reason, Does.StartWith("Quality: average monthly equity 800,000.00"));
        Assert.That((history[0].Quarter, history[0].Source, history[0].DecidedAt), Is.EqualTo(("2026Q2", "command", new DateTimeOffset(2026, 7, 1, 2, 0, 0, TimeSpan.Zero))));
    }

    [Test]
    public async Task AnAppliedReviewQueuesOneNoticePerChangedClientAndKeepsTheTiersCountsBeforeAndAfter()
    {
        await using var db = await TierDatabase.CreateAsync();
        await db.SeedQuarterLiftingClient5Async(_q2);
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 7, 1, 2, 0, 0, TimeSpan.Zero));

        var run = await db.Runner(time).RunAsync(_q2, TierReviewSources.Job, dryRun: false, CancellationToken.None);
        await db.Runner(time).RunAsync(_q2, TierReviewSources.Command, dryRun: false, CancellationToken.None);

        Assert.That(run.Notices, Is.EqualTo(1));
        var messages = await Messages(db);
        Assert.That(messages, Has.Count.EqualTo(1), "a quarter applied twice queues its notices once");
        var notice = messages[0];
        Assert.That((notice.Id, notice.Channel, notice.Recipient, notice.Kind, notice.Status), Is.EqualTo(("msg-tier-2026Q2-8613800000005", "sms", "+8613800000005", "tier-notice", "queued")));
        Assert.That(notice.Body, Does.Contain("2026Q2").And.Contain("由有效调整为优质").And.StartWith(TierNotices.Signature).And.EndWith("退订回TD"));
        var review = await db.Changes.FindReviewAsync("2026Q2");
        Assert.That(review!.Notices, Is.EqualTo(1));
        Assert.That(review.TiersBefore, Is.EquivalentTo(new Dictionary<string, int> { ["Diamond"] = 1, ["Platinum"] = 1, ["Gold"] = 1, ["Quality"] = 1, ["Effective"] = 1, ["Dormant"] = 1 }));
        Assert.That(review.TiersAfter, Is.EquivalentTo(new Dictionary<string, int> { ["Diamond"] = 1, ["Platinum"] = 1, ["Gold"] = 1, ["Quality"] = 2, ["Dormant"] = 1 }));
    }

    [Test]
    public async Task NoticesOfAReviewAppliedAtNightWaitForTheEndOfTheSmsQuietHours()
    {
        await using var db = await TierDatabase.CreateAsync();
        await db.SeedQuarterLiftingClient5Async(_q2);

        // 15:00 UTC is 23:00 in Shanghai: inside the default quiet hours 21:00-08:00.
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 7, 1, 15, 0, 0, TimeSpan.Zero));
        await db.Runner(time, broadcasts: new CallCenter.FaxSms.Broadcasts.BroadcastOptions()).RunAsync(_q2, TierReviewSources.Job, dryRun: false, CancellationToken.None);

        await using var connection = await db.Factory.OpenAsync();
        var due = await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT next_attempt_at_ms FROM messages");
        Assert.That(DateTimeOffset.FromUnixTimeMilliseconds(due), Is.EqualTo(new DateTimeOffset(2026, 7, 2, 8, 0, 0, TimeSpan.FromHours(8))));
    }

    [Test]
    public async Task WhenItsNoticeCannotBeQueuedTheReviewIsNotAppliedEither()
    {
        await using var db = await TierDatabase.CreateAsync();
        await db.SeedQuarterLiftingClient5Async(_q2);
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 7, 1, 2, 0, 0, TimeSpan.Zero));

        // A row already holding the notice's id makes the outbox write fail inside the review's transaction.
        await using (var connection = await db.Factory.OpenAsync())
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await CallCenter.FaxSms.Outbox.OutboxRepository.EnqueueAsync(
                connection,
                transaction,
                new CallCenter.FaxSms.Outbox.OutboundMessage("msg-tier-2026Q2-8613800000005", "sms", "+8613800000005", null, "earlier", "ordinary", 0),
                time.GetUtcNow(),
                CancellationToken.None);
            await transaction.CommitAsync();
        }

        Assert.That(
            async () => await db.Runner(time).RunAsync(_q2, TierReviewSources.Job, dryRun: false, CancellationToken.None),
            Throws.InstanceOf<System.Data.Common.DbException>());

        Assert.That((await db.Catalog.FindClientAsync("13800000005"))!.Tier, Is.EqualTo("Effective"), "the tier change rolled back with its notice");
        Assert.That(await db.Changes.FindReviewAsync("2026Q2"), Is.Null, "the quarter can be reviewed again");
        Assert.That(await db.Changes.ListAsync(null, 10), Is.Empty);
    }

    [Test]
    public async Task EachAccountManagerGetsTheListOfTheirChangedClientsInTheReviewsTransactionOnce()
    {
        await using var db = await TierDatabase.CreateAsync();
        await db.SeedQuarterLiftingClient5Async(_q2);
        await using (var connection = await db.Factory.OpenAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, "UPDATE clients SET manager_extension = '1004' WHERE phone = '13800000005'");
        }

        Assert.That(await new CallCenter.Data.Desk.AdminAgentRepository(db.Factory).SetContactAsync("1004", "13900001004", "zhao@broker.example"), Is.True);
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 7, 1, 2, 0, 0, TimeSpan.Zero));

        await db.Runner(time).RunAsync(_q2, TierReviewSources.Job, dryRun: false, CancellationToken.None);
        await db.Runner(time).RunAsync(_q2, TierReviewSources.Command, dryRun: false, CancellationToken.None);

        var messages = await Messages(db);
        var list = messages.Single(m => m.Kind == "manager-list");
        Assert.That((list.Channel, list.Recipient, list.Status), Is.EqualTo(("sms", "+8613900001004", "queued")));
        Assert.That(list.Id, Does.StartWith("msg-tier-2026Q2-manager-"));
        Assert.That(list.Body, Does.Contain("2026Q2").And.Contain("1位客户").And.Contain("138****0005").And.Contain("有效→优质").And.Not.Contain("13800000005"));
        Assert.That(messages, Has.Count.EqualTo(2), "the client's notice and the manager's list, once for a quarter applied twice");
        Assert.That((await db.Changes.FindReviewAsync("2026Q2"))!.ManagerNotices, Is.EqualTo(1));
    }

    [Test]
    public async Task ByEmailAManagerGetsTheListAtTheirAddressAndOneOutsideTheHotlineByTheirPhone()
    {
        await using var db = await TierDatabase.CreateAsync();
        await db.SeedQuarterLiftingClient5Async(_q2);
        await using (var connection = await db.Factory.OpenAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, "UPDATE clients SET manager_name = '孙经理', manager_phone = '13700000001' WHERE phone = '13800000005'");
        }

        var time = new ManualTimeProvider(new DateTimeOffset(2026, 7, 1, 2, 0, 0, TimeSpan.Zero));
        await db.Runner(time, new TierOptions { ManagerNotices = ManagerNotices.Email }).RunAsync(_q2, TierReviewSources.Job, dryRun: false, CancellationToken.None);

        var list = (await Messages(db)).Single(m => m.Kind == "manager-list");
        Assert.That((list.Channel, list.Recipient), Is.EqualTo(("sms", "+8613700000001")), "no address on file for a manager outside the hotline: their phone");
        Assert.That(list.Body, Does.StartWith(TierNotices.Signature + "孙经理您好"));
    }

    [Test]
    public async Task WithManagerNoticesNoneNoListIsQueued()
    {
        await using var db = await TierDatabase.CreateAsync();
        await db.SeedQuarterLiftingClient5Async(_q2);
        await using (var connection = await db.Factory.OpenAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, "UPDATE clients SET manager_name = '孙经理', manager_phone = '13700000001' WHERE phone = '13800000005'");
        }

        var time = new ManualTimeProvider(new DateTimeOffset(2026, 7, 1, 2, 0, 0, TimeSpan.Zero));
        await db.Runner(time, new TierOptions { ManagerNotices = ManagerNotices.None }).RunAsync(_q2, TierReviewSources.Job, dryRun: false, CancellationToken.None);

        Assert.That((await Messages(db)).Select(m => m.Kind), Is.EqualTo(new[] { "tier-notice" }));
        Assert.That((await db.Changes.FindReviewAsync("2026Q2"))!.ManagerNotices, Is.Zero);
    }

    private static async Task<List<MessageRow>> Messages(TierDatabase db)
    {
        await using var connection = await db.Factory.OpenAsync();
        return [.. await Dapper.SqlMapper.QueryAsync<MessageRow>(connection, "SELECT id AS Id, channel AS Channel, recipient AS Recipient, kind AS Kind, status AS Status, body AS Body FROM messages")];
    }

    private sealed class MessageRow
    {
        public string Id { get; set; } = "";

        public string Channel { get; set; } = "";

        public string Recipient { get; set; } = "";

        public string Kind { get; set; } = "";

        public string Status { get; set; } = "";

        public string Body { get; set; } = "";
    }

    [Test]
    public async Task ADryRunReportsTheChangesButWritesNothing()
    {
        await using var db = await TierDatabase.CreateAsync();
        await db.SeedQuarterLiftingClient5Async(_q2);

        var run = await db.Runner(new ManualTimeProvider()).RunAsync(_q2, TierReviewSources.Command, dryRun: true, CancellationToken.None);

        Assert.That(run.Applied, Is.False);
        Assert.That(run.Changes.Select(c => c.Phone), Is.EqualTo(new[] { "13800000005" }));
        Assert.That((await db.Catalog.FindClientAsync("13800000005"))!.Tier, Is.EqualTo("Effective"));
        Assert.That(await db.Changes.ListAsync(null, 10), Is.Empty);
        Assert.That(await db.Changes.FindReviewAsync("2026Q2"), Is.Null);
    }

    [TestCase(8)]
    [TestCase(11)]
    public async Task DemoFiguresKeepEveryDemoTierAndMarkTheEndedQuartersReviewed(int month)
    {
        await using var db = await TierDatabase.CreateAsync();
        var time = new ManualTimeProvider(new DateTimeOffset(2026, month, 14, 10, 0, 0, TimeSpan.Zero));
        await DemoData.SeedTierFiguresAsync(db.Figures, db.Changes, time, CancellationToken.None);
        var runner = db.Runner(time);
        var current = Quarter.Of(new DateOnly(2026, month, 14));

        foreach (var quarter in new[] { current.Previous().Previous().Previous(), current.Previous().Previous(), current.Previous() })
        {
            var run = await runner.RunAsync(quarter, TierReviewSources.Command, dryRun: true, CancellationToken.None);
            Assert.That(run.Changes, Is.Empty, $"{quarter}: {string.Join("; ", run.Changes)}");
            Assert.That(run.AlreadyReviewed?.Source, Is.EqualTo("seed"), quarter.ToString());
        }

        var preview = await runner.RunAsync(current, TierReviewSources.Command, dryRun: true, CancellationToken.None);
        Assert.That(preview.Changes.Select(c => (c.Phone, c.OldTier, c.NewTier)), Is.EqualTo(new[] { ("13800000005", "Effective", "Quality") }));
        Assert.That(await db.Changes.FindReviewAsync(current.ToString()), Is.Null);
    }

    [Test]
    public void AClientWithoutAccountFactsIsNotTakenForOlderThanTheReview()
    {
        var input = TierReviewRunner.ToInput(new ClientReviewData("1", "n", "Dormant", null, [new("1", "2026-04", 10m, 0m)]), _q2);

        Assert.That(input.AccountOpened, Is.EqualTo(new DateOnly(2026, 6, 30)));
        Assert.That(TierReview.Decide(input, _q2, new TierOptions()).NewTier, Is.EqualTo(ClientTier.Ordinary));
    }

    [Test]
    public void YearEndEquityIsTheMonthEndOfTheDecemberBeforeTheReviewDate()
    {
        ClientMonthFigures[] months = [new("1", "2025-12", 5m, 0m, 700m), new("1", "2026-12", 5m, 0m, 9_000m)];

        var q2 = TierReviewRunner.ToInput(new ClientReviewData("1", "n", "Gold", null, months), _q2);
        var q4 = TierReviewRunner.ToInput(new ClientReviewData("1", "n", "Gold", null, months), new Quarter(2026, 4));

        Assert.That((q2.YearEndEquity, q4.YearEndEquity), Is.EqualTo(((decimal?)700m, (decimal?)9_000m)));
        Assert.That(q2.CurrentTier, Is.EqualTo(ClientTier.Gold));
    }

    [Test]
    public void TierNamesTheGradingDoesNotKnowAreNoTier()
    {
        Assert.That(TierReviewRunner.ParseTier("Platinum"), Is.EqualTo(ClientTier.Platinum));
        Assert.That(TierReviewRunner.ParseTier("Silver"), Is.Null);
        Assert.That(TierReviewRunner.ParseTier("3"), Is.Null);
    }

    [Test]
    public async Task AnEmptyDirectoryDoesNotMarkTheQuarterReviewed()
    {
        var file = TestDatabases.NewSqliteFile();
        var factory = new CallCenter.Data.DbConnectionFactory(new CallCenter.Data.DatabaseOptions { ConnectionString = "Data Source=" + file });
        await new CallCenter.Data.Migrator(factory).MigrateAsync();
        var changes = new TierChangeRepository(factory);
        var runner = new TierReviewRunner(new ClientFiguresRepository(factory), changes, new TierOptions(), new ManualTimeProvider(), Microsoft.Extensions.Logging.Abstractions.NullLogger<TierReviewRunner>.Instance);

        var run = await runner.RunAsync(_q2, TierReviewSources.Job, dryRun: false, CancellationToken.None);

        Assert.That((run.Applied, run.Clients), Is.EqualTo((false, 0)));
        Assert.That(await changes.FindReviewAsync("2026Q2"), Is.Null);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(file);
    }
}
