using CallCenter.Data;
using CallCenter.FaxSms.Email.Inbound;
using CallCenter.FaxSms.Outbox;
using Dapper;

namespace CallCenter.FaxSms.Tests;

[TestFixtureSource(typeof(CallCenter.TestSupport.TestDatabases), nameof(CallCenter.TestSupport.TestDatabases.Providers))]
public sealed class EmailTaskRepositoryTests(string provider)
{
    private static readonly DateTimeOffset _t = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan _window = TimeSpan.FromHours(1);
    private static readonly TimeSpan _hold = TimeSpan.FromMinutes(2);
    private const string Own = "service@broker.example";

    private static InboundMail Mail(string messageId, string from, string subject = "问题", string? automatic = null) =>
        new(messageId, from, null, subject, "body of " + messageId, null, [], [new InboundAttachment("a.txt", "text/plain", 3, [1, 2, 3], null)], automatic);

    private static ReadMail Read(long uid, InboundMail? mail, long validity = 7) => new("INBOX", validity, uid, mail, mail is null ? "no sender" : null, $"uid-{validity}-{uid}@x");

    private static async Task SeedAsync(DbConnectionFactory factory)
    {
        await using var connection = await factory.OpenAsync();
        foreach (var (ext, skills) in new[] { ("1001", "zh,email"), ("1002", "zh,email"), ("1003", "zh") })
        {
            await connection.ExecuteAsync(
                "INSERT INTO agents (extension, name, sip_realm, sip_ha1_md5, sip_ha1_sha256, skills) VALUES (@ext, @ext, 'r', 'x', 'y', @skills)", new { ext, skills });
        }

        foreach (var (phone, tier, email) in new[] { ("13800000001", "Diamond", "client1@example.com"), ("13800000005", "Effective", "client5@example.com") })
        {
            await connection.ExecuteAsync(
                "INSERT INTO clients (phone, name, account_masked, tier, manager_extension, language, branch, email) VALUES (@phone, 'n', 'm', @tier, NULL, 'zh', 'b', @email)",
                new { phone, tier, email });
        }
    }

    [Test]
    public async Task AMailIsStoredOnceByUidAndByMessageIdAndTheLastUidMovesOn()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        await SeedAsync(db.Factory);
        var tasks = new EmailTaskRepository(db.Factory);
        await tasks.ResetStateAsync("INBOX", 7, _t, default);

        var stored = await tasks.StoreAsync(Read(3, Mail("m1@x", "client1@example.com")), Own, true, _window, _t, default);
        Assert.That(stored, Is.Not.Null);
        Assert.That((stored!.ClientPhone, stored.Tier, stored.Status), Is.EqualTo(("13800000001", "Diamond", EmailTaskStatus.Waiting)));
        Assert.That(await tasks.GetStateAsync("INBOX", default), Is.EqualTo((7L, 3L)));

