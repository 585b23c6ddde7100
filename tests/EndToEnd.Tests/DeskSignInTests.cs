using System.Net;
using System.Text.Json;
using CallCenter.Integration.Tests;
using Microsoft.Playwright;

namespace CallCenter.EndToEnd.Tests;

/// <summary>The sign-in page in a real browser: the form, its anti-forgery token and the desk cookie as Chromium handles them.</summary>
[NonParallelizable]
public sealed class DeskSignInTests
{
    private PlatformProcess _platform = null!;
    private Chromium _chromium = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _platform = await PlatformProcess.StartAsync();
        _chromium = await Chromium.LaunchAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }

        if (_platform is not null)
        {
            await _platform.DisposeAsync();
        }
    }

    [Test]
    public async Task AWrongPasswordShowsTheErrorAndTheRightOneSignsTheAgentIn()
    {
        var shots = new Screenshots();
        await using var context = await _chromium.NewContextAsync(_platform.BaseAddress);
        var page = await context.NewPageAsync();

        await page.GotoAsync("desk/signin");
        await shots.TakeAsync(page, "signin");
        await page.Locator("input[name=login]").FillAsync("1001");
        await page.Locator("input[name=password]").FillAsync("not-the-password");
        var refused = await page.RunAndWaitForResponseAsync(
            () => page.Locator("form[action='/desk/signin'] button[type=submit]").ClickAsync(),
            r => r.Request.Method == "POST");
        await shots.TakeAsync(page, "wrong-password");

        Assert.That(refused.Status, Is.EqualTo((int)HttpStatusCode.Unauthorized));
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Wrong login or password");
        Assert.That(await context.CookiesAsync(), Has.None.Matches<BrowserContextCookiesResult>(c => c.Name == ".CallCenter.Desk"), "no desk cookie after a refusal");
        // The login typed stays in the form; the password does not.
        await Assertions.Expect(page.Locator("input[name=login]")).ToHaveValueAsync("1001");
        await Assertions.Expect(page.Locator("input[name=password]")).ToHaveValueAsync("");

        await page.Locator("input[name=password]").FillAsync("demo-1001");
        await page.Locator("form[action='/desk/signin'] button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/desk/signin", StringComparison.Ordinal));
        await shots.TakeAsync(page, "signed-in");

        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo(DeskPages.AgentLanding), "an agent lands on the desk after sign-in");
        var cookie = (await context.CookiesAsync()).SingleOrDefault(c => c.Name == ".CallCenter.Desk");
        Assert.That(cookie, Is.Not.Null, "the desk cookie is set");
        Assert.That(cookie!.HttpOnly, Is.True, "the desk cookie is out of the page's scripts' reach");

        // The browser's cookie is what the platform knows the agent by.
        var me = await context.APIRequest.GetAsync("desk/me");
        Assert.That(me.Status, Is.EqualTo((int)HttpStatusCode.OK));
        using var body = JsonDocument.Parse(await me.TextAsync());
        Assert.That(body.RootElement.GetProperty("login").GetString(), Is.EqualTo("1001"));
        Assert.That(body.RootElement.GetProperty("role").GetString(), Is.EqualTo("agent"));
        Assert.That(body.RootElement.GetProperty("agent").GetString(), Is.EqualTo("1001"));
    }
}
