using CallCenter.Data.Catalog;
using CallCenter.Data.Clients;

namespace CallCenter.Data.Tests.Clients;

[TestFixtureSource(typeof(CallCenter.TestSupport.TestDatabases), nameof(CallCenter.TestSupport.TestDatabases.Providers))]
public sealed class TierChangeRepositoryTests(string provider)
{
    private static readonly DateTimeOffset _at = new(2026, 7, 1, 2, 0, 0, TimeSpan.Zero);

    private static async Task<(TestDatabase Db, CatalogRepository Catalog, TierChangeRepository Changes)> SetUpAsync(string provider)
    {
        var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var catalog = new CatalogRepository(db.Factory);
        await ClientFiguresRepositoryTests.AddClientAsync(catalog, "13800000004", "Quality");
        await ClientFiguresRepositoryTests.AddClientAsync(catalog, "13800000005", "Effective");
        return (db, catalog, new TierChangeRepository(db.Factory));
    }

    [Test]
    public async Task ApplyingSetsTheTierAndAppendsTheHistory()
    {
        var (db, catalog, changes) = await SetUpAsync(provider);
        await using var _ = db;

        var applied = await changes.ApplyAsync(
            new TierReviewRecord("2026Q2", _at, TierReviewSources.Job, 2, 1),
            [new TierChange("13800000005", "Effective", "Quality", "Quality: average monthly equity 600,000.00 ≥ 500,000")]);

        Assert.That(applied, Is.True);
        Assert.That((await catalog.FindClientAsync("13800000005"))!.Tier, Is.EqualTo("Quality"));
        Assert.That((await catalog.FindClientAsync("13800000004"))!.Tier, Is.EqualTo("Quality"));
        var history = await changes.ListAsync(null, 10);
        Assert.That(history, Has.Count.EqualTo(1));
        Assert.That(history[0] with { Seq = 0 }, Is.EqualTo(new TierChangeRecord(
            0, "13800000005", "2026Q2", "Effective", "Quality", "Quality: average monthly equity 600,000.00 ≥ 500,000", _at, "job")));
        Assert.That(await changes.FindReviewAsync("2026Q2"), Is.EqualTo(new TierReviewRecord("2026Q2", _at, "job", 2, 1)));
        Assert.That(await changes.FindReviewAsync("2026Q1"), Is.Null);
    }

    [Test]
    public async Task AReviewKeepsItsCountsAndListsItsChangesWithEachClientsManager()
    {
        var (db, catalog, changes) = await SetUpAsync(provider);
        await using var _ = db;
        await catalog.UpsertClientAsync(new ClientRecord("13800000006", "陈静", "****6", "Effective", null, "zh", "b", "吴敏", "+8657188886666"));
        var before = new Dictionary<string, int> { ["Quality"] = 1, ["Effective"] = 2 };
        var after = new Dictionary<string, int> { ["Gold"] = 1, ["Effective"] = 1, ["Dormant"] = 1 };
        var written = 0;

        await changes.ApplyAsync(
            new TierReviewRecord("2026Q2", _at, TierReviewSources.Job, 3, 2, before, after, 1),
            [new TierChange("13800000004", "Quality", "Gold", "up"), new TierChange("13800000006", "Effective", "Dormant", "down")],
            (connection, transaction, token) =>
            {
                written++;
                Assert.That(transaction.Connection, Is.SameAs(connection));
                return Task.CompletedTask;
            });

        var review = await changes.FindReviewAsync("2026Q2");
        Assert.That(written, Is.EqualTo(1));
        Assert.That(review!.TiersBefore, Is.EquivalentTo(before));
        Assert.That(review.TiersAfter, Is.EquivalentTo(after));
        Assert.That(review.Notices, Is.EqualTo(1));
        Assert.That((await changes.ListReviewsAsync(10)).Select(r => r.Quarter), Is.EqualTo(new[] { "2026Q2" }));
        var lines = await changes.ListQuarterAsync("2026Q2");
        Assert.That(lines.Select(l => (l.Change.Phone, l.Name, l.ManagerName, l.ManagerPhone)), Is.EqualTo(new[]
        {
            ("13800000004", (string?)"Client 13800000004", (string?)null, (string?)null),
            ("13800000006", "陈静", "吴敏", "+8657188886666"),
        }));
    }

