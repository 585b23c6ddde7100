using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.SignalR.Client;

namespace CallCenter.AgentDesk.Tests.Hubs;

/// <summary>Who may open a hub: the desk cookie with the right role, from the platform's own origin, while the session lasts.</summary>
public sealed class HubSecurityTests
{
    private HubHost _host = null!;

    [TearDown]
    public async Task StopAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [TestCase("/hubs/agent")]
    [TestCase("/hubs/wallboard")]
    public async Task WithoutACookieANegotiateIs401AndTheApiKeyDoesNotCount(string hub)
    {
        _host = await HubHost.StartAsync();
        using var http = _host.Server.CreateClient();

        using var anonymous = await NegotiateAsync(http, hub, cookie: null, origin: null);
        using var withKey = new HttpRequestMessage(HttpMethod.Post, hub + "/negotiate?negotiateVersion=1");
        withKey.Headers.Add("X-Api-Key", "test-api-key");
        using var keyed = await http.SendAsync(withKey);
        var client = _host.Connection(hub, cookie: null);
        var refused = Assert.ThrowsAsync<HttpRequestException>(() => client.StartAsync());

        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(keyed.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(refused!.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        await client.DisposeAsync();
    }

    [Test]
    public async Task AnAgentCookieIsRefusedAtTheWallboardAndASupervisorsAtTheAgentHub()
    {
        _host = await HubHost.StartAsync();
        var agentCookie = await _host.SignInAsync("1001");
        var supervisorCookie = await _host.SignInAsync("super");
        using var http = _host.Server.CreateClient();

        using var agentAtWallboard = await NegotiateAsync(http, "/hubs/wallboard", agentCookie, null);
        using var supervisorAtDesk = await NegotiateAsync(http, "/hubs/agent", supervisorCookie, null);
        using var supervisorAtWallboard = await NegotiateAsync(http, "/hubs/wallboard", supervisorCookie, null);
        var client = _host.Connection("/hubs/wallboard", agentCookie);
        var refused = Assert.ThrowsAsync<HttpRequestException>(() => client.StartAsync());

        Assert.That(agentAtWallboard.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(supervisorAtDesk.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(supervisorAtWallboard.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(refused!.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        await client.DisposeAsync();
    }

    [Test]
    public async Task AForeignOriginIsRefused403OnNegotiateAndOnTheWebSocketButTheOwnOriginPasses()
    {
        _host = await HubHost.StartAsync();
        var cookie = await _host.SignInAsync("1001");
        using var http = _host.Server.CreateClient();

        using var foreign = await NegotiateAsync(http, "/hubs/agent", cookie, "http://evil.example");
        using var ownOrigin = await NegotiateAsync(http, "/hubs/agent", cookie, "http://localhost");
        var ws = _host.Server.CreateWebSocketClient();
        ws.ConfigureRequest = request =>
        {
            request.Headers.Cookie = cookie;
            request.Headers.Origin = "http://localhost.evil.example";
        };
        var upgrade = Assert.ThrowsAsync<InvalidOperationException>(() => ws.ConnectAsync(new Uri(_host.Server.BaseAddress, "/hubs/agent"), CancellationToken.None));
        await using var good = _host.Connection("/hubs/agent", cookie, "http://localhost");
        await good.StartAsync();

        Assert.That(foreign.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(ownOrigin.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(upgrade!.Message, Does.Contain("403"));
        Assert.That(good.State, Is.EqualTo(HubConnectionState.Connected));
        Assert.That(_host.Log, Has.Some.Contains("evil.example").And.Contains("refused"));
    }

    [Test]
    public async Task WhenTheSessionExpiresTheHubConnectionIsClosed()
    {
        // The desk cookie takes the platform's clock; signed in 60 minutes less 3 seconds ago, it expires 3 seconds from now.
        _host = await HubHost.StartAsync(start: DateTimeOffset.UtcNow.AddMinutes(-60).AddSeconds(3), sessionMinutes: 60);
        var cookie = await _host.SignInAsync("1001");
        await using var agent = _host.Connection("/hubs/agent", cookie);
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        agent.Closed += e =>
        {
            closed.TrySetResult(e);
            return Task.CompletedTask;
        };
        await agent.StartAsync();
        var before = await agent.InvokeAsync<CallCenter.AgentDesk.Hubs.AgentCurrent>("current");

        var ended = await Task.WhenAny(closed.Task, Task.Delay(TimeSpan.FromSeconds(15)));
        _host.Time.Advance(TimeSpan.FromMinutes(61));
        using var http = _host.Server.CreateClient();
        using var again = await NegotiateAsync(http, "/hubs/agent", cookie, null);

        Assert.That(before.Agent.Id, Is.EqualTo("1001"));
        Assert.That(ended, Is.SameAs(closed.Task), "the connection closed when the session's cookie expired");
        Assert.That(agent.State, Is.EqualTo(HubConnectionState.Disconnected));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the expired cookie opens nothing");
    }

    [TestCase("1001", "/desk/")]
    [TestCase("super", "/desk/wallboard")]
    [TestCase("admin", "/desk/admin")]
    public async Task SignInGoesToTheRolesHomePage(string login, string home)
    {
        _host = await HubHost.StartAsync();
        using var http = new HttpClient(new Endpoints.CookieJar(_host.Server.CreateHandler())) { BaseAddress = new Uri("http://localhost") };
        using var response = await Endpoints.DeskForm.SignInAsync(http, login, "pw-" + login);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location?.OriginalString, Is.EqualTo(home));
    }

    private static Task<HttpResponseMessage> NegotiateAsync(HttpClient http, string hub, string? cookie, string? origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, hub + "/negotiate?negotiateVersion=1") { Content = new ByteArrayContent([]) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return http.SendAsync(request);
    }
}
