using CallCenter.Data;
using CallCenter.FaxSms.Fax;

namespace CallCenter.FaxSms.Tests.Fax;

/// <summary>
/// A fax the clients' quiet hours hold (<see cref="FaxAttempt.HeldUntil"/>) is not refused nor failed: it is
/// queued again for the allowed time, the reason in its row, and the attempt that was not made is not counted.
/// </summary>
[TestFixtureSource(typeof(CallCenter.TestSupport.TestDatabases), nameof(CallCenter.TestSupport.TestDatabases.Providers))]
public sealed class FaxQuietHoursTests(string provider)
{
    private static readonly DateTimeOffset _night = new(2026, 12, 6, 15, 0, 0, TimeSpan.Zero); // 23:00 in Shanghai
    private static readonly DateTimeOffset _morning = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero); // 08:00 in Shanghai

    [Test]
    public void AHeldAttemptIsQueuedForTheAllowedTimeEvenAtTheLastAttempt()
    {
        var held = new FaxAttempt(0, null, "outside the calling hours (21:00-08:00 Asia/Shanghai); the call waits until 2026-12-07 08:00 +08:00", Refused: true, HeldUntil: _morning);

        var decision = FaxRetry.Decide(held, 1, 3, 3, _night, TimeSpan.FromMinutes(5));

        Assert.That(decision, Is.EqualTo(new FaxDecision(FaxStatus.Queued, 1, _morning)));
    }

    [Test]
    public async Task AHeldFaxWaitsInTheQueueWithTheReasonAndItsAttemptNotCounted()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var faxes = new FaxRepository(db.Factory);
        var id = FaxIds.New(new ManualTimeProvider(_night));
        await faxes.EnqueueAsync(id, "01088887777", "95580", "/f/a.pdf", "/f/a.tif", 2, _night, default);
        var fax = await faxes.ClaimDueAsync(_night, default);
        var held = new FaxAttempt(0, null, "outside the calling hours (21:00-08:00 Asia/Shanghai); the call waits until 2026-12-07 08:00 +08:00", Refused: true, HeldUntil: _morning);
        var decision = FaxRetry.Decide(held, fax!.Pages, fax.Attempts, 3, _night, TimeSpan.FromMinutes(5));

        await faxes.FinishAsync(
            new FaxFinish(fax.Id, fax.Direction, decision.Status, fax.Remote, fax.LocalNumber, null, decision.Pages, 0, false, null, "not dialled: " + held.Reason,
                fax.TiffPath, fax.PdfPath, decision.NextAttemptAt, Held: held.HeldUntil is not null),
            _night,
            default);

        var row = await faxes.GetAsync(id, default);
        Assert.Multiple(async () =>
        {
            Assert.That(row!.Status, Is.EqualTo(FaxStatus.Queued));
            Assert.That(row.Attempts, Is.Zero, "no call was made");
            Assert.That(row.NextAttemptAt, Is.EqualTo(_morning));
            Assert.That(row.ResultText, Does.Contain("outside the calling hours"));
            Assert.That(await faxes.ClaimDueAsync(_night.AddHours(1), default), Is.Null, "not before the morning");
            Assert.That(await faxes.ClaimDueAsync(_morning, default), Is.Not.Null, "then it goes");
        });
    }
}
