using CallCenter.BackOffice;
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
    public async Task AnEmailBroadcastSkipsAddressesThatOptedOutOfEmailButARiskNoticeReachesThem()
    {
        var (db, broadcasts, _) = await SetUpAsync(provider);
        await using var _ = db;
        await using (var connection = await db.Factory.OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE clients SET email = 'Client' || substr(phone, 11, 1) || '@Example.com'");
            // An SMS opt-out of 13800000002 does not stop its e-mail.
            await connection.ExecuteAsync("INSERT INTO sms_opt_outs (number, keyword, at_ms) VALUES ('+8613800000002', 'TD', 0)");
        }

        await new Email.EmailOptOuts(db.Factory).AddAsync("client1@example.com", "退订", "mail", _t, default);
        var (template, _) = await broadcasts.SaveTemplateAsync(new BroadcastTemplate("tpl-mail", "report", MessageChannel.Email, "{{name}}您好", null, _t, "月报", null), default);

        var note = await broadcasts.CreateAsync(new BroadcastOrder(template!.Id, new Audience { All = true }, false, _t, "super", null), _t, default);
        var risk = await broadcasts.CreateAsync(new BroadcastOrder(template.Id, new Audience { All = true }, true, _t, "super", null), _t, default);

        Assert.That(note!.Queued, Is.EqualTo(2));
        Assert.That(note.Skipped, Is.EqualTo(new Dictionary<string, int> { ["opted out of e-mail"] = 1 }));
        Assert.That(risk!.Queued, Is.EqualTo(3), "a risk notice goes despite the opt-out");
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

    /// <summary>
    /// The built-in back office on the same database: 13800000001 holds 600000 × 1,000 and 600036 × 200
    /// and has a bank link; 13800000002 holds 600036 × 300 and none; 13800000004 holds 600000 × 500 in
    /// two accounts (300 + 200), one with a bank link; 13800000009 (not in the directory) has no bank link.
    /// </summary>
    private static async Task<BroadcastRepository> WithBackOfficeAsync(TestDatabase db)
    {
        await using (var connection = await db.Factory.OpenAsync())
        {
            await connection.ExecuteAsync("INSERT INTO bo_quotes (code, name, last_fen, previous_close_fen) VALUES ('600000', '浦发银行', 1050, 1040), ('600036', '招商银行', 3520, 3560), ('601318', '中国平安', 4830, 4790)");
            foreach (var (account, phone) in new[] { ("A1", "13800000001"), ("A2", "13800000002"), ("A4", "13800000004"), ("A4b", "13800000004"), ("A9", "13800000009") })
            {
                await connection.ExecuteAsync("INSERT INTO bo_accounts (account, phone, pin_hash, cash_fen, frozen_fen) VALUES (@account, @phone, 'x', 0, 0)", new { account, phone });
            }

            await connection.ExecuteAsync("""
                INSERT INTO bo_positions (account, code, quantity, frozen) VALUES
                ('A1', '600000', 1000, 0), ('A1', '600036', 200, 0), ('A2', '600036', 300, 0), ('A2', '601318', 0, 0), ('A4', '600000', 300, 0), ('A4b', '600000', 200, 100)
                """);
            await connection.ExecuteAsync("INSERT INTO bo_bank_links (account, bank_code, bank_name, card_masked, balance_fen) VALUES ('A1', 'ICBC', '工商银行', '6222****0001', 0), ('A4', 'CMB', '招商银行', '6222****0004', 0)");
        }

        var backOffice = new BuiltInBackOffice(db.Factory, new BackOfficeOptions(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<BuiltInBackOffice>.Instance);
        return new BroadcastRepository(db.Factory, _options, backOffice);
    }

    [Test]
    public async Task AnAudienceOfAStocksHoldersGetsTheirHoldingsFromTheBackOfficeInTheirLanguage()
    {
        var (db, _, _) = await SetUpAsync(provider);
        await using var _ = db;
        var broadcasts = await WithBackOfficeAsync(db);
        var (template, _) = await broadcasts.SaveTemplateAsync(new BroadcastTemplate("tpl-hold", "holdings", MessageChannel.Sms, "{{name}}您好，您持有{{holdings}}", "Dear {{name}}, you hold {{holdings}}", _t), default);

        var view = await broadcasts.CreateAsync(new BroadcastOrder(template!.Id, new Audience { Holding = "600000" }, false, _t, "super", null), _t, default);

        Assert.That(view!.AudienceSize, Is.EqualTo(2));
        await using var connection = await db.Factory.OpenAsync();
        var rows = (await connection.QueryAsync<(string Recipient, string Body)>(
            "SELECT m.recipient, m.body FROM messages m JOIN broadcast_messages b ON b.message_id = m.id ORDER BY m.next_attempt_at_ms")).ToList();
        Assert.That(rows, Is.EqualTo(new[]
        {
            ("+8613800000001", "王建国您好，您持有600000 浦发银行 1,000股；600036 招商银行 200股"),
            ("+8613800000004", "Dear Emily Chen, you hold 600000 500 shares"),
        }));

        var nobody = await broadcasts.PreviewAsync(template.Id, new Audience { Holding = "000001" }, false, _t, default);
        Assert.That(nobody!.Value.Size, Is.Zero, "a code no one holds");
        var zeroShares = await broadcasts.PreviewAsync(template.Id, new Audience { Holding = "601318" }, false, _t, default);
        Assert.That(zeroShares!.Value.Size, Is.Zero, "a position of 0 shares is not holding");
        var withTier = await broadcasts.PreviewAsync(template.Id, new Audience { Holding = "600036", Tiers = ["Platinum"] }, false, _t, default);
        Assert.That(withTier!.Value.Messages.Select(m => m.Body), Is.EqualTo(new[] { "李美华您好，您持有600036 招商银行 300股" }), "criteria together must all hold");
    }

    [Test]
    public async Task AnAudienceWithoutABankLinkIsTheDirectorysClientsWithAFundAccountThatHasNone()
    {
        var (db, _, templateId) = await SetUpAsync(provider);
        await using var _ = db;
        var broadcasts = await WithBackOfficeAsync(db);

        var preview = await broadcasts.PreviewAsync(templateId, new Audience { NoBankLink = true }, false, _t, default);

        Assert.That(preview!.Value.Messages.Select(m => m.Recipient), Is.EqualTo(new[] { "+8613800000002", "+8613800000004" }), "13800000004's second account has no link; 13800000001's one has; 13800000009 is not in the directory");
        var choices = await broadcasts.AudienceChoicesAsync(default);
        Assert.That(choices.Stocks!.Select(s => (s.Code, s.Holders)), Is.EqualTo(new[] { ("600000", 2), ("600036", 2) }));
        Assert.That(choices.NoBankLink, Is.EqualTo(3), "as the back office counts: 13800000002, 13800000004 and 13800000009");
    }

    [Test]
    public async Task WithoutABackOfficeAnAudienceOrTemplateThatNeedsOneIsRefusedNotSentEmpty()
    {
        var (db, broadcasts, templateId) = await SetUpAsync(provider);
        await using var _ = db;
        var (holdings, _) = await broadcasts.SaveTemplateAsync(new BroadcastTemplate("tpl-hold", "holdings", MessageChannel.Sms, "{{holdings}}", null, _t), default);

        Assert.That(broadcasts.HasBackOffice, Is.False);
        Assert.ThrowsAsync<InvalidOperationException>(() => broadcasts.CreateAsync(new BroadcastOrder(templateId, new Audience { Holding = "600000" }, false, _t, "super", null), _t, default));
        Assert.ThrowsAsync<InvalidOperationException>(() => broadcasts.CreateAsync(new BroadcastOrder(holdings!.Id, new Audience { All = true }, false, _t, "super", null), _t, default));
        await using var connection = await db.Factory.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM messages"), Is.Zero);
        Assert.That((await broadcasts.AudienceChoicesAsync(default)).Stocks, Is.Null);
    }

    [Test]
    public async Task ABackOfficeThatFailsIsReportedAsUnavailableAndNothingIsWritten()
    {
        var (db, _, templateId) = await SetUpAsync(provider);
        await using var _ = db;
        var broadcasts = new BroadcastRepository(db.Factory, _options, new FailingBackOffice());

        var preview = Assert.ThrowsAsync<BackOfficeUnavailableException>(() => broadcasts.PreviewAsync(templateId, new Audience { Holding = "600000" }, false, _t, default));
        Assert.ThrowsAsync<BackOfficeUnavailableException>(() => broadcasts.CreateAsync(new BroadcastOrder(templateId, new Audience { NoBankLink = true }, false, _t, "super", null), _t, default));
        Assert.ThrowsAsync<BackOfficeUnavailableException>(() => broadcasts.AudienceChoicesAsync(default));

        Assert.That(preview!.Message, Does.Contain("The back office did not answer").And.Contain("counter timed out"));
        Assert.That(preview.InnerException, Is.InstanceOf<TimeoutException>());
        await using var connection = await db.Factory.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM messages"), Is.Zero);
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM broadcasts"), Is.Zero);
    }

    /// <summary>A counter system that times out on every question.</summary>
    private sealed class FailingBackOffice : CallCenter.Contracts.BackOffice.IClientHoldings
    {
        public Task<IReadOnlyList<string>> HoldersAsync(string code, CancellationToken cancellationToken) => throw new TimeoutException("counter timed out");

        public Task<IReadOnlyList<string>> WithoutBankLinkAsync(CancellationToken cancellationToken) => throw new TimeoutException("counter timed out");

        public Task<IReadOnlyDictionary<string, IReadOnlyList<CallCenter.Contracts.BackOffice.Position>>> PositionsByClientAsync(IReadOnlyCollection<string> phones, CancellationToken cancellationToken) =>
            throw new TimeoutException("counter timed out");

        public Task<IReadOnlyList<CallCenter.Contracts.BackOffice.HeldStock>> HeldStocksAsync(CancellationToken cancellationToken) => throw new TimeoutException("counter timed out");

        public Task<string?> PhoneOfAccountAsync(string account, CancellationToken cancellationToken) => throw new TimeoutException("counter timed out");
    }
}
