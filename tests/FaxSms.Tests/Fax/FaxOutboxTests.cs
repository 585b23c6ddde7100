using CallCenter.Data;
using CallCenter.FaxSms.Fax;

namespace CallCenter.FaxSms.Tests.Fax;

/// <summary>
/// A request to fax that is refused (a number that is not one or that the host will not dial, a
/// document that cannot be rendered) leaves a row with the reason, as an audit trail: never queued,
/// no document kept.
/// </summary>
[TestFixtureSource(typeof(CallCenter.TestSupport.TestDatabases), nameof(CallCenter.TestSupport.TestDatabases.Providers))]
public sealed class FaxOutboxTests(string provider)
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory()
    {
        _dir = Path.Combine(Path.GetTempPath(), "fax-outbox-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    [TestCase("01099990000", "%PDF", "no trunk is configured (a fake)", TestName = "ANumberTheHostRefusesIsKeptAsRefusedWithTheReason")]
    [TestCase("call me maybe", "%PDF", "neither", TestName = "SomethingThatIsNotANumberIsKeptAsRefusedWithTheReason")]
    [TestCase("01088887777", "not a pdf at all", "", TestName = "ADocumentThatCannotBeRenderedIsKeptAsRefusedWithTheReason")]
    public async Task ARefusedRequestLeavesARefusedRow(string to, string document, string reason)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var repository = new FaxRepository(db.Factory);
        var outbox = new FaxOutbox(repository, new FaxOptions { Directory = _dir }, new FaxOutboxSignal(), new FakeFaxNumbers("01088887777"), TimeProvider.System);
        var pdf = document == "%PDF" ? File.ReadAllBytes(TestDocuments.TwoPagePdf(_dir)) : System.Text.Encoding.ASCII.GetBytes(document);

        var (id, pages, error) = await outbox.EnqueueAsync(to, new MemoryStream(pdf), default);

        var row = id is null ? null : await repository.GetAsync(id, default);
        var claimed = await repository.ClaimDueAsync(DateTimeOffset.UtcNow.AddHours(1), default);
        Assert.Multiple(() =>
        {
            Assert.That(error, Is.Not.Null.And.Contain(reason));
            Assert.That(pages, Is.Zero);
            Assert.That(row, Is.Not.Null, "the refusal has a row");
            Assert.That(row!.Status, Is.EqualTo(FaxStatus.Refused));
            Assert.That(row.Direction, Is.EqualTo(FaxStatus.Outbound));
            Assert.That(row.Remote, Is.EqualTo(to));
            Assert.That(row.ResultText, Is.EqualTo(error));
            Assert.That(row.Attempts, Is.Zero);
            Assert.That(row.TiffPath, Is.Null);
            Assert.That(row.PdfPath, Is.Null);
            Assert.That(claimed, Is.Null, "a refused fax is never sent");
            Assert.That(Directory.Exists(Path.Combine(_dir, "outbound")) ? Directory.GetFiles(Path.Combine(_dir, "outbound")) : [], Is.Empty, "no document kept");
        });
    }

    [Test]
    public async Task AClientGoneMidRenderLeavesNoFileAndNoRow()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var repository = new FaxRepository(db.Factory);
        using var gone = new CancellationTokenSource();
        var outbox = new FaxOutbox(repository, new FaxOptions { Directory = _dir }, new FaxOutboxSignal(), new FakeFaxNumbers("01088887777"), TimeProvider.System,
            async (pdf, tiff, _, cancellationToken) =>
            {
                await File.WriteAllBytesAsync(tiff, [1, 2, 3], CancellationToken.None);
                await gone.CancelAsync();
                cancellationToken.ThrowIfCancellationRequested();
                return 1;
            });

        Assert.That(async () => await outbox.EnqueueAsync("01088887777", new MemoryStream(File.ReadAllBytes(TestDocuments.TwoPagePdf(_dir))), gone.Token), Throws.InstanceOf<OperationCanceledException>());

        Assert.Multiple(async () =>
        {
            Assert.That(Directory.GetFiles(Path.Combine(_dir, "outbound")), Is.Empty, "no orphan PDF or TIFF");
            Assert.That(await repository.ListAsync(null, null, 10, default), Is.Empty);
        });
    }

    [Test]
    public async Task NoGhostscriptIsAClearRefusalWithNoFileLeft()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var repository = new FaxRepository(db.Factory);
        var outbox = new FaxOutbox(repository, new FaxOptions { Directory = _dir }, new FaxOutboxSignal(), new FakeFaxNumbers("01088887777"), TimeProvider.System,
            (_, _, _, _) => throw new System.ComponentModel.Win32Exception(2, "An error occurred trying to start process 'gs': No such file or directory"));

        var unavailable = Assert.ThrowsAsync<FaxUnavailableException>(async () => await outbox.EnqueueAsync("01088887777", new MemoryStream(File.ReadAllBytes(TestDocuments.TwoPagePdf(_dir))), default));

        var row = await repository.GetAsync(unavailable!.Id, default);
        Assert.Multiple(() =>
        {
            Assert.That(unavailable.Message, Does.Contain("ghostscript"));
            Assert.That(row!.Status, Is.EqualTo(FaxStatus.Refused));
            Assert.That(row.ResultText, Is.EqualTo(unavailable.Message));
            Assert.That(Directory.GetFiles(Path.Combine(_dir, "outbound")), Is.Empty, "no orphan PDF");
        });
    }

    [Test]
    public async Task ADocumentThatHitsARenderingLimitIsKeptAsRefusedWithTheReasonAndNothingElse()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var repository = new FaxRepository(db.Factory);
        var outbox = new FaxOutbox(repository, new FaxOptions { Directory = _dir, RenderCpuSeconds = 1 }, new FaxOutboxSignal(), new FakeFaxNumbers("01088887777"), TimeProvider.System);

        var (id, pages, error) = await outbox.EnqueueAsync("01088887777", new MemoryStream(HostilePdf.Busy(200_000)), default);

        var row = await repository.GetAsync(id!, default);
        Assert.Multiple(() =>
        {
            Assert.That(error, Is.EqualTo("gs used more than 1 s of CPU on the document (Fax:RenderCpuSeconds) and was stopped."));
            Assert.That(pages, Is.Zero);
            Assert.That(row!.Status, Is.EqualTo(FaxStatus.Refused));
            Assert.That(row.ResultText, Is.EqualTo(error));
            Assert.That(row.PdfPath, Is.Null);
            Assert.That(Directory.GetFiles(Path.Combine(_dir, "outbound")), Is.Empty, "the upload and its partial TIFF are removed");
        });
    }
}
