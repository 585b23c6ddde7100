using System.Security.Claims;
using CallCenter.Data;
using CallCenter.Data.CallLists;
using CallCenter.Data.Desk;
using CallCenter.ResourceControl.Outbound;
using CallCenter.TestSupport;

namespace CallCenter.ResourceControl.Tests.Outbound;

/// <summary>
/// A risk notice's SMS ignores opt-outs and quiet hours and its call may ring at night: who raised each one is in the
/// audit log, and entries of other lists are not.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Providers))]
public sealed class RiskNoticeAuditTests(string provider)
{
    [Test]
    public async Task EachRiskNoticeNamesWhoRaisedItAndOtherListsWriteNothing()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 12, 6, 3, 0, 0, TimeSpan.Zero));
        var audit = new AuditRepository(db.Factory);
        var supervisor = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "li.na"), new Claim(ClaimTypes.Role, "supervisor")], "cookie"));
        var apiKey = new ClaimsPrincipal(new ClaimsIdentity());

        await CallListsEndpoints.AuditRiskNoticesAsync(audit, time, supervisor, CallListKinds.RiskNotice, [Entry("e-1", "13900000061"), Entry("e-2", "13900000062")], "imported");
        time.Advance(TimeSpan.FromMinutes(1));
        await CallListsEndpoints.AuditRiskNoticesAsync(audit, time, apiKey, CallListKinds.RiskNotice, [Entry("e-3", "13900000063")], "event margin-call");
        await CallListsEndpoints.AuditRiskNoticesAsync(audit, time, apiKey, CallListKinds.Complaint, [Entry("e-4", "13900000064")], "event complaint-resolved");

        var entries = (await audit.ListAsync("risk-notice.", null, 10, default)).OrderBy(e => e.At).ThenBy(e => e.Target).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(entries.Select(e => e.Target), Is.EqualTo(new[] { "13900000061", "13900000062", "13900000063" }));
            Assert.That(entries.Select(e => e.Actor), Is.EqualTo(new[] { "li.na", "li.na", "api-key" }));
            Assert.That(entries.Select(e => e.Role), Is.EqualTo(new[] { "supervisor", "supervisor", "api-key" }));
            Assert.That(entries.Select(e => e.Action), Is.All.EqualTo(CallListsEndpoints.RiskNoticeAction));
            Assert.That(entries[2].Detail, Does.StartWith("event margin-call: entry e-3 on list list-r"));
            Assert.That(entries[2].At, Is.EqualTo(new DateTimeOffset(2026, 12, 6, 3, 1, 0, TimeSpan.Zero)));
        });
    }

    private static CallListEntryRow Entry(string id, string number) => new()
    {
        Id = id,
        ListId = "list-r",
        Number = number,
        DueBy = DateTimeOffset.UnixEpoch,
        Status = CallListStatuses.Open,
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };
}
