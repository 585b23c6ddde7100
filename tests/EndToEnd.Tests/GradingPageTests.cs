using CallCenter.Integration.Tests;
using CallCenter.TestSupport;
using Microsoft.Playwright;

namespace CallCenter.EndToEnd.Tests;

/// <summary>
/// The admin's grading tab in Chromium (issue 18): the quarterly reviews the demo marked as applied, with their
/// clients per tier, and the month-end figures feed uploaded as a CSV file: a good row imported, a bad one shown
/// with its line and reason.
/// </summary>
[NonParallelizable]
public sealed class GradingPageTests
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
    public async Task AnAdminSeesTheReviewsAndUploadsMonthEndFigures()
    {
        var shots = new Screenshots();
        await using var context = await _chromium.NewContextAsync(_platform.BaseAddress);
        var page = await DeskSession.SignInAsync(context, "admin", "demo-admin", DeskPages.Admin);
        await page.TestId("tab-grading").ClickAsync();

        // The demo marks the three ended quarters before the current one as reviewed, without changes.
        var reviews = page.TestId("tier-reviews").Locator("tbody tr");
        await Assertions.Expect(reviews).ToHaveCountAsync(3);
        await Assertions.Expect(reviews.First).ToContainTextAsync(new System.Text.RegularExpressions.Regex("(钻石|Diamond) 1 · .*(休眠|Dormant) 1"));

        var ended = DateTime.UtcNow.AddMonths(-3);
        var month = new DateTime(ended.Year, ended.Month, 1).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var csv = Path.Combine(Path.GetTempPath(), $"figures-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(csv, $"phone,month,average_equity,fees,month_end_equity\n13800000005,{month},800000.00,120.50,\n13899999999,{month},1.00,0,\n");
        try
        {
            await page.TestId("figures-file").SetInputFilesAsync(csv);
            await page.TestId("figures-upload").ClickAsync();

            await Assertions.Expect(page.TestId("figures-imported")).ToHaveTextAsync("1");
            var rejected = page.TestId("figures-report").Locator("tbody tr");
            await Assertions.Expect(rejected).ToHaveCountAsync(1);
            await Assertions.Expect(rejected.Locator("td").First).ToHaveTextAsync("3");
            await Assertions.Expect(rejected).ToContainTextAsync("13899999999");
            await shots.TakeAsync(page, "grading");
        }
        finally
        {
            File.Delete(csv);
        }

        // The client import takes a manager who is not a hotline agent (issue 18 part 5), with the longer header.
        await page.TestId("tab-import").ClickAsync();
        var clients = Path.Combine(Path.GetTempPath(), $"clients-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(clients, "phone,name,account_masked,tier,manager_extension,language,branch,manager_name,manager_phone\n13900000077,王芳,6225****0077,Gold,,zh,杭州西湖营业部,吴敏 Wu Min,+8657188886666\n13900000078,李雷,6225****0078,Gold,1004,zh,b,吴敏,\n");
        try
        {
            await page.TestId("import-file").SetInputFilesAsync(clients);
            await page.TestId("import-upload").ClickAsync();

            await Assertions.Expect(page.TestId("import-imported")).ToHaveTextAsync("1");
            await Assertions.Expect(page.TestId("import-updated")).ToHaveTextAsync("0");
            await Assertions.Expect(page.TestId("import-rejected")).ToContainTextAsync("not both");
        }
        finally
        {
            File.Delete(clients);
        }

        using var http = new HttpClient { BaseAddress = _platform.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", "demo-api-key");
        var client = await http.GetStringAsync(new Uri("/api/clients/13900000077", UriKind.Relative));
        Assert.That(client, Does.Contain("\"accountManager\":null").And.Contain("+8657188886666"));
    }
}
