using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using CallCenter.Telephony.Codecs;
using CallCenter.Telephony.Media.Audio;
using CallCenter.Telephony.Tests.WebRtc;

namespace CallCenter.Integration.Tests;

/// <summary>
/// The agent's phone in the browser without the browser: a signed-in agent's SIP over WebSocket (as
/// JsSIP speaks it) and a WebRTC media side on loopback (<see cref="LoopbackBrowser"/>: ICE
/// controlling with USE-CANDIDATE, DTLS client, SRTP with rtcp-mux, as Chromium is towards an
/// ICE-lite peer). A sipp caller with its own RTP peer (600 Hz) reaches the VIP line; the browser
/// answers and talks (1000 Hz); each hears the other and the recording keeps one on each channel.
/// A browser that never finishes DTLS loses only its leg: the caller waits in the queue again.
/// </summary>
[NonParallelizable]
public sealed partial class BrowserPhoneTests
{
    private const double CallerTone = 600;
    private const double BrowserTone = 1000;
    private const double HeardLevel = 1500;

    [Test]
    public async Task TheBrowserAnswersWithWebRtcHearsTheCallerIsHeardAndTheRecordingHoldsBoth()
    {
        await using var platform = await PlatformProcess.StartAsync("--Agents:WrapUpSeconds=1");
        using var socket = await RegisterBrowserAsync(platform);
        await using var callerMedia = new RtpProbe(CallerTone);
        await using var caller = StartCaller(platform, callerMedia, talkMilliseconds: 12_000);
        using var browser = new LoopbackBrowser();

        var invite = await SipWebSocketTests.ReceiveAsync(socket, TimeSpan.FromSeconds(30), m => m.StartsWith("INVITE ", StringComparison.Ordinal));
        var offer = Offer.Read(invite);
        await SipWebSocketTests.SendAsync(socket, Ok(invite, browser.Answer(8)));
        var ack = await SipWebSocketTests.ReceiveAsync(socket, TimeSpan.FromSeconds(10), m => m.StartsWith("ACK ", StringComparison.Ordinal));
        await browser.ConnectAsync(new IPEndPoint(IPAddress.Loopback, offer.Port), offer.Ufrag, offer.Password);

        // The browser talks for 4 s (1000 Hz, A-law, SRTP) while both sides listen.
        var from = RtpProbe.Now;
        await TalkAsync(browser, seconds: 4);
        var to = RtpProbe.Now;
        var callerHeard = callerMedia.Heard(BrowserTone, from + (System.Diagnostics.Stopwatch.Frequency / 2), to);
        var browserHeard = Goertzel(browser.Audio.TakeLast(100), CallerTone);
        var (_, health) = await platform.GetApiAsync("health", apiKey: null);

        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(60));
        var record = await platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13800000001", TimeSpan.FromSeconds(15))
            ?? throw new AssertionException("no record\n" + platform.Output);

