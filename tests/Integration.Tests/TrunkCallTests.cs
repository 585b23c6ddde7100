using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using CallCenter.Telephony.Media.Audio;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>
/// Trunks beyond the first call out, with real sipp as the carriers, on one platform: a first trunk on UDP that
/// says nothing at all is given up after its <c>Trunks:N:FailoverAfterSeconds</c> (not the INVITE's 32 s timeout)
/// and a transfer goes out through the next; a carrier the platform registered to delivers a call to the registered
/// Contact (its account name in the Request-URI, the DID in To) and it reaches the VIP line as the trusted caller;
/// an agent consults an outside number (through the silent trunk's failover), cancels, consults again and completes.
/// </summary>
[NonParallelizable]
public sealed class TrunkCallTests
{
    private const string Account = "cc-trunk-in";
    private int _answeringPort;
    private Sipp.Running? _registrar;
    private PlatformProcess? _platform;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // Nothing listens on the first trunk's UDP port. The registrar must be up before the platform registers.
        int silentPort = FreePorts.UdpAndTcp(), registrarPort = FreePorts.UdpAndTcp();
        _answeringPort = FreePorts.UdpAndTcp();
        _registrar = Sipp.Start("127.0.0.1:9", [
            "-sf", AgentPhone.Template("carrier-registers-then-calls.xml", new()
            {
                ["{USERNAME}"] = Account, ["{CALLER}"] = "13800000001", ["{DID}"] = "95501", ["{PAUSE_MS}"] = "4000", ["{TALK_MS}"] = "1500",
            }),
            "-m", "1", "-timeout", "90s", "-timeout_error"], registrarPort);
        await Task.Delay(500);
        _platform = await PlatformProcess.StartAsync([
            "--Agents:WrapUpSeconds=1",
            .. Trunk(0, "silent", silentPort, "--Trunks:0:FailoverAfterSeconds=2"),
            .. Trunk(1, "answering", _answeringPort),
            .. Trunk(2, "registrar", registrarPort, "--Trunks:2:Register=true", $"--Trunks:2:Username={Account}", "--Trunks:2:Password=in-secret-5")]);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_registrar is not null)
        {
            await _registrar.DisposeAsync();
        }

        if (_platform is not null)
        {
            await _platform.DisposeAsync();
        }
    }

    [Test]
    public async Task ACallARegisteredCarrierDeliversToOurContactReachesTheHotlineItsToNamesWithTheCallerBelieved()
    {
        var platform = _platform!;
        var carrier = await _registrar!.WaitAsync(TimeSpan.FromSeconds(60));
        var record = await platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13800000001", TimeSpan.FromSeconds(15))
            ?? throw new AssertionException("no record\n" + carrier.Output + platform.Output);

        Assert.Multiple(() =>
        {
            Assert.That(carrier.SuccessfulCalls, Is.EqualTo(1), "registered, then the INVITE to the Contact answered, talked, hung up\n" + carrier.Output + platform.Output);
            Assert.That(record.GetProperty("dialed").GetString(), Is.EqualTo("95501"), "the DID in To, not the account name of the Request-URI\n" + record);
            Assert.That(record.GetProperty("tier").GetString(), Is.EqualTo("Diamond"), "the trunk is a trusted peer: its caller id is believed\n" + record);
        });
    }

    [Test]
    public async Task ATransferGivesUpASilentUdpTrunkAfterItsFailoverSecondsAndGoesOutThroughTheNext()
    {
        var platform = _platform!;
        await using var answering = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("carrier-answer.xml", new() { ["{NUMBER}"] = "13800000009", ["{CALLER_ID}"] = "95500", ["{TALK_MS}"] = "1500" }),
            "-m", "1", "-timeout", "60s", "-timeout_error"], _answeringPort);
        await using var agent = await AgentPhone.StartAsync(platform, "1001");
        await using var caller = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("caller-until-bye.xml", new() { ["{CALLER}"] = "13800000002" }),
            "-s", "95501", "-m", "1", "-timeout", "60s", "-timeout_error"]);
        var callId = await WaitForAgentCallAsync(platform, "1001");

        var clock = Stopwatch.StartNew();
        var transfer = await platform.PostApiAsync($"api/calls/{callId}/transfer", "{\"target\": \"13800000009\"}");
        JsonElement trunks = default;
        while (clock.Elapsed < TimeSpan.FromSeconds(40))
        {
            (_, trunks) = await platform.GetApiAsync("api/trunks");
            if (trunks[0].GetProperty("lastFailure").ValueKind == JsonValueKind.String)
            {
                break;
            }

            await Task.Delay(100);
        }

        var gaveUpAfter = clock.Elapsed;
        var answered = await answering.WaitAsync(TimeSpan.FromSeconds(30));
        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(transfer.Status, Is.EqualTo(HttpStatusCode.OK), transfer.Body);
            Assert.That(trunks[0].GetProperty("lastFailure").GetString(), Does.Contain("no response"), trunks.ToString());
            Assert.That(gaveUpAfter, Is.GreaterThan(TimeSpan.FromSeconds(1.5)).And.LessThan(TimeSpan.FromSeconds(8)), "given up after the trunk's 2 s, not the INVITE's 32 s timeout");
            Assert.That(answered.SuccessfulCalls, Is.EqualTo(1), "the next trunk got the transfer and was bridged\n" + answered.Output + platform.Output);
            Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), "the caller talked to the outside party until it hung up\n" + callerResult.Output);
        });
    }

    [Test]
    public async Task AnAgentConsultsAnOutsideNumberCancelsWhileItRingsThenConsultsAgainAndCompletesToIt()
    {
        var platform = _platform!;
        await using var ringing = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("carrier-no-answer.xml", new() { ["{NUMBER}"] = "13800000009" }),
            "-m", "1", "-timeout", "60s", "-timeout_error"], _answeringPort);
        await using var agent = await AgentPhone.StartAsync(platform, "1001");
        await using var caller = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("caller-until-bye.xml", new() { ["{CALLER}"] = "13800000003" }),
            "-s", "95501", "-m", "1", "-timeout", "90s", "-timeout_error"]);
        var callId = await WaitForAgentCallAsync(platform, "1001");
        var barred = await platform.PostApiAsync("api/do-not-call", "{\"number\": \"13800000077\", \"reason\": \"asked not to be called\"}");

        var emergency = await platform.PostApiAsync($"api/calls/{callId}/consult", "{\"target\": \"110\"}");
        var doNotCall = await platform.PostApiAsync($"api/calls/{callId}/consult", "{\"target\": \"13800000077\"}");
        var first = await platform.PostApiAsync($"api/calls/{callId}/consult", "{\"target\": \"13800000009\"}");
        var transferMeanwhile = await platform.PostApiAsync($"api/calls/{callId}/transfer", "{\"target\": \"13800000009\"}");
        var notYet = await platform.PostApiAsync($"api/calls/{callId}/consult/complete", "{}");

        // The silent first trunk is given up after 2 s; the number then rings through the next, and is cancelled.
        await Task.Delay(5000);
        var cancel = await platform.PostApiAsync($"api/calls/{callId}/consult/cancel", "{}");
        var ringingResult = await ringing.WaitAsync(TimeSpan.FromSeconds(30));

        await using var answering = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("carrier-answer.xml", new() { ["{NUMBER}"] = "13800000009", ["{CALLER_ID}"] = "95500", ["{TALK_MS}"] = "5000" }),
            "-m", "1", "-timeout", "60s", "-timeout_error"], _answeringPort);
        var second = await platform.PostApiAsync($"api/calls/{callId}/consult", "{\"target\": \"138 0000 0009\"}");
        (System.Net.HttpStatusCode Status, string Body) complete = default;
        for (var i = 0; i < 150; i++)
        {
            complete = await platform.PostApiAsync($"api/calls/{callId}/consult/complete", "{}");
            if (complete.Status != HttpStatusCode.Conflict)
            {
                break;
            }

            await Task.Delay(100);
        }

        var agentResult = await agent.WaitAsync(TimeSpan.FromSeconds(30));
        var answered = await answering.WaitAsync(TimeSpan.FromSeconds(40));
        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(30));
        var record = await platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13800000003", TimeSpan.FromSeconds(15))
            ?? throw new AssertionException("no record\n" + platform.Output);

        Assert.Multiple(() =>
        {
            Assert.That(barred.Status, Is.EqualTo(HttpStatusCode.Created), barred.Body);
            Assert.That(emergency.Status, Is.EqualTo(HttpStatusCode.UnprocessableEntity), emergency.Body);
            Assert.That(emergency.Body, Does.Contain("emergency"));
            Assert.That(doNotCall.Status, Is.EqualTo(HttpStatusCode.UnprocessableEntity), doNotCall.Body);
            Assert.That(doNotCall.Body, Does.Contain("do-not-call"));
            Assert.That(first.Status, Is.EqualTo(HttpStatusCode.OK), first.Body + platform.Output);
            Assert.That(transferMeanwhile.Status, Is.EqualTo(HttpStatusCode.Conflict), "no blind transfer during a consultation\n" + transferMeanwhile.Body);
            Assert.That(notYet.Status, Is.EqualTo(HttpStatusCode.Conflict), "the number has not answered\n" + notYet.Body);
            Assert.That(cancel.Status, Is.EqualTo(HttpStatusCode.OK), cancel.Body);
            Assert.That(ringingResult.SuccessfulCalls, Is.EqualTo(1), "the number rang through the second trunk and got the CANCEL\n" + ringingResult.Output + platform.Output);
            Assert.That(second.Status, Is.EqualTo(HttpStatusCode.OK), second.Body);
            Assert.That(complete.Status, Is.EqualTo(HttpStatusCode.OK), complete.Body + platform.Output);
            Assert.That(agentResult.SuccessfulCalls, Is.EqualTo(1), "the agent's leg ends when the transfer completes\n" + agentResult.Output);
            Assert.That(answered.SuccessfulCalls, Is.EqualTo(1), "the number answered the consultation, then talked with the caller and hung up\n" + answered.Output + platform.Output);
            Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), "the caller gets the BYE when the outside party hangs up\n" + callerResult.Output);
            Assert.That(record.GetProperty("disposition").GetString(), Is.EqualTo("outside-hung-up"), record.ToString());
            var legs = record.GetProperty("legs").EnumerateArray()
                .Select(l => (l.GetProperty("role").GetString(), l.GetProperty("party").GetString(), l.GetProperty("outcome").GetString())).ToList();
            Assert.That(legs, Does.Contain(("consult", "+8613800000009", "consult-cancelled")), record.ToString());
            Assert.That(legs, Does.Contain(("consult", "+8613800000009", "transferred-to")), record.ToString());
            Assert.That(legs, Does.Contain(("agent", "1001", "transferred")), record.ToString());
            Assert.That(legs, Does.Contain(("outside", "+8613800000009", "outside-hung-up")), record.ToString());
        });
    }

    [Test]
    public async Task AnAnsweredConsultationOfAnOutsideNumberIsRecordedBothWaysInTheCallsRecordingWhereItsLegSays()
    {
        var platform = _platform!;

        // The agent's phone and the number both send sipp's A-law capture from their answer (7 s): the consultation is
        // answered some 2 s into the agent's (after the silent trunk), and the number hangs up 3 s later.
        await using var answering = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("carrier-answer.xml", new() { ["{NUMBER}"] = "13800000009", ["{CALLER_ID}"] = "95500", ["{TALK_MS}"] = "3000" }),
            "-m", "1", "-timeout", "60s", "-timeout_error"], _answeringPort);
        await using var agent = await AgentPhone.StartAsync(platform, "1001");
        await using var caller = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("caller-until-bye.xml", new() { ["{CALLER}"] = "13800000001" }),
            "-s", "95501", "-m", "1", "-timeout", "60s", "-timeout_error"]);
        var callId = await WaitForAgentCallAsync(platform, "1001");
        var consult = await platform.PostApiAsync($"api/calls/{callId}/consult", "{\"target\": \"13800000009\"}");
        var answered = await answering.WaitAsync(TimeSpan.FromSeconds(40));
        await Task.Delay(500);
        var hangUp = await platform.PostApiAsync($"api/calls/{callId}/hangup", "{}");
        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(30));
        var record = await platform.WaitForCallRecordAsync(c => c.GetProperty("id").GetString() == callId, TimeSpan.FromSeconds(15))
            ?? throw new AssertionException("no record\n" + platform.Output);

        Assert.That(consult.Status, Is.EqualTo(HttpStatusCode.OK), consult.Body + platform.Output);
        Assert.That(answered.SuccessfulCalls, Is.EqualTo(1), "the number answered the consultation and hung up\n" + answered.Output + platform.Output);
        Assert.That(hangUp.Status, Is.EqualTo(HttpStatusCode.OK), hangUp.Body);
        Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), callerResult.Output);
        var leg = record.GetProperty("legs").EnumerateArray().Single(l => l.GetProperty("role").GetString() == "consult");
        Assert.That(leg.GetProperty("outcome").GetString(), Is.EqualTo("consulted-hung-up"), record.ToString());
        Assert.That(leg.GetProperty("recordedFrom").ValueKind, Is.EqualTo(JsonValueKind.Number), "the consultation's leg names where it is in the recording\n" + record);
        double from = leg.GetProperty("recordedFrom").GetDouble(), to = leg.GetProperty("recordedTo").GetDouble();
        var talked = (leg.GetProperty("endedAt").GetDateTimeOffset() - leg.GetProperty("answeredAt").GetDateTimeOffset()).TotalSeconds;
        Assert.That(to - from, Is.EqualTo(talked).Within(0.5), record.ToString());

        // Both sides of the consultation are in the call's one recording between those positions, sample for sample as
        // sent: on the left the number's voice (its capture from the consultation's start), on the right the agent's (its
        // capture from the call's answer, where the recording starts), not the hold music the caller hears meanwhile.
        var sent = TestAudio.PcapALaw("/usr/share/sip-tester/g711a.pcap");
        var wav = WavFile.Read(record.GetProperty("recording").GetString()!);
        var number = Matches(TestAudio.Channel(wav.Data, 0, from, to), sent);
        var agentVoice = Matches(TestAudio.Channel(wav.Data, 1, from, to), sent);
        Assert.Multiple(() =>
        {
            Assert.That(number, Has.Count.GreaterThanOrEqualTo(3), "the number's voice on the left during the consultation");
            Assert.That(number.Select(m => m.Sent - m.At), Has.All.InRange(-0.6, 0.6), "the number's voice starts where the leg says the consultation does");
            Assert.That(agentVoice, Has.Count.GreaterThanOrEqualTo(3), "the agent's voice on the right during the consultation, not the caller's hold music");
            Assert.That(agentVoice.Select(m => m.Sent - (m.At + from)), Has.All.InRange(-0.6, 0.6), "the agent's capture, in step with the recording");
        });
    }

    /// <summary>
    /// Runs of 80 samples with some sound in <paramref name="recorded"/> (every 50 ms) found sample for sample in
    /// <paramref name="sent"/>: where each is in the recorded part and in what was sent, in seconds.
    /// </summary>
    private static List<(double At, double Sent)> Matches(short[] recorded, short[] sent)
    {
        var found = new List<(double, double)>();
        for (var at = 0; at + 80 <= recorded.Length; at += 400)
        {
            var run = recorded.AsSpan(at, 80);
            if (TestAudio.Rms(run.ToArray()) > 300 && TestAudio.IndexOfRun(sent, run) is var index and >= 0)
            {
                found.Add((at / 8000.0, index / 8000.0));
            }
        }

        return found;
    }

    private static string[] Trunk(int index, string name, int port, params string[] more)
    {
        var key = "--Trunks:" + index.ToString(CultureInfo.InvariantCulture);
        return [$"{key}:Name={name}", $"{key}:Address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", $"{key}:Transport=udp", $"{key}:CallerId=95500", .. more];
    }

    private static async Task<string> WaitForAgentCallAsync(PlatformProcess platform, string agent)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var (_, agents) = await platform.GetApiAsync("api/agents");
            var entry = agents.EnumerateArray().Single(a => a.GetProperty("id").GetString() == agent);
            if (entry.GetProperty("state").GetString() == "onCall" && entry.TryGetProperty("callId", out var id) && id.GetString() is { } callId)
            {
                return callId;
            }

            await Task.Delay(100);
        }

        throw new AssertionException($"agent {agent} never got the call\n{platform.Output}");
    }
}
