using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>
/// SMS through Twilio: the platform's Twilio SDK pointed by Sms:Twilio:BaseUrl at <see cref="FakeTwilio"/>
/// on loopback. What the SDK sends, the status callbacks it asks for (signed; forged ones refused),
/// Twilio's refusals and outages, and an opt-out arriving through Twilio's inbound webhook.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class TwilioSmsTests
{
    private PlatformProcess _platform = null!;
    private FakeTwilio _twilio = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _twilio = FakeTwilio.Start();
        var httpPort = FreePorts.UdpAndTcp();
        _platform = await PlatformProcess.StartOnAsync(httpPort, _twilio.PlatformArguments(httpPort));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _platform.DisposeAsync();
        await _twilio.DisposeAsync();
    }

    [Test]
    public async Task AChineseSmsGoesThroughTheSdkAndItsSignedStatusCallbacksMarkItDelivered()
    {
        const string text = "您好，您的账户已开通。今日策略：关注银行板块。";
        var id = await _platform.PostMessageAsync(new { channel = "sms", to = "13800000001", text });

        var delivered = await _platform.WaitMessageStatusAsync(id, "delivered", () => _twilio.Log);
        var request = _twilio.Accepted.Single(r => r.Form["To"] == "+8613800000001");
        Assert.That(request.AuthorizationOk, Is.True);
        Assert.That(request.ContentType, Does.StartWith("application/x-www-form-urlencoded"));
        Assert.That(request.Form["Body"], Is.EqualTo(text));
        Assert.That(request.Form["From"], Is.EqualTo(FakeTwilio.From));
        Assert.That(request.Form["StatusCallback"], Is.EqualTo($"{_platform.BaseAddress}sms/twilio/status?id={id}"));
        var history = delivered.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("status").GetString()).ToList();
        Assert.That(history, Is.EqualTo(new[] { "queued", "sent", "sent", "delivered" }).Or.EqualTo(new[] { "queued", "sent", "delivered" }), delivered.ToString());
        Assert.That(delivered.ToString(), Does.Contain("Twilio SM"));
    }

    [Test]
    public async Task ANumberTwilioRefusesFailsAtOnceWithTwiliosReason()
    {
        _twilio.Failures["+8613800000004"] = new ConcurrentQueue<(int, int, string)>([(400, 21211, "The 'To' number +8613800000004 is not a valid phone number.")]);
        var id = await _platform.PostMessageAsync(new { channel = "sms", to = "13800000004", text = "hello" });

        var failed = await _platform.WaitMessageStatusAsync(id, "failed", () => _twilio.Log);
        Assert.That(failed.GetProperty("attempts").GetInt32(), Is.EqualTo(1));
        Assert.That(failed.ToString(), Does.Contain("21211"));
        Assert.That(_twilio.BodiesTo("+8613800000004"), Is.Empty);
    }

    [Test]
    public async Task WhenTwilioIsDownOrLimitsTheRateTheMessageWaitsAndIsSentOnce()
    {
        _twilio.Failures["+8613800000005"] = new ConcurrentQueue<(int, int, string)>([(503, 20500, "Service unavailable"), (429, 20429, "Too Many Requests")]);
        var id = await _platform.PostMessageAsync(new { channel = "sms", to = "13800000005", text = "margin notice" });

        var delivered = await _platform.WaitMessageStatusAsync(id, "delivered", () => _twilio.Log);
        Assert.That(delivered.GetProperty("attempts").GetInt32(), Is.EqualTo(3), delivered.ToString());
        Assert.That(_twilio.BodiesTo("+8613800000005"), Is.EqualTo(new[] { "margin notice" }));
    }

    [Test]
    public async Task StatusCallbacksWithoutTheSignatureOrSignedWithAnotherTokenAreRefusedAndChangeNothing()
    {
        var id = await _platform.PostMessageAsync(new { channel = "sms", to = "13800000002", text = "ping" });
        await _platform.WaitMessageStatusAsync(id, "delivered", () => _twilio.Log);

        var url = $"{_platform.BaseAddress}sms/twilio/status?id={id}";
        var fields = new Dictionary<string, string> { ["MessageSid"] = "SMforged", ["MessageStatus"] = "failed", ["ErrorCode"] = "30008" };
        Assert.That(await _twilio.PostSignedAsync(url, fields, token: null), Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await _twilio.PostSignedAsync(url, fields, token: "someone-elses-token"), Is.EqualTo(HttpStatusCode.Forbidden));
        // Signed for another message's URL: the id is covered by the signature.
        var other = new Dictionary<string, string>(fields);
        using (var http = new HttpClient())
        using (var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) })
        {
            request.Headers.Add("X-Twilio-Signature", FakeTwilio.Sign(FakeTwilio.AuthToken, $"{_platform.BaseAddress}sms/twilio/status?id=msg-other", other));
            using var response = await http.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        }

        var (_, message) = await _platform.GetApiAsync($"api/messages/{id}");
        Assert.That(message.GetProperty("status").GetString(), Is.EqualTo("delivered"));
        Assert.That(_twilio.Callbacks.Where(c => c.Url == url).Select(c => c.Answer), Is.All.EqualTo(HttpStatusCode.NoContent));
    }

    [Test]
    public async Task AnOptOutThroughTwiliosInboundWebhookIsConfirmedAndLaterSmsAreRefused()
    {
        var url = $"{_platform.BaseAddress}sms/twilio/inbound";
        var fields = new Dictionary<string, string> { ["MessageSid"] = "SMinbound0001", ["AccountSid"] = FakeTwilio.AccountSid, ["From"] = "+8613800000006", ["To"] = FakeTwilio.From, ["Body"] = "退订" };

        Assert.That(await _twilio.PostSignedAsync(url, fields, token: "forged"), Is.EqualTo(HttpStatusCode.Forbidden));
        var (status, _) = await _platform.PostApiAsync("api/messages", """{"channel": "sms", "to": "13800000006", "text": "still subscribed"}""");
        Assert.That(status, Is.EqualTo(HttpStatusCode.Accepted), "a forged opt-out changed nothing");

        Assert.That(await _twilio.PostSignedAsync(url, fields), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await _twilio.PostSignedAsync(url, fields), Is.EqualTo(HttpStatusCode.OK), "Twilio's retry of the same message");

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!_twilio.BodiesTo("+8613800000006").Any(b => b.Contains("退订", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.That(_twilio.BodiesTo("+8613800000006").Count(b => b.Contains("您已退订", StringComparison.Ordinal)), Is.EqualTo(1), _twilio.Log);
        string body;
        (status, body) = await _platform.PostApiAsync("api/messages", JsonSerializer.Serialize(new { channel = "sms", to = "13800000006", text = "早盘策略" }));
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Does.Contain("opted out"));
    }
}
