using CallCenter.Data;
using CallCenter.FaxSms.Outbox;
using CallCenter.FaxSms.Sms;

namespace CallCenter.FaxSms.Tests;

[TestFixtureSource(typeof(CallCenter.TestSupport.TestDatabases), nameof(CallCenter.TestSupport.TestDatabases.Providers))]
public sealed class OutboxRepositoryTests(string provider)
{
    private static readonly DateTimeOffset _t = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
    private static readonly string[] _sms = [MessageChannel.Sms];

    private static OutboundMessage Sms(string id, string to = "+8613800000001") => new(id, MessageChannel.Sms, to, null, "text " + id, MessageKind.Ordinary, 0);

    [Test]
    public async Task AClaimedMessageIsNotClaimedAgainUntilItIsUncertainAndThenItsHistorySaysWhy()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var outbox = new OutboxRepository(db.Factory);
        await outbox.EnqueueAsync(Sms("m1"), _t);

        var first = await outbox.ClaimDueAsync(_t, _t.AddSeconds(-60), 10, _sms, default);
        Assert.That(first.Select(m => (m.Id, m.Attempts)), Is.EqualTo(new[] { ("m1", 1) }));

        // The run that claimed it is gone: within the uncertain window it stays put, after it is claimed again.
        Assert.That(await outbox.ClaimDueAsync(_t.AddSeconds(30), _t.AddSeconds(-30), 10, _sms, default), Is.Empty);
        var again = await outbox.ClaimDueAsync(_t.AddSeconds(61), _t.AddSeconds(1), 10, _sms, default);
        Assert.That(again.Select(m => (m.Id, m.Attempts)), Is.EqualTo(new[] { ("m1", 2) }));
        var view = await outbox.GetAsync("m1", default);
        Assert.That(view!.History.Select(h => h.Status), Is.EqualTo(new[] { "queued", "queued" }));
        Assert.That(view.History[1].Detail, Does.Contain("sent again"));
    }

    [Test]
    public async Task TwoNodesClaimingAtOnceNeverBothTakeOneMessage()
    {
        // Two repositories with their own connection pools, as two nodes on one database; 40 messages, 8 claims of 10
        // racing, 5 rounds: every message is claimed exactly once.
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        OutboxRepository[] nodes = [new(new DbConnectionFactory(db.Options)), new(new DbConnectionFactory(db.Options))];
        for (var round = 0; round < 5; round++)
        {
            var ids = Enumerable.Range(0, 40).Select(i => $"r{round}-m{i}").ToList();
            foreach (var id in ids)
            {
                await nodes[0].EnqueueAsync(Sms(id), _t);
            }

            using var start = new ManualResetEventSlim();
            var claims = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            {
                start.Wait();
                return await nodes[i % 2].ClaimDueAsync(_t, _t.AddSeconds(-60), 10, _sms, default);
            })).ToList();
            start.Set();
            var claimed = (await Task.WhenAll(claims)).SelectMany(c => c).Select(m => m.Id).ToList();

            Assert.That(claimed, Is.Unique, $"round {round}: a message claimed twice is sent twice");
            Assert.That(claimed, Is.EquivalentTo(ids), $"round {round}: 8 claims of 10 take all 40");
        }
    }

    [Test]
    public async Task AnEmailsAttachmentsAreStoredWithItAndComeBackInOrderWhenItIsClaimed()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var outbox = new OutboxRepository(db.Factory);
        byte[] pdf = [0x25, 0x50, 0x44, 0x46, 0x00, 0xFF, 0x10];
        MessageAttachment[] files = [new("对账单.pdf", "application/pdf", pdf), new("note.txt", "text/plain", "hi"u8.ToArray())];
        await outbox.EnqueueAsync(new OutboundMessage("e1", MessageChannel.Email, "a@example.cn", "s", "b", MessageKind.Ordinary, 0, Attachments: files), _t);
        await outbox.EnqueueAsync(new OutboundMessage("e2", MessageChannel.Email, "b@example.cn", "s", "b", MessageKind.Ordinary, 0), _t);

        var claimed = await outbox.ClaimDueAsync(_t, _t.AddSeconds(-60), 10, [MessageChannel.Email], default);

        var e1 = claimed.Single(m => m.Id == "e1");
        Assert.That(e1.Attachments!.Select(f => (f.FileName, f.ContentType)), Is.EqualTo(new[] { ("对账单.pdf", "application/pdf"), ("note.txt", "text/plain") }));
        Assert.That(e1.Attachments![0].Content, Is.EqualTo(pdf));
        Assert.That(claimed.Single(m => m.Id == "e2").Attachments, Is.Null);
    }

    [Test]
    public async Task ADeliveryReportForAnUncertainMessageSettlesItSoItIsNeverSentAgain()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var outbox = new OutboxRepository(db.Factory);
        await outbox.EnqueueAsync(Sms("m1"), _t);
        await outbox.ClaimDueAsync(_t, _t.AddSeconds(-60), 10, _sms, default);

        // Killed before the 202 was recorded; the report arrives after the restart.
        Assert.That(await outbox.ApplyReportAsync("m1", MessageStatus.Delivered, "DLR 1", _t.AddSeconds(5), default), Is.True);
        Assert.That(await outbox.ClaimDueAsync(_t.AddHours(1), _t.AddHours(1), 10, _sms, default), Is.Empty);
        var view = await outbox.GetAsync("m1", default);
        Assert.That(view!.Status, Is.EqualTo("delivered"));
        Assert.That(view.History.Select(h => h.Status), Is.EqualTo(new[] { "queued", "sent", "delivered" }));
        Assert.That(await outbox.ApplyReportAsync("nope", MessageStatus.Delivered, "DLR 1", _t, default), Is.False);
    }

    [Test]
    public async Task ReportsWrittenTogetherAreAppliedInOrderAndAnUnknownIdIsSaidSo()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var outbox = new OutboxRepository(db.Factory);
        await outbox.EnqueueAsync(Sms("m1"), _t);
        await outbox.EnqueueAsync(Sms("m2"), _t);

        var known = await outbox.ApplyReportsAsync(
        [
            new DeliveryReport("m1", MessageStatus.Sent, "DLR 8", _t.AddSeconds(1)),
            new DeliveryReport("nope", MessageStatus.Delivered, "DLR 1", _t.AddSeconds(1)),
            new DeliveryReport("m1", MessageStatus.Delivered, "DLR 1", _t.AddSeconds(2)),
            new DeliveryReport("m2", MessageStatus.Failed, "DLR 16", _t.AddSeconds(2)),
        ], default);

        Assert.That(known, Is.EqualTo(new[] { true, false, true, true }));
        Assert.That((await outbox.GetAsync("m1", default))!.History.Select(h => h.Status), Is.EqualTo(new[] { "queued", "sent", "delivered" }));
        var m2 = await outbox.GetAsync("m2", default);
        Assert.That(m2!.Status, Is.EqualTo("failed"));
        Assert.That(m2.History.Select(h => h.Status), Is.EqualTo(new[] { "queued", "sent", "failed" }));
    }

    [Test]
    public async Task OutcomesMoveStatusesAndALateSentNeverUndoesADelivery()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var outbox = new OutboxRepository(db.Factory);
        foreach (var id in new[] { "a", "b", "c" })
        {
            await outbox.EnqueueAsync(Sms(id), _t);
        }

        var claimed = await outbox.ClaimDueAsync(_t, _t.AddSeconds(-60), 10, _sms, default);
        Assert.That(claimed, Has.Count.EqualTo(3));
        await outbox.ApplyReportAsync("a", MessageStatus.Delivered, "DLR 1", _t.AddMilliseconds(5), default); // the report beat the 202
        await outbox.CompleteAsync(
        [
            new AttemptOutcome.Sent("a", _t.AddMilliseconds(10), "202"),
            new AttemptOutcome.Retry("b", _t.AddMilliseconds(10), "Kannel down", _t.AddSeconds(2)),
            new AttemptOutcome.Failed("c", _t.AddMilliseconds(10), "Kannel refused the message"),
        ], default);

        Assert.That((await outbox.GetAsync("a", default))!.Status, Is.EqualTo("delivered"));
        var b = await outbox.GetAsync("b", default);
        Assert.That((b!.Status, b.LastError), Is.EqualTo(("queued", "Kannel down")));
        var c = await outbox.GetAsync("c", default);
        Assert.That(c!.Status, Is.EqualTo("failed"));
        Assert.That(c.History[^1].Detail, Is.EqualTo("Kannel refused the message"));

        // b waits for its next attempt, then is claimed; a and c never again.
        Assert.That(await outbox.ClaimDueAsync(_t.AddSeconds(1), _t.AddSeconds(1), 10, _sms, default), Is.Empty);
        Assert.That((await outbox.ClaimDueAsync(_t.AddSeconds(3), _t.AddSeconds(3), 10, _sms, default)).Select(m => m.Id), Is.EqualTo(new[] { "b" }));
    }

    [Test]
    public async Task OnlyChannelsWithASenderAreClaimed()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var outbox = new OutboxRepository(db.Factory);
        await outbox.EnqueueAsync(new OutboundMessage("e1", MessageChannel.Email, "a@b.cn", "s", "t", MessageKind.Ordinary, 0), _t);
        Assert.That(await outbox.ClaimDueAsync(_t, _t, 10, _sms, default), Is.Empty);
        Assert.That((await outbox.GetAsync("e1", default))!.Status, Is.EqualTo("queued"));
    }

    [Test]
    public async Task AnOptOutIsStoredWithItsConfirmationInOneTransactionAndOnlyOnce()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var store = new SmsStore(db.Factory);
        var outbox = new OutboxRepository(db.Factory);
        var (sms, confirmation) = InboundSmsRules.Classify("kannel-1", "13800000001", "95500", "TD", "c1");

        Assert.That(await store.ReceiveAsync(sms, confirmation, _t, default), Is.EqualTo(InboundOutcome.OptedOut));
        var (again, confirmationAgain) = InboundSmsRules.Classify("kannel-1", "13800000001", "95500", "TD", "c2");
        Assert.That(await store.ReceiveAsync(again, confirmationAgain, _t, default), Is.EqualTo(InboundOutcome.Duplicate));

        Assert.That(await store.FindOptOutAsync("+8613800000001", default), Is.EqualTo(("TD", _t)));
        Assert.That(await store.OptedOutAsync(["+8613800000001", "+8613800000002"], default), Is.EquivalentTo(new[] { "+8613800000001" }));
        Assert.That((await outbox.GetAsync("c1", default))!.Status, Is.EqualTo("queued"));
        Assert.That(await outbox.GetAsync("c2", default), Is.Null);
    }

    [Test]
    public async Task InboundSmsAreListedNewestFirstAndMalformedOnesWithTheirReason()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var store = new SmsStore(db.Factory);
        foreach (var (id, from, text) in new[] { ("k-1", "13800000001", "hello"), ("k-2", "BANK", "hi"), ("k-3", "13800000002", " "), ("k-4", "13800000003", "TD") })
        {
            var (sms, confirmation) = InboundSmsRules.Classify(id, from, "95500", text, "c-" + id);
            await store.ReceiveAsync(sms, confirmation, _t, default);
        }

        var malformed = await store.ListInboundAsync(InboundSms.Malformed, 10, default);
        var all = await store.ListInboundAsync(null, 10, default);
        var newest = await store.ListInboundAsync(null, 1, default);

        Assert.That(malformed.Select(m => (m.Sms.GatewayId, m.Sms.Outcome)), Is.EqualTo(new[] { ("k-3", "malformed"), ("k-2", "malformed") }));
        Assert.That(malformed[0].Sms.Reason, Is.EqualTo("empty text"));
        Assert.That(malformed[1].Sms.Reason, Does.StartWith("sender:"));
        Assert.That(malformed[1].ReceivedAt, Is.EqualTo(_t));
        Assert.That(all.Select(m => m.Sms.GatewayId), Is.EqualTo(new[] { "k-4", "k-3", "k-2", "k-1" }));
        Assert.That(newest.Single().Sms.Outcome, Is.EqualTo(InboundSms.OptOut));
    }
}
