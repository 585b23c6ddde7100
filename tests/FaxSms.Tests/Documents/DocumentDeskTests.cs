using CallCenter.BackOffice;
using CallCenter.Contracts.BackOffice;
using CallCenter.Contracts.Documents;
using CallCenter.Data;
using CallCenter.FaxSms.Documents;
using CallCenter.FaxSms.Email;
using CallCenter.FaxSms.Fax;
using CallCenter.FaxSms.Outbox;
using CallCenter.FaxSms.Sms;
using CallCenter.FaxSms.Tests.Fax;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using UglyToad.PdfPig;

namespace CallCenter.FaxSms.Tests.Documents;

/// <summary>
/// The documents the hotline asks for, on both databases with the built-in back office's demo
/// accounts: what is queued where (outbox rows, the fax queue), what the audit keeps, and what is
/// refused without queueing anything.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Providers))]
public sealed class DocumentDeskTests(string provider)
{
    private const string Account = "880000000001";
    private static readonly DateTimeOffset _now = new(2026, 12, 4, 2, 0, 0, TimeSpan.Zero);

    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("documents-test").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    /// <param name="firstLanguage">The recorded language of 13800000001, the owner of <see cref="Account"/>; 13800000004 is always "en".</param>
    private async Task<(TestDatabase Db, DocumentDesk Desk)> CreateAsync(string smsProvider = "kannel", string smtpHost = "127.0.0.1", string? font = null, string firstLanguage = "en")
    {
        var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        await BackOfficeDemo.SeedAsync(db.Factory, default);
        await using (var connection = await db.Factory.OpenAsync())
        {
            // 贵州茅台 besides the demo's 600000, so the statement has two Chinese stock names.
            await connection.ExecuteAsync("INSERT INTO bo_positions (account, code, quantity, frozen) VALUES ('880000000001', '600519', 100, 0)");
            await connection.ExecuteAsync(
                "INSERT INTO clients (phone, name, account_masked, tier, manager_extension, language, branch, email) VALUES ('13800000001', '王建国', '****0001', 'Diamond', NULL, @firstLanguage, 'HQ', 'client1@example.com')",
                new { firstLanguage });
            await connection.ExecuteAsync(
                "INSERT INTO clients (phone, name, account_masked, tier, manager_extension, language, branch, email) VALUES ('13800000004', 'Emily Chen', '****0004', 'Quality', NULL, 'en', 'HQ', 'client4@example.com')");
        }

        var time = new ManualTimeProvider(_now);
        var note = Path.Combine(_directory, "note.txt");
        await File.WriteAllTextAsync(note, "Weekly note: banks steady\nBanks held their ground this week.\n");
        await File.WriteAllTextAsync(Path.Combine(_directory, "note.zh.txt"), "每周点评：银行股企稳\n大型银行股本周表现稳健。\n");
        var fax = new FaxOptions { Number = "95580", Directory = _directory };
        var backOffice = new BuiltInBackOffice(db.Factory, new BackOfficeOptions(), time, NullLogger<BuiltInBackOffice>.Instance);
        var desk = new DocumentDesk(
            db.Factory,
            new DocumentOptions { ResearchNotePath = note, ResearchNoteUrl = "https://research.example.com/weekly" },
            new SmsOptions { Provider = smsProvider },
            new MailOptions { Smtp = new SmtpOptions { Host = smtpHost } },
            fax,
            new FaxOutbox(new FaxRepository(db.Factory), fax, new FaxOutboxSignal(), new FakeFaxNumbers("01088887777"), time),
            new OutboxSignal(),
            new DocumentPdf(font ?? DocumentOptions.DefaultFont),
            time,
            NullLogger<DocumentDesk>.Instance,
            backOffice,
            backOffice);
        return (db, desk);
    }

    private static DocumentRequest Request(DocumentKind kind, DocumentChannel channel, string key, string? caller = "13800000001", string? verified = null, string? faxNumber = null, string language = "en") =>
        new(kind, channel, language, new OperationContext("call-1", "call-1:" + key, "call-1.wav"), caller, verified, faxNumber);

