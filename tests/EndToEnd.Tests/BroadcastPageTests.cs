using System.Globalization;
using CallCenter.Integration.Tests;
using CallCenter.TestSupport;
using Microsoft.Playwright;

namespace CallCenter.EndToEnd.Tests;

/// <summary>
/// The supervisors' broadcast page in Chromium: compose from a template and tiers, preview the
/// audience, send (a double click sends once), and watch the SMS reach <see cref="FakeTwilio"/> and
/// the row's progress turn to delivered; a misspelt placeholder in a new template shows the reason.
/// </summary>
[NonParallelizable]
public sealed class BroadcastPageTests
{
    private static readonly TimeZoneInfo _shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private PlatformProcess _platform = null!;
    private FakeTwilio _twilio = null!;
    private Chromium _chromium = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _twilio = FakeTwilio.Start();
        var httpPort = FreePorts.UdpAndTcp();
        // Quiet hours well away from now, whenever the test runs.
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, _shanghai);
        _platform = await PlatformProcess.StartOnAsync(httpPort, [
            .. _twilio.PlatformArguments(httpPort),
            string.Create(CultureInfo.InvariantCulture, $"--Broadcasts:QuietStart={local.AddHours(3):HH:mm}"),
            string.Create(CultureInfo.InvariantCulture, $"--Broadcasts:QuietEnd={local.AddHours(4):HH:mm}"),
        ]);
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

        if (_twilio is not null)
        {
            await _twilio.DisposeAsync();
        }
    }

    [Test]
    public async Task ASupervisorPreviewsSendsOnceAndWatchesTheBroadcastDelivered()
    {
        var shots = new Screenshots();
        await using var context = await _chromium.NewContextAsync(_platform.BaseAddress);
        var wallboard = await DeskSession.SignInAsync(context, "super", "demo-super", DeskPages.Wallboard);
        await wallboard.GetByRole(AriaRole.Link, new() { Name = "Broadcasts" }).Or(wallboard.GetByRole(AriaRole.Link, new() { Name = "群发" })).ClickAsync();
        await wallboard.WaitForURLAsync(url => new Uri(url).AbsolutePath == DeskPages.Broadcasts);
        var page = wallboard;

        await Assertions.Expect(page.TestId("bc-template")).ToHaveValueAsync("tpl-demo-morning-note");
        await page.TestId("bc-tier-Diamond").CheckAsync();
        await page.TestId("bc-tier-Platinum").CheckAsync();
        await page.TestId("bc-preview").ClickAsync();
        await Assertions.Expect(page.TestId("bc-preview-audience")).ToHaveTextAsync("2");
        await Assertions.Expect(page.TestId("bc-sample").First).ToContainTextAsync("王建国");
        await shots.TakeAsync(page, "preview");

        await page.TestId("bc-send").DblClickAsync();
        await Assertions.Expect(page.TestId("bc-message")).ToContainTextAsync("2");
        var row = page.TestId("bc-row");
        await Assertions.Expect(row.Locator("[data-testid=bc-delivered]")).ToHaveTextAsync("2", new() { Timeout = 30_000 });
        await shots.TakeAsync(page, "delivered");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        Assert.That(_twilio.BodiesTo("+8613800000001").Count(b => b.StartsWith("【早盘策略】王建国", StringComparison.Ordinal)), Is.EqualTo(1), _twilio.Log);
        Assert.That(_twilio.BodiesTo("+8613800000002").Count(b => b.StartsWith("【早盘策略】李美华", StringComparison.Ordinal)), Is.EqualTo(1), _twilio.Log);

        await page.Locator("summary").ClickAsync();
        await page.TestId("bc-template-name").FillAsync("typo");
        await page.TestId("bc-template-zh").FillAsync("{{nmae}}您好");
        await page.TestId("bc-template-save").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("nmae");
        await shots.TakeAsync(page, "refused-template");

        // Audiences asked of the back office: every demo account holds 600000 and none 600036.
        await page.TestId("bc-holding").FillAsync("600000");
        await page.TestId("bc-preview").ClickAsync();
        await Assertions.Expect(page.TestId("bc-preview-audience")).ToHaveTextAsync("2");
        await page.TestId("bc-holding").FillAsync("600036");
        await page.TestId("bc-preview").ClickAsync();
        await Assertions.Expect(page.TestId("bc-preview-audience")).ToHaveTextAsync("0");
        await page.TestId("bc-holding").FillAsync("60003");
        await page.TestId("bc-preview").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "six-digit" })).ToBeVisibleAsync();
        await page.TestId("bc-holding").FillAsync("");
        await page.TestId("bc-tier-Diamond").UncheckAsync();
        await page.TestId("bc-tier-Platinum").UncheckAsync();
        await page.TestId("bc-no-bank").CheckAsync();
        await page.TestId("bc-preview").ClickAsync();
        await Assertions.Expect(page.TestId("bc-preview-audience")).ToHaveTextAsync("0");
        await shots.TakeAsync(page, "back-office-audience");
    }
}
