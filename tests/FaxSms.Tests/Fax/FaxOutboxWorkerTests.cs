using CallCenter.Data;
using CallCenter.FaxSms.Fax;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallCenter.FaxSms.Tests.Fax;

/// <summary>
/// The fax worker checks a queued fax's destination again before it dials: the configuration may have changed
/// since the fax was queued (a restart with a host taken off <c>Fax:SipHosts</c>), and the line is never asked
/// to call a host that is no longer allowed.
/// </summary>
[TestFixtureSource(typeof(CallCenter.TestSupport.TestDatabases), nameof(CallCenter.TestSupport.TestDatabases.Providers))]
public sealed class FaxOutboxWorkerTests(string provider)
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory()
    {
        _dir = Path.Combine(Path.GetTempPath(), "fax-worker-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task AFaxToAHostTakenOffTheListSinceItWasQueuedIsNotDialled()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var repository = new FaxRepository(db.Factory);
        var numbers = new FakeFaxNumbers();
        var then = new FaxOptions { Directory = _dir, SipHosts = ["192.0.2.10", "192.0.2.20"] };
        var outbox = new FaxOutbox(repository, then, new FaxOutboxSignal(), numbers, TimeProvider.System, async (_, tiff, _, _) =>
        {
            await File.WriteAllBytesAsync(tiff, [1]);
            return 1;
        });
        var (removed, _, removedError) = await outbox.EnqueueAsync("sip:fax@192.0.2.10:5060", new MemoryStream("%PDF-1.4"u8.ToArray()), default);
        var (kept, _, keptError) = await outbox.EnqueueAsync("sip:fax@192.0.2.20:5060", new MemoryStream("%PDF-1.4"u8.ToArray()), default);
        Assert.That((removedError, keptError), Is.EqualTo(((string?)null, (string?)null)), "both hosts were allowed when the faxes were queued");

        // Started again with 192.0.2.10 taken off the list.
        var now = new FaxOptions { Directory = _dir, SipHosts = ["192.0.2.20"] };
        var line = new RecordingFaxLine(pages: 1);
        using var worker = new FaxOutboxWorker(repository, outbox, line, numbers, now, new FaxOutboxSignal(), TimeProvider.System, NullLogger<FaxOutboxWorker>.Instance);
        await worker.StartAsync(default);
        var removedRow = await WaitDoneAsync(repository, removed!);
        var keptRow = await WaitDoneAsync(repository, kept!);
        await worker.StopAsync(default);

        Assert.Multiple(() =>
        {
            Assert.That(line.Destinations, Is.EqualTo(new[] { "sip:fax@192.0.2.20:5060" }), "only the host still listed was called");
            Assert.That(removedRow.Status, Is.EqualTo(FaxStatus.Failed));
            Assert.That(removedRow.ResultText, Does.StartWith("not dialled: ").And.Contain("192.0.2.10:5060 is not on Fax:SipHosts"));
            Assert.That(removedRow.NextAttemptAt, Is.Null, "not tried again");
            Assert.That(keptRow.Status, Is.EqualTo(FaxStatus.Sent));
        });
    }

    private static async Task<FaxRecord> WaitDoneAsync(FaxRepository repository, string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var row = await repository.GetAsync(id, default);
            if (row!.Status is not (FaxStatus.Queued or FaxStatus.Sending) || DateTime.UtcNow > deadline)
            {
                return row;
            }

            await Task.Delay(50);
        }
    }
}
