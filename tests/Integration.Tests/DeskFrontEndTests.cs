using System.Net;
using System.Text.RegularExpressions;

namespace CallCenter.Integration.Tests;

/// <summary>
/// The built platform serves the browser desk from its own bin folder: the npm bundle that dotnet build
/// made in src/AgentDesk reached the host's output, and the pages take the demo users by role.
/// </summary>
[NonParallelizable]
public sealed partial class DeskFrontEndTests
{
    private PlatformProcess _platform = null!;

    [OneTimeSetUp]
    public async Task StartPlatform() => _platform = await PlatformProcess.StartAsync();

    [OneTimeTearDown]
    public async Task StopPlatform() => await _platform.DisposeAsync();

    [Test]
    public async Task TheHostServesTheBundleFromItsOutput()
    {
        using var browser = NewBrowser();

        using var script = await browser.GetAsync(new Uri("desk/assets/desk.js", UriKind.Relative));
        using var style = await browser.GetAsync(new Uri("desk/assets/style.css", UriKind.Relative));

        Assert.That(script.StatusCode, Is.EqualTo(HttpStatusCode.OK), _platform.Output);
        Assert.That(script.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/javascript"));
        Assert.That(await script.Content.ReadAsStringAsync(), Does.Contain("/hubs/agent"));
        Assert.That(style.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/css"));
        Assert.That(File.Exists(Path.Combine(Path.GetDirectoryName(PlatformProcess.PlatformDll)!, "wwwroot", "desk", "wallboard.html")), Is.True);
    }

    [Test]
    public async Task TheDemoSupervisorSignsInAndGetsTheWallboardButNotTheAgentDesk()
    {
        using var browser = NewBrowser();
        using var before = await browser.GetAsync(new Uri("desk/wallboard", UriKind.Relative));
        using var form = await browser.GetAsync(new Uri("desk/signin", UriKind.Relative));
        var token = TokenPattern().Match(await form.Content.ReadAsStringAsync()).Groups[1].Value;
        using var signIn = await browser.PostAsync(new Uri("desk/signin", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["login"] = "super",
            ["password"] = "demo-super",
        }));

        using var wallboard = await browser.GetAsync(new Uri("desk/wallboard", UriKind.Relative));
        using var desk = await browser.GetAsync(new Uri("desk/", UriKind.Relative));

        Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(before.Headers.Location?.OriginalString, Is.EqualTo("/desk/signin"));
        Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(wallboard.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await wallboard.Content.ReadAsStringAsync(), Does.Contain("/desk/assets/wallboard.js"));
        Assert.That(wallboard.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain($"connect-src 'self' ws://127.0.0.1:{_platform.HttpPort}"));
        Assert.That(desk.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    private HttpClient NewBrowser()
    {
        var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
        return new HttpClient(handler, disposeHandler: true) { BaseAddress = _platform.BaseAddress };
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
