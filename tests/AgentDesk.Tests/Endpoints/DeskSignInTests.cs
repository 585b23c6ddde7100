using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CallCenter.Data;
using CallCenter.Data.Catalog;
using CallCenter.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CallCenter.AgentDesk.Tests.Endpoints;

public sealed partial class DeskSignInTests
{
    private static readonly Uri _signIn = new("/desk/signin", UriKind.Relative);
    private static readonly Uri _signOut = new("/desk/signout", UriKind.Relative);
    private static readonly Uri _me = new("/desk/me", UriKind.Relative);
    private static readonly Uri _agents = new("/api/agents", UriKind.Relative);

    private string _file = "";
    private WebApplication _app = null!;
    private readonly ConcurrentQueue<string> _log = new();
    private ManualTimeProvider _time = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _file = TestDatabases.NewSqliteFile();
        var factory = new DbConnectionFactory(new DatabaseOptions { ConnectionString = "Data Source=" + _file });
        await new Migrator(factory).MigrateAsync();
        var catalog = new CatalogRepository(factory);
        var hasher = new PasswordHasher<string>();
        await catalog.UpsertAgentAsync(new AgentRecord("1001", "赵敏", "callcenter", "a", "b"));
        await catalog.UpsertDeskUserAsync(new DeskUserRecord("1001", "agent", hasher.HashPassword("1001", "demo-1001"), "1001"));
        await catalog.UpsertDeskUserAsync(new DeskUserRecord("super", "supervisor", hasher.HashPassword("super", "demo-super"), null));

        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders().AddProvider(new Hubs.LineLoggerProvider(_log));
        _time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddSingleton(new DeskOptions { SessionMinutes = 60, MaxFailedSignIns = 5, LockoutMinutes = 15 });
        builder.Services.AddAgentDesk(new ApiOptions { Keys = ["test-api-key"] });
        builder.Services.AddSingleton(factory);
        builder.Services.AddSingleton(catalog);
        EmptyRooms.Add(builder.Services, factory);
        _app = builder.Build();
        _app.MapAgentDesk();
        await _app.StartAsync();
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _app.DisposeAsync();
        CallCenter.TestSupport.TestDatabases.DeleteSqliteFile(_file);
    }

    [Test]
    public async Task TheSignInPageIsAFormWithAnAntiforgeryTokenAndBothLanguages()
    {
        using var browser = NewBrowser();

        using var response = await browser.GetAsync(_signIn);
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(DeskForm.TokenIn(html), Is.Not.Empty);
        Assert.That(html, Does.Contain("密码").And.Contain("Password").And.Contain("name=\"login\""));
    }

    [Test]
    public async Task ASignInSetsAStrictHttpOnlyCookieAndMeAnswersWithLoginRoleAndAgent()
    {
        using var browser = NewBrowser();

        using var response = await DeskForm.SignInAsync(browser, "1001", "demo-1001");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".CallCenter.Desk=", StringComparison.Ordinal));
        Assert.That(cookie, Does.Contain("httponly").IgnoreCase.And.Contain("samesite=strict").IgnoreCase);
        using var me = await browser.GetAsync(_me);
        Assert.That(me.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var json = JsonDocument.Parse(await me.Content.ReadAsStringAsync());
        Assert.That(json.RootElement.GetProperty("login").GetString(), Is.EqualTo("1001"));
        Assert.That(json.RootElement.GetProperty("role").GetString(), Is.EqualTo("agent"));
        Assert.That(json.RootElement.GetProperty("agent").GetString(), Is.EqualTo("1001"));
    }

    [Test]
    public async Task WithoutASessionMeIs401()
    {
        using var browser = NewBrowser();

        using var me = await browser.GetAsync(_me);

        Assert.That(me.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task AWrongPasswordAndAnUnknownLoginGetTheSameClearAnswer()
    {
        using var browser = NewBrowser();

        using var wrong = await DeskForm.SignInAsync(browser, "1001", "not-it");
        using var unknown = await DeskForm.SignInAsync(browser, "nobody", "not-it");

        var wrongBody = await wrong.Content.ReadAsStringAsync();
        var unknownBody = await unknown.Content.ReadAsStringAsync();
        Assert.That((wrong.StatusCode, unknown.StatusCode), Is.EqualTo((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized)));
        Assert.That(wrongBody, Does.Contain("Wrong login or password"));
        Assert.That(DeskForm.TokenIn(unknownBody), Is.Not.Empty, "the form comes back to try again");
        Assert.That(Alert(wrongBody), Is.EqualTo(Alert(unknownBody)));
        Assert.That(wrong.Headers.Contains("Set-Cookie") && wrong.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith(".CallCenter.Desk=", StringComparison.Ordinal)), Is.False);
        using var me = await browser.GetAsync(_me);
        Assert.That(me.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task FiveWrongPasswordsLockTheLoginEvenForTheRightPassword()
    {
        using var browser = NewBrowser();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await DeskForm.SignInAsync(browser, "super", "guess-" + i);
            statuses.Add(wrong.StatusCode);
        }

        using var right = await DeskForm.SignInAsync(browser, "super", "demo-super");

        Assert.That(statuses, Is.EqualTo(Enumerable.Repeat(HttpStatusCode.Unauthorized, 4).Append(HttpStatusCode.Locked)));
        Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.Locked));
        Assert.That(await right.Content.ReadAsStringAsync(), Does.Contain("locked").And.Not.Contain("Wrong login or password"));
        using var me = await browser.GetAsync(_me);
        Assert.That(me.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task ALockEndsAfterTheLockoutMinutes()
    {
        using var browser = NewBrowser();
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await DeskForm.SignInAsync(browser, "super", "guess-" + i);
        }

        _time.Advance(TimeSpan.FromMinutes(14));
        using var stillLocked = await DeskForm.SignInAsync(browser, "super", "demo-super");
        _time.Advance(TimeSpan.FromMinutes(1));
        using var unlocked = await DeskForm.SignInAsync(browser, "super", "demo-super");

        Assert.That(stillLocked.StatusCode, Is.EqualTo(HttpStatusCode.Locked));
        Assert.That(unlocked.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
    }

    [Test]
    public async Task TheSessionSlidesWithUseAndEndsAfterSessionMinutesIdle()
    {
        using var browser = NewBrowser();
        (await DeskForm.SignInAsync(browser, "1001", "demo-1001")).Dispose();

        _time.Advance(TimeSpan.FromMinutes(40));
        using var active = await browser.GetAsync(_me);
        _time.Advance(TimeSpan.FromMinutes(40));
        using var slid = await browser.GetAsync(_me);
        _time.Advance(TimeSpan.FromMinutes(61));
        using var idle = await browser.GetAsync(_me);

        Assert.That(active.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(slid.StatusCode, Is.EqualTo(HttpStatusCode.OK), "80 minutes after sign-in, but 40 after the last request");
        Assert.That(idle.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task ARightPasswordBeforeTheLimitStartsTheCountAgain()
    {
        using var browser = NewBrowser();
        for (var i = 0; i < 4; i++)
        {
            using var wrong = await DeskForm.SignInAsync(browser, "1001", "guess-" + i);
        }

        using var right = await DeskForm.SignInAsync(browser, "1001", "demo-1001");
        var after = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var wrong = await DeskForm.SignInAsync(browser, "1001", "again-" + i);
            after.Add(wrong.StatusCode);
        }

        Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(after, Has.All.EqualTo(HttpStatusCode.Unauthorized), "four more are not five in a row");
    }

    [Test]
    public async Task ASignInWithoutTheAntiforgeryTokenIs400AndSignsNobodyIn()
    {
        using var browser = NewBrowser();
        using var page = await browser.GetAsync(_signIn);

        using var response = await browser.PostAsync(_signIn, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["login"] = "super",
            ["password"] = "demo-super",
        }));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using var me = await browser.GetAsync(_me);
        Assert.That(me.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task AnAgentsCookieIsForbiddenOnTheApiAndASupervisorsIsLetIn()
    {
        using var agent = NewBrowser();
        using var supervisor = NewBrowser();
        using var anonymous = NewBrowser();
        (await DeskForm.SignInAsync(agent, "1001", "demo-1001")).Dispose();
        (await DeskForm.SignInAsync(supervisor, "super", "demo-super")).Dispose();

        using var asAgent = await agent.GetAsync(_agents);
        using var asSupervisor = await supervisor.GetAsync(_agents);
        using var asNobody = await anonymous.GetAsync(_agents);

        Assert.That(asAgent.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(asSupervisor.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(asNobody.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task SignOutEndsTheSession()
    {
        using var browser = NewBrowser();
        (await DeskForm.SignInAsync(browser, "super", "demo-super")).Dispose();
        using var page = await browser.GetAsync(_signIn);
        var html = await page.Content.ReadAsStringAsync();
        Assert.That(html, Does.Contain("super").And.Contain("/desk/signout"));

        using var signOut = await browser.PostAsync(_signOut, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = DeskForm.TokenIn(html),
        }));

        Assert.That(signOut.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        using var me = await browser.GetAsync(_me);
        Assert.That(me.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        using var api = await browser.GetAsync(_agents);
        Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task FailedSignInsAreLoggedWithTheLoginButNeverThePassword()
    {
        using var browser = NewBrowser();

        (await DeskForm.SignInAsync(browser, "1001", "s3cret-guess")).Dispose();
        (await DeskForm.SignInAsync(browser, "super", "demo-super")).Dispose();

        Assert.That(_log, Has.Some.Contains("1001").And.Contains("failed"));
        Assert.That(_log, Has.None.Contains("s3cret-guess"));
        Assert.That(_log, Has.None.Contains("demo-super"));
    }

    private HttpClient NewBrowser() =>
        new(new CookieJar(_app.GetTestServer().CreateHandler())) { BaseAddress = new Uri("http://localhost") };

    private static string Alert(string html) => AlertPattern().Match(html).Value;

    [GeneratedRegex("<p role=\"alert\">[^<]*</p>")]
    private static partial Regex AlertPattern();

}
