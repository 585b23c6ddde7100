using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CallCenter.AgentDesk.Tests.Hubs;
using CallCenter.Data.Desk;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CallCenter.AgentDesk.Tests.Endpoints;

/// <summary>
/// Requests a desk cookie makes: every POST carries the anti-forgery token (a supervisor's hold and resume too) and is
/// audited; fields have a length limit; the sign-in page has the other pages' security headers; HTTPS makes the
/// cookies Secure and adds HSTS.
/// </summary>
public sealed class DeskRequestTests
{
    private HubHost _host = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _host = await HubHost.StartAsync();
        _host.Agents.Set("1001", "available", "call-1");
    }

    [TearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [TestCase("/api/calls/call-1/hold")]
    [TestCase("/api/calls/call-1/resume")]
    [TestCase("/api/calls/call-1/hangup")]
    [TestCase("/api/agents/1001/state")]
    public async Task ASupervisorsCookiePostWithoutTheTokenIsRefusedAuditedAndDoesNothing(string path)
    {
        using var supervisor = await SignedInAsync("super");

        using var missing = await supervisor.PostAsync(new Uri(path, UriKind.Relative), JsonContent.Create(new { state = "break", reason = "x" }));
        using var forged = await PostAsync(supervisor, path, "forged-token");

        Assert.That((missing.StatusCode, forged.StatusCode), Is.EqualTo((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest)));
        Assert.That(await FieldOfAsync(missing), Is.EqualTo("X-CSRF-TOKEN"));
        Assert.That(_host.Calls.Asked, Is.Empty);
        Assert.That(_host.Agents.Requests, Is.Empty);
        var audit = await new AuditRepository(_host.Factory).ListAsync(10);
        Assert.That(audit, Has.Count.EqualTo(2).And.All.Matches<AuditEntry>(e => e is { Actor: "super", Action: "desk.request", Outcome: AuditEntry.Refused }));
        Assert.That(_host.App.Services.GetRequiredService<DeskHealth>().Snapshot().AntiforgeryRefused, Is.EqualTo(2));
    }

    [Test]
    public async Task ASupervisorsHoldAndResumeWithTheTokenAreDoneAndAuditedWithTheirLogin()
    {
        using var supervisor = await SignedInAsync("super");
        var token = await TokenAsync(supervisor);

        using var hold = await PostAsync(supervisor, "/api/calls/call-1/hold", token);
        using var resume = await PostAsync(supervisor, "/api/calls/call-1/resume", token);

        Assert.That((hold.StatusCode, resume.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK)));
        Assert.That(_host.Calls.Asked, Is.EqualTo(new[] { "hold call-1", "resume call-1" }));
        var audit = await new AuditRepository(_host.Factory).ListAsync(10);
        Assert.That(audit.Select(e => (e.Actor, e.Role, e.Action, e.Target, e.Outcome)), Is.EqualTo(new[]
        {
            ("super", "supervisor", "call.resume", "call-1", AuditEntry.Done),
            ("super", "supervisor", "call.hold", "call-1", AuditEntry.Done),
        }));
    }

    [Test]
    public async Task AnApiKeyNeedsNoTokenAndARefusedActionIsAuditedAsRefused()
    {
        using var api = ApiClient();
        _host.Calls.Next = new Contracts.Calls.CallControlResult(Contracts.Calls.CallControlError.UnknownCall, "no such call");

        using var hold = await api.PostAsync(new Uri("/api/calls/call-9/hold", UriKind.Relative), null);

        Assert.That(hold.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var audit = await new AuditRepository(_host.Factory).ListAsync(10);
        Assert.That(audit.Select(e => (e.Actor, e.Action, e.Target, e.Outcome)), Is.EqualTo(new[] { ("api-key", "call.hold", "call-9", AuditEntry.Refused) }));
    }

    [Test]
    public async Task AStateReasonOverTwoHundredCharactersIsAClear400AndChangesNothing()
    {
        using var api = ApiClient();

        using var atLimit = await api.PostAsync(new Uri("/api/agents/1001/state", UriKind.Relative), JsonContent.Create(new { state = "break", reason = new string('r', 200) }));
        using var over = await api.PostAsync(new Uri("/api/agents/1001/state", UriKind.Relative), JsonContent.Create(new { state = "break", reason = new string('r', 201) }));

        Assert.That(atLimit.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(over.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await FieldOfAsync(over), Is.EqualTo("reason"));
        Assert.That(_host.Agents.Requests, Has.Count.EqualTo(1), "only the one at the limit reached the roster");
    }

    [Test]
    public async Task AStateKeptForAfterACallAnotherNodeHoldsIsA202WithTheMessageAndTheAgentAsTheyAre()
    {
        using var api = ApiClient();
        _host.Agents.Set("1001", "onCall", "call-1");
        _host.Agents.AfterCall = "agent 1001 is on a call (call call-1) through node node-2: break applies after that call (node node-2 applies it)";

        using var kept = await api.PostAsync(new Uri("/api/agents/1001/state", UriKind.Relative), JsonContent.Create(new { state = "break", reason = "lunch" }));
        var body = await kept.Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(kept.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(body.GetProperty("state").GetString(), Is.EqualTo("onCall"));
        Assert.That(body.GetProperty("message").GetString(), Does.Contain("applies after that call"));
        var audit = await new AuditRepository(_host.Factory).ListAsync(10);
        Assert.That(audit.Select(e => (e.Action, e.Outcome)), Is.EqualTo(new[] { ("api.agent-state", AuditEntry.Done) }));
    }

    [Test]
    public async Task ATransferTargetOverTheLimitIsA400NamingIt()
    {
        using var api = ApiClient();

        using var over = await api.PostAsync(new Uri("/api/calls/call-1/transfer", UriKind.Relative), JsonContent.Create(new { target = new string('1', 65) }));

        Assert.That(over.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await FieldOfAsync(over), Is.EqualTo("target"));
        Assert.That(_host.Calls.Asked, Is.Empty);
    }

    [Test]
    public async Task AnAgentsBreakReasonOverTheLimitIsRefusedByTheHub()
    {
        await using var connection = await _host.ConnectAsync("/hubs/agent", "1001");

        var refused = Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => connection.InvokeAsync<JsonElement>("setState", "break", new string('r', 201)));

        Assert.That(refused!.Message, Does.Contain("200"));
        Assert.That(_host.Agents.Requests, Is.Empty);
    }

    [Test]
    public async Task TheSignInPageSendsTheSameSecurityHeadersAsTheDeskPages()
    {
        using var browser = await SignedInAsync("1001");
        using var anonymous = _host.Browser();

        using var signIn = await anonymous.GetAsync(DeskForm.SignInPath);
        using var desk = await browser.GetAsync(new Uri("/desk/", UriKind.Relative));

        foreach (var name in new[] { "Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy", "Cache-Control" })
        {
            Assert.That(HeaderOf(signIn, name), Is.Not.Null.And.EqualTo(HeaderOf(desk, name)), name);
        }
    }

    [Test]
    public async Task OverHttpsTheCookiesAreSecureAndHstsIsSentAndOverHttpNeither()
    {
        using var secure = new HttpClient(new CookieJar(_host.Server.CreateHandler())) { BaseAddress = new Uri("https://localhost") };
        using var plain = _host.Browser();

        using var overHttps = await DeskForm.SignInAsync(secure, "1001", "pw-1001");
        using var overHttp = await DeskForm.SignInAsync(plain, "1001", "pw-1001");

        var httpsCookie = overHttps.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".CallCenter.Desk=", StringComparison.Ordinal));
        var httpCookie = overHttp.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".CallCenter.Desk=", StringComparison.Ordinal));
        Assert.That(httpsCookie, Does.Contain("secure").IgnoreCase);
        Assert.That(httpCookie, Does.Not.Contain("secure").IgnoreCase);
        Assert.That(overHttps.Headers.TryGetValues("Strict-Transport-Security", out var hsts) ? hsts.Single() : null, Is.EqualTo("max-age=31536000"));
        Assert.That(overHttp.Headers.Contains("Strict-Transport-Security"), Is.False);
    }

    private static string? HeaderOf(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(",", values) : null;

    private async Task<HttpClient> SignedInAsync(string login)
    {
        var browser = _host.Browser();
        using var signIn = await DeskForm.SignInAsync(browser, login, "pw-" + login);
        Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), $"sign-in of {login}");
        return browser;
    }

    private HttpClient ApiClient()
    {
        var client = _host.Server.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "test-api-key");
        return client;
    }

    private static async Task<string> TokenAsync(HttpClient browser)
    {
        using var json = JsonDocument.Parse(await browser.GetStringAsync(new Uri("/desk/antiforgery", UriKind.Relative)));
        return json.RootElement.GetProperty("token").GetString()!;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient browser, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = JsonContent.Create(new { state = "break", reason = "x" }),
        };
        request.Headers.Add("X-CSRF-TOKEN", token);
        return await browser.SendAsync(request);
    }

    private static async Task<string?> FieldOfAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.TryGetProperty("field", out var field) ? field.GetString() : null;
    }
}
