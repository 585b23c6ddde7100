using System.Net;
using System.Text.Json;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>
/// SMS through a real Kannel (bearerbox, smsbox, fakesmsc) on loopback: POST /api/messages, the
/// message at the SMSC, its delivery report, UCS-2 and concatenation, inbound opt-out, and who may
/// call the gateway's callbacks.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Self)]
public sealed class SmsTests
{
    private const string Secret = "sms-tests-callback-secret";
    private PlatformProcess _platform = null!;
    private Kannel _kannel = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var httpPort = FreePorts.UdpAndTcp();
        _kannel = await Kannel.StartAsync(httpPort, Secret);
        _platform = await PlatformProcess.StartOnAsync(httpPort, _kannel.PlatformArguments(httpPort, Secret));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _platform.DisposeAsync();
        await _kannel.DisposeAsync();
    }

    [Test]
    public async Task AChineseSmsReachesTheSmscAsUcs2AndItsDeliveryReportMarksItDelivered()
    {
        const string text = "您好，您的账户已开通。";
        var id = await PostSmsAsync("13800000001", text);

        var delivered = await WaitStatusAsync(id, "delivered");
        Assert.That(_kannel.Received.Where(s => s.To == "+8613800000001" && s.Type == "ucs-2").Select(s => s.Text), Does.Contain(text), _kannel.Logs);
        var history = delivered.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("status").GetString()).ToList();
        Assert.That(history, Is.EqualTo(new[] { "queued", "sent", "delivered" }).Or.EqualTo(new[] { "queued", "sent", "sent", "delivered" }).Or.EqualTo(new[] { "queued", "sent", "delivered", "sent" }), delivered.ToString());
    }

    [Test]
    public async Task ALongChineseSmsIsSplitWithAConcatenationHeaderAndJoinsToTheWholeText()
    {
        var text = string.Concat(Enumerable.Repeat("今日策略：关注银行板块，控制仓位。", 8)); // 136 characters: 3 UCS-2 parts
        var id = await PostSmsAsync("13800000003", text);

        await WaitStatusAsync(id, "delivered");
        var parts = _kannel.Received.Where(s => s.To == "+8613800000003").ToList();
        Assert.That(parts.Select(p => p.Type), Is.All.EqualTo("udh"), _kannel.Logs);
        Assert.That(parts, Has.Count.EqualTo(3));
        Assert.That(_kannel.TextsTo("+8613800000003"), Is.EqualTo(new[] { text }));
    }

    [Test]
    public async Task AnInvalidNumberOrAddressIsRefusedWithTheReason()
    {
        var (status, body) = await _platform.PostApiAsync("api/messages", """{"channel": "sms", "to": "12345", "text": "hi"}""");
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Does.Contain("not a valid phone number"));

        (status, body) = await _platform.PostApiAsync("api/messages", """{"channel": "sms", "to": "01088888888", "text": "hi"}""");
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Does.Contain("not a mobile number"));

        (status, body) = await _platform.PostApiAsync("api/messages", """{"channel": "email", "to": "no-at-sign", "subject": "s", "text": "t"}""");
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Does.Contain("not an e-mail address"));

        (status, body) = await _platform.PostApiAsync("api/messages", """{"channel": "fax", "to": "1", "text": "t"}""");
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Does.Contain("\\u0022channel\\u0022").Or.Contain("channel"));
    }

    [Test]
    public async Task MessagesNeedTheApiKey()
    {
        using var http = new HttpClient { BaseAddress = _platform.BaseAddress };
        using var response = await http.PostAsync("api/messages", new StringContent("""{"channel": "sms", "to": "13800000001", "text": "x"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var (status, _) = await _platform.GetApiAsync("api/messages/msg-none", apiKey: null);
        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [TestCase("13800000005", "TD")]
    [TestCase("13800000006", "退订")]
    [TestCase("13900000007", "stop")]
    public async Task AnOptOutKeywordFromAHandsetIsConfirmedAndLaterSmsToThatNumberAreRefused(string number, string keyword)
    {
        await _kannel.SendInboundAsync(number, "95500", keyword);

        var e164 = "+86" + number;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!_kannel.TextsTo(e164).Any(t => t.Contains("退订", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.That(_kannel.TextsTo(e164), Has.One.Contains("您已退订"), _kannel.Logs + _platform.Output);
        var (status, body) = await _platform.PostApiAsync("api/messages", $$"""{"channel": "sms", "to": "{{number}}", "text": "早盘策略"}""");
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Does.Contain("opted out"));
    }

    [Test]
    public async Task AMalformedInboundSmsIsListedForAnOperatorWithItsReasonAndTheSenderMasked()
    {
        // Through the real Kannel: a handset-like sender that is no phone number (an alphanumeric sender id).
        await _kannel.SendInboundAsync("BANKNOTICE", "95500", "hello");
        // Straight at the get-url, as smsbox would call it (loopback is the gateway here, with the secret): no text.
        using (var http = new HttpClient { BaseAddress = _platform.BaseAddress })
        using (var response = await http.GetAsync($"sms/kannel/inbound?secret={Secret}&id=malformed-empty-1&from=13800000002&to=95500&text="))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonElement[] rows = [];
        while (DateTime.UtcNow < deadline)
        {
            var (status, body) = await _platform.GetApiAsync("api/sms/inbound?status=malformed");
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            rows = [.. body.EnumerateArray()];
            if (rows.Any(r => r.GetProperty("reason").GetString()!.StartsWith("sender:", StringComparison.Ordinal)) && rows.Any(r => r.GetProperty("gatewayId").GetString() == "malformed-empty-1"))
            {
                break;
            }

            await Task.Delay(200);
        }

        var alphanumeric = rows.FirstOrDefault(r => r.GetProperty("reason").GetString()!.StartsWith("sender:", StringComparison.Ordinal));
        var empty = rows.FirstOrDefault(r => r.GetProperty("gatewayId").GetString() == "malformed-empty-1");
        Assert.That(alphanumeric.ValueKind, Is.EqualTo(JsonValueKind.Object), "the SMS through Kannel is listed\n" + string.Join('\n', rows) + _kannel.Logs + _platform.Output);
        Assert.That(empty.ValueKind, Is.EqualTo(JsonValueKind.Object), string.Join('\n', rows));
        Assert.Multiple(() =>
        {
            Assert.That(alphanumeric.GetProperty("status").GetString(), Is.EqualTo("malformed"));
            Assert.That(alphanumeric.GetProperty("text").GetString(), Is.EqualTo("hello"));
            Assert.That(alphanumeric.GetProperty("to").GetString(), Is.EqualTo("95500"));
            Assert.That(empty.GetProperty("reason").GetString(), Is.EqualTo("empty text"));
            Assert.That(empty.GetProperty("from").GetString(), Is.EqualTo("+86*******0002"), "the sender (kept in E.164) is masked");
            Assert.That(string.Join('\n', rows), Does.Not.Contain("13800000002").And.Not.Contain("3800000"));
            Assert.That(rows.Select(r => r.GetProperty("status").GetString()), Is.All.EqualTo("malformed"), "only the malformed ones");
        });

        // Who may read it: not without the API key or a supervisor's session; an unknown status is refused by name.
        var (anonymous, _) = await _platform.GetApiAsync("api/sms/inbound?status=malformed", apiKey: null);
        var (unknown, reason) = await _platform.GetApiAsync("api/sms/inbound?status=lost");
        Assert.That(anonymous, Is.EqualTo(HttpStatusCode.Unauthorized).Or.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(unknown, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(reason.ToString(), Does.Contain("malformed"));
    }

    [Test]
    public async Task CallbacksWithoutTheSecretOrSignatureAreRefused()
    {
        using var http = new HttpClient { BaseAddress = _platform.BaseAddress };
        var id = await PostSmsAsync("13800000002", "ping");
        await WaitStatusAsync(id, "delivered");

        // A forged delivery report (no signature, a wrong one) and a forged inbound SMS (wrong secret).
        foreach (var path in new[]
        {
            $"sms/kannel/dlr?id={id}&type=2",
            $"sms/kannel/dlr?id={id}&sig=00000000000000000000000000000000&type=2",
            "sms/kannel/inbound?secret=wrong&id=x1&from=13800000002&to=95500&text=TD",
            "sms/kannel/inbound?id=x2&from=13800000002&to=95500&text=TD",
        })
        {
            using var response = await http.GetAsync(path);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), path);
        }

        var (_, message) = await _platform.GetApiAsync($"api/messages/{id}");
        Assert.That(message.GetProperty("status").GetString(), Is.EqualTo("delivered"));
        var (status, _) = await _platform.PostApiAsync("api/messages", """{"channel": "sms", "to": "13800000002", "text": "still subscribed"}""");
        Assert.That(status, Is.EqualTo(HttpStatusCode.Accepted));
    }

    [Test]
    public async Task CallbacksFromAnAddressThatIsNotTheGatewayAreRefusedEvenWithTheSecret()
    {
        await using var platform = await PlatformProcess.StartAsync(
            [.. _kannel.PlatformArguments(1, Secret), "--Sms:Kannel:GatewayAddresses=10.255.255.1"]);
        using var http = new HttpClient { BaseAddress = platform.BaseAddress };
        using var response = await http.GetAsync($"sms/kannel/inbound?secret={Secret}&id=y1&from=13800000002&to=95500&text=TD");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    private Task<string> PostSmsAsync(string to, string text) => _platform.PostMessageAsync(new { channel = "sms", to, text });

    private Task<JsonElement> WaitStatusAsync(string id, string wanted) => _platform.WaitMessageStatusAsync(id, wanted, () => _kannel.Logs);
}
