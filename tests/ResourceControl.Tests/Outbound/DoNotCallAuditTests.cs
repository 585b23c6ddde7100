using System.Security.Claims;
using CallCenter.Data;
using CallCenter.Data.Callbacks;
using CallCenter.Data.Desk;
using CallCenter.ResourceControl.Outbound;
using CallCenter.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallCenter.ResourceControl.Tests.Outbound;

/// <summary>Who put a number on the do-not-call list, or took it off, and when, is in the audit log.</summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Providers))]
public sealed class DoNotCallAuditTests(string provider)
{
    [Test]
    public async Task AddsAndRemovalsAreAuditedWithTheActor()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 12, 6, 2, 0, 0, TimeSpan.Zero));
        var rules = new OutboundRules(new DoNotCallRepository(db.Factory), new DialingOptions(), new OutboundOptions(), time, NullLogger<OutboundRules>.Instance);
        await rules.StartAsync(default);
        var audit = new AuditRepository(db.Factory);
        var supervisor = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "li.na"), new Claim(ClaimTypes.Role, "supervisor")], "cookie"));
        var apiKey = new ClaimsPrincipal(new ClaimsIdentity());

        await DoNotCallEndpoints.AddAsync(new DoNotCallEndpoints.AddRequest("13900000021", "client asked"), rules, audit, time, supervisor, default);
        time.Advance(TimeSpan.FromMinutes(3));
        await DoNotCallEndpoints.RemoveAsync("13900000021", rules, audit, time, apiKey, default);
        await DoNotCallEndpoints.RemoveAsync("13900000021", rules, audit, time, apiKey, default); // not listed any more: nothing changed, nothing audited

        var entries = (await audit.ListAsync("do-not-call.", null, 10, default)).OrderBy(e => e.At).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(rules.DoNotCallReason("+8613900000021"), Is.Null);
            Assert.That(entries, Has.Count.EqualTo(2));
            Assert.That(entries[0], Has.Property(nameof(AuditEntry.Action)).EqualTo(DoNotCallEndpoints.AddAction)
                .And.Property(nameof(AuditEntry.Actor)).EqualTo("li.na")
                .And.Property(nameof(AuditEntry.Target)).EqualTo("+8613900000021"));
            Assert.That(entries[0].Detail, Does.Contain("client asked"));
            Assert.That(entries[1], Has.Property(nameof(AuditEntry.Action)).EqualTo(DoNotCallEndpoints.RemoveAction)
                .And.Property(nameof(AuditEntry.Actor)).EqualTo("api-key")
                .And.Property(nameof(AuditEntry.Target)).EqualTo("+8613900000021")
                .And.Property(nameof(AuditEntry.At)).EqualTo(new DateTimeOffset(2026, 12, 6, 2, 3, 0, TimeSpan.Zero)));
        });
    }
}
