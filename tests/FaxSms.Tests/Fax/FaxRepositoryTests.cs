using CallCenter.Data;
using CallCenter.FaxSms.Fax;

namespace CallCenter.FaxSms.Tests.Fax;

[TestFixtureSource(typeof(CallCenter.TestSupport.TestDatabases), nameof(CallCenter.TestSupport.TestDatabases.Providers))]
public sealed class FaxRepositoryTests(string provider)
{
    private static readonly DateTimeOffset _t = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task AnInboundFaxIsReceivingUntilItsResultAndIsListedAsInbound()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var faxes = new FaxRepository(db.Factory);

        await faxes.StartInboundAsync("fax-1", "call-1", "13800000001", true, "95580", "/f/fax-1.tif", _t, default);
        var receiving = await faxes.GetAsync("fax-1", default);
        await faxes.FinishAsync(new FaxFinish("fax-1", FaxStatus.Inbound, FaxStatus.Received, "13800000001", "95580", "call-1", 2, 14400, true, 0, "OK", "/f/fax-1.tif", "/f/fax-1.pdf", null), _t.AddSeconds(30), default);

        var done = await faxes.GetAsync("fax-1", default);
        Assert.Multiple(() =>
        {
            Assert.That(receiving!.Status, Is.EqualTo("receiving"));
            Assert.That(done!.Status, Is.EqualTo("received"));
            Assert.That((done.Pages, done.BitRate, done.Ecm, done.ResultCode, done.ResultText), Is.EqualTo((2, 14400, true, (int?)0, "OK")));
            Assert.That(done.PdfPath, Is.EqualTo("/f/fax-1.pdf"));
            Assert.That(done.CreatedAt, Is.EqualTo(_t));
            Assert.That(done.UpdatedAt, Is.EqualTo(_t.AddSeconds(30)));
        });
    }

    [Test]
    public async Task AResultWhoseStartWasNeverWrittenIsStillKept()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var faxes = new FaxRepository(db.Factory);

        await faxes.FinishAsync(new FaxFinish("fax-2", FaxStatus.Inbound, FaxStatus.Partial, "13800000002", "95580", "call-2", 1, 9600, false, 49, "The call dropped prematurely", "/f/fax-2.tif", null, null), _t, default);

        var listed = await faxes.ListAsync(FaxStatus.Inbound, 10, default);
        Assert.That(listed.Select(f => (f.Id, f.Status, f.Pages)), Is.EqualTo(new[] { ("fax-2", "partial", 1) }));
    }

    [Test]
    public async Task AnOutboundFaxIsClaimedOnceWhenDueAndListsApartFromInbound()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var faxes = new FaxRepository(db.Factory);
        await faxes.EnqueueAsync("fax-3", "sip:95580@127.0.0.1", "95580", "/f/3.pdf", "/f/3.tif", 2, _t, default);
        await faxes.StartInboundAsync("fax-4", "call-4", "13800000001", true, "95580", "/f/4.tif", _t.AddSeconds(1), default);

        var claimed = await faxes.ClaimDueAsync(_t, default);
        var again = await faxes.ClaimDueAsync(_t.AddSeconds(1), default);
        var outbound = await faxes.ListAsync(FaxStatus.Outbound, 10, default);
        var all = await faxes.ListAsync(null, 10, default);

        Assert.Multiple(() =>
        {
            Assert.That((claimed!.Id, claimed.Status, claimed.Attempts, claimed.DocumentPages), Is.EqualTo(("fax-3", "sending", 1, (int?)2)));
            Assert.That(again, Is.Null, "a fax being sent is not claimed again");
            Assert.That(outbound.Select(f => f.Id), Is.EqualTo(new[] { "fax-3" }));
            Assert.That(all.Select(f => f.Id), Is.EqualTo(new[] { "fax-4", "fax-3" }), "newest first");
        });
    }

    [Test]
    public async Task AReceivedFaxIsANewTaskUntilMarkedHandledOnceAndOnlyAReceivedOneCanBe()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var faxes = new FaxRepository(db.Factory);
        var none = await faxes.NewTasksAsync(default);
        await faxes.FinishAsync(new FaxFinish("fax-5", FaxStatus.Inbound, FaxStatus.Received, "13800000001", "95500", "call-5", 2, 14400, true, 0, "OK", "/f/5.tif", "/f/5.pdf", null), _t, default);
        await faxes.FinishAsync(new FaxFinish("fax-6", FaxStatus.Inbound, FaxStatus.Partial, "13800000002", "95580", "call-6", 1, 9600, false, 49, "dropped", "/f/6.tif", null, null), _t.AddSeconds(1), default);
        await faxes.StartInboundAsync("fax-7", "call-7", "13800000003", true, "95580", "/f/7.tif", _t.AddSeconds(2), default);
        await faxes.EnqueueAsync("fax-8", "sip:95580@127.0.0.1", "95580", "/f/8.pdf", "/f/8.tif", 1, _t.AddSeconds(3), default);
        var newBefore = await faxes.NewTasksAsync(default);

        var (handled, changed) = await faxes.MarkHandledAsync("fax-5", "super", _t.AddMinutes(5), default);
        var (_, twice) = await faxes.MarkHandledAsync("fax-5", "someone-else", _t.AddMinutes(6), default);
        var (_, receiving) = await faxes.MarkHandledAsync("fax-7", "super", _t.AddMinutes(6), default);
        var (_, sent) = await faxes.MarkHandledAsync("fax-8", "super", _t.AddMinutes(6), default);
        var (missing, _) = await faxes.MarkHandledAsync("fax-none", "super", _t.AddMinutes(6), default);
        var newAfter = await faxes.NewTasksAsync(default);

        var open = await faxes.ListAsync(null, FaxStatus.TaskNew, 10, default);
        var done = await faxes.ListAsync(FaxStatus.Inbound, FaxStatus.TaskHandled, 10, default);
        var outbound = await faxes.GetAsync("fax-8", default);
        Assert.Multiple(() =>
        {
            Assert.That(none, Is.EqualTo((0, (DateTimeOffset?)null)), "no fax: none, and no oldest");
            Assert.That(newBefore, Is.EqualTo((2, (DateTimeOffset?)_t)), "received and partial, not the one still receiving; the oldest came in first");
            Assert.That(newAfter, Is.EqualTo((1, (DateTimeOffset?)_t.AddSeconds(1))), "the partial one is left, and is now the oldest");
            Assert.That(changed, Is.True);
            Assert.That((handled!.Task, handled.HandledBy, handled.HandledAt), Is.EqualTo(("handled", "super", (DateTimeOffset?)_t.AddMinutes(5))));
            Assert.That(twice, Is.False, "marked once: the first one's name stays");
            Assert.That(receiving, Is.False);
            Assert.That(sent, Is.False);
            Assert.That(missing, Is.Null);
            Assert.That(open.Select(f => (f.Id, f.Task)), Is.EqualTo(new[] { ("fax-7", "new"), ("fax-6", "new") }));
            Assert.That(done.Select(f => f.Id), Is.EqualTo(new[] { "fax-5" }));
            Assert.That(outbound!.Task, Is.Null);
        });
    }
}
