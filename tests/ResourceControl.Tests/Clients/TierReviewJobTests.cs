using CallCenter.Data.Clients;
using CallCenter.ResourceControl.Clients;
using CallCenter.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallCenter.ResourceControl.Tests.Clients;

public sealed class TierReviewJobTests
{
    private static Quarter Due(int month, int day, int hour, TierOptions? options = null) =>
        TierReviewJob.DueQuarter(new DateTimeOffset(2026, month, day, hour, 0, 0, TimeSpan.Zero), TimeZoneInfo.Utc, options ?? new TierOptions());

    [Test]
    public void TheEndedQuarterIsDueFromTheReviewHourOfTheNextQuartersFirstDay()
    {
        Assert.That(Due(7, 1, 1), Is.EqualTo(new Quarter(2026, 1)));
        Assert.That(Due(7, 1, 2), Is.EqualTo(new Quarter(2026, 2)));
        Assert.That(Due(9, 30, 23), Is.EqualTo(new Quarter(2026, 2)));
        Assert.That(Due(1, 1, 2), Is.EqualTo(new Quarter(2025, 4)));
    }

    [Test]
    public void TheReviewDayDelaysTheReviewForLateFigures()
    {
        var options = new TierOptions { ReviewDay = 5, ReviewHour = 6 };

        Assert.That(Due(7, 5, 5, options), Is.EqualTo(new Quarter(2026, 1)));
        Assert.That(Due(7, 5, 6, options), Is.EqualTo(new Quarter(2026, 2)));
    }

    [Test]
    public void TheReviewHourIsTheHostsLocalTime()
    {
        var shanghai = TimeZoneInfo.CreateCustomTimeZone("UTC+8", TimeSpan.FromHours(8), "UTC+8", "UTC+8");

        // 18:00 UTC on 30 June is 02:00 on 1 July in UTC+8.
        var due = TierReviewJob.DueQuarter(new DateTimeOffset(2026, 6, 30, 18, 0, 0, TimeSpan.Zero), shanghai, new TierOptions());

        Assert.That(due, Is.EqualTo(new Quarter(2026, 2)));
    }

    [Test]
    public async Task OnTheSecuritiesSchemeTheReviewWritesNoFuturesGradesIntoTheDirectory()
    {
        await using var db = await TierDatabase.CreateAsync();
        await db.SeedQuarterLiftingClient5Async(new Quarter(2026, 2));
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 7, 2, 3, 0, 0, TimeSpan.Zero));
        var options = new TierOptions { Scheme = TierSchemes.Securities };
        using var job = new TierReviewJob(db.Runner(time, options), db.Changes, options, time, NullLogger<TierReviewJob>.Instance);

        // The cards are reviewed by their thresholds (SchemeReviewTests); the seeded futures grades are no tier of this
        // scheme, so nobody is graded and client 5's futures figures never make them a Quality client here.
        var run = await job.CheckAsync(CancellationToken.None);
        Assert.That(run, Is.Not.Null);
        Assert.That(run!.Changes, Is.Empty);
        Assert.That(run.Clients, Is.Zero);
        Assert.That((await db.Catalog.FindClientAsync("13800000005"))!.Tier, Is.EqualTo("Effective"));
    }

    [Test]
    public async Task TheJobReviewsAtStartUpThenOnceWhenTheQuarterEndsAndNeverAgain()
    {
        await using var db = await TierDatabase.CreateAsync();
        await db.SeedQuarterLiftingClient5Async(new Quarter(2026, 2));
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 6, 30, 23, 30, 0, TimeSpan.Zero));
        var options = new TierOptions();
        using var job = new TierReviewJob(db.Runner(time, options), db.Changes, options, time, NullLogger<TierReviewJob>.Instance);

        await job.StartAsync(CancellationToken.None);
        try
        {
            // At start-up the last ended quarter (Q1, no figures) is reviewed: no tier changes, but it is marked.
            var q1 = await WaitForAsync(() => db.Changes.FindReviewAsync("2026Q1"));
            Assert.That((q1.Source, q1.Changes), Is.EqualTo(("job", 0)));

            time.Advance(TimeSpan.FromHours(1));
            await Task.Delay(200);
            Assert.That(await db.Changes.FindReviewAsync("2026Q2"), Is.Null, "not before 02:00 on 1 July");
            Assert.That(await db.Changes.ListAsync(null, 10), Is.Empty);

            time.Advance(TimeSpan.FromHours(1));
            time.Advance(TimeSpan.FromHours(1));
            var q2 = await WaitForAsync(() => db.Changes.FindReviewAsync("2026Q2"));
            Assert.That((q2.Source, q2.Changes, q2.ReviewedAt.Hour), Is.EqualTo(("job", 1, 2)));

            for (var i = 0; i < 5; i++)
            {
                time.Advance(TimeSpan.FromHours(1));
                await Task.Delay(50);
            }

            Assert.That(await db.Changes.ListAsync(null, 10), Has.Count.EqualTo(1));
            Assert.That((await db.Catalog.FindClientAsync("13800000005"))!.Tier, Is.EqualTo("Quality"));
        }
        finally
        {
            await job.StopAsync(CancellationToken.None);
        }
    }

    [Test]
    public async Task AfterARestartTheAppliedQuarterIsNotReviewedAgain()
    {
        await using var db = await TierDatabase.CreateAsync();
        await db.SeedQuarterLiftingClient5Async(new Quarter(2026, 2));
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 7, 2, 0, 0, 0, TimeSpan.Zero));
        var options = new TierOptions();
        var first = new TierReviewJob(db.Runner(time, options), db.Changes, options, time, NullLogger<TierReviewJob>.Instance);
        var second = new TierReviewJob(db.Runner(time, options), db.Changes, options, time, NullLogger<TierReviewJob>.Instance);

        var ran = await first.CheckAsync(CancellationToken.None);
        var again = await second.CheckAsync(CancellationToken.None);

        Assert.That(ran?.Applied, Is.True);
        Assert.That(again, Is.Null);
        Assert.That(await db.Changes.ListAsync(null, 10), Has.Count.EqualTo(1));
        first.Dispose();
        second.Dispose();
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe)
        where T : class
    {
        for (var i = 0; i < 100; i++)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        Assert.Fail("timed out");
        throw new TimeoutException();
    }
}
