using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CallCenter.Integration.Tests;
using Microsoft.Playwright;

namespace CallCenter.EndToEnd.Tests;

/// <summary>
/// Issue 16's received faxes for supervisors, everything real: the platform faxes a one-page PDF to its own fax
/// number over loopback SIP (spandsp both ends) and receives it; a supervisor in Chromium finds it among the faxes
/// to handle, in both languages (and counted on the wallboard, which links to the page), opens its PDF, marks it handled
/// and finds it among the handled ones with their login, the wallboard then counting none; an agent's session may not open the page. Screenshots go to artifacts/screenshots/FaxesPageTests/.
/// </summary>
[NonParallelizable]
public sealed partial class FaxesPageTests
{
    [Test]
    public async Task ASupervisorSeesAReceivedFaxViewsItsPdfAndMarksItHandled()
    {
        Assertions.SetDefaultExpectTimeout(20_000);
        var shots = new Screenshots();
        await using var platform = await PlatformProcess.StartAsync();
        var id = await ReceiveOneFaxAsync(platform);

        await using var chromium = await Chromium.LaunchAsync();
        await using var supervisorContext = await chromium.NewContextAsync(platform.BaseAddress);
        var page = await DeskSession.SignInAsync(supervisorContext, "super", "demo-super", DeskPages.Wallboard);

        // The wallboard counts it among the faxes to handle, with the way to the faxes page.
        await Assertions.Expect(page.TestId("fax-tasks-new")).ToHaveTextAsync("1");
        await Assertions.Expect(page.TestId("fax-tasks-oldest")).ToBeVisibleAsync();
        Assert.That(await page.TestId("fax-tasks-link").GetAttributeAsync("href"), Is.EqualTo(DeskPages.Faxes));

        // Among the faxes to handle, in Mandarin: its sender, pages and status by name.
        await page.GotoAsync(DeskPages.Faxes + "?lang=zh");
        var row = page.TestId($"fax-row-{id}");
        await Assertions.Expect(row).ToContainTextAsync("95580");
        await Assertions.Expect(row).ToContainTextAsync("已收到");
        await shots.TakeAsync(page, "faxes-new-zh");

        // Its PDF opens (the API serves it to the supervisor's session).
        var href = await page.TestId($"fax-pdf-{id}").GetAttributeAsync("href");
        Assert.That(href, Is.EqualTo($"/api/faxes/{id}/pdf"));
        var pdf = await supervisorContext.APIRequest.GetAsync(href!);
        Assert.That(pdf.Status, Is.EqualTo(200));
        Assert.That(pdf.Headers["content-type"], Is.EqualTo("application/pdf"));
        Assert.That(System.Text.Encoding.ASCII.GetString((await pdf.BodyAsync())[..5]), Is.EqualTo("%PDF-"));

        // Marked handled: gone from the new ones, among the handled ones with the supervisor's login.
        await page.TestId($"fax-mark-{id}").ClickAsync();
        await Assertions.Expect(page.TestId("fax-message")).ToContainTextAsync("已标记为已处理");
        await Assertions.Expect(row).ToHaveCountAsync(0);
        await page.TestId("fax-tab-handled").ClickAsync();
        await Assertions.Expect(page.TestId($"fax-handled-{id}")).ToContainTextAsync("super");
        await shots.TakeAsync(page, "faxes-handled-zh");

        // Handled: the wallboard has none left to handle.
        await page.GotoAsync(DeskPages.Wallboard);
        await Assertions.Expect(page.TestId("fax-tasks-new")).ToHaveTextAsync("0");
        await Assertions.Expect(page.TestId("fax-tasks-oldest")).ToHaveCountAsync(0);

        // The same page in English, and the API agrees.
        await page.GotoAsync(DeskPages.Faxes + "?lang=en");
        await page.TestId("fax-tab-handled").ClickAsync();
        await Assertions.Expect(page.TestId($"fax-row-{id}")).ToContainTextAsync("Received");
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync(ChineseLetters());
        await shots.TakeAsync(page, "faxes-handled-en");
        var (_, fax) = await platform.GetApiAsync($"api/faxes/{id}");
        Assert.That((fax.GetProperty("task").GetString(), fax.GetProperty("handledBy").GetString()), Is.EqualTo(("handled", "super")));

        // An agent's session may open neither the page nor the list.
        await using var agentContext = await chromium.NewContextAsync(platform.BaseAddress);
        var agentPage = await DeskSession.SignInAsync(agentContext, "1001", "demo-1001", DeskPages.AgentLanding);
        var forbidden = await agentPage.GotoAsync(DeskPages.Faxes);
        Assert.That(forbidden!.Status, Is.EqualTo(403));
        var listed = await agentContext.APIRequest.GetAsync("/api/faxes?direction=inbound");
        Assert.That(listed.Status, Is.EqualTo(403));
    }

    /// <summary>A one-page PDF (ghostscript) faxed by the platform to its own number; the received fax's id once it is in.</summary>
    private static async Task<string> ReceiveOneFaxAsync(PlatformProcess platform)
    {
        var directory = Directory.CreateTempSubdirectory("faxes-page-").FullName;
        try
        {
            var ps = Path.Combine(directory, "page.ps");
            var pdf = Path.Combine(directory, "page.pdf");
            await File.WriteAllTextAsync(ps, "%!PS\n/Helvetica findfont 28 scalefont setfont\n72 700 moveto (Faxes page test) show showpage\n");
            using (var gs = Process.Start("gs", ["-q", "-dBATCH", "-dNOPAUSE", "-dSAFER", "-sDEVICE=pdfwrite", "-sOutputFile=" + pdf, ps])!)
            {
                await gs.WaitForExitAsync();
                Assert.That(gs.ExitCode, Is.Zero, "ghostscript made the test's PDF");
            }

            using var http = new HttpClient { BaseAddress = platform.BaseAddress };
            http.DefaultRequestHeaders.Add("X-Api-Key", "demo-api-key");
            using var form = new MultipartFormDataContent
            {
                { new StringContent("95580"), "to" },
                { new ByteArrayContent(await File.ReadAllBytesAsync(pdf)), "document", "page.pdf" },
            };
            using var response = await http.PostAsync("api/faxes", form);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            var (_, list) = await platform.GetApiAsync("api/faxes?direction=inbound&task=new");
            var received = list.EnumerateArray().FirstOrDefault(f => f.GetProperty("status").GetString() == "received");
            if (received.ValueKind == JsonValueKind.Object)
            {
                return received.GetProperty("id").GetString()!;
            }

            await Task.Delay(500);
        }

        Assert.Fail("the platform never received the fax it sent itself\n" + platform.Output);
        return "";
    }

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex ChineseLetters();
}
