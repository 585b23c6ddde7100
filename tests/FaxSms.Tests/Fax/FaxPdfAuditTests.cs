using System.Security.Claims;
using CallCenter.Data;
using CallCenter.Data.Desk;
using CallCenter.FaxSms.Fax;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallCenter.FaxSms.Tests.Fax;

/// <summary>
/// A fax's document is read only with a trace, like a recording: every GET /api/faxes/{id}/pdf is in the
/// audit log with who fetched which fax and when, served or refused.
/// </summary>
[TestFixtureSource(typeof(CallCenter.TestSupport.TestDatabases), nameof(CallCenter.TestSupport.TestDatabases.Providers))]
public sealed class FaxPdfAuditTests(string provider)
{
    private static readonly DateTimeOffset _t = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task EveryPdfFetchIsAuditedWithWhoWhichFaxAndWhen()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var faxes = new FaxRepository(db.Factory);
        var audit = new AuditRepository(db.Factory);
        var pdf = Path.Combine(Path.GetTempPath(), "fax-audit-" + Guid.NewGuid().ToString("N") + ".pdf");
        await File.WriteAllBytesAsync(pdf, "%PDF-1.4\n%%EOF\n"u8.ToArray());
        try
        {
            var id = FaxIds.New(new ManualTimeProvider(_t));
            await faxes.FinishAsync(new FaxFinish(id, FaxStatus.Inbound, FaxStatus.Received, "13800000001", "95580", "call-1", 2, 14400, true, 0, "OK", null, pdf, null), _t, default);
            var supervisor = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "zhang.wei"), new Claim(ClaimTypes.Role, "supervisor")], "cookie"));
            var apiKey = new ClaimsPrincipal(new ClaimsIdentity());

            var served = await FaxEndpoints.PdfAsync(id, supervisor, faxes, audit, new ManualTimeProvider(_t.AddMinutes(5)), NullLogger.Instance, default);
            var missing = await FaxEndpoints.PdfAsync(FaxIds.New(new ManualTimeProvider(_t)), apiKey, faxes, audit, new ManualTimeProvider(_t.AddMinutes(6)), NullLogger.Instance, default);
            var malformed = await FaxEndpoints.PdfAsync("../../etc/passwd", apiKey, faxes, audit, new ManualTimeProvider(_t.AddMinutes(7)), NullLogger.Instance, default);

            var entries = (await audit.ListAsync("fax.pdf", null, 10, default)).OrderBy(e => e.At).ToList();
            Assert.Multiple(() =>
            {
                Assert.That(served, Is.InstanceOf<IFileHttpResult>());
                Assert.That(missing, Is.InstanceOf<IStatusCodeHttpResult>().And.Property(nameof(IStatusCodeHttpResult.StatusCode)).EqualTo(404));
                Assert.That(entries, Has.Count.EqualTo(3), "every fetch, served or not, is in the audit");
                Assert.That(entries[0], Has.Property(nameof(AuditEntry.Actor)).EqualTo("zhang.wei")
                    .And.Property(nameof(AuditEntry.Role)).EqualTo("supervisor")
                    .And.Property(nameof(AuditEntry.Target)).EqualTo(id)
                    .And.Property(nameof(AuditEntry.Outcome)).EqualTo(AuditEntry.Done)
                    .And.Property(nameof(AuditEntry.At)).EqualTo(_t.AddMinutes(5)));
                Assert.That(entries[1], Has.Property(nameof(AuditEntry.Actor)).EqualTo("api-key").And.Property(nameof(AuditEntry.Outcome)).EqualTo(AuditEntry.Refused));
                Assert.That(entries[2].Target, Is.EqualTo("(not a fax id)"), "a malformed id is not echoed into the audit");
            });
        }
        finally
        {
            File.Delete(pdf);
        }
    }
}
