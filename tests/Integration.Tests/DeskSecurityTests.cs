using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CallCenter.Integration.Tests;

/// <summary>
/// The desk's sign-in and sessions attacked on the running platform, each "address" a real loopback source address
/// (127.0.0.x, bound before connecting): an attacker guessing a real agent's password is locked and then banned while
/// the agent at another address signs in; an unknown login answers like a known one; a captured cookie dies with
/// sign-out; a cookie POST without the anti-forgery token is refused.
/// </summary>
[NonParallelizable]
public sealed partial class DeskSecurityTests
{
    // Each browser's cookies, to copy its session cookie as a thief would.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<HttpClient, CookieContainer> _cookies = [];

    private PlatformProcess _platform = null!;

    [OneTimeSetUp]
    public async Task StartPlatform() => _platform = await PlatformProcess.StartAsync();

    [OneTimeTearDown]
    public async Task StopPlatform() => await _platform.DisposeAsync();

    [Test]
    public async Task AnAttackerGuessingAnAgentsPasswordIsBannedWhileTheAgentAtAnotherAddressSignsIn()
    {
        using var attacker = NewBrowser("127.0.0.2");
        using var agent = NewBrowser("127.0.0.3");
        var statuses = new List<HttpStatusCode>();
        string? retryAfter = null;
        for (var i = 0; i < 20; i++)
        {
            using var guess = await SignInAsync(attacker, "1001", "guess-" + i);
            statuses.Add(guess.StatusCode);
            retryAfter = guess.Headers.RetryAfter?.ToString();
        }

        using var attackerRight = await SignInAsync(attacker, "1001", "demo-1001");
        using var agentRight = await SignInAsync(agent, "1001", "demo-1001");
        using var me = await agent.GetAsync(new Uri("desk/me", UriKind.Relative));
        var (_, health) = await _platform.GetApiAsync("health", apiKey: null);

        Assert.That(statuses[..4], Has.All.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(statuses[4..19], Has.All.EqualTo(HttpStatusCode.Locked));
        Assert.That(statuses[19], Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(retryAfter, Is.EqualTo("900"));
        Assert.That(attackerRight.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "the right password does not help a banned address");
        Assert.That(agentRight.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "the agent's own address is not locked out");
        Assert.That(me.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var desk = health.GetProperty("desk");
        Assert.That(desk.GetProperty("signInBans").GetInt64(), Is.GreaterThanOrEqualTo(1));
        Assert.That(desk.GetProperty("signInFailures").GetInt64(), Is.GreaterThanOrEqualTo(5));
        Assert.That(desk.GetProperty("addressesBanned").GetInt32(), Is.GreaterThanOrEqualTo(1));
        Assert.That(_platform.Output, Does.Contain("Desk sign-ins from 127.0.0.2 banned"));
        Assert.That(_platform.Output, Does.Not.Contain("guess-").And.Not.Contain("demo-1001"));
    }

    [Test]
    public async Task AnUnknownLoginAndAKnownOneGetIdenticalAnswersAcrossTheLockout()
    {
        using var known = NewBrowser("127.0.0.4");
        using var unknown = NewBrowser("127.0.0.5");
        var knownAnswers = new List<string>();
        var unknownAnswers = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            using var a = await SignInAsync(known, "1002", "guess-" + i);
            using var b = await SignInAsync(unknown, "1099", "guess-" + i);
            knownAnswers.Add(await AnswerAsync(a, "1002"));
            unknownAnswers.Add(await AnswerAsync(b, "1099"));
        }

        Assert.That(unknownAnswers, Is.EqualTo(knownAnswers));
        Assert.That(knownAnswers.Select(a => a[..3]).Distinct(), Is.EquivalentTo(new[] { "401", "423" }));
    }

    [Test]
    public async Task ACookieCapturedBeforeSignOutGets401AfterIt()
    {
        using var supervisor = NewBrowser("127.0.0.6");
        using var signIn = await SignInAsync(supervisor, "super", "demo-super");
        Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var captured = _cookies.TryGetValue(supervisor, out var jar) ? jar.GetCookieHeader(_platform.BaseAddress) : "";
        using var before = await ReplayAsync(captured, "api/agents");

        using var page = await supervisor.GetAsync(new Uri("desk/signin", UriKind.Relative));
        var token = TokenPattern().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value;
        using var signOut = await supervisor.PostAsync(new Uri("desk/signout", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
        }));
        using var after = await ReplayAsync(captured, "api/agents");
        using var me = await ReplayAsync(captured, "desk/me");

        Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(signOut.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That((after.StatusCode, me.StatusCode), Is.EqualTo((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized)));
    }

    [Test]
    public async Task ASupervisorsCookieHoldWithoutTheAntiforgeryTokenIsRefused()
    {
        using var supervisor = NewBrowser("127.0.0.7");
        using var signIn = await SignInAsync(supervisor, "super", "demo-super");
        Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));

        using var hold = await supervisor.PostAsync(new Uri("api/calls/no-such-call/hold", UriKind.Relative), null);
        using var state = await supervisor.PostAsync(new Uri("api/agents/1003/state", UriKind.Relative),
            new StringContent("""{"state": "break", "reason": "forged"}""", Encoding.UTF8, "application/json"));
        var (_, agents) = await _platform.GetApiAsync("api/agents");

        Assert.That((hold.StatusCode, state.StatusCode), Is.EqualTo((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest)));
        Assert.That(await hold.Content.ReadAsStringAsync(), Does.Contain("X-CSRF-TOKEN"));
        Assert.That(agents.EnumerateArray().Single(a => a.GetProperty("id").GetString() == "1003").GetProperty("state").GetString(), Is.Not.EqualTo("break"));
    }

    /// <summary>A browser whose connections come from <paramref name="source"/> (any 127.0.0.0/8 address is on loopback).</summary>
    private HttpClient NewBrowser(string source)
    {
        var cookies = new CookieContainer();
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            CookieContainer = cookies,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var browser = new HttpClient(handler, disposeHandler: true) { BaseAddress = _platform.BaseAddress };
        _cookies.Add(browser, cookies);
        return browser;
    }

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string login, string password)
    {
        using var page = await browser.GetAsync(new Uri("desk/signin", UriKind.Relative));
        var token = TokenPattern().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value;
        return await browser.PostAsync(new Uri("desk/signin", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["login"] = login,
            ["password"] = password,
        }));
    }

    /// <summary>The captured cookie sent by someone else: no cookie jar, only the header.</summary>
    private async Task<HttpResponseMessage> ReplayAsync(string cookie, string path)
    {
        using var thief = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = _platform.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add("Cookie", cookie);
        return await thief.SendAsync(request);
    }

    /// <summary>Status, Retry-After and the body without the anti-forgery token and the login typed.</summary>
    private static async Task<string> AnswerAsync(HttpResponseMessage response, string login)
    {
        var body = await response.Content.ReadAsStringAsync();
        body = TokenValue().Replace(body, "value=\"TOKEN\"").Replace("value=\"" + login + "\"", "value=\"LOGIN\"", StringComparison.Ordinal);
        return $"{(int)response.StatusCode} {response.Headers.RetryAfter} {body}";
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("value=\"CfDJ8[^\"]*\"")]
    private static partial Regex TokenValue();
}
