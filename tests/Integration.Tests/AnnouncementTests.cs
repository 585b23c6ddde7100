using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text.Json;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>
/// Announcements (信息发布) end to end on a running platform: an admin's WAV (44.1 kHz stereo here) is
/// stored as 8 kHz mono, a bad file is refused with the reason and stores nothing, and a caller on
/// 95500 who keys 1 (中文), 1 (notices), 1 (announcements) as RFC 4733 events hears the uploaded
/// recording, a 1 kHz tone, in the RTP the platform sends; with none current the caller hears so.
/// </summary>
[NonParallelizable]
public sealed class AnnouncementTests
{
    private const double CallerTone = 700;
    private const double AnnouncementTone = 1000;
    private PlatformProcess _platform = null!;

    [OneTimeSetUp]
    public async Task StartPlatform() => _platform = await PlatformProcess.StartAsync("--Logging:LogLevel:Default=Information");

    [OneTimeTearDown]
    public async Task StopPlatform() => await _platform.DisposeAsync();


    private async Task<(HttpStatusCode Status, JsonElement Body)> UploadAsync(string title, string language, byte[] file)
    {
        using var http = new HttpClient { BaseAddress = _platform.BaseAddress };
        using var form = new MultipartFormDataContent
        {
            { new StringContent(title), "title" },
            { new StringContent(language), "language" },
            { new StringContent(DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture)), "startsAt" },
            { new StringContent(DateTimeOffset.UtcNow.AddDays(1).ToString("O", CultureInfo.InvariantCulture)), "endsAt" },
            { new ByteArrayContent(file), "recording", "notice.wav" },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/announcements") { Content = form };
        request.Headers.Add("X-Api-Key", "demo-api-key");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task<List<JsonElement>> ListAsync()
    {
        var (status, body) = await _platform.GetApiAsync("api/announcements");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        return [.. body.EnumerateArray()];
    }

    private async Task DeleteAllAsync()
    {
        using var http = new HttpClient { BaseAddress = _platform.BaseAddress };
        foreach (var announcement in await ListAsync())
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, $"api/announcements/{announcement.GetProperty("id").GetInt64()}");
            request.Headers.Add("X-Api-Key", "demo-api-key");
            using var response = await http.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }
    }

    /// <summary>Calls 95500 as <paramref name="caller"/> with a probe for media, keys 1, 1, 1; the probe, when the last key went, and the IVR path.</summary>
    private async Task<(RtpProbe Probe, long KeyedAt, List<string> Path)> CallAndAskForAnnouncementsAsync(string caller, int listenMs)
    {
        var probe = new RtpProbe(CallerTone);
        await using var sipp = Sipp.Start($"127.0.0.1:{_platform.SipPort}", [
            "-sf", AgentPhone.Template("monitor-caller.xml", new() { ["{CALLER}"] = caller, ["{MEDIA_PORT}"] = probe.Port.ToString(CultureInfo.InvariantCulture), ["{TALK_MS}"] = (7000 + listenMs).ToString(CultureInfo.InvariantCulture) }),
            "-s", "95500", "-m", "1", "-timeout", "60s", "-timeout_error"]);
        Assert.That(await probe.WaitForAudioAsync(TimeSpan.FromSeconds(15)), Is.True, "the caller never heard the platform\n" + _platform.Output);

        // A moment for the platform to take the probe's stream as the call's before the first key.
        await Task.Delay(1000);
        probe.Press("1");
        await Task.Delay(1500);
        probe.Press("1");
        await Task.Delay(2000);
        probe.Press("1");
        var keyedAt = RtpProbe.Now;
        var result = await sipp.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.That(result.SuccessfulCalls, Is.EqualTo(1), result.Output + _platform.Output);

        var record = await _platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == caller, TimeSpan.FromSeconds(10));
        Assert.That(record, Is.Not.Null, "no call record\n" + _platform.Output);
        return (probe, keyedAt, [.. record!.Value.GetProperty("ivrPath").EnumerateArray().Select(e => e.GetString()!)]);
    }

    private static long After(long from, double seconds) => from + (long)(seconds * System.Diagnostics.Stopwatch.Frequency);

    [Test, Order(1)]
    public async Task ABadFileIsRefusedWithTheReasonAndStoresNothing()
    {
        var before = await ListAsync();
        var (status, body) = await UploadAsync("bad", "zh", "ID3 not a wav at all, just bytes"u8.ToArray());
        var (truncated, truncatedBody) = await UploadAsync("cut", "zh", [.. TestWav.Tone(44100, 2, 1, 1000)[..30], .. new byte[20]]);

        Assert.Multiple(async () =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(body.GetProperty("field").GetString(), Is.EqualTo("recording"));
            Assert.That(body.GetProperty("detail").GetString(), Is.EqualTo("the file is not a WAV file (no RIFF/WAVE header)"));
            Assert.That(truncated, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(truncatedBody.GetProperty("detail").GetString(), Does.StartWith("the WAV file is malformed"));
            Assert.That((await ListAsync()).Count, Is.EqualTo(before.Count), "nothing was stored");
        });
    }

    [Test, Order(2)]
    public async Task A44kHzStereoRecordingIsStoredAs8kHzMonoOfTheSameDuration()
    {
        var (status, body) = await UploadAsync("tone", "en", TestWav.Tone(44100, 2, 2.5, 1000));
        Assert.That(status, Is.EqualTo(HttpStatusCode.Created), body.ToString());

        using var http = new HttpClient { BaseAddress = _platform.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", "demo-api-key");
        var audio = await http.GetByteArrayAsync(body.GetProperty("audio").GetString()!.TrimStart('/'));
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("durationSeconds").GetDouble(), Is.EqualTo(2.5).Within(0.02));
            Assert.That(body.GetProperty("current").GetBoolean(), Is.True);
            Assert.That(BinaryPrimitives.ReadInt16LittleEndian(audio.AsSpan(22)), Is.EqualTo(1), "mono");
            Assert.That(BinaryPrimitives.ReadInt32LittleEndian(audio.AsSpan(24)), Is.EqualTo(8000), "8 kHz");
            Assert.That(BinaryPrimitives.ReadInt16LittleEndian(audio.AsSpan(34)), Is.EqualTo(16));
            Assert.That(audio.Length - 44, Is.EqualTo(2.5 * 8000 * 2).Within(200));
        });
    }

    /// <summary>A desk session of <paramref name="login"/>, with its anti-forgery token for writes.</summary>
    private async Task<(HttpClient Browser, string Token)> SignInAsync(string login, string password)
    {
        var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        var browser = new HttpClient(handler, disposeHandler: true) { BaseAddress = _platform.BaseAddress };
        var page = await browser.GetStringAsync(new Uri("desk/signin", UriKind.Relative));
        var formToken = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        using var signIn = await browser.PostAsync(new Uri("desk/signin", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = formToken,
            ["login"] = login,
            ["password"] = password,
        }));
        Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        using var token = JsonDocument.Parse(await browser.GetStringAsync(new Uri("desk/antiforgery", UriKind.Relative)));
        return (browser, token.RootElement.GetProperty("token").GetString()!);
    }

    private static async Task<HttpResponseMessage> PostTextAsync(HttpClient browser, string token, string title)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/announcements", UriKind.Relative))
        {
            Content = new StringContent(
                JsonSerializer.Serialize(new { title, language = "zh", text = "周五证券交易所休市。", endsAt = DateTimeOffset.UtcNow.AddDays(1).ToString("O", CultureInfo.InvariantCulture) }),
                System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-CSRF-TOKEN", token);
        return await browser.SendAsync(request);
    }

    [Test, Order(2)]
    public async Task AnAdminMayMakeOneFromATextButASupervisorMayOnlyRead()
    {
        var (supervisor, supervisorToken) = await SignInAsync("super", "demo-super");
        var (admin, adminToken) = await SignInAsync("admin", "demo-admin");
        using (supervisor)
        using (admin)
        {
            using var read = await supervisor.GetAsync(new Uri("api/announcements", UriKind.Relative));
            using var refused = await PostTextAsync(supervisor, supervisorToken, "by the supervisor");
            using var made = await PostTextAsync(admin, adminToken, "by the admin");
            var body = JsonDocument.Parse(await made.Content.ReadAsStringAsync()).RootElement;

            Assert.Multiple(async () =>
            {
                Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
                Assert.That(made.StatusCode, Is.EqualTo(HttpStatusCode.Created), body.ToString());
                Assert.That(body.GetProperty("source").GetString(), Is.EqualTo("text"));
                Assert.That(body.GetProperty("createdBy").GetString(), Is.EqualTo("admin"));
                Assert.That(body.GetProperty("durationSeconds").GetDouble(), Is.GreaterThan(1.0), "espeak-ng spoke it when saved");
                Assert.That((await ListAsync()).Select(a => a.GetProperty("title").GetString()), Does.Not.Contain("by the supervisor"));
            });
        }
    }

    [Test, Order(3)]
    public async Task WithNoCurrentAnnouncementTheCallerHearsSoAndThenAnUploadedRecordingPlays()
    {
        await DeleteAllAsync();
        var (silentProbe, _, nonePath) = await CallAndAskForAnnouncementsAsync("13900000201", 3000);
        await silentProbe.DisposeAsync();
        Assert.That(nonePath, Does.Contain("95500.announcementsNone").And.Not.Contain("95500.announcementPlay"), string.Join(" ", nonePath) + "\n" + _platform.Output);

        var (status, body) = await UploadAsync("一千赫兹测试音", "zh", TestWav.Tone(44100, 2, 4, AnnouncementTone));
        Assert.That(status, Is.EqualTo(HttpStatusCode.Created), body.ToString());

        var (probe, keyedAt, path) = await CallAndAskForAnnouncementsAsync("13900000202", 6000);
        await using (probe)
        {
            var during = probe.Heard(AnnouncementTone, After(keyedAt, 1.0), After(keyedAt, 3.5));
            var before = probe.Heard(AnnouncementTone, After(keyedAt, -3.0), After(keyedAt, -0.5));
            Assert.Multiple(() =>
            {
                Assert.That(path, Does.Contain("95500.announcements").And.Contain("95500.announcementPlay"), string.Join(" ", path) + "\n" + _platform.Output);
                Assert.That(path[path.IndexOf("95500.announcementPlay") + 1], Is.EqualTo("95500.announcementNext"));
                Assert.That(during, Is.GreaterThan(5000), $"the uploaded 1 kHz recording reached the caller (before: {before:0})");
                Assert.That(before, Is.LessThan(during / 4), "the menu prompts before it are speech, not the tone");
            });
        }
    }
}
