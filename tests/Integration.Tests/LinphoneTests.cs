using System.Net;
using System.Text.Json;
using CallCenter.Telephony.Media.Audio;

namespace CallCenter.Integration.Tests;

/// <summary>
/// Debian's linphone (linphone-daemon, liblinphone 5.1) as a real peer against the platform as it
/// ships: registering as an agent, calling the hotline with RFC 4733 keys, answering as an agent.
/// </summary>
[NonParallelizable]
public sealed class LinphoneTests
{
    [Test]
    public async Task LinphoneRegistersAsAgent1001WithTheDefaultDigestSettings()
    {
        await using var platform = await PlatformProcess.StartAsync();
        await using var phone = Linphone.Start("1001");

        var registered = await phone.RegisterAsync(platform, "1001", "demo-1001", TimeSpan.FromSeconds(20));
        var (_, agents) = await platform.GetApiAsync("api/agents");

        Assert.That(registered, Is.True, phone.Output + phone.Log() + platform.Output);
        Assert.That(Agent(agents, "1001").GetProperty("registered").GetBoolean(), Is.True, agents.ToString());
    }

    [Test]
    public async Task LinphoneWithAWrongPasswordIsNotRegistered()
    {
        // The test above would pass against a registrar that let anyone in; this one would not.
        await using var platform = await PlatformProcess.StartAsync();
        await using var phone = Linphone.Start("1001");

        var registered = await phone.RegisterAsync(platform, "1001", "not-the-password", TimeSpan.FromSeconds(6));
        var (_, agents) = await platform.GetApiAsync("api/agents");

        Assert.That(registered, Is.False, phone.Output);
        Assert.That(Agent(agents, "1001").GetProperty("registered").GetBoolean(), Is.False);
    }

    // Key 1 is 中文 and key 2 English on the language menu. A caller pressing nothing also ends up in
    // Mandarin, but only after the 4.2 s prompt and a 5 s timeout: the call below ends before that, and
    // the English case can only come from the key.
    [TestCase("1", "13900000091", "95500.zh", "95500.en")]
    [TestCase("2", "13900000092", "95500.en", "95500.zh")]
    public async Task LinphoneCallsTheHotlineOverIpv4PressesAKeyAndHangsUp(string key, string caller, string chosen, string notChosen)
    {
        await using var platform = await PlatformProcess.StartAsync();
        await using var phone = Linphone.Start(caller);

        await phone.SendAsync($"call sip:95500@127.0.0.1:{platform.SipPort}");
        Assert.That(await phone.WaitForOutputAsync("Event: LinphoneCallStreamsRunning", TimeSpan.FromSeconds(15)), Is.True, phone.Output + phone.Log() + platform.Output);

        // A tone as linphone's microphone, the key once the language prompt plays, then hang up during the welcome.
        await phone.PlayToneAsync(10);
        await Task.Delay(3000);
        await phone.SendAsync("dtmf " + key);
        await Task.Delay(3000);
        await phone.SendAsync("terminate");
        Assert.That(await phone.WaitForOutputAsync("Event: LinphoneCallEnd", TimeSpan.FromSeconds(10)), Is.True, phone.Output);

        var record = await platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == caller, TimeSpan.FromSeconds(15))
            ?? throw new AssertionException("no record\n" + phone.Output + platform.Output);
        var log = phone.Log();
        var (_, health) = await platform.GetApiAsync("health");

        var path = record.GetProperty("ivrPath").EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.That(path, Does.Contain(chosen).And.Not.Contain(notChosen), record.ToString());
        var seconds = (record.GetProperty("endedAt").GetDateTimeOffset() - record.GetProperty("startedAt").GetDateTimeOffset()).TotalSeconds;
        Assert.That(seconds, Is.LessThan(9), "ended before the language menu's no-key timeout\n" + record);
        Assert.That(record.GetProperty("disposition").GetString(), Is.EqualTo("caller-hung-up"), record.ToString());
        Assert.That(record.GetProperty("legs")[0].GetProperty("outcome").GetString(), Is.EqualTo("caller-hung-up"));

        // linphone's RTP was taken (about 6 s of 20 ms packets; without the tone it sends only its key events).
        Assert.That(health.GetProperty("media").GetProperty("rtpPacketsReceived").GetInt64(), Is.GreaterThan(150), health.ToString());

        // The offer was IPv4 (use_ipv6=0), and the key went as an RFC 4733 event in RTP, not as a SIP INFO.
        Assert.That(log, Does.Contain("c=IN IP4 127.0.0.1"), "linphone's offer");
        Assert.That(log, Does.Not.Contain("IN IP6"));
        Assert.That(log, Does.Contain("telephone-event/8000"));
        Assert.That(log, Does.Not.Contain("INFO sip:"));
    }

    [Test]
    public async Task LinphoneAsAgent1001AnswersAQueuedCallerAutomaticallyAndIsBridged()
    {
        await using var platform = await PlatformProcess.StartAsync("--Agents:WrapUpSeconds=1");
        await using var agent = Linphone.Start("1001", answerAutomatically: true);
        Assert.That(await agent.RegisterAsync(platform, "1001", "demo-1001", TimeSpan.FromSeconds(20)), Is.True, agent.Output + platform.Output);
        var available = await platform.PostApiAsync("api/agents/1001/state", "{\"state\": \"available\"}");
        Assert.That(available.Status, Is.EqualTo(HttpStatusCode.OK), available.Body);

        // A Diamond client on the VIP line (sipp), bridged to linphone for about 5 s, then hangs up;
        // linphone answers on its own and sends a tone once its media runs.
        await using var caller = AgentPhone.StartCaller(platform, "13800000001", holdMilliseconds: 14_000, timeout: "60s");
        Assert.That(await agent.WaitForOutputAsync("Event: LinphoneCallStreamsRunning", TimeSpan.FromSeconds(30)), Is.True, agent.Output + platform.Output);
        await agent.PlayToneAsync(10);
        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.That(await agent.WaitForOutputAsync("Event: LinphoneCallEnd", TimeSpan.FromSeconds(10)), Is.True, agent.Output + platform.Output);
        var record = await platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13800000001", TimeSpan.FromSeconds(15))
            ?? throw new AssertionException("no record\n" + platform.Output);

        Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), callerResult.Output);
        Assert.That(agent.Output, Does.Contain("Event: LinphoneCallIncomingReceived"));
        Assert.That(record.GetProperty("agent").GetString(), Is.EqualTo("1001"), record.ToString());
        Assert.That(record.GetProperty("disposition").GetString(), Is.EqualTo("caller-hung-up"), record.ToString());
        Assert.That(record.GetProperty("talkSeconds").GetDouble(), Is.GreaterThan(2), record.ToString());

        // Both voices in the stereo recording: the caller's on the left, linphone's tone on the right,
        // relayed from linphone's RTP.
        var wav = WavFile.Read(record.GetProperty("recording").GetString()!);
        var (left, right) = TestAudio.ChannelEnergy(wav.Data);
        Assert.That(left, Is.GreaterThan(200), "the caller's channel");
        Assert.That(right, Is.GreaterThan(200), "linphone's channel");
    }

    private static JsonElement Agent(JsonElement agents, string id) =>
        agents.EnumerateArray().Single(a => a.GetProperty("id").GetString() == id);
}
