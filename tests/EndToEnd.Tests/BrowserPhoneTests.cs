using System.Globalization;
using CallCenter.Integration.Tests;
using CallCenter.Telephony.Media.Audio;
using Microsoft.Playwright;

namespace CallCenter.EndToEnd.Tests;

/// <summary>
/// The desk as the agent's phone, in Debian's Chromium with a fake microphone that plays a 1000 Hz
/// tone: agent 1001 turns on the phone in the browser (JsSIP over the platform's /sip WebSocket,
/// WebRTC media against the platform's ICE-lite and DTLS-SRTP), a sipp caller whose RTP peer sends
/// 600 Hz rings the VIP line, the desk rings, the test clicks answer, holds, resumes and hangs up
/// from the desk. The caller must hear the browser's tone, and the recording must hold the
/// caller's tone on the left channel and the browser's on the right.
/// </summary>
[NonParallelizable]
public sealed class BrowserPhoneTests
{
    private const double CallerTone = 600;
    private const double BrowserTone = 1000;
    // Chromium's own audio processing (noise suppression, gain control) turns a steady tone down
    // over the first seconds: heard arrives at 1000-2000 of the file's 8000, not heard stays under 50.
    private const double HeardLevel = 500;

    [Test]
    public async Task TheDeskRingsInTheBrowserTheAgentAnswersHoldsAndHangsUpAndTheRecordingHoldsBothTones()
    {
        Assertions.SetDefaultExpectTimeout(30_000);
        var shots = new Screenshots();
        var tone = WriteTone(BrowserTone);
        await using var platform = await PlatformProcess.StartAsync("--Agents:WrapUpSeconds=120", "--Logging:LogLevel:Default=Information");
        await using var chromium = await Chromium.LaunchAsync([
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            "--use-file-for-fake-audio-capture=" + tone,
            "--autoplay-policy=no-user-gesture-required",

            // The platform's one candidate is 127.0.0.1 (the tests bind it there); Chromium pairs loopback only when told to.
            "--allow-loopback-in-peer-connection",
        ]);
        await using var context = await chromium.Browser.NewContextAsync(new()
        {
            BaseURL = platform.BaseAddress.ToString(),
            Locale = "zh-CN",
            ViewportSize = new() { Width = 1280, Height = 1000 },
            Permissions = ["microphone"],
        });
        var desk = await DeskSession.SignInAsync(context, "1001", "demo-1001", "/desk/");
        var console = new List<string>();
        desk.Console += (_, message) =>
        {
            lock (console)
            {
                console.Add(message.Text);
            }
        };

        // The agent turns on the phone in the browser: the microphone check, then JsSIP registers.
        await desk.TestId("phone-choice-browser").CheckAsync();
        await desk.TestId("phone-password").FillAsync("demo-1001");
        await desk.TestId("btn-phone-start").ClickAsync();
        await Assertions.Expect(desk.TestId("phone-status")).ToHaveAttributeAsync("data-status", "registered");
        await desk.TestId("btn-available").ClickAsync();
        await Assertions.Expect(desk.TestId("agent-state")).ToHaveTextAsync("available");

        await using var callerMedia = new RtpProbe(CallerTone);
        await using var caller = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("media-caller-until-bye.xml", new()
            {
                ["{CALLER}"] = "13800000001",
                ["{MEDIA_PORT}"] = callerMedia.Port.ToString(CultureInfo.InvariantCulture),
                ["{WAIT_MS}"] = "120000",
            }),
            "-s", "95501", "-m", "1", "-timeout", "150s", "-timeout_error"]);

        // The desk rings in the browser.
        await Assertions.Expect(desk.TestId("btn-phone-answer")).ToBeEnabledAsync();
        await Assertions.Expect(desk.TestId("call-state")).ToHaveTextAsync("ringing");
        await shots.TakeAsync(desk, "ringing-browser-phone-zh");
        await desk.TestId("btn-phone-answer").ClickAsync();
        await Assertions.Expect(desk.TestId("call-state")).ToHaveTextAsync("talking");

        // Chromium's ICE check, DTLS handshake and SRTP: the caller hears the browser's fake microphone.
        var heard = await callerMedia.WaitForAudioAsync(TimeSpan.FromSeconds(15));
        await Task.Delay(3000);
        var from = RtpProbe.Now - (2 * System.Diagnostics.Stopwatch.Frequency);
        var callerHeard = callerMedia.Heard(BrowserTone, from, RtpProbe.Now);
        var (_, health) = await platform.GetApiAsync("health", apiKey: null);
        await shots.TakeAsync(desk, "talking-browser-phone-zh");
        Assert.That(heard && callerHeard > HeardLevel, Is.True,
            $"the caller hears the browser's tone: level {callerHeard:0}\nhealth: {health}\nbrowser console:\n{string.Join('\n', console)}\n{platform.Output}");
        Assert.That(health.GetProperty("rtp").GetProperty("dtlsHandshakesCompleted").GetInt64(), Is.EqualTo(1), health.ToString());

        // Hold and resume from the phone panel (the platform plays music to the caller), then hang up.
        await desk.TestId("btn-phone-hold").ClickAsync();
        await Assertions.Expect(desk.TestId("call-state")).ToHaveTextAsync("held");
        await Task.Delay(1500);
        await desk.TestId("btn-phone-hold").ClickAsync();
        await Assertions.Expect(desk.TestId("call-state")).ToHaveTextAsync("talking");
        await Task.Delay(2000);
        await desk.TestId("btn-phone-hangup").ClickAsync();
        await Assertions.Expect(desk.TestId("wrapup")).ToBeVisibleAsync();
        await shots.TakeAsync(desk, "wrap-up-browser-phone-zh");
        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), "the caller gets the platform's BYE when the browser hangs up\n" + callerResult.Output);

        // The record is written with the wrap-up: pick a code.
        await desk.TestId("wrapup-code").SelectOptionAsync("resolved");
        await desk.TestId("btn-wrapup").ClickAsync();
        var record = await platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13800000001", TimeSpan.FromSeconds(20))
            ?? throw new AssertionException("no record\n" + platform.Output);
        Assert.That(record.GetProperty("disposition").GetString(), Is.EqualTo("agent-hung-up"), record.ToString());
        Assert.That(record.GetProperty("holdSeconds").GetDouble(), Is.GreaterThan(1.2), record.ToString());

        var wav = WavFile.Read(record.GetProperty("recording").GetString()!);
        var (left, right) = Channels(wav.Data);
        await TestContext.Out.WriteLineAsync(
            $"caller heard the browser's {BrowserTone} Hz at {callerHeard:0}; recording left {CallerTone} Hz {Loudest(left, CallerTone):0}, right {BrowserTone} Hz {Loudest(right, BrowserTone):0}, left {BrowserTone} Hz {Loudest(left, BrowserTone):0}");
        Assert.That(Loudest(left, CallerTone), Is.GreaterThan(HeardLevel), "left: the caller's tone (what the agent heard)");
        Assert.That(Loudest(right, BrowserTone), Is.GreaterThan(HeardLevel), "right: the browser's tone (what the caller heard)");
        Assert.That(Loudest(left, BrowserTone), Is.LessThan(HeardLevel / 3), "the channels are not mixed");
    }

    /// <summary>A 30 s mono 16-bit 48 kHz WAV of a pure tone, for Chromium's fake microphone.</summary>
    private static string WriteTone(double frequency)
    {
        var path = Path.Combine(Path.GetTempPath(), $"callcenter-tone-{frequency:0}-{Environment.ProcessId}.wav");
        var samples = new short[48_000 * 30];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (short)(8000 * Math.Sin(2 * Math.PI * frequency * i / 48_000));
        }

        using var file = File.Create(path);
        WavFile.WritePcm16(file, 48_000, 1, samples);
        return path;
    }

    private static (short[] Left, short[] Right) Channels(byte[] data)
    {
        var frames = data.Length / 4;
        var left = new short[frames];
        var right = new short[frames];
        for (var i = 0; i < frames; i++)
        {
            left[i] = BitConverter.ToInt16(data, 4 * i);
            right[i] = BitConverter.ToInt16(data, (4 * i) + 2);
        }

        return (left, right);
    }

    /// <summary>The loudest one-second mean of the tone's per-frame Goertzel amplitude.</summary>
    private static double Loudest(short[] channel, double frequency)
    {
        var coefficient = 2 * Math.Cos(2 * Math.PI * frequency / 8000);
        var perFrame = new List<double>();
        for (var at = 0; at + 160 <= channel.Length; at += 160)
        {
            double s1 = 0, s2 = 0;
            for (var i = at; i < at + 160; i++)
            {
                var s0 = channel[i] + (coefficient * s1) - s2;
                s2 = s1;
                s1 = s0;
            }

            perFrame.Add(2 * Math.Sqrt(Math.Max(0, (s1 * s1) + (s2 * s2) - (coefficient * s1 * s2))) / 160);
        }

        var best = 0.0;
        for (var start = 0; start + 50 <= perFrame.Count; start += 10)
        {
            best = Math.Max(best, perFrame.Skip(start).Take(50).Average());
        }

        return best;
    }
}
