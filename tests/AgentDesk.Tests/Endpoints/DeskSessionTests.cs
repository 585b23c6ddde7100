using System.Net;
using CallCenter.AgentDesk.Tests.Hubs;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CallCenter.AgentDesk.Tests.Endpoints;

/// <summary>Sessions end on the server: a cookie captured before sign-out is refused after it, on pages, the API and the hubs.</summary>
public sealed class DeskSessionTests
{
    private static readonly Uri _me = new("/desk/me", UriKind.Relative);
    private static readonly Uri _agents = new("/api/agents", UriKind.Relative);

    // Each browser's jar, to copy its cookie as a thief would.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<HttpClient, CookieJar> _jars = [];

    private HubHost _host = null!;

    [SetUp]
    public async Task StartAsync() => _host = await HubHost.StartAsync();

    [TearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public async Task ACookieCapturedBeforeSignOutGets401AfterIt()
    {
        using var browser = NewBrowser();
        (await DeskForm.SignInAsync(browser, "super", "pw-super")).Dispose();
        var captured = CookieOf(browser);
        using var before = await Replay(captured, _agents);

        using var signOut = await SignOutAsync(browser);
        using var me = await Replay(captured, _me);
        using var api = await Replay(captured, _agents);

        Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the copy works while the session lives");
        Assert.That(signOut.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(me.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var health = _host.App.Services.GetRequiredService<DeskHealth>().Snapshot();
        Assert.That((health.SessionsSignedOut, health.EndedSessionsRefused), Is.EqualTo((1L, 2L)));
        Assert.That(_host.Log, Has.Some.Contains("super").And.Contains("session has ended"));
    }

    [Test]
    public async Task ACookieCapturedBeforeSignOutCannotOpenAHub()
    {
        using var browser = NewBrowser();
        (await DeskForm.SignInAsync(browser, "1001", "pw-1001")).Dispose();
        var captured = CookieOf(browser);
        (await SignOutAsync(browser)).Dispose();

        await using var connection = _host.Connection("/hubs/agent", captured);

        var refused = Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());
        Assert.That(refused!.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task SignOutClosesTheHubConnectionsTheSessionOpenedAndNoOthers()
    {
        using var browser = NewBrowser();
        (await DeskForm.SignInAsync(browser, "1001", "pw-1001")).Dispose();
        await using var mine = _host.Connection("/hubs/agent", CookieOf(browser));
        await using var other = await _host.ConnectAsync("/hubs/agent", "1002");
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        mine.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await mine.StartAsync();

        (await SignOutAsync(browser)).Dispose();

        Assert.That(await Task.WhenAny(closed.Task, Task.Delay(TimeSpan.FromSeconds(10))), Is.SameAs(closed.Task), "the signed-out session's hub connection was closed");
        Assert.That(other.State, Is.EqualTo(HubConnectionState.Connected));
    }

    /// <summary>
    /// The sign-out that lands between a connection's cookie check and its being kept: the sign-out's scan cannot see
    /// it yet, so the connection looks its session up again once kept. The hub's way and the browser phone's way.
    /// </summary>
    [Test]
    public async Task AConnectionKeptAfterItsSessionEndedIsClosedAtOnce()
    {
        var services = _host.App.Services;
        var signIn = services.GetRequiredService<CallCenter.AgentDesk.Auth.DeskSignIn>();
        var sessions = services.GetRequiredService<CallCenter.AgentDesk.Auth.DeskSessions>();
        var connections = services.GetRequiredService<CallCenter.AgentDesk.Hubs.SessionConnections>();
        var ended = (await signIn.SignInAsync("1001", "pw-1001", IPAddress.Loopback, CancellationToken.None)).Principal!;
        var live = (await signIn.SignInAsync("1002", "pw-1002", IPAddress.Loopback, CancellationToken.None)).Principal!;
        Assert.That(await sessions.EndAsync(ended, CancellationToken.None), Is.True, "the first session was signed out");

        var phoneAborted = 0;
        using (var kept = await connections.TrackAsync(ended, () => phoneAborted++, CancellationToken.None))
        {
            Assert.That((kept, phoneAborted, connections.Count), Is.EqualTo(((IDisposable?)null, 1, 0)), "the ended session's phone is refused (null), aborted and not kept");
        }

        var hubAborted = new FakeCaller("c-ended", ended);
        var nextCalled = 0;
        Task Next(Microsoft.AspNetCore.SignalR.HubLifetimeContext _)
        {
            nextCalled++;
            return Task.CompletedTask;
        }

        Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => connections.OnConnectedAsync(new Microsoft.AspNetCore.SignalR.HubLifetimeContext(hubAborted, services, null!), Next));
        Assert.That((hubAborted.Aborted, connections.Count, nextCalled), Is.EqualTo((1, 0, 0)), "the ended session's hub connection was closed as it was kept, and never reached the hub");

        // A look-up that fails (here: the connection dropped while it ran) keeps nothing behind.
        using var dropped = new CancellationTokenSource();
        await dropped.CancelAsync();
        Assert.CatchAsync<OperationCanceledException>(() => connections.TrackAsync(live, () => phoneAborted++, dropped.Token));
        var droppedCaller = new FakeCaller("c-dropped", live, dropped.Token);
        Assert.CatchAsync<OperationCanceledException>(() => connections.OnConnectedAsync(new Microsoft.AspNetCore.SignalR.HubLifetimeContext(droppedCaller, services, null!), Next));
        Assert.That((connections.Count, nextCalled), Is.EqualTo((0, 0)), "a connection whose look-up failed is not kept");

        // A hub whose own connect fails: SignalR closes it without OnDisconnectedAsync, so nothing may stay kept.
        var failing = new FakeCaller("c-failing", live);
        Assert.ThrowsAsync<InvalidOperationException>(() => connections.OnConnectedAsync(
            new Microsoft.AspNetCore.SignalR.HubLifetimeContext(failing, services, null!),
            _ => throw new InvalidOperationException("the backplane is down")));
        Assert.That(connections.Count, Is.Zero, "a connection whose hub failed to connect is not kept");

        var liveCaller = new FakeCaller("c-live", live);
        await connections.OnConnectedAsync(new Microsoft.AspNetCore.SignalR.HubLifetimeContext(liveCaller, services, null!), Next);
        Assert.That((liveCaller.Aborted, connections.Count, nextCalled), Is.EqualTo((0, 1, 1)), "a live session's connection is kept");
        Assert.That(connections.CloseSession(CallCenter.AgentDesk.Auth.DeskClaims.SessionOf(live)!), Is.EqualTo(1));
        Assert.That(liveCaller.Aborted, Is.EqualTo(1), "and closed by its own sign-out");
    }

    [Test]
    public async Task SigningOutOneBrowserLeavesTheSameUsersOtherSessionAlone()
    {
        using var office = NewBrowser();
        using var home = NewBrowser();
        (await DeskForm.SignInAsync(office, "super", "pw-super")).Dispose();
        (await DeskForm.SignInAsync(home, "super", "pw-super")).Dispose();

        (await SignOutAsync(office)).Dispose();
        using var stillIn = await home.GetAsync(_me);

        Assert.That(stillIn.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private static string CookieOf(HttpClient browser)
    {
        var desk = (_jars.TryGetValue(browser, out var jar) ? jar : throw new InvalidOperationException("not a test browser")).Cookies.GetCookies(new Uri("http://localhost"))[".CallCenter.Desk"];
        Assert.That(desk, Is.Not.Null);
        return $"{desk!.Name}={desk.Value}";
    }

    private HttpClient NewBrowser()
    {
        var jar = new CookieJar(_host.Server.CreateHandler());
        var browser = new HttpClient(jar) { BaseAddress = new Uri("http://localhost") };
        _jars.Add(browser, jar);
        return browser;
    }

    private static async Task<HttpResponseMessage> SignOutAsync(HttpClient browser)
    {
        using var page = await browser.GetAsync(DeskForm.SignInPath);
        var token = DeskForm.TokenIn(await page.Content.ReadAsStringAsync());
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token });
        return await browser.PostAsync(new Uri("/desk/signout", UriKind.Relative), form);
    }

    /// <summary>The captured cookie sent from elsewhere: no jar, just the header.</summary>
    private async Task<HttpResponseMessage> Replay(string cookie, Uri path)
    {
        using var thief = _host.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return await thief.SendAsync(request);
    }

    private sealed class FakeCaller(string id, System.Security.Claims.ClaimsPrincipal user, CancellationToken aborted = default) : Microsoft.AspNetCore.SignalR.HubCallerContext
    {
        public int Aborted { get; private set; }

        public override string ConnectionId => id;

        public override string? UserIdentifier => User.Identity?.Name;

        public override System.Security.Claims.ClaimsPrincipal User => user;

        public override IDictionary<object, object?> Items { get; } = new Dictionary<object, object?>();

        public override Microsoft.AspNetCore.Http.Features.IFeatureCollection Features { get; } = new Microsoft.AspNetCore.Http.Features.FeatureCollection();

        public override CancellationToken ConnectionAborted => aborted;

        public override void Abort() => Aborted++;
    }
}