        // Read again after a restart (same UID) or after a new UIDVALIDITY (same Message-ID): not stored twice.
        Assert.That(await tasks.StoreAsync(Read(3, Mail("m1@x", "client1@example.com")), Own, true, _window, _t, default), Is.Null);
        await tasks.ResetStateAsync("INBOX", 8, _t, default);
        Assert.That(await tasks.StoreAsync(Read(1, Mail("m1@x", "client1@example.com"), validity: 8), Own, true, _window, _t, default), Is.Null);
        Assert.That(await tasks.GetStateAsync("INBOX", default), Is.EqualTo((8L, 1L)));
        var all = await tasks.ListAsync(null, null, 10, default);
        Assert.That(all, Has.Count.EqualTo(1));
        Assert.That(all[0].Attachments.Select(a => (a.FileName, a.Size, a.Kept)), Is.EqualTo(new[] { ("a.txt", 3L, true) }));
    }

    [Test]
    public async Task APersonsMailIsAcknowledgedOnceAnAutoReplyIsIgnoredAndAMalformedOneIsKeptWithTheReason()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        await SeedAsync(db.Factory);
        var tasks = new EmailTaskRepository(db.Factory);
        var outbox = new OutboxRepository(db.Factory);

        var first = await tasks.StoreAsync(Read(1, Mail("m1@x", "someone@example.cn")), Own, true, _window, _t, default);
        var second = await tasks.StoreAsync(Read(2, Mail("m2@x", "someone@example.cn")), Own, true, _window, _t.AddMinutes(5), default);
        var auto = await tasks.StoreAsync(Read(3, Mail("m3@x", "someone@example.cn", automatic: "Auto-Submitted: auto-replied")), Own, true, _window, _t.AddHours(2), default);
        var bad = await tasks.StoreAsync(Read(4, null), Own, true, _window, _t, default);

        Assert.That(first!.AcknowledgementId, Is.Not.Null);
        Assert.That(second!.AcknowledgementId, Is.Null, "one acknowledgement per sender per window");
        Assert.That((auto!.Status, auto.Reason, auto.AcknowledgementId), Is.EqualTo((EmailTaskStatus.Ignored, "Auto-Submitted: auto-replied", (string?)null)));
        Assert.That((bad!.Status, bad.Reason), Is.EqualTo((EmailTaskStatus.Malformed, "no sender")));
        var ack = (await outbox.ClaimDueAsync(_t, _t, 10, [MessageChannel.Email], default)).Single();
        Assert.That((ack.Id, ack.Recipient, ack.Kind, ack.InReplyTo, ack.References), Is.EqualTo((first.AcknowledgementId, "someone@example.cn", MessageKind.MailAcknowledgement, "m1@x", "m1@x")));
    }

    [Test]
    public async Task AClientsTaskGoesToTheirAccountManagerUnlessTheClientDeniedThemOnANewAccountCall()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        await SeedAsync(db.Factory);
        await using (var connection = await db.Factory.OpenAsync())
        {
            // Both clients' manager is 1002; the Diamond client denied 1002 on their new-account call.
            await connection.ExecuteAsync("UPDATE clients SET manager_extension = '1002'");
        }

        var lists = new CallCenter.Data.CallLists.CallListRepository(db.Factory);
        await lists.InsertListAsync(new CallCenter.Data.CallLists.CallListRow("list-new", "new accounts", "new-account", "general", 3, 600, "super", _t));
        await lists.InsertEntriesAsync([new CallCenter.Data.CallLists.CallListEntryRow
        {
            Id = "le-1",
            ListId = "list-new",
            Number = "13800000001",
            AccountManager = "1002",
            DueBy = _t.AddDays(1),
            Status = CallCenter.Data.CallLists.CallListStatuses.Reached,
            Confirmation = "denied",
            CreatedAt = _t.AddDays(-1),
            UpdatedAt = _t.AddDays(-1),
        }]);
        var tasks = new EmailTaskRepository(db.Factory);
        var diamond = await tasks.StoreAsync(Read(1, Mail("d@x", "client1@example.com")), Own, false, _window, _t, default);
        var effective = await tasks.StoreAsync(Read(2, Mail("e@x", "client5@example.com")), Own, false, _window, _t.AddMinutes(1), default);

        var offers = await tasks.OfferWaitingAsync(_t.AddMinutes(2), null, _hold, default);

        // Without the denial the Diamond task (first by tier) would go to its manager 1002 and the other to 1001.
        Assert.That(offers, Is.EqualTo(new[] { (diamond!.Id, "1001"), (effective!.Id, "1002") }));
    }

    [Test]
    public async Task TasksAreOfferedVipFirstToEmailAgentsAndTheAgentsReplyIsThreadedAndClosesTheTask()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        await SeedAsync(db.Factory);
        var tasks = new EmailTaskRepository(db.Factory);
        var outbox = new OutboxRepository(db.Factory);

        var unknown = await tasks.StoreAsync(Read(1, Mail("u@x", "stranger@example.cn")), Own, false, _window, _t, default);
        var effective = await tasks.StoreAsync(Read(2, Mail("e@x", "client5@example.com")), Own, false, _window, _t.AddMinutes(1), default);
        var diamond = await tasks.StoreAsync(Read(3, Mail("d@x", "client1@example.com", "RE: 对账单")), Own, false, _window, _t.AddMinutes(2), default);

        var offers = await tasks.OfferWaitingAsync(_t.AddMinutes(3), null, _hold, default);
        Assert.That(offers, Is.EqualTo(new[] { (diamond!.Id, "1001"), (effective!.Id, "1002") }), "two agents have the email skill");
        Assert.That((await tasks.GetAsync(unknown!.Id, default))!.Status, Is.EqualTo(EmailTaskStatus.Waiting));

        var (refused, error) = await tasks.ReplyAsync(diamond.Id, "1002", "no", _t.AddMinutes(4), default);
        Assert.That(refused, Is.Null);
        Assert.That(error, Does.Contain("1001"));

        var (replyId, _) = await tasks.ReplyAsync(diamond.Id, "1001", "您好，已处理。", _t.AddMinutes(4), default);
        var closed = await tasks.GetAsync(diamond.Id, default);
        Assert.That((closed!.Status, closed.ReplyId), Is.EqualTo((EmailTaskStatus.Closed, replyId)));
        var reply = (await outbox.ClaimDueAsync(_t.AddMinutes(4), _t, 10, [MessageChannel.Email], default)).Single();
        Assert.That((reply.Recipient, reply.Subject, reply.Body, reply.InReplyTo, reply.References), Is.EqualTo(("client1@example.com", "RE: 对账单", "您好，已处理。", "d@x", "d@x")));

        // 1001 is free again: the unknown sender's task goes to them.
        Assert.That(await tasks.OfferWaitingAsync(_t.AddMinutes(5), null, _hold, default), Is.EqualTo(new[] { (unknown.Id, "1001") }));
        Assert.That((await tasks.ListAsync(EmailTaskStatus.Offered, "1002", 10, default)).Select(t => t.Id), Is.EqualTo(new[] { effective.Id }));
    }

    [Test]
    public async Task AnUnsubscribeMailRecordsTheOptOutConfirmsItAndIsNoTaskAndBroadcastsSkipTheAddress()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        await SeedAsync(db.Factory);
        var tasks = new EmailTaskRepository(db.Factory);
        var optOuts = new Email.EmailOptOuts(db.Factory);

        var mail = new InboundMail("u1@x", "Client1@Example.com", null, "退订", "", null, [], [], null);
        var stored = await tasks.StoreAsync(Read(1, mail), Own, acknowledge: true, _window, _t, default);

        Assert.That(stored!.Status, Is.EqualTo(EmailTaskStatus.OptedOut));
        Assert.That(stored.Reason, Does.Contain("退订"));
        Assert.That(await tasks.OfferWaitingAsync(_t, null, _hold, default), Is.Empty, "an opt-out is no agent's task");
        var entry = await optOuts.FindAsync("client1@example.com", default);
        Assert.That((entry!.Address, entry.Keyword, entry.Source), Is.EqualTo(("client1@example.com", "退订", "mail")));
        await using var connection = await db.Factory.OpenAsync();
        var sent = (await connection.QueryAsync<(string Id, string Recipient, string Kind, string Body, string? InReplyTo)>("SELECT id, recipient, kind, body, in_reply_to FROM messages")).Single();
        Assert.That((sent.Id, sent.Recipient, sent.Kind, sent.InReplyTo), Is.EqualTo((stored.AcknowledgementId, "Client1@Example.com", MessageKind.OptOutConfirmation, "u1@x")));
        Assert.That(sent.Body, Does.Contain("退订").And.Contain("unsubscribed"));

        // The same opt-out again by the operator's toggle changes nothing; removing it lets broadcasts through again.
        Assert.That(await optOuts.AddAsync("客户 <CLIENT1@example.com>", "api", "api:admin", _t, default), Is.False);
        Assert.That(await optOuts.OptedOutAsync(["client1@example.com", "client5@example.com"], default), Is.EquivalentTo(new[] { "client1@example.com" }));
        Assert.That(await optOuts.RemoveAsync("client1@example.com", default), Is.True);
        Assert.That(await optOuts.OptedOutAsync(["client1@example.com"], default), Is.Empty);
    }

    [Test]
    public async Task ATaskWaitsForAnAvailableAgentAndIsOfferedAgainWhenDeclinedNotAcceptedOrItsAgentGoesAway()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        await SeedAsync(db.Factory);
        var tasks = new EmailTaskRepository(db.Factory);
        var task = (await tasks.StoreAsync(Read(1, Mail("d@x", "client1@example.com")), Own, false, _window, _t, default))!;
        var states = new Dictionary<string, string> { ["1001"] = "offline", ["1002"] = "break", ["1003"] = "available" };

        // Nobody with the skill is available (1003 is, without it): the task waits.
        Assert.That(await tasks.OfferWaitingAsync(_t, states, _hold, default), Is.Empty);

        // 1001 becomes available: offered; declined: waits, remembered; not back to 1001 while 1002 is away.
        states["1001"] = "available";
        Assert.That(await tasks.OfferWaitingAsync(_t.AddSeconds(1), states, _hold, default), Is.EqualTo(new[] { (task.Id, "1001") }));
        Assert.That(await tasks.DeclineAsync(task.Id, "1002", _t.AddSeconds(2), default), Does.Contain("not offered to agent 1002"));
        Assert.That(await tasks.DeclineAsync(task.Id, "1001", _t.AddSeconds(2), default), Is.Null);
        var declined = (await tasks.GetAsync(task.Id, default))!;
        Assert.That((declined.Status, declined.Agent, declined.PassedBy, declined.Reason), Is.EqualTo((EmailTaskStatus.Waiting, (string?)null, "1001", "declined by agent 1001")));
        Assert.That(await tasks.OfferWaitingAsync(_t.AddSeconds(3), states, _hold, default), Is.Empty);

        // 1002 comes back: offered to 1002, who neither accepts nor goes away: taken back after the timeout.
        states["1002"] = "available";
        Assert.That(await tasks.OfferWaitingAsync(_t.AddSeconds(4), states, _hold, default), Is.EqualTo(new[] { (task.Id, "1002") }));
        Assert.That(await tasks.WithdrawAsync(states, _t.AddSeconds(60), _hold, default), Is.Empty);
        var late = await tasks.WithdrawAsync(states, _t.AddSeconds(4) + _hold, _hold, default);
        Assert.That(late.Select(w => (w.TaskId, w.Agent)), Is.EqualTo(new[] { (task.Id, "1002") }));

        // Offered to 1001 again (their hold is over), accepted: a break keeps it, going offline does not.
        var again = await tasks.OfferWaitingAsync(_t.AddSeconds(5) + _hold, states, _hold, default);
        Assert.That(again, Is.EqualTo(new[] { (task.Id, "1001") }));
        Assert.That(await tasks.AcceptAsync(task.Id, "1002", _t.AddMinutes(3), default), Does.Contain("not offered to agent 1002"));
        Assert.That(await tasks.AcceptAsync(task.Id, "1001", _t.AddMinutes(3), default), Is.Null);
        states["1001"] = "break";
        Assert.That(await tasks.WithdrawAsync(states, _t.AddMinutes(30), _hold, default), Is.Empty, "accepted, on a break: still theirs");
        var accepted = (await tasks.GetAsync(task.Id, default))!;
        Assert.That((accepted.Status, accepted.Agent, accepted.AcceptedAt, accepted.Offers), Is.EqualTo((EmailTaskStatus.Offered, "1001", (DateTimeOffset?)_t.AddMinutes(3), 3)));

        // A restart: presence starts empty (nobody signed in), the offer is taken back, nothing is lost.
        var restarted = new EmailTaskRepository(db.Factory);
        var gone = await restarted.WithdrawAsync(new Dictionary<string, string>(), _t.AddMinutes(31), _hold, default);
        Assert.That(gone.Select(w => w.Reason), Is.EqualTo(new[] { "agent 1001 went offline" }));
        var waiting = (await restarted.GetAsync(task.Id, default))!;
        Assert.That((waiting.Status, waiting.AcceptedAt, waiting.PassedBy), Is.EqualTo((EmailTaskStatus.Waiting, (DateTimeOffset?)null, "1001")));
        Assert.That(await restarted.OfferWaitingAsync(_t.AddMinutes(32), new Dictionary<string, string> { ["1002"] = "available" }, _hold, default), Is.EqualTo(new[] { (task.Id, "1002") }));
    }

    [Test]
    public async Task AReplyCrossingAWithdrawalIsKeptAndTheWithdrawalDoesNothing()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        await SeedAsync(db.Factory);
        var tasks = new EmailTaskRepository(db.Factory);
        var task = (await tasks.StoreAsync(Read(1, Mail("d@x", "client1@example.com")), Own, false, _window, _t, default))!;
        await tasks.OfferWaitingAsync(_t, new Dictionary<string, string> { ["1001"] = "available" }, _hold, default);

        var (replyId, _) = await tasks.ReplyAsync(task.Id, "1001", "done", _t.AddSeconds(10), default);
        var withdrawn = await tasks.WithdrawAsync(new Dictionary<string, string>(), _t.AddSeconds(11), _hold, default);
        var declined = await tasks.DeclineAsync(task.Id, "1001", _t.AddSeconds(12), default);

        var closed = (await tasks.GetAsync(task.Id, default))!;
        Assert.Multiple(() =>
        {
            Assert.That(replyId, Is.Not.Null);
            Assert.That(withdrawn, Is.Empty);
            Assert.That(declined, Does.Contain("is closed"));
            Assert.That((closed.Status, closed.Agent), Is.EqualTo((EmailTaskStatus.Closed, "1001")));
        });
    }
}
