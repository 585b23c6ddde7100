using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using CallCenter.Integration.Tests;
using Microsoft.Playwright;

namespace CallCenter.EndToEnd.Tests;

/// <summary>
/// Issue 17's recordings page, everything real: a sipp caller (Diamond) talks to agent 1001's sipp phone
/// on the VIP line and the platform records the call; a supervisor in Chromium finds it, plays it (and
/// seeks), downloads it, in both languages; the audit lists each fetch; an agent's session is refused;
/// a file changed on disk is refused on the page with the server's reason and shown as flagged.
/// Screenshots go to artifacts/screenshots/RecordingsPageTests/.
/// </summary>
[NonParallelizable]
public sealed partial class RecordingsPageTests
{
    private static readonly string[] _platform = ["--Sip:DigestAlgorithms:0=MD5", "--Sip:DigestAlgorithms:1=SHA-256", "--Agents:WrapUpSeconds=1"];

    private const string Caller = "13800000001";

    [Test]
    public async Task ASupervisorFindsPlaysSeeksAndDownloadsACheckedRecordingAndAChangedFileIsRefusedOnThePage()
    {
        Assertions.SetDefaultExpectTimeout(20_000);
        var shots = new Screenshots();
        await using var platform = await PlatformProcess.StartAsync(_platform);
        await using var agent = await AgentPhone.StartAsync(platform, "1001", expectPai: Caller, expectDisplay: "Diamond");
        await using (var caller = AgentPhone.StartCaller(platform, Caller, holdMilliseconds: 13_000))
        {
            var result = await caller.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.That(result.SuccessfulCalls, Is.EqualTo(1), result.Output);
        }

        var record = await platform.WaitForCallRecordAsync(
            c => c.GetProperty("caller").GetString() == Caller && c.GetProperty("recording").ValueKind == JsonValueKind.String,
            TimeSpan.FromSeconds(15)) ?? throw new AssertionException("no recorded call\n" + platform.Output);
        var id = record.GetProperty("id").GetString()!;
        var path = record.GetProperty("recording").GetString()!;
        var original = await File.ReadAllBytesAsync(path);
        var talk = record.GetProperty("talkSeconds").GetDouble();

        await using var chromium = await Chromium.LaunchAsync();
        await using var supervisorContext = await chromium.NewContextAsync(platform.BaseAddress);
        var page = await DeskSession.SignInAsync(supervisorContext, "super", "demo-super", DeskPages.Wallboard);

        // Found by number, in Mandarin: the tier's and the disposition's names, not the API's codes.
        await page.GotoAsync(DeskPages.Recordings + "?lang=zh");
        await page.TestId("rec-number").FillAsync(Caller);
        await page.TestId("rec-search").ClickAsync();
        var row = page.TestId($"rec-row-{id}");
        await Assertions.Expect(row).ToContainTextAsync("钻石");
        await Assertions.Expect(row).ToContainTextAsync("客户挂机");
        await Assertions.Expect(page.TestId($"rec-state-{id}")).ToHaveTextAsync("可播放");
        await shots.TakeAsync(page, "recordings-zh");

        // Played in the page's player: the whole call's length, and a seek lands where asked (ranges).
        await page.TestId($"rec-play-{id}").ClickAsync();
        var audio = page.TestId("rec-audio");
        await Assertions.Expect(audio).ToBeVisibleAsync();
        var duration = await audio.EvaluateAsync<double>(
            "el => new Promise((ok, fail) => { if (el.readyState >= 1) ok(el.duration); el.onloadedmetadata = () => ok(el.duration); el.onerror = () => fail('error'); })");
        Assert.That(duration, Is.EqualTo(talk).Within(1.0), "the player has the whole recording");
        var landed = await audio.EvaluateAsync<double>(
            "el => new Promise(ok => { el.pause(); el.onseeked = () => ok(el.currentTime); el.currentTime = el.duration - 2; })");
        Assert.That(landed, Is.EqualTo(duration - 2).Within(0.5), "the player seeks");
        await shots.TakeAsync(page, "recordings-playing-zh");

        // Downloaded: the same bytes as on disk, checked in the browser against the server's SHA-256.
        var download = await page.RunAndWaitForDownloadAsync(() => page.TestId($"rec-download-{id}").ClickAsync());
        var saved = Path.Combine(Path.GetTempPath(), $"recordings-page-{Guid.NewGuid():N}.wav");
        await download.SaveAsAsync(saved);
        Assert.That(await File.ReadAllBytesAsync(saved), Is.EqualTo(original));
        File.Delete(saved);
        Assert.That(download.SuggestedFilename, Is.EqualTo(id + ".wav"));
        await Assertions.Expect(page.TestId("rec-message")).ToContainTextAsync("校验一致");

        // The same page in English.
        await page.GotoAsync(DeskPages.Recordings + "?lang=en");
        await Assertions.Expect(page.TestId($"rec-state-{id}")).ToHaveTextAsync("Available");
        await Assertions.Expect(page.TestId($"rec-row-{id}")).ToContainTextAsync("Caller hung up");
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync(ChineseLetters());
        await shots.TakeAsync(page, "recordings-en");

        // Every fetch was audited with the supervisor's login.
        var (status, audit) = await platform.GetApiAsync($"api/recordings/audit?id={id}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        var rows = audit.EnumerateArray().Select(a => (a.GetProperty("actor").GetString(), a.GetProperty("action").GetString(), a.GetProperty("outcome").GetString())).ToList();
        Assert.That(rows, Does.Contain(("super", "recording.play", "done")));
        Assert.That(rows, Does.Contain(("super", "recording.download", "done")));

        // An agent's session may open neither the page nor a recording.
        await using var agentContext = await chromium.NewContextAsync(platform.BaseAddress);
        var agentPage = await DeskSession.SignInAsync(agentContext, "1001", "demo-1001", DeskPages.AgentLanding);
        var forbidden = await agentPage.GotoAsync(DeskPages.Recordings);
        Assert.That(forbidden!.Status, Is.EqualTo(403));
        var fetched = await agentContext.APIRequest.GetAsync($"/api/recordings/{id}/audio");
        Assert.That(fetched.Status, Is.EqualTo(403));

        // The file changed on disk (one bit): the player shows the refusal, and the row is flagged.
        var tampered = (byte[])original.Clone();
        tampered[^100] ^= 0x01;
        await File.WriteAllBytesAsync(path, tampered);
        await page.GotoAsync(DeskPages.Recordings + "?lang=en");
        await page.TestId($"rec-play-{id}").ClickAsync();
        await Assertions.Expect(page.TestId("rec-error")).ToContainTextAsync("SHA-256");
        await page.TestId("rec-search").ClickAsync();
        await Assertions.Expect(page.TestId($"rec-state-{id}")).ToHaveTextAsync("File changed (flagged)");
        await Assertions.Expect(page.TestId($"rec-play-{id}")).ToBeDisabledAsync();
        await shots.TakeAsync(page, "recordings-tampered-en");
        Assert.That(Convert.ToHexStringLower(SHA256.HashData(tampered)), Is.Not.EqualTo(record.GetProperty("recordingSha256").GetString()));
    }

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex ChineseLetters();
}
