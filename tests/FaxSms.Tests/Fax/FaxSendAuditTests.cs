using System.Security.Claims;
using CallCenter.Data;
using CallCenter.Data.Desk;
using CallCenter.FaxSms.Fax;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallCenter.FaxSms.Tests.Fax;

/// <summary>
/// The platform dials a number on the word of a <c>POST /api/faxes</c>, so every such request is in the audit log
/// (<c>fax.send</c>): who asked (the desk login and its role, or the API key), the fax's id, where it was to go, and
/// queued or refused with the reason. The requests are real multipart bodies through the endpoint's own code.
/// </summary>
[TestFixtureSource(typeof(CallCenter.TestSupport.TestDatabases), nameof(CallCenter.TestSupport.TestDatabases.Providers))]
public sealed class FaxSendAuditTests(string provider)
{
    private static readonly DateTimeOffset _t = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);
    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("fax-send-audit-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task APostedFaxAndARefusedOneAreBothAuditedWithWhoAskedAndWhere()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var faxes = new FaxRepository(db.Factory);
        var audit = new AuditRepository(db.Factory);
        var options = new FaxOptions { Number = "95580", Directory = _dir };
        // The render stands in for ghostscript (tested elsewhere): two pages.
        var outbox = new FaxOutbox(faxes, options, new FaxOutboxSignal(), new FakeFaxNumbers("01088887777"), TimeProvider.System,
            async (_, tiff, _, cancellationToken) =>
            {
                await File.WriteAllBytesAsync(tiff, [1, 2, 3], cancellationToken);
                return 2;
            });
        var supervisor = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "zhang.wei"), new Claim(ClaimTypes.Role, "supervisor")], "cookie"));
        var apiKey = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "api-key"), new Claim(ClaimTypes.Role, "api")], "ApiKey"));
        var pdf = "%PDF-1.4\n%%EOF\n"u8.ToArray();

        var queued = await FaxEndpoints.SendAsync(await FormAsync("01088887777", pdf), supervisor, outbox, options, audit, new ManualTimeProvider(_t), NullLogger.Instance, default);
        var refused = await FaxEndpoints.SendAsync(await FormAsync("01099990000", pdf), apiKey, outbox, options, audit, new ManualTimeProvider(_t.AddMinutes(1)), NullLogger.Instance, default);
        var malformed = await FaxEndpoints.SendAsync(await FormAsync("01088887777", null), apiKey, outbox, options, audit, new ManualTimeProvider(_t.AddMinutes(2)), NullLogger.Instance, default);

        var rows = await faxes.ListAsync(FaxStatus.Outbound, null, 10, default);
        var queuedRow = rows.Single(r => r.Status == FaxStatus.Queued);
        var refusedRow = rows.Single(r => r.Status == FaxStatus.Refused);
        var entries = (await audit.ListAsync(FaxEndpoints.SendAction, null, 10, default)).OrderBy(e => e.At).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(StatusOf(queued), Is.EqualTo(StatusCodes.Status202Accepted));
            Assert.That(StatusOf(refused), Is.EqualTo(StatusCodes.Status400BadRequest));
            Assert.That(StatusOf(malformed), Is.EqualTo(StatusCodes.Status400BadRequest));
            Assert.That(entries, Has.Count.EqualTo(3), "every request to fax, queued or not, is in the audit");
        });
        Assert.Multiple(() =>
        {
            Assert.That(entries[0], Has.Property(nameof(AuditEntry.Actor)).EqualTo("zhang.wei")
                .And.Property(nameof(AuditEntry.Role)).EqualTo("supervisor")
                .And.Property(nameof(AuditEntry.Target)).EqualTo(queuedRow.Id)
                .And.Property(nameof(AuditEntry.Outcome)).EqualTo(AuditEntry.Done)
                .And.Property(nameof(AuditEntry.At)).EqualTo(_t));
            Assert.That(entries[0].Detail, Is.EqualTo("to 01088887777, 2 pages, queued"));
            Assert.That(entries[1], Has.Property(nameof(AuditEntry.Actor)).EqualTo("api-key")
                .And.Property(nameof(AuditEntry.Role)).EqualTo("api")
                .And.Property(nameof(AuditEntry.Target)).EqualTo(refusedRow.Id)
                .And.Property(nameof(AuditEntry.Outcome)).EqualTo(AuditEntry.Refused));
            Assert.That(entries[1].Detail, Does.StartWith("to 01099990000: ").And.EndWith(refusedRow.ResultText!), "the reason the row keeps");
            Assert.That(entries[2], Has.Property(nameof(AuditEntry.Actor)).EqualTo("api-key")
                .And.Property(nameof(AuditEntry.Target)).Null
                .And.Property(nameof(AuditEntry.Outcome)).EqualTo(AuditEntry.Refused));
            Assert.That(entries[2].Detail, Is.EqualTo("to 01088887777: A PDF \"document\" is required."));
        });
    }

    [Test]
    public async Task ADestinationWithLineBreaksCannotForgeALineInTheAudit()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var audit = new AuditRepository(db.Factory);
        var options = new FaxOptions { Number = "95580", Directory = _dir };
        var outbox = new FaxOutbox(new FaxRepository(db.Factory), options, new FaxOutboxSignal(), new FakeFaxNumbers("01088887777"), TimeProvider.System,
            (_, _, _, _) => Task.FromResult(1));
        var apiKey = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "api-key"), new Claim(ClaimTypes.Role, "api")], "ApiKey"));

        var refused = await FaxEndpoints.SendAsync(await FormAsync("x\r\n2026-12-07 api-key admin recording.delete done", "%PDF-1.4\n%%EOF\n"u8.ToArray()), apiKey, outbox, options, audit, new ManualTimeProvider(_t), NullLogger.Instance, default);

        var entry = (await audit.ListAsync(FaxEndpoints.SendAction, null, 10, default)).Single();
        Assert.Multiple(() =>
        {
            Assert.That(StatusOf(refused), Is.EqualTo(StatusCodes.Status400BadRequest));
            Assert.That(entry.Outcome, Is.EqualTo(AuditEntry.Refused));
            Assert.That(entry.Detail, Does.Not.Contain("\r").And.Not.Contain("\n"), "the destination and the reason quoting it are shown without control characters");
        });
    }

    private static int? StatusOf(IResult result) => (result as IStatusCodeHttpResult)?.StatusCode;

    private static async Task<HttpRequest> FormAsync(string to, byte[]? document)
    {
        using var content = new MultipartFormDataContent { { new StringContent(to), "to" } };
        if (document is not null)
        {
            content.Add(new ByteArrayContent(document), "document", "statement.pdf");
        }

        var body = await content.ReadAsByteArrayAsync();
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = content.Headers.ContentType!.ToString();
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body);
        return context.Request;
    }
}
