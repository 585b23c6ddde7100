using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using CallCenter.Integration.Tests;
using CallCenter.TestSupport;
using Microsoft.Playwright;

namespace CallCenter.EndToEnd.Tests;

/// <summary>
/// Issue 14's announcements (信息发布) managed by an admin on the desk, in Chromium against the running platform:
/// mistakes in the form are named before anything is sent (no title, no end, an end before the start), a file
/// that is not a WAV is refused by the server with its reason and stores nothing; an announcement made by typing
/// a text (espeak-ng on the server) and one made by uploading a 44.1 kHz stereo WAV (NAudio on the server) are
/// listed as playing now, and the API the IVR's notices menu reads lists them as current with 8 kHz audio; one
/// stopped from the page is gone. A supervisor's and an agent's session may not open the page.
/// </summary>
[NonParallelizable]
public sealed class AnnouncementsPageTests
{
    [Test]
    public async Task AnAdminMakesOneByTextAndOneByWavUploadSeesThemPlayingAndStopsOne()
    {
        Assertions.SetDefaultExpectTimeout(20_000);
        var shots = new Screenshots();
        await using var platform = await PlatformProcess.StartAsync();
        await using var chromium = await Chromium.LaunchAsync();
        await using var adminContext = await chromium.NewContextAsync(platform.BaseAddress);
        var page = await DeskSession.SignInAsync(adminContext, "admin", "demo-admin", DeskPages.Admin);
        await page.GetByRole(AriaRole.Link, new() { Name = "信息发布" }).Or(page.GetByRole(AriaRole.Link, new() { Name = "Announcements" })).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == DeskPages.Announcements);
        await page.GotoAsync(DeskPages.Announcements + "?lang=en");
        var message = page.TestId("ann-message");
        var textTitle = "Holiday closure " + Guid.NewGuid().ToString("N")[..6];
        var wavTitle = "Recorded notice " + Guid.NewGuid().ToString("N")[..6];

        // Mistakes named before sending: no title, no end, an end before the start.
        await page.TestId("ann-save").ClickAsync();
        await Assertions.Expect(message).ToHaveTextAsync("Title: enter a title");
        await page.TestId("ann-title").FillAsync(textTitle);
        await page.TestId("ann-save").ClickAsync();
        await Assertions.Expect(message).ToHaveTextAsync("Ends: enter the end time");
        await page.TestId("ann-starts").FillAsync(Local(DateTime.UtcNow.AddDays(3)));
        await page.TestId("ann-ends").FillAsync(Local(DateTime.UtcNow.AddDays(2)));
        await page.TestId("ann-save").ClickAsync();
        await Assertions.Expect(message).ToContainTextAsync("Ends: the end must be after the start");
        await Assertions.Expect(page.TestId("ann-ends")).ToHaveAttributeAsync("aria-invalid", "true");
        await shots.TakeAsync(page, "dates-refused-en");

        // By text, starting now: spoken by espeak-ng on the server when saved.
        await page.TestId("ann-starts").FillAsync("");
        await page.TestId("ann-ends").FillAsync(Local(DateTime.UtcNow.AddDays(2)));
        await page.TestId("ann-language").SelectOptionAsync("zh");
        await page.TestId("ann-text").FillAsync("元旦假期休市三天，一月四日恢复交易。");
        await page.TestId("ann-save").ClickAsync();
        await Assertions.Expect(message).ToContainTextAsync("Announcement saved · " + textTitle, new() { Timeout = 60_000 });
        await Assertions.Expect(page.TestId("ann-title")).ToHaveValueAsync("");

        // A file that is not a WAV: the server's reason, the field named, nothing stored.
        var before = await ListAsync(platform);
        await page.TestId("ann-title").FillAsync(wavTitle);
        await page.TestId("ann-language").SelectOptionAsync("en");
        await page.TestId("ann-ends").FillAsync(Local(DateTime.UtcNow.AddDays(2)));
        await page.TestId("ann-source-recording").CheckAsync();
        await page.TestId("ann-file").SetInputFilesAsync(new FilePayload { Name = "notice.wav", MimeType = "audio/wav", Buffer = "ID3 not a wav at all"u8.ToArray() });
        await page.TestId("ann-save").ClickAsync();
        await Assertions.Expect(message).ToHaveTextAsync("Not saved (WAV recording): the file is not a WAV file (no RIFF/WAVE header)");
        await shots.TakeAsync(page, "bad-file-en");
        Assert.That((await ListAsync(platform)).Count, Is.EqualTo(before.Count), "a refused file stores nothing");

