using CallCenter.Data;
using CallCenter.FaxSms.Broadcasts;
using CallCenter.FaxSms.Outbox;
using Dapper;

namespace CallCenter.FaxSms.Tests;

[TestFixtureSource(typeof(CallCenter.TestSupport.TestDatabases), nameof(CallCenter.TestSupport.TestDatabases.Providers))]
public sealed class BroadcastRepositoryTests(string provider)
{
    // 10:00 in Shanghai, outside quiet hours.
    private static readonly DateTimeOffset _t = new(2026, 12, 4, 2, 0, 0, TimeSpan.Zero);
    private static readonly BroadcastOptions _options = new() { SmsPerSecond = 2 };

    private static async Task<(TestDatabase Db, BroadcastRepository Broadcasts, string TemplateId)> SetUpAsync(string provider)
    {
        var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        await using (var connection = await db.Factory.OpenAsync())
        {
            await connection.ExecuteAsync("INSERT INTO agents (extension, name, sip_realm, sip_ha1_md5, sip_ha1_sha256) VALUES ('1001', '赵敏', 'r', 'x', 'y')");
            foreach (var (phone, name, tier, manager, language) in new[]
            {
                ("13800000001", "王建国", "Diamond", (string?)"1001", "zh"),
                ("13800000002", "李美华", "Platinum", null, "zh"),
                ("13800000004", "Emily Chen", "Quality", null, "en"),
            })
            {
                await connection.ExecuteAsync(
                    "INSERT INTO clients (phone, name, account_masked, tier, manager_extension, language, branch) VALUES (@phone, @name, 'x', @tier, @manager, @language, 'b')",
                    new { phone, name, tier, manager, language });
            }

            await connection.ExecuteAsync("INSERT INTO client_subscriptions (phone, topic) VALUES ('13800000002', 'morning-note'), ('13800000004', 'morning-note')");
            await connection.ExecuteAsync("INSERT INTO client_birthdays (phone, birthday) VALUES ('13800000004', '1990-12-04'), ('13800000001', '1968-03-15')");
        }

        var broadcasts = new BroadcastRepository(db.Factory, _options);
        var (template, _) = await broadcasts.SaveTemplateAsync(new BroadcastTemplate("tpl-note", "note", MessageChannel.Sms, "{{name}}您好，经理{{manager}}", "Dear {{name}}", _t), default);
        return (db, broadcasts, template!.Id);
    }

    [Test]
    public async Task ABroadcastQueuesOneRenderedSmsPerMemberSpacedByTheRateLimitInOneTransaction()
    {
        var (db, broadcasts, templateId) = await SetUpAsync(provider);
        await using var _ = db;

        var view = await broadcasts.CreateAsync(new BroadcastOrder(templateId, new Audience { Tiers = ["Diamond", "Platinum"] }, false, _t, "super", null), _t, default);

        Assert.That(view!.AudienceSize, Is.EqualTo(2));
        Assert.That(view.Queued, Is.EqualTo(2));
        Assert.That(view.Progress["queued"], Is.EqualTo(2));
        await using var connection = await db.Factory.OpenAsync();
        var rows = (await connection.QueryAsync<(string Recipient, string Body, string Kind, long Due)>(
            "SELECT m.recipient, m.body, m.kind, m.next_attempt_at_ms FROM messages m JOIN broadcast_messages b ON b.message_id = m.id ORDER BY m.next_attempt_at_ms")).ToList();
        Assert.That(rows.Select(r => (r.Recipient, r.Body, r.Kind)), Is.EqualTo(new[]
        {
            ("+8613800000001", "王建国您好，经理赵敏", MessageKind.Broadcast),
            ("+8613800000002", "李美华您好，经理", MessageKind.Broadcast),
        }));
        Assert.That(rows[1].Due - rows[0].Due, Is.EqualTo(500), "2 SMS a second");
    }

    [Test]
    public async Task AudiencesBySubscriptionAndBirthdayAndARepeatedRequestKeyMakesOneBroadcast()
    {
        var (db, broadcasts, templateId) = await SetUpAsync(provider);
        await using var _ = db;

        var subscribed = await broadcasts.PreviewAsync(templateId, new Audience { Subscription = "morning-note" }, false, _t, default);
        Assert.That(subscribed!.Value.Messages.Select(m => m.Recipient), Is.EqualTo(new[] { "+8613800000002", "+8613800000004" }));
        Assert.That(subscribed.Value.Messages[1].Body, Is.EqualTo("Dear Emily Chen"));
        var birthday = await broadcasts.PreviewAsync(templateId, new Audience { BirthdayToday = true }, false, _t, default);
        Assert.That(birthday!.Value.Messages.Select(m => m.Recipient), Is.EqualTo(new[] { "+8613800000004" }));

        var first = await broadcasts.CreateAsync(new BroadcastOrder(templateId, new Audience { All = true }, false, _t, "super", "api:k1"), _t, default);
        var again = await broadcasts.CreateAsync(new BroadcastOrder(templateId, new Audience { All = true }, false, _t, "super", "api:k1"), _t, default);
        Assert.That(again!.Id, Is.EqualTo(first!.Id));
        await using var connection = await db.Factory.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM messages"), Is.EqualTo(3));
        Assert.That(await broadcasts.CreateAsync(new BroadcastOrder("tpl-none", new Audience { All = true }, false, _t, "super", null), _t, default), Is.Null);
    }

