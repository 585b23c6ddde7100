using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>
/// Broadcasts end to end: the platform's /api/broadcasts expands an audience of the demo clients,
/// writes one outbox row each, and the SMS reach <see cref="FakeTwilio"/> through the real Twilio SDK,
/// personalized and in the client's language. Quiet hours are set here around (or away from) the
/// moment the test runs, in the clients' time zone, so both sides of the rule are exercised.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Self)]
public sealed class BroadcastTests
{
    private const string MorningNote = "tpl-demo-morning-note";
    private static readonly TimeZoneInfo _shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private PlatformProcess _platform = null!;
    private FakeTwilio _twilio = null!;
    private SmtpServer _smtp = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _twilio = FakeTwilio.Start();
        _smtp = await SmtpServer.StartAsync("none");
        var httpPort = FreePorts.UdpAndTcp();
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, _shanghai);
        _platform = await PlatformProcess.StartOnAsync(httpPort, [
            .. _twilio.PlatformArguments(httpPort),
            $"--Broadcasts:QuietStart={local.AddHours(3):HH:mm}",
            $"--Broadcasts:QuietEnd={local.AddHours(4):HH:mm}",
            "--Mail:Smtp:Host=127.0.0.1",
            $"--Mail:Smtp:Port={_smtp.Port}",
            "--Mail:Smtp:Security=none",
            "--Mail:From=客户服务中心 <service@broker.example>",
        ]);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _platform.DisposeAsync();
        await _twilio.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Test]
    public async Task AnEmailBroadcastReachesTheClientsAddressesWithTheirSubjectsAndSkipsThoseWithout()
    {
        var (status, body) = await PostTemplateAsync(new
        {
            name = "Monthly report",
            channel = "email",
            subjectZh = "【月度报告】{{name}}，您的{{tier}}客户月报",
            subjectEn = "Monthly report for {{name}}",
            zh = "{{name}}您好：\n本月报告已发布，详询客户经理{{manager}}。",
            en = "Dear {{name}},\nthis month's report is out.",
        });
        Assert.That(status, Is.EqualTo(HttpStatusCode.Created), body);
        var template = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString();
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_platform.WorkDirectory, "callcenter.db")}"))
        {
            // One client without an address: skipped, with the reason.
            await connection.OpenAsync();
            await using var clear = connection.CreateCommand();
            clear.CommandText = "UPDATE clients SET email = NULL WHERE phone = '13800000003'";
            await clear.ExecuteNonQueryAsync();
        }

        var id = await StartBroadcastAsync(new { templateId = template, audience = new { tiers = new[] { "Diamond", "Gold", "Quality" } } });

        var done = await WaitBroadcastAsync(id, b => Progress(b, "sent") == 2);
        Assert.That(done.GetProperty("skipped").GetProperty("no e-mail address on file").GetInt32(), Is.EqualTo(1), done.ToString());
        var mails = await _smtp.WaitMessagesAsync(2, TimeSpan.FromSeconds(10));
        var parsed = mails.Select(m => (m.Envelope, Mime: MimeKit.MimeMessage.Load(new MemoryStream(m.Raw)))).ToList();
        var zh = parsed.Single(m => m.Envelope.Contains("to=client1@example.com", StringComparison.Ordinal)).Mime;
        Assert.That(zh.Subject, Is.EqualTo("【月度报告】王建国，您的钻石客户月报"));
        Assert.That(zh.TextBody, Does.StartWith("王建国您好："));
        var en = parsed.Single(m => m.Envelope.Contains("to=client4@example.com", StringComparison.Ordinal)).Mime;
        Assert.That(en.Subject, Is.EqualTo("Monthly report for Emily Chen"));
        Assert.That(parsed, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task ABroadcastToTiersReachesEachClientOncePersonalizedInTheirLanguageAndReportsDelivery()
    {
        var id = await StartBroadcastAsync(new { templateId = MorningNote, audience = new { tiers = new[] { "Diamond", "Quality" } } });

        var done = await WaitBroadcastAsync(id, b => Progress(b, "delivered") == 2);
        Assert.That(done.GetProperty("audienceSize").GetInt32(), Is.EqualTo(2));
        Assert.That(done.GetProperty("queued").GetInt32(), Is.EqualTo(2));
        var zh = _twilio.BodiesTo("+8613800000001").Single(b => b.StartsWith("【早盘策略】", StringComparison.Ordinal));
        Assert.That(zh, Does.StartWith("【早盘策略】王建国您好，"));
        Assert.That(zh, Does.Not.Contain("{{"));
        var en = _twilio.BodiesTo("+8613800000004").Single(b => b.StartsWith("[Morning note]", StringComparison.Ordinal));
        Assert.That(en, Does.StartWith("[Morning note] Dear Emily Chen, the strategy note for "));
        Assert.That(_twilio.BodiesTo("+8613800000002").Where(b => b.Contains("早盘策略", StringComparison.Ordinal)), Is.Empty, "Platinum was not in the audience");
    }

    [Test]
    public async Task AClientWhoOptedOutIsSkippedButARiskNoticeStillReachesThem()
    {
        var inbound = $"{_platform.BaseAddress}sms/twilio/inbound";
        var fields = new Dictionary<string, string> { ["MessageSid"] = "SMbroadcastoptout", ["AccountSid"] = FakeTwilio.AccountSid, ["From"] = "+8613800000003", ["To"] = FakeTwilio.From, ["Body"] = "TD" };
        Assert.That(await _twilio.PostSignedAsync(inbound, fields), Is.EqualTo(HttpStatusCode.OK));

        var (status, body) = await PostTemplateAsync(new { name = "Risk notice test", zh = "【风险提示】{{name}}您好，{{account}}保证金不足，请及时追加。", en = "[Risk] Dear {{name}}, add margin to {{account}}." });
        Assert.That(status, Is.EqualTo(HttpStatusCode.Created), body);
        var riskTemplate = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString();

        var note = await StartBroadcastAsync(new { templateId = MorningNote, audience = new { subscription = "morning-note" } });
        var noteDone = await WaitBroadcastAsync(note, b => Progress(b, "delivered") == 2);
        Assert.That(noteDone.GetProperty("skipped").GetProperty("opted out of SMS").GetInt32(), Is.EqualTo(1), noteDone.ToString());
        Assert.That(_twilio.BodiesTo("+8613800000003").Where(b => b.Contains("早盘策略", StringComparison.Ordinal)), Is.Empty, "opted out");

        var risk = await StartBroadcastAsync(new { templateId = riskTemplate, audience = new { tiers = new[] { "Gold" } }, riskNotice = true });
        await WaitBroadcastAsync(risk, b => Progress(b, "delivered") == 1);
        var notice = _twilio.BodiesTo("+8613800000003").Single(b => b.StartsWith("【风险提示】", StringComparison.Ordinal));
        Assert.That(notice, Does.StartWith("【风险提示】张伟您好，6225****0003保证金不足"));
    }

    [Test]
    public async Task ARetriedRequestWithTheSameIdempotencyKeyStartsTheBroadcastOnce()
    {
        var request = JsonSerializer.Serialize(new { templateId = MorningNote, audience = new { tiers = new[] { "Effective" } } });
        var (first, firstBody) = await PostBroadcastAsync(request, "retry-me-1");
        var (second, secondBody) = await PostBroadcastAsync(request, "retry-me-1");
        Assert.That(first, Is.EqualTo(HttpStatusCode.Created), firstBody);
        Assert.That(second, Is.EqualTo(HttpStatusCode.Created), secondBody);
        var id = JsonDocument.Parse(firstBody).RootElement.GetProperty("id").GetString()!;
        Assert.That(JsonDocument.Parse(secondBody).RootElement.GetProperty("id").GetString(), Is.EqualTo(id));

        await WaitBroadcastAsync(id, b => Progress(b, "delivered") == 1);
        await Task.Delay(1000);
        Assert.That(_twilio.BodiesTo("+8613800000005").Count(b => b.Contains("早盘策略", StringComparison.Ordinal)), Is.EqualTo(1), _twilio.Log);
    }

    [Test]
    public async Task AudiencesByHoldingAndByNoBankLinkComeFromTheBackOfficeAndHoldingsFillTheText()
    {
        // The demo's back office: every demo client's account holds 1,000 × 600000 and has a bank link.
        // Here 880000000001 also holds 200 × 600036, 880000000005 sold its 600000 and 880000000002's bank link is gone.
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_platform.WorkDirectory, "callcenter.db")}"))
        {
            await connection.OpenAsync();
            await using var change = connection.CreateCommand();
            change.CommandText = """
                INSERT INTO bo_positions (account, code, quantity, frozen) VALUES ('880000000001', '600036', 200, 0);
                UPDATE bo_positions SET quantity = 0 WHERE account = '880000000005' AND code = '600000';
                DELETE FROM bo_bank_links WHERE account = '880000000002';
                """;
            await change.ExecuteNonQueryAsync();
        }

        var (status, choices) = await _platform.GetApiAsync("api/broadcasts/audience");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(choices.GetProperty("backOffice").GetBoolean(), Is.True);
        Assert.That(choices.GetProperty("noBankLink").GetInt32(), Is.EqualTo(1), choices.ToString());
        var stocks = choices.GetProperty("stocks").EnumerateArray().ToDictionary(s => s.GetProperty("code").GetString()!, s => s.GetProperty("clients").GetInt32());
        Assert.That(stocks, Is.EqualTo(new Dictionary<string, int> { ["600000"] = 5, ["600036"] = 1 }));

        var (created, body) = await PostTemplateAsync(new { name = "Holdings review", zh = "【持仓回顾】{{name}}您好，您的持仓：{{holdings}}。", en = "[Holdings] Dear {{name}}, you hold {{holdings}}." });
        Assert.That(created, Is.EqualTo(HttpStatusCode.Created), body);
        var template = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString();

        var (previewed, preview) = await _platform.PostApiAsync("api/broadcasts/preview", JsonSerializer.Serialize(new { templateId = template, audience = new { noBankLink = true } }));
        Assert.That(previewed, Is.EqualTo(HttpStatusCode.OK), preview);
        var sample = JsonDocument.Parse(preview).RootElement;
        Assert.That(sample.GetProperty("audience").GetInt32(), Is.EqualTo(1), preview);
        Assert.That(sample.GetProperty("sample")[0].GetProperty("to").GetString(), Is.EqualTo("+8613800000002"));
        Assert.That(sample.GetProperty("sample")[0].GetProperty("text").GetString(), Is.EqualTo("【持仓回顾】李美华您好，您的持仓：600000 浦发银行 1,000股。"));

        var id = await StartBroadcastAsync(new { templateId = template, audience = new { holding = "600000", tiers = new[] { "Diamond", "Quality", "Effective" } } });
        var done = await WaitBroadcastAsync(id, b => Progress(b, "delivered") == 2);
        Assert.That(done.GetProperty("audienceSize").GetInt32(), Is.EqualTo(2), "13800000005 no longer holds 600000");
        Assert.That(done.GetProperty("audience").GetProperty("holding").GetString(), Is.EqualTo("600000"));
        Assert.That(_twilio.BodiesTo("+8613800000001").Single(b => b.StartsWith("【持仓回顾】", StringComparison.Ordinal)), Is.EqualTo("【持仓回顾】王建国您好，您的持仓：600000 浦发银行 1,000股；600036 招商银行 200股。"));
        Assert.That(_twilio.BodiesTo("+8613800000004").Single(b => b.StartsWith("[Holdings]", StringComparison.Ordinal)), Is.EqualTo("[Holdings] Dear Emily Chen, you hold 600000 1,000 shares."));
        Assert.That(_twilio.BodiesTo("+8613800000005").Where(b => b.StartsWith("【持仓回顾】", StringComparison.Ordinal)), Is.Empty);

        var (refused, reason) = await PostBroadcastAsync(JsonSerializer.Serialize(new { templateId = template, audience = new { holding = "60000X" } }), null);
        Assert.That(refused, Is.EqualTo(HttpStatusCode.BadRequest), reason);
        Assert.That(reason, Does.Contain("six-digit stock code").And.Contain("60000X"));
        (refused, reason) = await _platform.PostApiAsync("api/broadcasts/preview", JsonSerializer.Serialize(new { templateId = template, audience = new { holding = 600000 } }));
        Assert.That(refused, Is.EqualTo(HttpStatusCode.BadRequest), "a number is not a code: " + reason);
    }

    [Test]
    public async Task BadRequestsAreRefusedWithTheReasonAndSendNothing()
    {
        var before = _twilio.Accepted.Count;

        var (status, body) = await PostTemplateAsync(new { name = "typo", zh = "{{nmae}}您好" });
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Does.Contain("nmae"));

        (status, body) = await PostBroadcastAsync(JsonSerializer.Serialize(new { templateId = MorningNote, audience = new { } }), null);
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Does.Contain("audience"));

        (status, body) = await PostBroadcastAsync(JsonSerializer.Serialize(new { templateId = "tpl-none", audience = new { all = true } }), null);
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound), body);

        (status, body) = await _platform.PostApiAsync("api/broadcasts/schedules", JsonSerializer.Serialize(new { name = "bad", cron = "every morning", templateId = MorningNote, audience = new { all = true } }));
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Does.Contain("cron").IgnoreCase);

        await Task.Delay(500);
        Assert.That(_twilio.Accepted.Count, Is.EqualTo(before));
    }

    [Test]
    public async Task ADailyScheduleWithSecondsRunsOnceAtItsTimeAndMovesToTheNextDay()
    {
        var soon = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, _shanghai).AddSeconds(6);
        var at = soon.AddTicks(-(soon.Ticks % TimeSpan.TicksPerSecond));
        var cron = string.Create(CultureInfo.InvariantCulture, $"{at.Second} {at.Minute} {at.Hour} * * *");
        var (status, body) = await _platform.PostApiAsync("api/broadcasts/schedules", JsonSerializer.Serialize(new
        {
            name = "Dormant wake-up",
            cron,
            tradingDaysOnly = false,
            templateId = MorningNote,
            audience = new { tiers = new[] { "Dormant" } },
        }));
        Assert.That(status, Is.EqualTo(HttpStatusCode.Created), body);
        var scheduleId = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString();

        JsonElement schedule = default;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var (_, schedules) = await _platform.GetApiAsync("api/broadcasts/schedules");
            schedule = schedules.EnumerateArray().Single(s => s.GetProperty("id").GetString() == scheduleId);
            if (schedule.GetProperty("lastBroadcastId").ValueKind == JsonValueKind.String)
            {
                break;
            }

            await Task.Delay(200);
        }

        var broadcastId = schedule.GetProperty("lastBroadcastId").GetString();
        Assert.That(broadcastId, Is.Not.Null, $"{schedule}\n{_platform.Output}");
        var next = schedule.GetProperty("nextRunAt").GetDateTimeOffset();
        Assert.That(next - at, Is.EqualTo(TimeSpan.FromDays(1)).Within(TimeSpan.FromSeconds(1)), schedule.ToString());
        var ran = await WaitBroadcastAsync(broadcastId!, b => Progress(b, "delivered") == 1);
        Assert.That(ran.GetProperty("createdAt").GetDateTimeOffset(), Is.GreaterThanOrEqualTo(at.AddMilliseconds(-50)), "not before its time");

        await Task.Delay(4000);
        var (_, list) = await _platform.GetApiAsync("api/broadcasts");
        Assert.That(list.EnumerateArray().Count(b => b.GetProperty("audience").TryGetProperty("tiers", out var t) && t.ToString().Contains("Dormant", StringComparison.Ordinal)), Is.EqualTo(1), list.ToString());
        Assert.That(_twilio.BodiesTo("+8613800000006").Count(b => b.Contains("早盘策略", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    private async Task<string> StartBroadcastAsync(object request)
    {
        var (status, body) = await PostBroadcastAsync(JsonSerializer.Serialize(request), null);
        Assert.That(status, Is.EqualTo(HttpStatusCode.Created), body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    private Task<(HttpStatusCode, string)> PostTemplateAsync(object template) =>
        _platform.PostApiAsync("api/broadcasts/templates", JsonSerializer.Serialize(template));

    private async Task<(HttpStatusCode Status, string Body)> PostBroadcastAsync(string json, string? idempotencyKey)
    {
        using var http = new HttpClient { BaseAddress = _platform.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/broadcasts") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Api-Key", "demo-api-key");
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> WaitBroadcastAsync(string id, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            var (status, body) = await _platform.GetApiAsync($"api/broadcasts/{id}");
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            last = body;
            if (done(body))
            {
                return body;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"broadcast {id}: {last}\n{_twilio.Log}\n{_platform.Output}");
        return last;
    }

    private static int Progress(JsonElement broadcast, string status) =>
        broadcast.GetProperty("progress").TryGetProperty(status, out var n) ? n.GetInt32() : 0;
}

/// <summary>
/// The same platform with quiet hours around the moment the test runs: a broadcast waits in the
/// outbox (queued, due at the quiet hours' end) while a risk notice goes at once.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Self)]
public sealed class BroadcastQuietHoursTests
{
    private static readonly TimeZoneInfo _shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private PlatformProcess _platform = null!;
    private FakeTwilio _twilio = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _twilio = FakeTwilio.Start();
        var httpPort = FreePorts.UdpAndTcp();
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, _shanghai);
        _platform = await PlatformProcess.StartOnAsync(httpPort, [
            .. _twilio.PlatformArguments(httpPort),
            $"--Broadcasts:QuietStart={local.AddHours(-1):HH:mm}",
            $"--Broadcasts:QuietEnd={local.AddHours(2):HH:mm}",
        ]);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _platform.DisposeAsync();
        await _twilio.DisposeAsync();
    }

    [Test]
    public async Task DuringQuietHoursABroadcastWaitsButARiskNoticeGoesAtOnce()
    {
        var (status, body) = await _platform.PostApiAsync("api/broadcasts", JsonSerializer.Serialize(new { templateId = "tpl-demo-morning-note", audience = new { tiers = new[] { "Diamond" } } }));
        Assert.That(status, Is.EqualTo(HttpStatusCode.Created), body);
        var held = JsonDocument.Parse(body).RootElement;

        (status, body) = await _platform.PostApiAsync("api/broadcasts", JsonSerializer.Serialize(new { templateId = "tpl-demo-morning-note", audience = new { tiers = new[] { "Platinum" } }, riskNotice = true }));
        Assert.That(status, Is.EqualTo(HttpStatusCode.Created), body);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!_twilio.BodiesTo("+8613800000002").Any() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.That(_twilio.BodiesTo("+8613800000002").Count(), Is.EqualTo(1), "the risk notice went during quiet hours\n" + _platform.Output);
        await Task.Delay(2000);
        Assert.That(_twilio.BodiesTo("+8613800000001"), Is.Empty, "the broadcast waits for the quiet hours to end");
        var (_, view) = await _platform.GetApiAsync($"api/broadcasts/{held.GetProperty("id").GetString()}");
        Assert.That(view.GetProperty("progress").GetProperty("queued").GetInt32(), Is.EqualTo(1), view.ToString());
    }
}
