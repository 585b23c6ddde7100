using CallCenter.Data;
using CallCenter.FaxSms.Fax;
using CallCenter.FaxSms.Outbox;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallCenter.FaxSms.Tests.Fax;

/// <summary>
/// A received fax is stored and mailed (<see cref="FaxInbox"/>): as a PDF when tiff2pdf makes one, and
/// when it cannot (it fails, or is not installed) the fax is still kept and mailed, the TIFF attached
/// and the reason said, never left unmailed or "receiving".
/// </summary>
[TestFixtureSource(typeof(CallCenter.TestSupport.TestDatabases), nameof(CallCenter.TestSupport.TestDatabases.Providers))]
public sealed class FaxInboxTests(string provider)
{
    private static readonly DateTimeOffset _t = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly FaxResult _ok = new(true, 2, 14400, true, FaxResult.Ok, "OK");
    private string _dir = "";

    [SetUp]
    public void CreateDirectory()
    {
        _dir = Path.Combine(Path.GetTempPath(), "fax-inbox-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task AReceivedFaxIsMailedAsAPdf()
    {
        var (fax, mail, tiff) = await ReceiveAsync(toPdf: null);

        Assert.Multiple(() =>
        {
            Assert.That(fax.Status, Is.EqualTo(FaxStatus.Received));
            Assert.That(fax.PdfPath, Is.Not.Null);
            Assert.That(fax.ResultText, Is.EqualTo("OK"));
            Assert.That(mail.Attachments!.Single().ContentType, Is.EqualTo("application/pdf"));
            Assert.That(FaxDocuments.LooksLikePdf(mail.Attachments!.Single().Content), Is.True);
        });
    }

    [TestCase("tiff2pdf", TestName = "WhenTiff2PdfFailsTheFaxIsKeptAndMailedAsItsTiffWithTheReason")]
    [TestCase("missing", TestName = "WhenTiff2PdfIsNotInstalledTheFaxIsKeptAndMailedAsItsTiffWithTheReason")]
    public async Task WithoutAPdfTheTiffIsMailed(string how)
    {
        Func<string, string, CancellationToken, Task> toPdf = how == "missing"
            ? (_, _, _) => throw new System.ComponentModel.Win32Exception(2, "An error occurred trying to start process 'tiff2pdf': No such file or directory")
            : (_, _, _) => throw new FaxDocumentException("tiff2pdf failed: TIFFReadDirectory: Sanity check on directory count failed");

        var (fax, mail, tiff) = await ReceiveAsync(toPdf);

        var attachment = mail.Attachments!.Single();
        Assert.Multiple(() =>
        {
            Assert.That(fax.Status, Is.EqualTo(FaxStatus.Received), "the fax arrived whole; only its PDF is missing");
            Assert.That(fax.Pages, Is.EqualTo(2));
            Assert.That(fax.TiffPath, Is.EqualTo(tiff));
            Assert.That(File.Exists(tiff), Is.True, "the pages are kept");
            Assert.That(fax.PdfPath, Is.Null);
            Assert.That(fax.ResultText, Does.StartWith("OK; no PDF could be made (").And.Contain("the TIFF was mailed instead"));
            Assert.That(attachment.ContentType, Is.EqualTo("image/tiff"));
            Assert.That(attachment.FileName, Does.EndWith(".tif"));
            Assert.That(attachment.Content, Is.EqualTo(File.ReadAllBytes(tiff)), "the very pages received");
            Assert.That(mail.Body, Does.Contain("No PDF could be made").And.Contain("attached as the TIFF received"));
        });
    }

    [Test]
    public async Task AReceptionAStopCutShortIsFinishedWithItsPagesMailedOnceNoCallCouldStillBeOn()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var repository = new FaxRepository(db.Factory);
        var options = new FaxOptions { Directory = _dir, MailTo = "backoffice@example.com", MaxCallSeconds = 900 };

        // Two receptions the platform was in when it stopped: one answered 20 minutes ago (no call lasts that
        // long: cut short), one answered a minute ago (perhaps still on a call at another node: left alone).
        var then = new FaxInbox(repository, options, new OutboxSignal(), new FixedTime(_t.AddMinutes(-20)), NullLogger<FaxInbox>.Instance);
        var (cut, cutTiff) = then.Allocate();
        File.Copy(TestDocuments.TwoPageTiff(_dir), cutTiff);
        await then.StartAsync(cut, "call-1", "13800000001", true, "95580", cutTiff, default);
        var recent = new FaxInbox(repository, options, new OutboxSignal(), new FixedTime(_t.AddMinutes(-1)), NullLogger<FaxInbox>.Instance);
        var (live, liveTiff) = recent.Allocate();
        await recent.StartAsync(live, "call-2", "13800000002", true, "95580", liveTiff, default);

        var inbox = new FaxInbox(repository, options, new OutboxSignal(), new FixedTime(_t), NullLogger<FaxInbox>.Instance);
        var finished = await inbox.RecoverInterruptedAsync(default);
        var again = await inbox.RecoverInterruptedAsync(default);

        var fax = await repository.GetAsync(cut, default);
        var stillOn = await repository.GetAsync(live, default);
        var mails = await new OutboxRepository(db.Factory).ClaimDueAsync(_t.AddMinutes(1), _t.AddMinutes(1), 10, [MessageChannel.Email], default);
        Assert.Multiple(() =>
        {
            Assert.That((finished, again), Is.EqualTo((1, 0)), "finished once");
            Assert.That(fax!.Status, Is.EqualTo(FaxStatus.Partial), "the pages that arrived, not a fax known whole");
            Assert.That(fax.Pages, Is.EqualTo(2));
            Assert.That(fax.ResultText, Does.Contain("interrupted"));
            Assert.That(fax.PdfPath, Is.Not.Null);
            Assert.That(stillOn!.Status, Is.EqualTo(FaxStatus.Receiving), "a reception that may still be on a call is not touched");
            Assert.That(mails, Has.Count.EqualTo(1), "the pages are mailed");
            Assert.That(mails[0].Body, Does.Contain(cut[4..]).Or.Contain(cut));
        });
    }

    [Test]
    public async Task APageThatArrivedDamagedIsKeptAndItsDamageIsInTheRowAndTheMail()
    {
        // spandsp's page statistics counted 11 pixel rows it could not decode (a noisy line without ECM).
        var (fax, mail, _) = await ReceiveAsync(toPdf: null, _ok with { BadRows = 11 });

        Assert.Multiple(() =>
        {
            Assert.That(fax.Status, Is.EqualTo(FaxStatus.Received), "T.30 took the pages; both are kept");
            Assert.That(fax.Pages, Is.EqualTo(2));
            Assert.That(fax.ResultText, Is.EqualTo("OK; 11 damaged pixel rows"));
            Assert.That(mail.Body, Does.Contain("11 damaged pixel rows"), "whoever reads the fax is told to check it");
        });
    }

    [Test]
    public async Task AnUnverifiedCallersClaimIsKeptAsUnverifiedAndOnlyANumberOfItIsUsed()
    {
        // A caller from outside the trusted peers: its %-decoded user part can be any text.
        var (fax, mail, _) = await ReceiveAsync(null, caller: "URGENT: wire funds to 6222\r\nX: ../../etc", verified: false);

        Assert.Multiple(() =>
        {
            Assert.That(fax.Remote, Is.EqualTo(""), "no number in the row but a number");
            Assert.That(fax.RemoteVerified, Is.False);
            Assert.That(mail.Subject, Does.Contain("Fax from unknown (unverified)").And.Not.Contain("URGENT"));
            Assert.That(mail.Body, Does.Contain("From: unknown (unverified)").And.Not.Contain("wire"));
            Assert.That(mail.Attachments!.Single().FileName, Does.StartWith("fax-unknown-"));
        });

        // A number, but only claimed: kept, and said to be unverified.
        var (claimed, claimedMail, _) = await ReceiveAsync(null, caller: "13800000009", verified: false);
        Assert.Multiple(() =>
        {
            Assert.That(claimed.Remote, Is.EqualTo("13800000009"));
            Assert.That(claimed.RemoteVerified, Is.False);
            Assert.That(claimedMail.Subject, Does.Contain("Fax from 13800000009 (unverified)"));
            Assert.That(claimedMail.Attachments!.Single().FileName, Does.StartWith("fax-13800000009-"));
        });

        // A trusted peer's number: as before.
        var (trusted, trustedMail, _) = await ReceiveAsync(null, caller: "95500", verified: true);
        Assert.Multiple(() =>
        {
            Assert.That(trusted.Remote, Is.EqualTo("95500"));
            Assert.That(trusted.RemoteVerified, Is.True);
            Assert.That(trustedMail.Subject, Does.Contain("Fax from 95500:"));
        });
    }

    [Test]
    public async Task TheMailSaysTheNumberTheFaxCameInOnTheHotlineOrTheFaxNumber()
    {
        // A fax machine that called the hotline 95500 (its CNG tone heard in the IVR), and one that called the fax number.
        var (hotline, hotlineMail, _) = await ReceiveAsync(null, dialed: "95500");
        var (faxNumber, faxNumberMail, _) = await ReceiveAsync(null);

        Assert.Multiple(() =>
        {
            Assert.That(hotline.LocalNumber, Is.EqualTo("95500"));
            Assert.That(hotlineMail.Body, Does.Contain("A fax was received on 95500, not the fax number 95580"));
            Assert.That(hotlineMail.Body, Does.Not.Contain("received on 95580"));
            Assert.That(faxNumber.LocalNumber, Is.EqualTo("95580"));
            Assert.That(faxNumberMail.Body, Does.Contain("A fax was received on 95580.").And.Not.Contain("not the fax number"));
        });
    }

    [TestCase("13800000001", true, "13800000001")]
    [TestCase("+8613800000001", false, "+8613800000001 (unverified)")]
    [TestCase("", true, "unknown")]
    [TestCase("anonymous", true, "unknown")]
    [TestCase("1380\n0000", false, "unknown (unverified)")]
    [TestCase("123456789012345678901234567890123", true, "unknown")]
    public void OnlyANumberIsShownAsTheSender(string caller, bool verified, string shown) =>
        Assert.That(FaxSender.Shown(caller, verified), Is.EqualTo(shown));

    private async Task<(FaxRecord Fax, OutboundMessage Mail, string Tiff)> ReceiveAsync(Func<string, string, CancellationToken, Task>? toPdf, FaxResult? result = null, string caller = "13800000001", bool verified = true, string dialed = "95580")
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var repository = new FaxRepository(db.Factory);
        var options = new FaxOptions { Number = "95580", Directory = _dir, MailTo = "backoffice@example.com" };
        var inbox = new FaxInbox(repository, options, new OutboxSignal(), new FixedTime(_t), NullLogger<FaxInbox>.Instance, toPdf);
        var (id, tiff) = inbox.Allocate();
        File.Copy(TestDocuments.TwoPageTiff(_dir), tiff);
        await inbox.StartAsync(id, "call-1", caller, verified, dialed, tiff, default);

        await inbox.FinishAsync(id, "call-1", caller, verified, dialed, tiff, result ?? _ok, default);

        var fax = await repository.GetAsync(id, default);
        var mails = await new OutboxRepository(db.Factory).ClaimDueAsync(_t.AddMinutes(1), _t.AddMinutes(1), 10, [MessageChannel.Email], default);
        Assert.That(mails, Has.Count.EqualTo(1), "one mail for the fax");
        return (fax!, mails[0], tiff);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
