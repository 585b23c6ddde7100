using System.Globalization;
using System.Net;
using System.Text.Json;
using CallCenter.Telephony.Media.Audio;

namespace CallCenter.Integration.Tests;

/// <summary>
/// A supervisor listens, whispers and barges on a live agent call through their own registered
/// SIP phone: real sipp phones for the signalling, and each party's media on a hand-written RTP
/// peer that sends its own tone (caller 600 Hz, agent 1000 Hz, supervisor 1500 Hz) and measures
/// which tones reach it.
/// </summary>
[NonParallelizable]
public sealed class MonitorCallTests
{
    private const double CallerTone = 600;
    private const double AgentTone = 1000;
    private const double SupervisorTone = 1500;

    // A tone heard arrives near the probes' 6000; one not heard stays at quantization noise.
    private const double HeardLevel = 1500;
    private const double SilentLevel = 300;

    private static readonly string[] _platform = ["--Sip:DigestAlgorithms:0=MD5", "--Sip:DigestAlgorithms:1=SHA-256", "--Agents:WrapUpSeconds=1"];

    [Test]
    public async Task ASupervisorListensWhispersAndBargesFromTheirOwnPhoneLeavesByByeAndIsHungUpWhenTheCallEnds()
    {
        await using var platform = await PlatformProcess.StartAsync(_platform);
        await using var callerMedia = new RtpProbe(CallerTone);
        await using var agentMedia = new RtpProbe(AgentTone);
        await using var supervisorMedia = new RtpProbe(SupervisorTone);
        await using var agent = await AgentPhone.StartAsync(platform, "1001", ringMilliseconds: 2500, scenarioName: "monitor-phone.xml", values: Media(agentMedia));
        await using var caller = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("monitor-caller.xml", new() { ["{CALLER}"] = "13800000001", ["{MEDIA_PORT}"] = Port(callerMedia), ["{TALK_MS}"] = "44000" }),
            "-s", "95501", "-m", "1", "-timeout", "120s", "-timeout_error"]);

        // While the agent's phone rings the call is not bridged yet.
        var callId = await WaitForAgentAsync(platform, "1001", "offered");
        var ringing = await MonitorAsync(platform, callId, "listen");
        await WaitForAgentAsync(platform, "1001", "onCall");
        var badMode = await MonitorAsync(platform, callId, "shout");
        var unknownCall = await MonitorAsync(platform, "no-such-call", "listen");
        var notRegistered = await MonitorAsync(platform, callId, "listen");
        var notAPhone = await platform.PostApiAsync($"api/calls/{callId}/monitor", "{\"mode\": \"listen\", \"extension\": \"1002\"}");

        Assert.That(ringing.Status, Is.EqualTo(HttpStatusCode.Conflict), ringing.Body);
        Assert.That(ringing.Body, Does.Contain("not bridged"));
        Assert.That(badMode.Status, Is.EqualTo(HttpStatusCode.BadRequest), badMode.Body);
        Assert.That(unknownCall.Status, Is.EqualTo(HttpStatusCode.NotFound), unknownCall.Body);
        Assert.That(notRegistered.Status, Is.EqualTo(HttpStatusCode.Conflict), notRegistered.Body);
        Assert.That(notRegistered.Body, Does.Contain("not registered"));
        Assert.That(notAPhone.Status, Is.EqualTo(HttpStatusCode.UnprocessableEntity), "an agent's extension is not a supervisor's phone\n" + notAPhone.Body);

        // The supervisor's phone 1900 registers with digest (it is not an agent: it is never made available).
        await using (var supervisor = await AgentPhone.StartAsync(platform, "1900", ringMilliseconds: 200, makeAvailable: false,
            talkMilliseconds: 9500, scenarioName: "monitor-phone-hangs-up.xml", values: Media(supervisorMedia)))
        {
            var listen = await MonitorAsync(platform, callId, "listen");
            Assert.That(listen.Status, Is.EqualTo(HttpStatusCode.OK), listen.Body + platform.Output);
            Assert.That(await supervisorMedia.WaitForAudioAsync(TimeSpan.FromSeconds(10)), Is.True, "the supervisor's phone is joined\n" + platform.Output);
            var heard = await MeasureAsync(callerMedia, agentMedia, supervisorMedia);
            Assert.Multiple(() =>
            {
                Assert.That(heard.Supervisor.Caller, Is.GreaterThan(HeardLevel), "listen: the supervisor hears the caller");
                Assert.That(heard.Supervisor.Agent, Is.GreaterThan(HeardLevel), "listen: the supervisor hears the agent");
                Assert.That(heard.Caller.Agent, Is.GreaterThan(HeardLevel), "listen: the caller still hears the agent");
                Assert.That(heard.Agent.Caller, Is.GreaterThan(HeardLevel), "listen: the agent still hears the caller");
                Assert.That(heard.Caller.Supervisor, Is.LessThan(SilentLevel), "listen: the caller does not hear the supervisor");
                Assert.That(heard.Agent.Supervisor, Is.LessThan(SilentLevel), "listen: the agent does not hear the supervisor");
            });

            var whisper = await MonitorAsync(platform, callId, "whisper");
            Assert.That(whisper.Status, Is.EqualTo(HttpStatusCode.OK), whisper.Body);
            heard = await MeasureAsync(callerMedia, agentMedia, supervisorMedia);
            Assert.Multiple(() =>
            {
                Assert.That(heard.Agent.Supervisor, Is.GreaterThan(HeardLevel), "whisper: the agent hears the supervisor");
                Assert.That(heard.Agent.Caller, Is.GreaterThan(HeardLevel), "whisper: the agent hears the caller too");
                Assert.That(heard.Caller.Supervisor, Is.LessThan(SilentLevel), "whisper: the caller does not hear the supervisor");
                Assert.That(heard.Supervisor.Caller, Is.GreaterThan(HeardLevel), "whisper: the supervisor hears the caller");
                Assert.That(heard.Supervisor.Agent, Is.GreaterThan(HeardLevel), "whisper: the supervisor hears the agent");
            });

            var barge = await MonitorAsync(platform, callId, "barge");
            Assert.That(barge.Status, Is.EqualTo(HttpStatusCode.OK), barge.Body);
            heard = await MeasureAsync(callerMedia, agentMedia, supervisorMedia);
            Assert.Multiple(() =>
            {
                Assert.That(heard.Agent.Supervisor, Is.GreaterThan(HeardLevel), "barge: the agent hears the supervisor");
                Assert.That(heard.Caller.Supervisor, Is.GreaterThan(HeardLevel), "barge: the caller hears the supervisor");
                Assert.That(heard.Caller.Agent, Is.GreaterThan(HeardLevel), "barge: the caller hears the agent");
                Assert.That(heard.Agent.Caller, Is.GreaterThan(HeardLevel), "barge: the agent hears the caller");
                Assert.That(heard.Supervisor.Caller, Is.GreaterThan(HeardLevel), "barge: the supervisor hears the caller");
            });

            // The supervisor hangs up (its BYE is answered 200): the call stays bridged.
            var supervisorResult = await supervisor.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.That(supervisorResult.SuccessfulCalls, Is.EqualTo(1), "the supervisor's BYE is answered\n" + supervisorResult.Output + platform.Output);
        }

        await Task.Delay(300);
        var after = await MeasureAsync(callerMedia, agentMedia, supervisorMedia);
        var (_, agents) = await platform.GetApiAsync("api/agents");
        var agentState = agents.EnumerateArray().Single(a => a.GetProperty("id").GetString() == "1001");
        Assert.Multiple(() =>
        {
            Assert.That(agentState.GetProperty("state").GetString(), Is.EqualTo("onCall"));
            Assert.That(agentState.GetProperty("callId").GetString(), Is.EqualTo(callId));
            Assert.That(after.Caller.Agent, Is.GreaterThan(HeardLevel), "after the supervisor left the caller hears the agent");
            Assert.That(after.Agent.Caller, Is.GreaterThan(HeardLevel), "after the supervisor left the agent hears the caller");
            Assert.That(after.Caller.Supervisor, Is.LessThan(SilentLevel));
            Assert.That(after.Agent.Supervisor, Is.LessThan(SilentLevel));
            Assert.That(agents.EnumerateArray().Select(a => a.GetProperty("id").GetString()), Has.No.Member("1900"), "a supervisor's phone is not an agent");
        });

        // Listening again from a phone that waits for BYE, twice: a stop request hangs up the first
        // leg, the caller's hang-up ends the call and hangs up the second.
        await using var again = await AgentPhone.StartAsync(platform, "1900", calls: 2, ringMilliseconds: 200, makeAvailable: false, scenarioName: "monitor-phone.xml", values: Media(supervisorMedia));
        var listenToStop = await MonitorAsync(platform, callId, "listen");
        Assert.That(listenToStop.Status, Is.EqualTo(HttpStatusCode.OK), listenToStop.Body);
        Assert.That(await supervisorMedia.WaitForAudioAsync(TimeSpan.FromSeconds(10)), Is.True, platform.Output);
        var stop = await DeleteAsync(platform, $"api/calls/{callId}/monitor/1900");
        var stopAgain = await DeleteAsync(platform, $"api/calls/{callId}/monitor/1900");
        Assert.That(stop, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(stopAgain, Is.EqualTo(HttpStatusCode.NotFound), "1900 no longer monitors the call");
        await Task.Delay(500);

        var listenAgain = await MonitorAsync(platform, callId, "listen");
        Assert.That(listenAgain.Status, Is.EqualTo(HttpStatusCode.OK), listenAgain.Body);
        var sameAgain = await MonitorAsync(platform, callId, "listen");
        Assert.That(sameAgain.Status, Is.EqualTo(HttpStatusCode.OK), "asking again only sets the mode\n" + sameAgain.Body);
        Assert.That(await supervisorMedia.WaitForAudioAsync(TimeSpan.FromSeconds(10)), Is.True, platform.Output);

        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(90));
        var againResult = await again.WaitAsync(TimeSpan.FromSeconds(30));
        var agentResult = await agent.WaitAsync(TimeSpan.FromSeconds(30));
        var record = await platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13800000001", TimeSpan.FromSeconds(15))
            ?? throw new AssertionException("no record\n" + platform.Output);

        Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), callerResult.Output);
        Assert.That(againResult.SuccessfulCalls, Is.EqualTo(2), "the stop request and the call's end BYE the supervisor's phone\n" + againResult.Output + platform.Output);
        Assert.That(agentResult.SuccessfulCalls, Is.EqualTo(1), agentResult.Output);
        var supervisorLegs = record.GetProperty("legs").EnumerateArray().Where(l => l.GetProperty("role").GetString() == "supervisor")
            .Select(l => (l.GetProperty("party").GetString(), l.GetProperty("outcome").GetString())).ToList();
        Assert.That(supervisorLegs, Is.EqualTo(new[] { ("1900", "supervisor-hung-up"), ("1900", "stopped"), ("1900", "call-ended") }), record.ToString());
        Assert.That(record.GetProperty("disposition").GetString(), Is.EqualTo("caller-hung-up"));

        // The recording keeps the caller left and the agent right: the whisper is not in the caller's
        // channel; the barge is in the agent's (what the caller heard).
        var wav = WavFile.Read(record.GetProperty("recording").GetString()!);
        var (left, right) = Channels(wav.Data);
        Assert.That(MaxOverSeconds(left, SupervisorTone), Is.LessThan(SilentLevel), "the supervisor is never in the caller's channel");
        Assert.That(MaxOverSeconds(right, SupervisorTone), Is.GreaterThan(HeardLevel), "the barge is in the agent's channel");
        Assert.That(MaxOverSeconds(left, CallerTone), Is.GreaterThan(HeardLevel));
        Assert.That(MaxOverSeconds(right, AgentTone), Is.GreaterThan(HeardLevel));
    }

    private sealed record Levels(double Caller, double Agent, double Supervisor);

    private sealed record Heard(Levels Caller, Levels Agent, Levels Supervisor);

    /// <summary>After the change settles (0.4 s), 1.6 s of what each party hears, by tone.</summary>
    private static async Task<Heard> MeasureAsync(RtpProbe caller, RtpProbe agent, RtpProbe supervisor)
    {
        await Task.Delay(400);
        var from = RtpProbe.Now;
        await Task.Delay(1600);
        var to = RtpProbe.Now;
        Levels Of(RtpProbe p) => new(p.Heard(CallerTone, from, to), p.Heard(AgentTone, from, to), p.Heard(SupervisorTone, from, to));
        var heard = new Heard(Of(caller), Of(agent), Of(supervisor));
        await TestContext.Out.WriteLineAsync(heard.ToString());
        return heard;
    }

    private static Task<(HttpStatusCode Status, string Body)> MonitorAsync(PlatformProcess platform, string callId, string mode) =>
        platform.PostApiAsync($"api/calls/{callId}/monitor", $"{{\"mode\": \"{mode}\", \"extension\": \"1900\"}}");

    private static async Task<HttpStatusCode> DeleteAsync(PlatformProcess platform, string path)
    {
        using var http = new HttpClient { BaseAddress = platform.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", "demo-api-key");
        using var response = await http.DeleteAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode;
    }

    private static string Port(RtpProbe probe) => probe.Port.ToString(CultureInfo.InvariantCulture);

    private static Dictionary<string, string> Media(RtpProbe probe) => new() { ["{MEDIA_PORT}"] = Port(probe) };

    /// <summary>Polls GET /api/agents until the agent is in <paramref name="state"/> with a call; returns the call's id.</summary>
    private static async Task<string> WaitForAgentAsync(PlatformProcess platform, string agent, string state)
    {
        for (var attempt = 0; attempt < 400; attempt++)
        {
            var (_, agents) = await platform.GetApiAsync("api/agents");
            var entry = agents.EnumerateArray().Single(a => a.GetProperty("id").GetString() == agent);
            if (entry.GetProperty("state").GetString() == state && entry.TryGetProperty("callId", out var id) && id.GetString() is { } callId)
            {
                return callId;
            }

            await Task.Delay(50);
        }

        throw new AssertionException($"agent {agent} never reached {state}\n{platform.Output}");
    }

    internal static (short[] Left, short[] Right) Channels(byte[] data)
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

    /// <summary>The loudest one-second mean of a tone's per-frame amplitude over the channel.</summary>
    internal static double MaxOverSeconds(short[] channel, double frequency)
    {
        var perFrame = new List<double>();
        for (var at = 0; at + 160 <= channel.Length; at += 160)
        {
            var coefficient = 2 * Math.Cos(2 * Math.PI * frequency / 8000);
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
        for (var start = 0; start + 50 <= perFrame.Count; start += 25)
        {
            best = Math.Max(best, perFrame.Skip(start).Take(50).Average());
        }

        return best;
    }
}