    [Test]
    public async Task AnEmailBroadcastGoesToAddressesOnFileWithSubjectsAndIsNotHeldByQuietHours()
    {
        var (db, broadcasts, _) = await SetUpAsync(provider);
        await using var _ = db;
        await using (var connection = await db.Factory.OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE clients SET email = 'client' || substr(phone, 11, 1) || '@example.com' WHERE phone <> '13800000002'");
        }

        var (template, _) = await broadcasts.SaveTemplateAsync(new BroadcastTemplate("tpl-mail", "report", MessageChannel.Email, "{{name}}您好", "Dear {{name}}", _t, "【月报】{{name}}", "Report for {{name}}"), default);
        var night = new DateTimeOffset(2026, 12, 4, 15, 0, 0, TimeSpan.Zero); // 23:00 in Shanghai, in quiet hours

        var view = await broadcasts.CreateAsync(new BroadcastOrder(template!.Id, new Audience { All = true }, false, night, "super", null), night, default);

        Assert.That(view!.Queued, Is.EqualTo(2));
        Assert.That(view.Skipped, Is.EqualTo(new Dictionary<string, int> { ["no e-mail address on file"] = 1 }));
        await using var check = await db.Factory.OpenAsync();
        var rows = (await check.QueryAsync<(string Channel, string Recipient, string Subject, string Body, long Due)>(
            "SELECT m.channel, m.recipient, m.subject, m.body, m.next_attempt_at_ms FROM messages m JOIN broadcast_messages b ON b.message_id = m.id ORDER BY m.next_attempt_at_ms")).ToList();
        Assert.That(rows.Select(r => (r.Channel, r.Recipient, r.Subject, r.Body)), Is.EqualTo(new[]
        {
            (MessageChannel.Email, "client1@example.com", "【月报】王建国", "王建国您好"),
            (MessageChannel.Email, "client4@example.com", "Report for Emily Chen", "Dear Emily Chen"),
        }));
        Assert.That(rows[0].Due, Is.EqualTo(night.ToUnixTimeMilliseconds()), "e-mail is not held for quiet hours");
        Assert.That(rows[1].Due - rows[0].Due, Is.EqualTo(1000 / 20), "Broadcasts:EmailPerSecond, 20 by default");
    }

    [Test]
    public async Task TheAudienceChoicesAreTheDirectorysTiersAndTopicsWithTheirCounts()
    {
        var (db, broadcasts, _) = await SetUpAsync(provider);
        await using var _ = db;

        var choices = await broadcasts.AudienceChoicesAsync(default);

        Assert.That(choices.Clients, Is.EqualTo(3));
        Assert.That(choices.Tiers, Is.EqualTo(new[] { new AudienceChoice("Diamond", 1), new AudienceChoice("Platinum", 1), new AudienceChoice("Quality", 1) }));
        Assert.That(choices.Topics, Is.EqualTo(new[] { new AudienceChoice("morning-note", 2) }));
    }

    [Test]
    public async Task AScheduleRunIsTakenOnceEvenWhenTwoPassesSeeItDue()
    {
        var (db, broadcasts, templateId) = await SetUpAsync(provider);
        await using var _ = db;
        var (schedule, error) = await broadcasts.SaveScheduleAsync("morning", "30 8 * * *", true, templateId, new Audience { Subscription = "morning-note" }, false, _t, default);
        Assert.That(error, Is.Null);
        var due = schedule!.NextRunAt!.Value;
        Assert.That(due, Is.EqualTo(new DateTimeOffset(2026, 12, 7, 8, 30, 0, TimeSpan.FromHours(8))), "Friday 10:00 → Monday 08:30");

        var next = due.AddDays(1);
        var one = await broadcasts.RunScheduleAsync(schedule, due, next, run: true, due, default);
        var two = await broadcasts.RunScheduleAsync(schedule, due, next, run: true, due, default);

        Assert.That(one.Claimed, Is.True);
        Assert.That(one.BroadcastId, Is.Not.Null);
        Assert.That(two, Is.EqualTo((false, (string?)null)));
        var stored = (await broadcasts.SchedulesAsync(default)).Single();
        Assert.That(stored.NextRunAt, Is.EqualTo(next));
        Assert.That(stored.LastBroadcastId, Is.EqualTo(one.BroadcastId));
        Assert.That((await broadcasts.GetAsync(one.BroadcastId!, default))!.Queued, Is.EqualTo(2));
        Assert.That((await broadcasts.SaveScheduleAsync("bad", "every day", false, templateId, new Audience { All = true }, false, _t, default)).Error, Does.Contain("cron"));
    }
}