    [Test]
    public async Task ATierChangedWhileTheReviewRanIsNotOverwrittenAndNothingIsApplied()
    {
        var (db, catalog, changes) = await SetUpAsync(provider);
        await using var _ = db;

        // The review read 13800000005 as Effective; an admin made them Gold meanwhile.
        await ClientFiguresRepositoryTests.AddClientAsync(catalog, "13800000005", "Gold");

        var refused = Assert.ThrowsAsync<InvalidOperationException>(async () => await changes.ApplyAsync(
            new TierReviewRecord("2026Q2", _at, TierReviewSources.Job, 2, 2),
            [new TierChange("13800000004", "Quality", "Gold", "up"), new TierChange("13800000005", "Effective", "Quality", "up")]));

        Assert.That(refused!.Message, Does.Contain("1 of 2"));
        Assert.That((await catalog.FindClientAsync("13800000005"))!.Tier, Is.EqualTo("Gold"));
        Assert.That((await catalog.FindClientAsync("13800000004"))!.Tier, Is.EqualTo("Quality"), "all or nothing");
        Assert.That(await changes.FindReviewAsync("2026Q2"), Is.Null);
    }

    [Test]
    public async Task WhatTheReviewCausesFailingRollsTheReviewBack()
    {
        var (db, catalog, changes) = await SetUpAsync(provider);
        await using var _ = db;

        Assert.That(
            async () => await changes.ApplyAsync(
                new TierReviewRecord("2026Q2", _at, TierReviewSources.Job, 2, 1),
                [new TierChange("13800000005", "Effective", "Quality", "up")],
                (_, _, _) => throw new InvalidOperationException("the outbox is full")),
            Throws.InvalidOperationException);

        Assert.That((await catalog.FindClientAsync("13800000005"))!.Tier, Is.EqualTo("Effective"));
        Assert.That(await changes.FindReviewAsync("2026Q2"), Is.Null);
    }

    [Test]
    public async Task ASecondApplicationOfAQuarterChangesNothing()
    {
        var (db, catalog, changes) = await SetUpAsync(provider);
        await using var _ = db;
        await changes.ApplyAsync(new TierReviewRecord("2026Q2", _at, TierReviewSources.Job, 2, 1), [new TierChange("13800000005", "Effective", "Quality", "up")]);

        var again = await changes.ApplyAsync(
            new TierReviewRecord("2026Q2", _at.AddHours(1), TierReviewSources.Command, 2, 1),
            [new TierChange("13800000004", "Quality", "Gold", "up")]);

        Assert.That(again, Is.False);
        Assert.That((await catalog.FindClientAsync("13800000004"))!.Tier, Is.EqualTo("Quality"));
        Assert.That(await changes.ListAsync(null, 10), Has.Count.EqualTo(1));
        Assert.That((await changes.FindReviewAsync("2026Q2"))!.Source, Is.EqualTo("job"));
    }

    [Test]
    public async Task HistoryIsNewestFirstAndFiltersByPhone()
    {
        var (db, _, changes) = await SetUpAsync(provider);
        await using var __ = db;
        await changes.ApplyAsync(new TierReviewRecord("2026Q1", _at, TierReviewSources.Command, 2, 2),
            [new TierChange("13800000004", "Quality", "Effective", "q1 down"), new TierChange("13800000005", "Effective", "Quality", "q1 up")]);
        await changes.ApplyAsync(new TierReviewRecord("2026Q2", _at.AddMonths(3), TierReviewSources.Job, 2, 1),
            [new TierChange("13800000005", "Quality", "Gold", "q2 up")]);

        var all = await changes.ListAsync(null, 10);
        var one = await changes.ListAsync("13800000005", 10);
        var newest = await changes.ListAsync(null, 1);

        Assert.That(all.Select(c => c.Reason), Is.EqualTo(new[] { "q2 up", "q1 up", "q1 down" }));
        Assert.That(one.Select(c => c.Reason), Is.EqualTo(new[] { "q2 up", "q1 up" }));
        Assert.That(newest.Select(c => c.Reason), Is.EqualTo(new[] { "q2 up" }));
        Assert.That(await changes.ListAsync("13900000000", 10), Is.Empty);
    }

    [Test]
    public async Task AFailedApplicationLeavesNeitherTiersNorHistoryNorTheQuarterMark()
    {
        var (db, catalog, changes) = await SetUpAsync(provider);
        await using var _ = db;

        // A reason of null violates NOT NULL on the history insert, after the tier update ran.
        Assert.That(
            async () => await changes.ApplyAsync(new TierReviewRecord("2026Q2", _at, TierReviewSources.Job, 2, 1), [new TierChange("13800000005", "Effective", "Quality", null!)]),
            Throws.InstanceOf<System.Data.Common.DbException>());

        Assert.That((await catalog.FindClientAsync("13800000005"))!.Tier, Is.EqualTo("Effective"));
        Assert.That(await changes.ListAsync(null, 10), Is.Empty);
        Assert.That(await changes.FindReviewAsync("2026Q2"), Is.Null);
    }
}
