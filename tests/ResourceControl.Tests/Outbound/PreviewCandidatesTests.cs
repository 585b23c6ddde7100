using System.Globalization;
using CallCenter.Data;
using CallCenter.Data.CallLists;
using CallCenter.ResourceControl.Outbound;
using CallCenter.TestSupport;

namespace CallCenter.ResourceControl.Tests.Outbound;

/// <summary>
/// The preview's targeted read (a few entries per preview list, through an index) offers what reading every entry
/// of every list and ordering them all did: the same entries in the same order, on both databases.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Providers))]
public sealed class PreviewCandidatesTests(string provider)
{
    private static readonly DateTimeOffset _now = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task TheTargetedReadPicksWhatReadingEveryEntryPicked()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var store = new CallListRepository(db.Factory);
        CallListRow[] lists =
        [
            new("new", "New accounts", CallListKinds.NewAccount, "general", 3, 60, "super", _now, CallListModes.Preview),
            new("risk", "Margin calls", CallListKinds.RiskNotice, "general", 3, 60, "super", _now, CallListModes.Preview),
            new("core", "Core clients", CallListKinds.CoreClient, "general", 3, 60, "super", _now, CallListModes.Preview),
            new("vip", "VIP clients", CallListKinds.CoreClient, "vip", 3, 60, "super", _now, CallListModes.Preview),
            new("auto", "Progressive", CallListKinds.Complaint, "general", 3, 60, "super", _now),
        ];
        foreach (var list in lists)
        {
            await store.InsertListAsync(list);
        }

        // 1,500 entries: many sharing a deadline and an import time (ties down to the id), some not open, some
        // paused, some held by another agent, some of the agent's own new accounts.
        var random = new Random(15);
        string[] statuses = [CallListStatuses.Open, CallListStatuses.Open, CallListStatuses.Open, CallListStatuses.Calling, CallListStatuses.Reached, CallListStatuses.Failed];
        var entries = Enumerable.Range(0, 1_500).Select(i => new CallListEntryRow
        {
            Id = "le-" + i.ToString("D5", CultureInfo.InvariantCulture),
            ListId = lists[random.Next(lists.Length)].Id,
            Number = "139" + i.ToString("D8", CultureInfo.InvariantCulture),
            AccountManager = random.Next(4) == 0 ? "1003" : "1004",
            DueBy = _now.AddHours(random.Next(1, 6)),
            Status = statuses[random.Next(statuses.Length)],
            Attempts = random.Next(3),
            CreatedAt = _now.AddMinutes(-random.Next(3)),
            UpdatedAt = _now,
        }).ToList();
        await store.InsertEntriesAsync(entries);
        foreach (var paused in entries.Where(e => e.Status == CallListStatuses.Open).Take(200))
        {
            var later = paused with { NextAttemptAt = random.Next(2) == 0 ? _now.AddMinutes(5) : _now.AddMinutes(-5) };
            await store.UpdateEntryAsync(later);
        }

        foreach (var held in entries.Where(e => e.Status == CallListStatuses.Open).Skip(200).Take(100))
        {
            await store.TryHoldForPreviewAsync(held.Id, "1001", _now.AddMinutes(-1));
        }

        bool Serves(string queue) => queue == "general";
        var everything = await store.EntriesAsync(null);
        var before = ListDialPlanner.PreviewOrder(everything.Where(e => !CallLists.IsOwnRelationship(lists.First(l => l.Id == e.ListId), e, "1003")), lists, Serves, _now)
            .Take(20).Select(c => c.Entry.Id).ToList();
        var after = (await CallLists.PreviewCandidatesAsync(store, lists, Serves, "1003", _now, 20, CancellationToken.None)).Select(c => c.Entry.Id).ToList();
        var held1001 = await store.PreviewingAsync("1001");
        var heldAll = await store.PreviewingAsync(null);
        var held1002 = await store.PreviewingAsync("1002");

        Assert.Multiple(() =>
        {
            Assert.That(before, Has.Count.EqualTo(20), "enough candidates for the comparison to mean something");
            Assert.That(after, Is.EqualTo(before));
            Assert.That(after.Select(id => everything.Single(e => e.Id == id).ListId).First(), Is.EqualTo("risk"), "a risk notice first");
            Assert.That(held1001.Select(e => e.Id), Is.EquivalentTo(heldAll.Select(e => e.Id)));
            Assert.That(held1001, Has.Count.EqualTo(100));
            Assert.That(held1002, Is.Empty);
        });
    }
}
