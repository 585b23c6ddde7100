using CallCenter.Contracts.BackOffice;
using CallCenter.Contracts.Documents;
using CallCenter.Data;
using CallCenter.FaxSms.Documents;
using CallCenter.FaxSms.Email;
using CallCenter.FaxSms.Fax;
using CallCenter.FaxSms.Outbox;
using CallCenter.FaxSms.Sms;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallCenter.FaxSms.Tests.Fax;

/// <summary>
/// A fax asked for on a call is queued before its document is rendered: the caller hears "queued" at once, and the
/// fax worker renders the PDF afterwards ("rendering", then "queued" with its pages, or "failed" with the reason),
/// resuming at start what a stopped run left "rendering". The render is a delegate here, held on a
/// <see cref="TaskCompletionSource{TResult}"/> where the test needs it unfinished, and the real ghostscript elsewhere.
/// </summary>
[TestFixtureSource(typeof(CallCenter.TestSupport.TestDatabases), nameof(CallCenter.TestSupport.TestDatabases.Providers))]
public sealed class FaxRenderQueueTests(string provider)
{
    private static readonly TimeSpan _patience = TimeSpan.FromSeconds(30);
    private string _dir = "";

    [SetUp]
    public void CreateDirectory()
    {
        _dir = Path.Combine(Path.GetTempPath(), "fax-render-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task AFaxAskedForOnACallIsQueuedWhileItsRenderIsStillRunningAndSentOnceItIsRendered()
    {
        await using var db = await CreateDatabaseAsync();
        var repository = new FaxRepository(db.Factory);
        var options = Options();
        var signal = new FaxOutboxSignal();
        var started = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var outbox = new FaxOutbox(repository, options, signal, new FakeFaxNumbers("01088887777"), TimeProvider.System, async (pdf, tiff, _, cancellationToken) =>
        {
            started.TrySetResult(pdf);
            await release.Task.WaitAsync(cancellationToken);
            await File.WriteAllBytesAsync(tiff, [1, 2, 3], CancellationToken.None);
            return 2;
        });
        var line = new RecordingLine();
        using var worker = new FaxOutboxWorker(repository, outbox, line, new FakeFaxNumbers("01088887777"), options, signal, TimeProvider.System, NullLogger<FaxOutboxWorker>.Instance);
        await worker.StartAsync(default);
        try
        {
            var desk = Desk(db, options, outbox);

            var result = await desk.RequestAsync(Request("95500.documentFax#1", "01088887777"), default).WaitAsync(_patience);

            // The worker has the document in ghostscript's place, held: the caller's answer did not wait for it.
            var renderedPdf = await started.Task.WaitAsync(_patience);
            var whileRendering = await repository.GetAsync(result.Id!, default);
            await using (var connection = await db.Factory.OpenAsync())
            {
                var audit = await connection.QuerySingleAsync<(string Id, string Channel, string Recipient)>(
                    "SELECT id AS Id, channel AS Channel, recipient_masked AS Recipient FROM document_requests");
                Assert.Multiple(() =>
                {
                    Assert.That(result.Outcome, Is.EqualTo(DocumentOutcome.Queued));
                    Assert.That(whileRendering!.Status, Is.EqualTo(FaxStatus.Rendering));
                    Assert.That(whileRendering.DocumentPages, Is.Null, "not rendered yet");
                    Assert.That(whileRendering.Remote, Is.EqualTo("01088887777"));
                    Assert.That(renderedPdf, Is.EqualTo(whileRendering.PdfPath));
                    Assert.That(File.ReadAllBytes(renderedPdf).AsSpan(0, 5).SequenceEqual("%PDF-"u8), "the PDF is on disk before the caller is answered");
                    Assert.That(audit.Id, Is.EqualTo(result.Id), "the audit row was written with the fax");
                    Assert.That((audit.Channel, audit.Recipient), Is.EqualTo(("fax", DocumentTexts.MaskRecipient("01088887777"))));
                    Assert.That(line.Called, Is.Empty, "nothing is dialled before the document is rendered");
                });
            }

            release.SetResult();
            var sent = await WaitForAsync(repository, result.Id!, FaxStatus.Sent);
            Assert.Multiple(() =>
            {
                Assert.That(sent.DocumentPages, Is.EqualTo(2), "the render's page count");
                Assert.That(sent.Pages, Is.EqualTo(1), "the line's result");
                Assert.That(line.Called, Is.EqualTo(new[] { "01088887777" }));
                Assert.That(line.Tiffs, Is.EqualTo(new[] { sent.TiffPath }));
            });
        }
        finally
        {
            release.TrySetResult();
            await worker.StopAsync(default);
        }
    }

    [Test]
    public async Task TheWorkerRendersTheDocumentWithGhostscriptAndTheFaxIsQueuedWithItsPages()
    {
        await using var db = await CreateDatabaseAsync();
        var repository = new FaxRepository(db.Factory);
        var options = Options();
        var outbox = new FaxOutbox(repository, options, new FaxOutboxSignal(), new FakeFaxNumbers("01088887777"), TimeProvider.System);

        var (id, error) = await outbox.QueueToRenderAsync("01088887777", new MemoryStream(File.ReadAllBytes(TestDocuments.TwoPagePdf(_dir))), null, default);
        var queued = await repository.GetAsync(id, default);
        var tiffBefore = File.Exists(queued!.TiffPath);
        var claimed = await repository.ClaimRenderAsync(DateTimeOffset.UtcNow, default);
        var second = await repository.ClaimRenderAsync(DateTimeOffset.UtcNow.AddHours(1), default);
        var outcome = await outbox.RenderClaimedAsync(claimed!, default);
        var rendered = await repository.GetAsync(id, default);
        var due = await repository.ClaimDueAsync(DateTimeOffset.UtcNow.AddSeconds(1), default);

        Assert.Multiple(() =>
        {
            Assert.That(error, Is.Null);
            Assert.That(queued.Status, Is.EqualTo(FaxStatus.Rendering));
            Assert.That(tiffBefore, Is.False, "no TIFF before the worker renders it");
            Assert.That(claimed?.Id, Is.EqualTo(id));
            Assert.That(second, Is.Null, "a claimed render is not claimed again");
            Assert.That(outcome, Is.EqualTo(new FaxRenderOutcome(FaxStatus.Queued, 2, null)));
            Assert.That(rendered!.Status, Is.EqualTo(FaxStatus.Queued));
            Assert.That(rendered.DocumentPages, Is.EqualTo(2));
            Assert.That(TiffPages.Count(rendered.TiffPath!), Is.EqualTo(2), "ghostscript's TIFF-F, two pages");
            Assert.That(due?.Id, Is.EqualTo(id), "then due to be sent");
        });
    }

    [Test]
    public async Task ADocumentThatCannotBeRenderedEndsFailedWithTheRendersReasonAndIsNeverDialled()
    {
        await using var db = await CreateDatabaseAsync();
        var repository = new FaxRepository(db.Factory);
        var options = Options();
        var signal = new FaxOutboxSignal();
        var outbox = new FaxOutbox(repository, options, signal, new FakeFaxNumbers("01088887777"), TimeProvider.System);
        var line = new RecordingLine();
        using var worker = new FaxOutboxWorker(repository, outbox, line, new FakeFaxNumbers("01088887777"), options, signal, TimeProvider.System, NullLogger<FaxOutboxWorker>.Instance);

        // Accepted before its render (no check of the content here), then refused by the render in the worker.
        var (id, error) = await outbox.QueueToRenderAsync("01088887777", new MemoryStream("not a pdf at all"u8.ToArray()), null, default);
        await worker.StartAsync(default);
        var failed = await WaitForAsync(repository, id, FaxStatus.Failed);
        await worker.StopAsync(default);

        Assert.Multiple(() =>
        {
            Assert.That(error, Is.Null);
            Assert.That(failed.ResultText, Is.EqualTo("The document is not a PDF."));
            Assert.That(failed.TiffPath, Is.Null);
            Assert.That(failed.DocumentPages, Is.Null);
            Assert.That(failed.NextAttemptAt, Is.Null, "not tried again");
            Assert.That(failed.Attempts, Is.Zero);
            Assert.That(File.Exists(failed.PdfPath), "the document is kept with its row");
            Assert.That(Directory.GetFiles(Path.Combine(_dir, "outbound"), "*.tif*"), Is.Empty, "no TIFF, whole or partial");
            Assert.That(line.Called, Is.Empty);
        });
    }

    [Test]
    public async Task NoGhostscriptOnTheHostFailsTheFaxWithThatReason()
    {
        await using var db = await CreateDatabaseAsync();
        var repository = new FaxRepository(db.Factory);
        var outbox = new FaxOutbox(repository, Options(), new FaxOutboxSignal(), new FakeFaxNumbers("01088887777"), TimeProvider.System,
            (_, _, _, _) => throw new System.ComponentModel.Win32Exception(2, "An error occurred trying to start process 'gs': No such file or directory"));

        var (id, _) = await outbox.QueueToRenderAsync("01088887777", new MemoryStream("%PDF-1.4"u8.ToArray()), null, default);
        var outcome = await outbox.RenderClaimedAsync((await repository.ClaimRenderAsync(DateTimeOffset.UtcNow, default))!, default);
        var row = await repository.GetAsync(id, default);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Status, Is.EqualTo(FaxStatus.Failed));
            Assert.That(outcome.Error, Does.StartWith("faxes cannot be rendered on this host: ghostscript (gs)"));
            Assert.That(row!.Status, Is.EqualTo(FaxStatus.Failed));
            Assert.That(row.ResultText, Is.EqualTo(outcome.Error));
        });
    }

    [Test]
    public async Task AFaxLeftRenderingByAStoppedRunIsRenderedAtTheNextStart()
    {
        await using var db = await CreateDatabaseAsync();
        var repository = new FaxRepository(db.Factory);
        var options = Options();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var renders = 0;
        var first = new FaxOutbox(repository, options, new FaxOutboxSignal(), new FakeFaxNumbers("01088887777"), TimeProvider.System, async (_, _, _, cancellationToken) =>
        {
            Interlocked.Increment(ref renders);
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        });
        var (id, _) = await first.QueueToRenderAsync("01088887777", new MemoryStream("%PDF-1.4"u8.ToArray()), null, default);

        // The first run takes the render and is stopped in the middle of it.
        var firstSignal = new FaxOutboxSignal();
        using (var stopped = new FaxOutboxWorker(repository, first, new RecordingLine(), new FakeFaxNumbers("01088887777"), options, firstSignal, TimeProvider.System, NullLogger<FaxOutboxWorker>.Instance))
        {
            await stopped.StartAsync(default);
            await started.Task.WaitAsync(_patience);
            await stopped.StopAsync(default);
        }

        var left = await repository.GetAsync(id, default);
        var notDue = await repository.ClaimRenderAsync(DateTimeOffset.UtcNow.AddHours(1), default);

        // The next start renders it (the PDF is on disk) and sends it.
        var signal = new FaxOutboxSignal();
        var next = new FaxOutbox(repository, options, signal, new FakeFaxNumbers("01088887777"), TimeProvider.System, async (pdf, tiff, _, _) =>
        {
            Assert.That(File.Exists(pdf), "the PDF a stopped run left");
            await File.WriteAllBytesAsync(tiff, [1]);
            return 3;
        });
        var line = new RecordingLine();
        using var worker = new FaxOutboxWorker(repository, next, line, new FakeFaxNumbers("01088887777"), options, signal, TimeProvider.System, NullLogger<FaxOutboxWorker>.Instance);
        await worker.StartAsync(default);
        var sent = await WaitForAsync(repository, id, FaxStatus.Sent);
        await worker.StopAsync(default);

        Assert.Multiple(() =>
        {
            Assert.That(renders, Is.EqualTo(1));
            Assert.That(left!.Status, Is.EqualTo(FaxStatus.Rendering), "a stop in the middle of a render leaves the fax to render");
            Assert.That(File.Exists(left.PdfPath), "with its PDF");
            Assert.That(notDue, Is.Null, "claimed by the stopped run: only a start makes it due again");
            Assert.That(sent.DocumentPages, Is.EqualTo(3));
            Assert.That(line.Called, Is.EqualTo(new[] { "01088887777" }));
        });
    }

    [Test]
    public async Task ARefusedNumberIsRefusedAtOnceAndNothingIsKept()
    {
        await using var db = await CreateDatabaseAsync();
        var repository = new FaxRepository(db.Factory);
        var rendered = false;
        var outbox = new FaxOutbox(repository, Options(), new FaxOutboxSignal(), new FakeFaxNumbers("01088887777"), TimeProvider.System, (_, _, _, _) =>
        {
            rendered = true;
            return Task.FromResult(1);
        });
        var desk = Desk(db, Options(), outbox);

        var keyed = await desk.RequestAsync(Request("95500.documentFax#1", "01099990000"), default);
        var (id, error) = await outbox.QueueToRenderAsync("01099990000", new MemoryStream("%PDF-1.4"u8.ToArray()), null, default);
        var row = await repository.GetAsync(id, default);

        Assert.Multiple(async () =>
        {
            Assert.That(keyed.Outcome, Is.EqualTo(DocumentOutcome.FaxNumberRefused));
            Assert.That(error, Does.Contain("no trunk is configured (a fake)"));
            Assert.That(row!.Status, Is.EqualTo(FaxStatus.Refused));
            Assert.That(row.PdfPath, Is.Null);
            Assert.That(await repository.ClaimRenderAsync(DateTimeOffset.UtcNow.AddHours(1), default), Is.Null, "a refused fax is never rendered");
            Assert.That(rendered, Is.False);
            Assert.That(Directory.Exists(Path.Combine(_dir, "outbound")) ? Directory.GetFiles(Path.Combine(_dir, "outbound")) : [], Is.Empty, "no document kept");
        });
    }

    private async Task<TestDatabase> CreateDatabaseAsync()
    {
        var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        return db;
    }

    private FaxOptions Options() => new() { Number = "95580", Directory = _dir, RetrySeconds = 1 };

    private DocumentDesk Desk(TestDatabase db, FaxOptions fax, FaxOutbox outbox)
    {
        var note = Path.Combine(_dir, "note.txt");
        File.WriteAllText(note, "Weekly note: banks steady\nBanks held their ground this week.\n");
        return new DocumentDesk(
            db.Factory,
            new DocumentOptions { ResearchNotePath = note, ResearchNoteUrl = "https://research.example.com/weekly" },
            new SmsOptions { Provider = "" },
            new MailOptions(),
            fax,
            outbox,
            new OutboxSignal(),
            new DocumentPdf(DocumentOptions.DefaultFont),
            TimeProvider.System,
            NullLogger<DocumentDesk>.Instance);
    }

    private static DocumentRequest Request(string key, string faxNumber) =>
        new(DocumentKind.ResearchNote, DocumentChannel.Fax, "en", new OperationContext("call-1", "call-1:" + key, "call-1.wav"), "13800000004", null, faxNumber);

    private static async Task<FaxRecord> WaitForAsync(FaxRepository repository, string id, string status)
    {
        var deadline = DateTime.UtcNow + _patience;
        while (true)
        {
            var row = await repository.GetAsync(id, default);
            if (row!.Status == status)
            {
                return row;
            }

            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"fax {id} is still {row.Status} ({row.ResultText}), not {status}");
            await Task.Delay(50);
        }
    }

    private sealed class RecordingLine : IFaxLine
    {
        private readonly List<(string To, string Tiff)> _calls = [];

        public IReadOnlyList<string> Called
        {
            get
            {
                lock (_calls)
                {
                    return [.. _calls.Select(c => c.To)];
                }
            }
        }

        public IReadOnlyList<string> Tiffs
        {
            get
            {
                lock (_calls)
                {
                    return [.. _calls.Select(c => c.Tiff)];
                }
            }
        }

        public Task<FaxAttempt> SendAsync(string faxId, string to, string tiffPath, int startPage, CancellationToken cancellationToken)
        {
            lock (_calls)
            {
                _calls.Add((to, tiffPath));
            }

            return Task.FromResult(new FaxAttempt(200, new FaxResult(true, 1, 14400, true, 0, "OK"), "OK", "call-" + faxId));
        }
    }
}