        Assert.Multiple(() =>
        {
            Assert.That(offer.Sdp, Does.Contain("m=audio " + offer.Port.ToString(CultureInfo.InvariantCulture) + " UDP/TLS/RTP/SAVPF 8 0 101"), offer.Sdp);
            Assert.That(offer.Sdp, Does.Contain("a=ice-lite"));
            Assert.That(offer.Sdp, Does.Contain("a=setup:actpass"));
            Assert.That(offer.Sdp, Does.Contain("a=rtcp-mux"));
            Assert.That(ack, Does.Contain("CSeq: 1 ACK"), "the 2xx is ACKed on the browser's connection");
            Assert.That(browser.ServerFingerprint, Is.EqualTo(offer.Fingerprint), "the DTLS certificate is the one the offer names");
            Assert.That(callerHeard, Is.GreaterThan(HeardLevel), "the caller hears the browser\n" + platform.Output);
            Assert.That(browserHeard, Is.GreaterThan(HeardLevel), "the browser hears the caller");
            Assert.That(browser.Refused, Is.Zero, "everything the platform sent the browser opened under its SRTP key");
            Assert.That(browser.BeforeKeys, Is.LessThan(10), "the caller's audio relayed while the browser read the server's Finished: a few packets at most (dropped, as a browser drops them)");
            var rtp = health.GetProperty("rtp");
            Assert.That(rtp.GetProperty("webRtcSessions").GetInt64(), Is.EqualTo(1), health.ToString());
            Assert.That(rtp.GetProperty("dtlsHandshakesCompleted").GetInt64(), Is.EqualTo(1), health.ToString());
            Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), callerResult.Output);
            Assert.That(record.GetProperty("agent").GetString(), Is.EqualTo("1001"), record.ToString());
        });

        // Left: what the agent heard (the caller); right: what the caller heard (the browser).
        var wav = WavFile.Read(record.GetProperty("recording").GetString()!);
        var (left, right) = MonitorCallTests.Channels(wav.Data);
        Assert.That(MonitorCallTests.MaxOverSeconds(left, CallerTone), Is.GreaterThan(HeardLevel));
        Assert.That(MonitorCallTests.MaxOverSeconds(right, BrowserTone), Is.GreaterThan(HeardLevel));
        Assert.That(MonitorCallTests.MaxOverSeconds(left, BrowserTone), Is.LessThan(HeardLevel / 3), "the channels are not mixed");
    }

    [Test]
    public async Task ABrowserThatNeverFinishesDtlsLosesItsLegAndTheCallerWaitsForAnAgentAgain()
    {
        await using var platform = await PlatformProcess.StartAsync("--Agents:WrapUpSeconds=1");
        using var socket = await RegisterBrowserAsync(platform);
        await using var callerMedia = new RtpProbe(CallerTone);
        await using var caller = StartCaller(platform, callerMedia, talkMilliseconds: 40_000);
        using var browser = new LoopbackBrowser();

        var invite = await SipWebSocketTests.ReceiveAsync(socket, TimeSpan.FromSeconds(30), m => m.StartsWith("INVITE ", StringComparison.Ordinal));
        var offer = Offer.Read(invite);
        await SipWebSocketTests.SendAsync(socket, Ok(invite, browser.Answer(8)));
        await browser.ConnectAsync(new IPEndPoint(IPAddress.Loopback, offer.Port), offer.Ufrag, offer.Password, handshake: false);

        // The handshake's limit is 10 s: then the platform BYEs the browser. The agent goes on a break
        // after the wrap-up (a browser whose media cannot work is not handed the next caller); once
        // they make themselves available again the waiting call is offered to them again.
        var bye = await SipWebSocketTests.ReceiveAsync(socket, TimeSpan.FromSeconds(25), m => m.StartsWith("BYE ", StringComparison.Ordinal));
        await SipWebSocketTests.SendAsync(socket, Reply(bye, "200 OK"));
        var agent = default(System.Text.Json.JsonElement);
        for (var i = 0; i < 50; i++)
        {
            var (_, agents) = await platform.GetApiAsync("api/agents");
            agent = agents.EnumerateArray().Single(a => a.GetProperty("id").GetString() == "1001");
            if (agent.GetProperty("state").GetString() == "break")
            {
                break;
            }

            await Task.Delay(200);
        }

        var available = await platform.PostApiAsync("api/agents/1001/state", "{\"state\": \"available\"}");
        var again = await SipWebSocketTests.ReceiveAsync(socket, TimeSpan.FromSeconds(30), m => m.StartsWith("INVITE ", StringComparison.Ordinal));
        await SipWebSocketTests.SendAsync(socket, SipWebSocketTests.Answer(again, "486 Busy Here", toTag: "busy"));
        var (_, health) = await platform.GetApiAsync("health", apiKey: null);

        Assert.That(agent.GetProperty("state").GetString(), Is.EqualTo("break"), agent.ToString());
        Assert.That(agent.GetProperty("reason").GetString(), Is.EqualTo("browser-media-failed"), agent.ToString());
        Assert.That(available.Status, Is.EqualTo(HttpStatusCode.OK), available.Body);
        Assert.That(CallIdOf(again), Is.Not.EqualTo(CallIdOf(invite)), "a new offer of the same call");
        Assert.That(health.GetProperty("rtp").GetProperty("dtlsHandshakesFailed").GetInt64(), Is.EqualTo(1), health.ToString());
        Assert.That(platform.Output, Does.Not.Contain("internal-error"));
    }

    private static async Task<ClientWebSocket> RegisterBrowserAsync(PlatformProcess platform)
    {
        var socket = await SipWebSocketTests.ConnectAsync(platform, await SipWebSocketTests.SignInAsync(platform, "1001", "demo-1001"));
        var registered = await SipWebSocketTests.RegisterAsync(socket, "1001", "demo-1001");
        Assert.That(registered, Does.StartWith("SIP/2.0 200 "), registered);
        var available = await platform.PostApiAsync("api/agents/1001/state", "{\"state\": \"available\"}");
        Assert.That(available.Status, Is.EqualTo(HttpStatusCode.OK), available.Body);
        return socket;
    }

    private static Sipp.Running StartCaller(PlatformProcess platform, RtpProbe media, int talkMilliseconds) =>
        Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("monitor-caller.xml", new()
            {
                ["{CALLER}"] = "13800000001",
                ["{MEDIA_PORT}"] = media.Port.ToString(CultureInfo.InvariantCulture),
                ["{TALK_MS}"] = talkMilliseconds.ToString(CultureInfo.InvariantCulture),
            }),
            "-s", "95501", "-m", "1", "-timeout", "120s", "-timeout_error"]);

    /// <summary>20 ms frames of the browser's tone, paced in real time.</summary>
    private static async Task TalkAsync(LoopbackBrowser browser, int seconds)
    {
        var pcm = new short[160];
        var frame = new byte[160];
        long sample = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        for (var i = 0; i < seconds * 50; i++)
        {
            for (var n = 0; n < pcm.Length; n++, sample++)
            {
                pcm[n] = (short)(6000 * Math.Sin(2 * Math.PI * BrowserTone * sample / 8000));
            }

            G711.Encode(pcm, frame, G711Law.ALaw);
            browser.SendAudio(8, frame);
            await timer.WaitForNextTickAsync();
        }
    }

    private static double Goertzel(IEnumerable<byte[]> frames, double frequency)
    {
        var levels = frames.Where(f => f.Length == 160).Select(frame =>
        {
            var pcm = new short[160];
            G711.Decode(frame, pcm, G711Law.ALaw);
            var coefficient = 2 * Math.Cos(2 * Math.PI * frequency / 8000);
            double s1 = 0, s2 = 0;
            foreach (var x in pcm)
            {
                var s0 = x + (coefficient * s1) - s2;
                s2 = s1;
                s1 = s0;
            }

            return 2 * Math.Sqrt(Math.Max(0, (s1 * s1) + (s2 * s2) - (coefficient * s1 * s2))) / 160;
        }).ToList();
        return levels.Count == 0 ? 0 : levels.Average();
    }

    /// <summary>The browser's 200 to the INVITE: its Contact on the WebSocket and its SDP answer.</summary>
    private static string Ok(string invite, string sdp)
    {
        var head = SipWebSocketTests.Answer(invite, "200 OK", toTag: "browser" + Guid.NewGuid().ToString("N")[..8]);
        head = head[..head.IndexOf("Content-Length:", StringComparison.Ordinal)];
        return head +
            "Contact: <sip:2r36qm5b@df7jal23ls0d.invalid;transport=ws>\r\n" +
            "Content-Type: application/sdp\r\n" +
            $"Content-Length: {System.Text.Encoding.UTF8.GetByteCount(sdp)}\r\n\r\n" + sdp;
    }

    /// <summary>A response to an in-dialog request (its To already has our tag).</summary>
    private static string Reply(string request, string status)
    {
        var lines = request.Split("\r\n");
        var copied = lines.Where(l => l.StartsWith("Via:", StringComparison.OrdinalIgnoreCase) || l.StartsWith("From:", StringComparison.OrdinalIgnoreCase)
            || l.StartsWith("To:", StringComparison.OrdinalIgnoreCase) || l.StartsWith("Call-ID:", StringComparison.OrdinalIgnoreCase)
            || l.StartsWith("CSeq:", StringComparison.OrdinalIgnoreCase));
        return $"SIP/2.0 {status}\r\n" + string.Join("\r\n", copied) + "\r\nContent-Length: 0\r\n\r\n";
    }

    private static string CallIdOf(string message) => CallIdPattern().Match(message).Groups[1].Value;

    [GeneratedRegex(@"(?m)^Call-ID: *(\S+)")]
    private static partial Regex CallIdPattern();

    /// <summary>What a browser reads from our offer: the media port, our ICE credentials and fingerprint.</summary>
    private sealed partial record Offer(string Sdp, int Port, string Ufrag, string Password, string Fingerprint)
    {
        public static Offer Read(string invite)
        {
            var sdp = invite[(invite.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
            string Value(Regex pattern) => pattern.Match(sdp) is { Success: true } m ? m.Groups[1].Value : throw new AssertionException("not in the offer:\n" + sdp);
            return new Offer(
                sdp,
                int.Parse(Value(PortPattern()), CultureInfo.InvariantCulture),
                Value(UfragPattern()),
                Value(PasswordPattern()),
                Value(FingerprintPattern()));
        }

        [GeneratedRegex(@"(?m)^m=audio (\d+) ")]
        private static partial Regex PortPattern();

        [GeneratedRegex(@"(?m)^a=ice-ufrag:(\S+)")]
        private static partial Regex UfragPattern();

        [GeneratedRegex(@"(?m)^a=ice-pwd:(\S+)")]
        private static partial Regex PasswordPattern();

        [GeneratedRegex(@"(?m)^a=fingerprint:sha-256 (\S+)")]
        private static partial Regex FingerprintPattern();
    }
}
