using System.Net;
using System.Text.RegularExpressions;
using CallCenter.AgentDesk.Tests.Hubs;
using Microsoft.Extensions.DependencyInjection;

namespace CallCenter.AgentDesk.Tests.Endpoints;

/// <summary>
/// The sign-in as an attacker guesses it from one address while the real agent works from another: the attacker is
/// locked, then banned; the agent is not; an unknown login cannot be told from a known one; every failure and ban is
/// logged (never the password) and counted.
/// </summary>
public sealed partial class DeskSignInGuessingTests
{
    private const string Attacker = "198.51.100.66";
    private const string AgentsDesk = "10.20.0.7";

    private HubHost _host = null!;

    [SetUp]
    public async Task StartAsync() => _host = await HubHost.StartAsync();

    [TearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public async Task AnAttackerIsLockedThenBannedWhileTheAgentAtTheirOwnAddressStillSignsIn()
    {
        using var attacker = _host.Browser(Attacker);
        using var agent = _host.Browser(AgentsDesk);
        var statuses = new List<HttpStatusCode>();
        string? retryAfter = null;
        for (var i = 0; i < 20; i++)
        {
            using var guess = await DeskForm.SignInAsync(attacker, "1001", "guess-" + i);
            statuses.Add(guess.StatusCode);
            retryAfter = guess.Headers.RetryAfter?.ToString();
        }

        using var attackerRight = await DeskForm.SignInAsync(attacker, "1001", "pw-1001");
        using var attackerOther = await DeskForm.SignInAsync(attacker, "1002", "pw-1002");
        using var agentRight = await DeskForm.SignInAsync(agent, "1001", "pw-1001");

        Assert.That(statuses[..4], Has.All.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(statuses[4], Is.EqualTo(HttpStatusCode.Locked), "five in a row lock 1001 from the attacker's address");
        Assert.That(statuses[5..19], Has.All.EqualTo(HttpStatusCode.Locked), "the lock holds, whatever password");
        Assert.That(statuses[19], Is.EqualTo(HttpStatusCode.TooManyRequests), "twenty failures ban the address");
        Assert.That(retryAfter, Is.EqualTo("900"), "the ban's 15 minutes");
        Assert.That(attackerRight.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "banned, even with the right password");
        Assert.That(attackerOther.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "banned for every login");
        Assert.That(agentRight.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "the agent at their own desk is not locked out");
        var health = _host.App.Services.GetRequiredService<DeskHealth>().Snapshot();
        Assert.That((health.SignInBans, health.AddressesBanned, health.SignInLockouts), Is.EqualTo((1L, 1, 1L)));
        Assert.That(health.SignInFailures, Is.EqualTo(5), "five password checks failed; the rest were refused unchecked");
        Assert.That(health.SignInRefused, Is.EqualTo(17));
        Assert.That(_host.Log, Has.Some.Contains(Attacker).And.Contains("banned"));
        Assert.That(_host.Log, Has.Exactly(5).Contains("Desk sign-in of 1001 from " + Attacker + " failed"));
        Assert.That(_host.Log, Has.None.Contains("guess-").Or.Contains("pw-1001"));
    }

    [Test]
    public async Task TheBanEndsAfterItsMinutes()
    {
        using var attacker = _host.Browser(Attacker);
        for (var i = 0; i < 20; i++)
        {
            (await DeskForm.SignInAsync(attacker, "user" + i, "guess")).Dispose();
        }

        _host.Time.Advance(TimeSpan.FromMinutes(14));
        using var during = await DeskForm.SignInAsync(attacker, "1001", "pw-1001");
        _host.Time.Advance(TimeSpan.FromMinutes(1));
        using var after = await DeskForm.SignInAsync(attacker, "1001", "pw-1001");

        Assert.That(during.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(during.Headers.RetryAfter?.ToString(), Is.EqualTo("60"));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
    }

    [Test]
    public async Task AnUnknownLoginAndAKnownOneGetIdenticalAnswersAcrossTheLockoutAndTheBan()
    {
        // Each from its own address, so that each has the same limits before it.
        using var known = _host.Browser("198.51.100.1");
        using var unknown = _host.Browser("198.51.100.2");
        var knownAnswers = new List<string>();
        var unknownAnswers = new List<string>();
        for (var i = 0; i < 22; i++)
        {
            using var a = await DeskForm.SignInAsync(known, "1001", "guess-" + i);
            using var b = await DeskForm.SignInAsync(unknown, "1009", "guess-" + i);
            knownAnswers.Add(await AnswerAsync(a, "1001"));
            unknownAnswers.Add(await AnswerAsync(b, "1009"));
        }

        Assert.That(unknownAnswers, Is.EqualTo(knownAnswers));
        Assert.That(knownAnswers.Select(a => a[..3]).Distinct(), Is.EquivalentTo(new[] { "401", "423", "429" }), "the test went through all three");
    }

    [Test]
    public async Task AnUnknownLoginTakesAboutAsLongAsAKnownOneWithAWrongPassword()
    {
        // Alternating, each from a fresh address so that no lock or ban shortens one side. Without the decoy PBKDF2
        // check an unknown login answers a hundred times faster; the bound is wide because the machine is shared.
        var known = new List<double>();
        var unknown = new List<double>();
        for (var i = 0; i < 8; i++)
        {
            known.Add(await TimedFailureAsync("10.30.0." + (2 * i + 1), "1001"));
            unknown.Add(await TimedFailureAsync("10.30.0." + (2 * i + 2), "no-such-login"));
        }

        var ratio = Median(unknown) / Median(known);

        Assert.That(ratio, Is.InRange(0.5, 2.0), $"median unknown {Median(unknown):F1} ms, known {Median(known):F1} ms");
    }

    [Test]
    public async Task XForwardedForDoesNotChangeTheAddressThatIsCounted()
    {
        using var attacker = _host.Browser(Attacker);
        var last = HttpStatusCode.OK;
        for (var i = 0; i < 20; i++)
        {
            attacker.DefaultRequestHeaders.Remove("X-Forwarded-For");
            attacker.DefaultRequestHeaders.Add("X-Forwarded-For", "192.0.2." + (i + 1));
            using var guess = await DeskForm.SignInAsync(attacker, "user" + i, "guess");
            last = guess.StatusCode;
        }

        Assert.That(last, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(_host.Log, Has.None.Contains("192.0.2."));
    }

    [Test]
    public async Task BehindATrustedProxyEachClientInXForwardedForIsCountedOnItsOwn()
    {
        await _host.DisposeAsync();
        _host = await HubHost.StartAsync(configure: options => options.TrustedProxies = ["10.9.9.0/24"]);
        using var attacker = _host.Browser("10.9.9.9");
        attacker.DefaultRequestHeaders.Add("X-Forwarded-For", "192.0.2.200, 203.0.113.5");
        using var agent = _host.Browser("10.9.9.9");
        agent.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.6");
        using var bypass = _host.Browser(Attacker);
        bypass.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");
        var last = HttpStatusCode.OK;
        for (var i = 0; i < 20; i++)
        {
            using var guess = await DeskForm.SignInAsync(attacker, "user" + i, "guess");
            last = guess.StatusCode;
        }

        using var agentRight = await DeskForm.SignInAsync(agent, "1001", "pw-1001");
        for (var i = 0; i < 20; i++)
        {
            (await DeskForm.SignInAsync(bypass, "user" + i, "guess")).Dispose();
        }

        Assert.That(last, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(agentRight.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "another client behind the same proxy");
        Assert.That(_host.Log, Has.Some.Contains("Desk sign-ins from 203.0.113.5 banned"), "the address the proxy appended");
        Assert.That(_host.Log, Has.Some.Contains("Desk sign-ins from " + Attacker + " banned"), "an untrusted peer's header is ignored");
        Assert.That(_host.Log, Has.None.Contains("192.0.2.200").Or.Contains("203.0.113.7"));
    }

    private async Task<double> TimedFailureAsync(string address, string login)
    {
        using var browser = _host.Browser(address);
        using var page = await browser.GetAsync(DeskForm.SignInPath);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = DeskForm.TokenIn(await page.Content.ReadAsStringAsync()),
            ["login"] = login,
            ["password"] = "wrong-password",
        });
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var response = await browser.PostAsync(DeskForm.SignInPath, form);
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        return elapsed;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>Status, Retry-After and the body without what differs by nature (the anti-forgery token, the login typed).</summary>
    private static async Task<string> AnswerAsync(HttpResponseMessage response, string login)
    {
        var body = await response.Content.ReadAsStringAsync();
        body = TokenValue().Replace(body, "value=\"TOKEN\"").Replace("value=\"" + login + "\"", "value=\"LOGIN\"", StringComparison.Ordinal);
        return $"{(int)response.StatusCode} {response.Headers.RetryAfter} {body}";
    }

    [GeneratedRegex("value=\"CfDJ8[^\"]*\"")]
    private static partial Regex TokenValue();
}