    [Test]
    public async Task AStatementByEmailGoesToTheAddressOnFileWithThePdfAndIsAuditedOnce()
    {
        var (db, desk) = await CreateAsync();
        await using var _ = db;

        var result = await desk.RequestAsync(Request(DocumentKind.Statement, DocumentChannel.Email, "95500.documentSend#7", caller: null, verified: Account), default);
        var again = await desk.RequestAsync(Request(DocumentKind.Statement, DocumentChannel.Email, "95500.documentSend#7", caller: null, verified: Account), default);

        await using var connection = await db.Factory.OpenAsync();
        var message = await connection.QuerySingleAsync<(string Channel, string Recipient, string Subject, string Kind, string Status)>(
            "SELECT channel, recipient, subject, kind, status FROM messages WHERE id = @id", new { id = result.Id });
        var pdf = await connection.QuerySingleAsync<byte[]>("SELECT content FROM message_attachments WHERE message_id = @id", new { id = result.Id });
        var audit = await connection.QuerySingleAsync<(string CallId, string Recording, string Document, string Channel, string Recipient, string AccountMasked)>(
            "SELECT call_id, recording, document, channel, recipient_masked, account_masked FROM document_requests");
        using var document = PdfDocument.Open(pdf);
        var text = string.Join("\n", document.GetPages().Select(p => p.Text));
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(DocumentOutcome.Queued));
            Assert.That(again, Is.EqualTo(result), "the same step queues nothing more");
            Assert.That(message, Is.EqualTo((MessageChannel.Email, "client1@example.com", "Your account statement", MessageKind.Requested, MessageStatus.Queued)));
            Assert.That(text, Does.Contain("Available: 100,000.00").And.Contain("600000").And.Contain("****0001"));
            Assert.That(text, Does.Not.Contain(Account), "the account is masked in the document");
            Assert.That(audit, Is.EqualTo(("call-1", "call-1.wav", "statement", "email", "c***@example.com", "****0001")));
        });
    }

    [Test]
    public async Task AStatementBySmsGoesToTheAccountsNumberOnFileNotTheCallingNumber()
    {
        var (db, desk) = await CreateAsync();
        await using var _ = db;

        var result = await desk.RequestAsync(Request(DocumentKind.Statement, DocumentChannel.Sms, "s#1", caller: "13800000005", verified: Account), default);

        await using var connection = await db.Factory.OpenAsync();
        var (recipient, body) = await connection.QuerySingleAsync<(string, string)>("SELECT recipient, body FROM messages WHERE id = @id", new { id = result.Id });
        Assert.Multiple(() =>
        {
            Assert.That(recipient, Is.EqualTo("+8613800000001"));
            Assert.That(body, Does.StartWith("[Statement] Account ****0001 on 2026-12-04: cash 100,000.00 CNY, available 100,000.00 CNY; 600000 1000 shares"));
            Assert.That(body, Does.Not.Contain(Account));
        });
    }

    [Test]
    public async Task AStatementWithoutAVerifiedAccountQueuesNothing()
    {
        var (db, desk) = await CreateAsync();
        await using var _ = db;

        var result = await desk.RequestAsync(Request(DocumentKind.Statement, DocumentChannel.Email, "s#1", verified: null), default);

        Assert.That(result.Outcome, Is.EqualTo(DocumentOutcome.NotVerified));
        Assert.That(await CountAsync(db, "messages") + await CountAsync(db, "document_requests"), Is.Zero);
    }

    [Test]
    public async Task AResearchNoteBySmsNeedsABelievedCallingNumber()
    {
        var (db, desk) = await CreateAsync();
        await using var _ = db;

        var unknown = await desk.RequestAsync(Request(DocumentKind.ResearchNote, DocumentChannel.Sms, "n#1", caller: null), default);
        var landline = await desk.RequestAsync(Request(DocumentKind.ResearchNote, DocumentChannel.Sms, "n#2", caller: "01088886666"), default);
        var known = await desk.RequestAsync(Request(DocumentKind.ResearchNote, DocumentChannel.Sms, "n#3"), default);

        await using var connection = await db.Factory.OpenAsync();
        var (recipient, body) = await connection.QuerySingleAsync<(string, string)>("SELECT recipient, body FROM messages WHERE id = @id", new { id = known.Id });
        Assert.Multiple(() =>
        {
            Assert.That(unknown.Outcome, Is.EqualTo(DocumentOutcome.NoContact));
            Assert.That(landline.Outcome, Is.EqualTo(DocumentOutcome.NoContact), "a fixed line cannot take an SMS");
            Assert.That(known.Outcome, Is.EqualTo(DocumentOutcome.Queued));
            Assert.That(recipient, Is.EqualTo("+8613800000001"));
            Assert.That(body, Does.StartWith("[Research note] Weekly note: banks steady: Banks held").And.EndWith("Full text: https://research.example.com/weekly"));
        });
        Assert.That(await CountAsync(db, "messages"), Is.EqualTo(1));
    }

    [Test]
    public async Task AChannelThatIsNotConfiguredIsNotOfferedAndQueuesNothing()
    {
        var (db, desk) = await CreateAsync(smsProvider: "", smtpHost: "");
        await using var _ = db;

        var sms = await desk.RequestAsync(Request(DocumentKind.ResearchNote, DocumentChannel.Sms, "n#1"), default);
        var email = await desk.RequestAsync(Request(DocumentKind.ResearchNote, DocumentChannel.Email, "n#2"), default);

        Assert.Multiple(() =>
        {
            Assert.That(desk.Channels, Is.EqualTo(DocumentChannels.Fax));
            Assert.That(sms.Outcome, Is.EqualTo(DocumentOutcome.ChannelUnavailable));
            Assert.That(email.Outcome, Is.EqualTo(DocumentOutcome.ChannelUnavailable));
        });
        Assert.That(await CountAsync(db, "messages"), Is.Zero);
    }

    [Test]
    public async Task AFaxGoesThroughTheFaxQueueAsTiffAndANumberItCannotReachIsRefused()
    {
        var (db, desk) = await CreateAsync();
        await using var _ = db;

        var refused = await desk.RequestAsync(Request(DocumentKind.Statement, DocumentChannel.Fax, "f#1", verified: Account, faxNumber: "01088886666"), default);
        var queued = await desk.RequestAsync(Request(DocumentKind.Statement, DocumentChannel.Fax, "f#2", verified: Account, faxNumber: "95580"), default);
        var throughTrunk = await desk.RequestAsync(Request(DocumentKind.Statement, DocumentChannel.Fax, "f#3", verified: Account, faxNumber: "01088887777"), default);

        // Queued to be rendered by the fax worker; its render, as the worker does it, with the real ghostscript.
        var faxes = new FaxRepository(db.Factory);
        var waiting = await faxes.GetAsync(queued.Id!, default);
        var before = (waiting!.Status, File.Exists(waiting.PdfPath), File.Exists(waiting.TiffPath));
        var renderer = new FaxOutbox(faxes, new FaxOptions { Number = "95580", Directory = _directory }, new FaxOutboxSignal(), new FakeFaxNumbers("01088887777"), TimeProvider.System);
        var claimed = new List<string>();
        while (await faxes.ClaimRenderAsync(DateTimeOffset.UtcNow, default) is { } next)
        {
            claimed.Add(next.Id);
            await renderer.RenderClaimedAsync(next, default);
        }

        await using var connection = await db.Factory.OpenAsync();
        var fax = await connection.QuerySingleAsync<(string Recipient, string Status, long Pages, string TiffPath)>(
            "SELECT remote AS Recipient, status AS Status, document_pages AS Pages, tiff_path AS TiffPath FROM faxes WHERE id = @id", new { id = queued.Id });
        Assert.Multiple(() =>
        {
            Assert.That(refused.Outcome, Is.EqualTo(DocumentOutcome.FaxNumberRefused));
            Assert.That(queued.Outcome, Is.EqualTo(DocumentOutcome.Queued));
            Assert.That(before, Is.EqualTo((FaxStatus.Rendering, true, false)), "the PDF kept, its render to come");
            Assert.That(claimed, Is.EquivalentTo(new[] { queued.Id, throughTrunk.Id }), "each queued fax is rendered once, the refused one never");
            Assert.That((fax.Recipient, fax.Status, fax.Pages), Is.EqualTo(("95580", "queued", 1L)));
            Assert.That(File.Exists(fax.TiffPath), "rendered to TIFF-F by the worker's step");
            Assert.That(throughTrunk.Outcome, Is.EqualTo(DocumentOutcome.Queued), "a number the trunk's dial plan takes");
        });
        Assert.That(await CountAsync(db, "document_requests"), Is.EqualTo(2));
    }

    [Test]
    public async Task AKeyedFaxNumberNeedsABelievedCallerAndAtMostThreeADay()
    {
        var (db, desk) = await CreateAsync();
        await using var _ = db;

        // An unknown caller (no trusted peer vouched for the number) cannot make the platform fax a number they key in.
        var unknown = await desk.RequestAsync(Request(DocumentKind.ResearchNote, DocumentChannel.Fax, "k#0", caller: null, faxNumber: "01088887777"), default);
        var outcomes = new List<DocumentOutcome>();
        for (var i = 1; i <= 4; i++)
        {
            outcomes.Add((await desk.RequestAsync(Request(DocumentKind.ResearchNote, DocumentChannel.Fax, $"k#{i}", faxNumber: "01088887777"), default)).Outcome);
        }

        var otherCaller = await desk.RequestAsync(Request(DocumentKind.ResearchNote, DocumentChannel.Fax, "k#5", caller: "13800000004", faxNumber: "01088887777"), default);
        Assert.Multiple(() =>
        {
            Assert.That(unknown.Outcome, Is.EqualTo(DocumentOutcome.FaxNumberRefused));
            Assert.That(outcomes, Is.EqualTo(new[] { DocumentOutcome.Queued, DocumentOutcome.Queued, DocumentOutcome.Queued, DocumentOutcome.FaxNumberRefused }));
            Assert.That(otherCaller.Outcome, Is.EqualTo(DocumentOutcome.Queued), "the cap is per caller");
        });
        Assert.That(await CountAsync(db, "faxes"), Is.EqualTo(4));
    }

    [Test]
    public async Task KeyedFaxesAskedForAtOnceByOneCallerPassOnlyUpToTheDailyCap()
    {
        var (db, desk) = await CreateAsync();
        await using var _ = db;

        // Eight calls from one number at once (the limit is 3): the check and the count are one step, so no more than
        // three can pass while the others are still rendering and writing theirs.
        using var start = new ManualResetEventSlim();
        var requests = Enumerable.Range(1, 8).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return (await desk.RequestAsync(Request(DocumentKind.ResearchNote, DocumentChannel.Fax, $"c#{i}", faxNumber: "01088887777"), default)).Outcome;
        })).ToArray();
        start.Set();
        var outcomes = await Task.WhenAll(requests);

        Assert.Multiple(() =>
        {
            Assert.That(outcomes.Count(o => o == DocumentOutcome.Queued), Is.EqualTo(3), string.Join(", ", outcomes));
            Assert.That(outcomes.Count(o => o == DocumentOutcome.FaxNumberRefused), Is.EqualTo(5), string.Join(", ", outcomes));
        });
        Assert.That(await CountAsync(db, "faxes"), Is.EqualTo(3));
    }

    [Test]
    public async Task AKeyedFaxThatIsNotQueuedGivesItsPlaceInTheDailyCapBack()
    {
        var (db, desk) = await CreateAsync();
        await using var _ = db;

        // Two numbers the platform cannot reach, and one request that fails while building the note (its file gone):
        // none is queued, so none uses one of the caller's three faxes a day.
        var unreachable1 = await desk.RequestAsync(Request(DocumentKind.ResearchNote, DocumentChannel.Fax, "r#1", faxNumber: "01088886666"), default);
        var unreachable2 = await desk.RequestAsync(Request(DocumentKind.ResearchNote, DocumentChannel.Fax, "r#2", faxNumber: "01088886666"), default);
        var note = Path.Combine(_directory, "note.txt");
        File.Move(note, note + ".away");
        Assert.ThrowsAsync<FileNotFoundException>(() => desk.RequestAsync(Request(DocumentKind.ResearchNote, DocumentChannel.Fax, "r#3", faxNumber: "01088887777"), default));
        File.Move(note + ".away", note);

        var outcomes = new List<DocumentOutcome>();
        for (var i = 4; i <= 7; i++)
        {
            outcomes.Add((await desk.RequestAsync(Request(DocumentKind.ResearchNote, DocumentChannel.Fax, $"r#{i}", faxNumber: "01088887777"), default)).Outcome);
        }

        Assert.Multiple(() =>
        {
            Assert.That((unreachable1.Outcome, unreachable2.Outcome), Is.EqualTo((DocumentOutcome.FaxNumberRefused, DocumentOutcome.FaxNumberRefused)));
            Assert.That(outcomes, Is.EqualTo(new[] { DocumentOutcome.Queued, DocumentOutcome.Queued, DocumentOutcome.Queued, DocumentOutcome.FaxNumberRefused }));
        });
    }

    [Test]
    public async Task AStatementInMandarinCarriesTheClientsNameAndStockNamesInChinese()
    {
        var (db, desk) = await CreateAsync(firstLanguage: "zh");
        await using var _ = db;

        var result = await desk.RequestAsync(Request(DocumentKind.Statement, DocumentChannel.Email, "zh#1", caller: null, verified: Account, language: "zh"), default);

        await using var connection = await db.Factory.OpenAsync();
        var subject = await connection.QuerySingleAsync<string>("SELECT subject FROM messages WHERE id = @id", new { id = result.Id });
        var pdf = await connection.QuerySingleAsync<byte[]>("SELECT content FROM message_attachments WHERE message_id = @id", new { id = result.Id });
        var text = DocumentPdfTests.TextOf(pdf);
        TestContext.Out.WriteLine($"statement PDF: {pdf.Length} bytes");
        Assert.Multiple(() =>
        {
            Assert.That(subject, Is.EqualTo("您的账户对账单"));
            Assert.That(text, Does.Contain("账户对账单").And.Contain("客户：王建国"));
            Assert.That(text, Does.Contain("浦发银行").And.Contain("贵州茅台"));
            Assert.That(text, Does.Contain("日期：2026年12月4日").And.Contain("资金账号：****0001"));
            Assert.That(text, Does.Not.Contain(Account).And.Not.Contain("?"));
        });
    }

    [Test]
    public async Task TheResearchNoteIsInTheClientsRecordedLanguageWhateverTheCallChoseAndTheMandarinOneIsTheTranslationBesideTheNote()
    {
        var (db, desk) = await CreateAsync(firstLanguage: "zh");
        await using var _ = db;

        // 13800000001 is recorded as zh but chose English on the call; 13800000004 is recorded as en but chose 中文.
        var zh = await desk.RequestAsync(Request(DocumentKind.ResearchNote, DocumentChannel.Email, "n#zh", language: "en"), default);
        var en = await desk.RequestAsync(Request(DocumentKind.ResearchNote, DocumentChannel.Email, "n#en", caller: "13800000004", language: "zh"), default);
        // A caller the directory does not know gets the language chosen on the call.
        var unknown = await desk.RequestAsync(Request(DocumentKind.ResearchNote, DocumentChannel.Sms, "n#sms", caller: "13900000009", language: "zh"), default);

        await using var connection = await db.Factory.OpenAsync();
        async Task<(string Subject, string Text)> ReadAsync(string? id) => (
            await connection.QuerySingleAsync<string>("SELECT subject FROM messages WHERE id = @id", new { id }),
            DocumentPdfTests.TextOf(await connection.QuerySingleAsync<byte[]>("SELECT content FROM message_attachments WHERE message_id = @id", new { id })));
        var (zhSubject, zhText) = await ReadAsync(zh.Id);
        var (enSubject, enText) = await ReadAsync(en.Id);
        var (enRecipient, sms) = await connection.QuerySingleAsync<(string, string)>(
            "SELECT m.recipient, u.body FROM messages m, messages u WHERE m.id = @en AND u.id = @sms", new { en = en.Id, sms = unknown.Id });
        Assert.Multiple(() =>
        {
            Assert.That(zhSubject, Is.EqualTo("研究报告：每周点评：银行股企稳"));
            Assert.That(zhText, Does.Contain("大型银行股本周表现稳健。").And.Contain("全文：https://research.example.com/weekly"));
            Assert.That(enSubject, Is.EqualTo("Research note: Weekly note: banks steady"));
            Assert.That(enText, Does.Contain("Banks held their ground this week.").And.Contain("Full text: https://research.example.com/weekly"));
            Assert.That(enRecipient, Is.EqualTo("client4@example.com"));
            Assert.That(sms, Does.Contain("银行股企稳"), "the call's choice for a caller the directory does not know");
        });
    }

    [Test]
    public async Task WithoutAChineseFontAMandarinStatementIsWordedInEnglish()
    {
        var (db, desk) = await CreateAsync(font: "", firstLanguage: "zh");
        await using var _ = db;

        var result = await desk.RequestAsync(Request(DocumentKind.Statement, DocumentChannel.Email, "zh#1", caller: null, verified: Account, language: "zh"), default);

        await using var connection = await db.Factory.OpenAsync();
        var text = DocumentPdfTests.TextOf(await connection.QuerySingleAsync<byte[]>("SELECT content FROM message_attachments WHERE message_id = @id", new { id = result.Id }));
        Assert.That(text, Does.Contain("Account statement").And.Contain("Cash: 100,000.00 CNY").And.Not.Contain("??????"), "English labels, not rows of '?'");
    }

    private static async Task<long> CountAsync(TestDatabase db, string table)
    {
        await using var connection = await db.Factory.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM " + table);
    }
}
