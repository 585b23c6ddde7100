using CallCenter.Contracts.Desk;
using CallCenter.Data;
using CallCenter.Data.CallLists;
using CallCenter.Data.Events;
using CallCenter.ResourceControl.Outbound;
using CallCenter.ResourceControl.Records;
using CallCenter.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallCenter.ResourceControl.Tests.Outbound;

/// <summary>
/// A call list's deadline escalation fires on its own tick as a fake clock moves (issue 15): not before the entry's
/// deadline is within <c>EscalateMinutesBefore</c>, then once, on a real database, to the supervisors' alerts.
/// </summary>
public sealed class ListEscalationsTests
{
    private sealed class Alerts : IListAlerts
    {
        public List<ListEscalation> Seen { get; } = [];

        public void Escalated(ListEscalation escalation)
        {
            lock (Seen)
            {
                Seen.Add(escalation);
            }
        }

        public int Count
        {
            get
            {
                lock (Seen)
                {
                    return Seen.Count;
                }
            }
        }
    }

    [Test]
    public async Task AnEntryIsEscalatedOnceWhenTheClockReachesItsLeadAndNotBefore()
    {
        await using var db = await TestDatabase.CreateAsync("sqlite");
        await new Migrator(db.Factory).MigrateAsync();
        var store = new CallListRepository(db.Factory);
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 12, 5, 1, 0, 0, TimeSpan.Zero));
        var start = clock.GetUtcNow();
        await store.InsertListAsync(new CallListRow("list-complaint", "complaint", "complaint", "general", 3, 600, "rule", start));
        await store.InsertEntriesAsync([new CallListEntryRow
        {
            Id = "le-1",
            ListId = "list-complaint",
            Number = "13900000081",
            ClientName = "客户",
            DueBy = start.AddHours(2),
            Status = CallListStatuses.Open,
            CreatedAt = start,
            UpdatedAt = start,
        }]);

        var options = new CallListOptions { EscalateMinutesBefore = 30, CheckSeconds = 30 };
        var alerts = new Alerts();
        var events = new EventLog(clock);
        using var escalations = new ListEscalations(store, events, [alerts], options, clock, NullLogger<ListEscalations>.Instance);
        escalations.Start();

        // 89.5 minutes on, a tick at a time (the deadline 30.5 minutes away): every tick looks, none escalates.
        for (var i = 0; i < 179; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(30));
            if (i % 20 == 0 || i == 178)
            {
                await Task.Delay(100);
            }
        }

        await Task.Delay(300);
        Assert.That(alerts.Count, Is.Zero, "escalated before its lead");
        Assert.That((await store.GetEntryAsync("le-1"))!.EscalatedAt, Is.Null);

        // The next tick: the deadline is 30 minutes away. Then one more, 29.5.
        clock.Advance(TimeSpan.FromSeconds(30));
        var escalatedAt = clock.GetUtcNow();
        await WaitForAsync(() => alerts.Count > 0);
        clock.Advance(TimeSpan.FromSeconds(30));
        await Task.Delay(300);

        var entry = (await store.GetEntryAsync("le-1"))!;
        Assert.Multiple(() =>
        {
            Assert.That(alerts.Count, Is.EqualTo(1), "escalated more than once");
            Assert.That(alerts.Seen[0].EntryId, Is.EqualTo("le-1"));
            Assert.That(alerts.Seen[0].ListName, Is.EqualTo("complaint"));
            Assert.That(entry.EscalatedAt, Is.EqualTo(escalatedAt));
        });
    }

    private static async Task WaitForAsync(Func<bool> done)
    {
        for (var i = 0; i < 100 && !done(); i++)
        {
            await Task.Delay(50);
        }

        Assert.That(done(), Is.True, "nothing happened within 5 s");
    }
}