        // A 44.1 kHz stereo WAV of 1.5 s: converted to 8 kHz mono by the server.
        await page.TestId("ann-file").SetInputFilesAsync(new FilePayload { Name = "notice.wav", MimeType = "audio/wav", Buffer = TestWav.Tone(44100, 2, 1.5, 1000) });
        await page.TestId("ann-save").ClickAsync();
        await Assertions.Expect(message).ToContainTextAsync("Announcement saved · " + wavTitle);

        // Both listed as playing now, and what the IVR reads agrees: current, with 8 kHz audio.
        var all = await ListAsync(platform);
        var byText = all.Single(a => a.GetProperty("title").GetString() == textTitle);
        var byWav = all.Single(a => a.GetProperty("title").GetString() == wavTitle);
        var textId = byText.GetProperty("id").GetInt64();
        var wavId = byWav.GetProperty("id").GetInt64();
        await Assertions.Expect(page.TestId($"ann-status-{textId}")).ToHaveTextAsync("Playing now");
        await Assertions.Expect(page.TestId($"ann-status-{wavId}")).ToHaveTextAsync("Playing now");
        await Assertions.Expect(page.TestId($"ann-row-{textId}")).ToContainTextAsync("Spoken text");
        await Assertions.Expect(page.TestId($"ann-row-{wavId}")).ToContainTextAsync("Recording");
        await shots.TakeAsync(page, "two-playing-en");
        Assert.Multiple(() =>
        {
            Assert.That(byText.GetProperty("current").GetBoolean(), Is.True);
            Assert.That(byText.GetProperty("source").GetString(), Is.EqualTo("text"));
            Assert.That(byText.GetProperty("language").GetString(), Is.EqualTo("zh"));
            Assert.That(byText.GetProperty("durationSeconds").GetDouble(), Is.GreaterThan(1), "espeak-ng spoke the text");
            Assert.That(byText.GetProperty("createdBy").GetString(), Is.EqualTo("admin"));
            Assert.That(byWav.GetProperty("current").GetBoolean(), Is.True);
            Assert.That(byWav.GetProperty("source").GetString(), Is.EqualTo("recording"));
            Assert.That(byWav.GetProperty("language").GetString(), Is.EqualTo("en"));
            Assert.That(byWav.GetProperty("durationSeconds").GetDouble(), Is.EqualTo(1.5).Within(0.02));
        });
        var audio = await adminContext.APIRequest.GetAsync($"/api/announcements/{wavId}/audio");
        var wav = await audio.BodyAsync();
        Assert.That((BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(22)), BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(24))), Is.EqualTo(((short)1, 8000)), "8 kHz mono for G.711");

        // The same page in Mandarin.
        await page.GotoAsync(DeskPages.Announcements + "?lang=zh");
        await Assertions.Expect(page.TestId($"ann-status-{wavId}")).ToHaveTextAsync("播放中");
        await shots.TakeAsync(page, "two-playing-zh");

        // Stopped from the page: gone from the page and from what the IVR reads.
        await page.TestId($"ann-delete-{textId}").ClickAsync();
        await Assertions.Expect(message).ToContainTextAsync("公告已停止并删除");
        await Assertions.Expect(page.TestId($"ann-row-{textId}")).ToHaveCountAsync(0);
        Assert.That((await ListAsync(platform)).Select(a => a.GetProperty("id").GetInt64()), Does.Not.Contain(textId).And.Contain(wavId));

        // A supervisor (who may only read the list over the API) and an agent may not open the page.
        foreach (var (login, landing) in new[] { ("super", DeskPages.Wallboard), ("1001", DeskPages.AgentLanding) })
        {
            await using var other = await chromium.NewContextAsync(platform.BaseAddress);
            var otherPage = await DeskSession.SignInAsync(other, login, "demo-" + login, landing);
            var refused = await otherPage.GotoAsync(DeskPages.Announcements);
            Assert.That(refused!.Status, Is.EqualTo(403), login);
        }
    }

    /// <summary>A datetime-local value; the test's browser runs on the machine's clock and zone, and days of margin make the zone irrelevant.</summary>
    private static string Local(DateTime utc) => utc.ToLocalTime().ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    private static async Task<List<JsonElement>> ListAsync(PlatformProcess platform)
    {
        var (status, body) = await platform.GetApiAsync("api/announcements");
        Assert.That(status, Is.EqualTo(System.Net.HttpStatusCode.OK));
        return [.. body.EnumerateArray()];
    }

}
