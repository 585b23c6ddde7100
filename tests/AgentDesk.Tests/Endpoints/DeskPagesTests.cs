using System.Net;
using System.Text.RegularExpressions;
using CallCenter.Data;
using CallCenter.Data.Catalog;
using CallCenter.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CallCenter.AgentDesk.Tests.Endpoints;

/// <summary>
/// The browser desk's pages and bundle, served from wwwroot/desk/ next to the binary: the npm build that
/// dotnet build runs put them there (copied from src/AgentDesk), so these tests fail when it did not.
/// </summary>
public sealed partial class DeskPagesTests
{
    private static readonly string[] _bundle =
    [
        "desk.html", "wallboard.html", "admin.html", "broadcasts.html", "recordings.html",
        "assets/desk.js", "assets/wallboard.js", "assets/admin.js", "assets/broadcasts.js", "assets/recordings.js", "assets/style.css", "favicon.ico",
    ];

    private string _file = "";
    private WebApplication _app = null!;

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
        await catalog.UpsertDeskUserAsync(new DeskUserRecord("admin", "admin", hasher.HashPassword("admin", "demo-admin"), null));

        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
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
    public void TheBuildPutTheBundleNextToTheBinary()
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "wwwroot", "desk");

        var missing = _bundle.Where(f => !File.Exists(Path.Combine(directory, f)) || new FileInfo(Path.Combine(directory, f)).Length == 0);

        Assert.That(missing, Is.Empty, $"dotnet build runs npm in src/AgentDesk/ClientApp and copies its output to {directory}");
    }

    [TestCase("/desk/")]
    [TestCase("/desk")]
    [TestCase("/desk/wallboard")]
    [TestCase("/desk/admin")]
    [TestCase("/desk/broadcasts")]
    public async Task APageWithoutASessionRedirectsToTheSignInPage(string page)
    {
        using var browser = NewBrowser();

        using var response = await browser.GetAsync(new Uri(page, UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location?.OriginalString, Is.EqualTo("/desk/signin"));
    }

    [Test]
    public async Task TheBareAddressSendsAPersonToTheSignInPageAndTheIconIsServed()
    {
        using var browser = NewBrowser();

        using var root = await browser.GetAsync(new Uri("/", UriKind.Relative));
        using var icon = await browser.GetAsync(new Uri("/favicon.ico", UriKind.Relative));
        var bytes = await icon.Content.ReadAsByteArrayAsync();

        Assert.That(root.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(root.Headers.Location?.OriginalString, Is.EqualTo("/desk/signin"));
        Assert.That(icon.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(icon.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/x-icon"));
        Assert.That(bytes[..4], Is.EqualTo(new byte[] { 0, 0, 1, 0 }), "an ICO header");
    }

    [TestCase("1001", "demo-1001", HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)]
    [TestCase("super", "demo-super", HttpStatusCode.Forbidden, HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.OK)]
    [TestCase("admin", "demo-admin", HttpStatusCode.Forbidden, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK)]
    public async Task EachPageOpensForItsRolesOnly(string login, string password, HttpStatusCode desk, HttpStatusCode wallboard, HttpStatusCode admin, HttpStatusCode broadcasts)
    {
        using var browser = NewBrowser();
        await SignInAsync(browser, login, password);

        var statuses = new List<HttpStatusCode>();
        foreach (var page in new[] { "/desk/", "/desk/wallboard", "/desk/admin", "/desk/broadcasts", "/desk/recordings" })
        {
            using var response = await browser.GetAsync(new Uri(page, UriKind.Relative));
            statuses.Add(response.StatusCode);
        }

        // The recordings page opens for the same roles as the broadcasts page: supervisors and admins.
        Assert.That(statuses, Is.EqualTo(new[] { desk, wallboard, admin, broadcasts, broadcasts }));
    }

    [Test]
    public async Task ThePageIsTheBuiltShellWithTheSessionAndACspThatKeepsEverythingOnThisOrigin()
    {
        using var browser = NewBrowser();
        await SignInAsync(browser, "1001", "demo-1001");

        using var response = await browser.GetAsync(new Uri("/desk/", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.That(csp, Does.Contain("default-src 'self'").And.Contain("connect-src 'self' ws://localhost wss://localhost").And.Contain("frame-ancestors 'none'"));
        Assert.That(csp, Does.Not.Contain("unsafe-inline").And.Not.Contain("*"));
        Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
        Assert.That(html, Does.Contain("<script type=\"module\" src=\"/desk/assets/desk.js\"></script>"));
        Assert.That(Meta(html, "desk-role"), Is.EqualTo("agent"));
        Assert.That(Meta(html, "desk-agent"), Is.EqualTo("1001"));
        Assert.That(Meta(html, "desk-antiforgery"), Is.Not.Empty);
    }

    [Test]
    public async Task TheRefusalOfAnotherRolesPageAlsoCarriesTheCsp()
    {
        using var browser = NewBrowser();
        await SignInAsync(browser, "1001", "demo-1001");

        using var response = await browser.GetAsync(new Uri("/desk/admin", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Does.StartWith("default-src 'self'"));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("Forbidden").And.Contain("/desk/\""));
    }

    [TestCase("desk.js", "text/javascript", "/hubs/agent")]
    [TestCase("wallboard.js", "text/javascript", "/hubs/wallboard")]
    [TestCase("admin.js", "text/javascript", "/api/admin/clients/import")]
    [TestCase("broadcasts.js", "text/javascript", "/api/broadcasts/preview")]
    [TestCase("style.css", "text/css", ".topbar")]
    public async Task TheBundleIsServedWithItsContentType(string file, string contentType, string content)
    {
        using var browser = NewBrowser();

        using var response = await browser.GetAsync(new Uri("/desk/assets/" + file, UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo(contentType));
        Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain(content));
    }

    [Test]
    public async Task AnAssetThatIsNotInTheBundleIs404()
    {
        using var browser = NewBrowser();

        using var response = await browser.GetAsync(new Uri("/desk/assets/../desk.html", UriKind.Relative));
        using var other = await browser.GetAsync(new Uri("/desk/assets/nope.js", UriKind.Relative));

        Assert.That((response.StatusCode, other.StatusCode), Is.EqualTo((HttpStatusCode.NotFound, HttpStatusCode.NotFound)));
    }

    [Test]
    public async Task ThePagesAntiforgeryTokenSignsOut()
    {
        using var browser = NewBrowser();
        await SignInAsync(browser, "super", "demo-super");
        using var page = await browser.GetAsync(new Uri("/desk/wallboard", UriKind.Relative));
        var html = await page.Content.ReadAsStringAsync();

        using var signOut = await browser.PostAsync(new Uri("/desk/signout", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [Meta(html, "desk-antiforgery-field")] = Meta(html, "desk-antiforgery"),
        }));

        Assert.That(signOut.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        using var after = await browser.GetAsync(new Uri("/desk/wallboard", UriKind.Relative));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
    }

    private HttpClient NewBrowser() =>
        new(new CookieJar(_app.GetTestServer().CreateHandler())) { BaseAddress = new Uri("http://localhost") };

    private static async Task SignInAsync(HttpClient browser, string login, string password)
    {
        using var response = await DeskForm.SignInAsync(browser, login, password);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "signed in");
    }

    private static string Meta(string html, string name) =>
        Regex.Match(html, $"<meta name=\"{Regex.Escape(name)}\" content=\"([^\"]*)\">") is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : "";
}
