using System.Net;

namespace CallCenter.Integration.Tests;

/// <summary>The REST API's access rules (design.md section 4).</summary>
[NonParallelizable]
public sealed class ApiTests
{
    private PlatformProcess _platform = null!;

    [OneTimeSetUp]
    public async Task StartPlatform() => _platform = await PlatformProcess.StartAsync();

    [OneTimeTearDown]
    public async Task StopPlatform() => await _platform.DisposeAsync();

    [Test]
    public async Task CallsNeedAnApiKeyAndAWrongOneIsRefused()
    {
        var none = await _platform.GetApiAsync("api/calls", apiKey: null);
        var wrong = await _platform.GetApiAsync("api/calls", apiKey: "not-a-key-at-all");
        var right = await _platform.GetApiAsync("api/calls");

        Assert.That(none.Status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(wrong.Status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(right.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(right.Body.ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Array));
    }

    [Test]
    public async Task AnSmsAcceptedWithoutAProviderIsKeptAndSaysWhyItWaits()
    {
        // The shipped configuration has no SMS provider: the message is kept (202), not lost, and says why it waits.
        var (status, body) = await _platform.PostApiAsync("api/messages", """{"channel":"sms","to":"13800000002","text":"hello"}""");
        Assert.That(status, Is.EqualTo(HttpStatusCode.Accepted), body);
        var accepted = System.Text.Json.JsonDocument.Parse(body).RootElement;
        Assert.That(accepted.GetProperty("waiting").GetString(), Does.Contain("Sms:Provider"));

        var (found, message) = await _platform.GetApiAsync($"api/messages/{accepted.GetProperty("id").GetString()}");

        Assert.That(found, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(message.GetProperty("status").GetString(), Is.EqualTo("queued"));
        Assert.That(message.GetProperty("lastError").GetString(), Does.Contain("Sms:Provider"));
    }

    [TestCase("api/calls?limit=0")]
    [TestCase("api/calls?limit=100000")]
    public async Task LimitOutOfRangeIsABadRequest(string path)
    {
        var (status, _) = await _platform.GetApiAsync(path);

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
    }
}
