using System.Globalization;
using System.Text.Json;
using CallCenter.Telephony.Media.Audio;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>
/// Calls out through a SIP trunk, with a real sipp as the carrier's SBC: the dial plan refuses what
/// must not be dialled before any INVITE leaves, the carrier's 401 is answered with the trunk's digest
/// credentials, and a call transferred to an outside number is bridged and recorded until the outside
/// party hangs up.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public sealed class OutboundTrunkTests
{
    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ACallTransferredToAnOutsideNumberGoesThroughTheTrunkAnswersItsChallengeAndIsBridgedUntilTheOutsidePartyHangsUp()
    {
        var carrierPort = FreePorts.UdpAndTcp();
        await using var platform = await PlatformProcess.StartAsync([
            "--Sip:DigestAlgorithms:0=MD5", "--Agents:WrapUpSeconds=1", "--Logging:LogLevel:Default=Information", // every line the password could leak into
            "--Trunks:0:Name=carrier", $"--Trunks:0:Address=127.0.0.1:{carrierPort.ToString(CultureInfo.InvariantCulture)}", "--Trunks:0:Transport=udp",
            "--Trunks:0:Username=cc-trunk", "--Trunks:0:Password=trunk-secret-7", "--Trunks:0:CallerId=95500"]);
        var carrierScenario = AgentPhone.Template("carrier-challenge.xml", new()
        {
            ["{NUMBER}"] = "13800000009",
            ["{CALLER_ID}"] = "95500",
            ["{USERNAME}"] = "cc-trunk",
            ["{PASSWORD}"] = "trunk-secret-7",
            ["{TALK_MS}"] = "3000",
        });
        await using var carrier = Sipp.Start($"127.0.0.1:{platform.SipPort}", ["-sf", carrierScenario, "-m", "1", "-timeout", "90s", "-timeout_error"], carrierPort);
        await using var agent = await AgentPhone.StartAsync(platform, "1001");
        await using var caller = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("caller-until-bye.xml", new() { ["{CALLER}"] = "13800000002" }),
            "-s", "95501", "-m", "1", "-timeout", "90s", "-timeout_error"]);
        var callId = await WaitForAgentCallAsync(platform, "1001");

        var emergency = await platform.PostApiAsync($"api/calls/{callId}/transfer", "{\"target\": \"110\"}");
        var abroad = await platform.PostApiAsync($"api/calls/{callId}/transfer", "{\"target\": \"+44 20 7946 0000\"}");
        var transfer = await platform.PostApiAsync($"api/calls/{callId}/transfer", "{\"target\": \"138 0000 0009\"}");
        Sipp.Result carrierResult;
        try
        {
            carrierResult = await carrier.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (AssertionException e)
        {
            throw new AssertionException($"the carrier's sipp did not finish: {e.Message}\n{platform.Output}");
        }

        Sipp.Result callerResult;
        try
        {
            callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (AssertionException e)
        {
            throw new AssertionException($"the caller's sipp did not get its BYE: {e.Message}\n{carrierResult.Output}\n{platform.Output}");
        }

        var agentResult = await agent.WaitAsync(TimeSpan.FromSeconds(30));
        var record = await platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13800000002", TimeSpan.FromSeconds(15))
            ?? throw new AssertionException("no record\n" + platform.Output);

        Assert.Multiple(() =>
        {
            // Refused with the dial plan's reason, and nothing reached the carrier for them (its one call is the real one).
            Assert.That(emergency.Status, Is.EqualTo(System.Net.HttpStatusCode.UnprocessableEntity), emergency.Body);
            Assert.That(emergency.Body, Does.Contain("emergency"));
            Assert.That(abroad.Status, Is.EqualTo(System.Net.HttpStatusCode.UnprocessableEntity), abroad.Body);
            Assert.That(abroad.Body, Does.Contain("international"));
            Assert.That(transfer.Status, Is.EqualTo(System.Net.HttpStatusCode.OK), transfer.Body);
            Assert.That(carrierResult.SuccessfulCalls, Is.EqualTo(1), "the carrier: INVITE for 13800000009 from 95500, 401, INVITE with valid credentials, answer, its BYE answered\n" + carrierResult.Output + platform.Output);
            Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), "the caller gets the platform's BYE when the outside party hangs up\n" + callerResult.Output);
            Assert.That(agentResult.SuccessfulCalls, Is.EqualTo(1), "the agent's leg ends with the transfer\n" + agentResult.Output);
            Assert.That(record.GetProperty("disposition").GetString(), Is.EqualTo("outside-hung-up"), record.ToString());
            var legs = record.GetProperty("legs").EnumerateArray()
                .Select(l => (l.GetProperty("role").GetString(), l.GetProperty("party").GetString(), l.GetProperty("outcome").GetString())).ToList();
            Assert.That(legs, Does.Contain(("agent", "1001", "transferred")));
            Assert.That(legs, Does.Contain(("outside", "+8613800000009", "outside-hung-up")));
        });

        // One recording from the agent's answer to the end; its left channel holds the outside party's voice after the transfer.
        var wav = WavFile.Read(record.GetProperty("recording").GetString()!);
        var seconds = wav.Data.Length / (double)wav.Format.ByteRate;
        var span = (record.GetProperty("endedAt").GetDateTimeOffset() - record.GetProperty("answeredAt").GetDateTimeOffset()).TotalSeconds;
        Assert.That(seconds, Is.EqualTo(span).Within(0.5), record.ToString());
        Assert.That(platform.Output, Does.Not.Contain("trunk-secret-7"), "the trunk's password is never logged");
    }

    [Test]
    public async Task ABlindTransferToANumberOnTheDoNotCallListIsRefusedWithItsReasonBeforeAnyInviteLeaves()
    {
        var carrierPort = FreePorts.UdpAndTcp();
        await using var platform = await PlatformProcess.StartAsync([
            "--Agents:WrapUpSeconds=1",
            "--Trunks:0:Name=carrier", $"--Trunks:0:Address=127.0.0.1:{carrierPort.ToString(CultureInfo.InvariantCulture)}", "--Trunks:0:Transport=udp", "--Trunks:0:CallerId=95500"]);

        // The carrier takes one call, and only for 13800000009: an INVITE for the barred number would be its first and fail it.
        await using var carrier = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("carrier-answer.xml", new() { ["{NUMBER}"] = "13800000009", ["{CALLER_ID}"] = "95500", ["{TALK_MS}"] = "1500" }),
            "-m", "1", "-timeout", "60s", "-timeout_error"], carrierPort);
        await using var agent = await AgentPhone.StartAsync(platform, "1001");
        await using var caller = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("caller-until-bye.xml", new() { ["{CALLER}"] = "13800000002" }),
            "-s", "95501", "-m", "1", "-timeout", "90s", "-timeout_error"]);
        var callId = await WaitForAgentCallAsync(platform, "1001");
        var barred = await platform.PostApiAsync("api/do-not-call", "{\"number\": \"13800000077\", \"reason\": \"asked not to be called\"}");

        // Every spelling of the number is the same number on the list.
        var refused = await platform.PostApiAsync($"api/calls/{callId}/transfer", "{\"target\": \"138 0000 0077\"}");
        var refusedE164 = await platform.PostApiAsync($"api/calls/{callId}/transfer", "{\"target\": \"+8613800000077\"}");
        await Task.Delay(1000);
        var (_, agentsAfter) = await platform.GetApiAsync("api/agents");
        var stillWithAgent = agentsAfter.EnumerateArray().Single(a => a.GetProperty("id").GetString() == "1001");
        var transfer = await platform.PostApiAsync($"api/calls/{callId}/transfer", "{\"target\": \"13800000009\"}");
        var carrierResult = await carrier.WaitAsync(TimeSpan.FromSeconds(60));
        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(60));
        var record = await platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13800000002", TimeSpan.FromSeconds(15))
            ?? throw new AssertionException("no record\n" + platform.Output);

        Assert.Multiple(() =>
        {
            Assert.That(barred.Status, Is.EqualTo(System.Net.HttpStatusCode.Created), barred.Body);
            Assert.That(refused.Status, Is.EqualTo(System.Net.HttpStatusCode.UnprocessableEntity), refused.Body);
            Assert.That(refused.Body, Does.Contain("do-not-call").And.Contain("asked not to be called"));
            Assert.That(refusedE164.Status, Is.EqualTo(System.Net.HttpStatusCode.UnprocessableEntity), refusedE164.Body);
            Assert.That(stillWithAgent.GetProperty("state").GetString(), Is.EqualTo("onCall"), "a refused transfer leaves the caller with the agent " + stillWithAgent);
            Assert.That(transfer.Status, Is.EqualTo(System.Net.HttpStatusCode.OK), transfer.Body);
            Assert.That((carrierResult.SuccessfulCalls, carrierResult.FailedCalls), Is.EqualTo((1L, 0L)),
                "the carrier's one INVITE was for the allowed number; none left for the barred one\n" + carrierResult.Output + platform.Output);
            Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), callerResult.Output);
            var outside = record.GetProperty("legs").EnumerateArray().Where(l => l.GetProperty("role").GetString() == "outside").Select(l => l.GetProperty("party").GetString()).ToList();
            Assert.That(outside, Is.EqualTo(new[] { "+8613800000009" }), record.ToString());
        });
    }

    [Test]
    public async Task ABlindTransferToABusyOutsideNumberBringsTheCallerBackToTheQueueWithOneRecord()
    {
        var carrierPort = FreePorts.UdpAndTcp();
        await using var platform = await PlatformProcess.StartAsync([
            "--Agents:WrapUpSeconds=1",
            "--Trunks:0:Name=carrier", $"--Trunks:0:Address=127.0.0.1:{carrierPort.ToString(CultureInfo.InvariantCulture)}", "--Trunks:0:Transport=udp", "--Trunks:0:CallerId=95500"]);
        await using var carrier = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("carrier-busy.xml", new() { ["{NUMBER}"] = "13800000009" }),
            "-m", "1", "-timeout", "60s", "-timeout_error"], carrierPort);

        // The agent answers twice: the call, then the same caller again once the number was busy.
        await using var agent = await AgentPhone.StartAsync(platform, "1001", calls: 2);
        await using var caller = AgentPhone.StartCaller(platform, "13800000003", holdMilliseconds: 16_000);
        var callId = await WaitForAgentCallAsync(platform, "1001");
        var transfer = await platform.PostApiAsync($"api/calls/{callId}/transfer", "{\"target\": \"13800000009\"}");
        var carrierResult = await carrier.WaitAsync(TimeSpan.FromSeconds(60));
        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(90));
        var agentResult = await agent.WaitAsync(TimeSpan.FromSeconds(30));
        var record = await platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13800000003", TimeSpan.FromSeconds(15))
            ?? throw new AssertionException("no record\n" + platform.Output);
        await Task.Delay(1000);
        var (_, calls) = await platform.GetApiAsync("api/calls?limit=20");

        Assert.Multiple(() =>
        {
            Assert.That(transfer.Status, Is.EqualTo(System.Net.HttpStatusCode.OK), transfer.Body);
            Assert.That(carrierResult.SuccessfulCalls, Is.EqualTo(1), "the carrier rang the number and said busy\n" + carrierResult.Output + platform.Output);
            Assert.That(agentResult.SuccessfulCalls, Is.EqualTo(2), "the caller came back from the queue to the agent\n" + agentResult.Output + platform.Output);
            Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), "the caller was never dropped\n" + callerResult.Output);
            Assert.That(calls.EnumerateArray().Count(c => c.GetProperty("caller").GetString() == "13800000003"), Is.EqualTo(1), "one call, one record " + calls);
            Assert.That(record.GetProperty("id").GetString(), Is.EqualTo(callId));
            var legs = record.GetProperty("legs").EnumerateArray()
                .Select(l => (l.GetProperty("role").GetString(), l.GetProperty("party").GetString(), l.GetProperty("outcome").GetString())).ToList();
            Assert.That(legs, Does.Contain(("outside", "+8613800000009", "rejected 486")), record.ToString());
            Assert.That(legs.Count(l => l.Item1 == "agent" && l.Item2 == "1001"), Is.EqualTo(2), "the agent before the transfer and after the busy number " + record);
        });
    }

    [Test]
    public async Task WithoutATrunkAnOutsideNumberIsRefusedSayingSo()
    {
        await using var platform = await PlatformProcess.StartAsync(["--Sip:DigestAlgorithms:0=MD5", "--Agents:WrapUpSeconds=1"]);
        await using var agent = await AgentPhone.StartAsync(platform, "1001");
        await using var caller = AgentPhone.StartCaller(platform, "13800000002", holdMilliseconds: 12_000);
        var callId = await WaitForAgentCallAsync(platform, "1001");

        var transfer = await platform.PostApiAsync($"api/calls/{callId}/transfer", "{\"target\": \"13800000009\"}");

        Assert.That(transfer.Status, Is.EqualTo(System.Net.HttpStatusCode.UnprocessableEntity), transfer.Body);
        Assert.That(transfer.Body, Does.Contain("no trunk is configured"));
    }

    [Test]
    public async Task ATrunkWithABadAddressOrTransportStopsTheStartWithItsKey()
    {
        await using var platform = PlatformProcess.Start("--Trunks:0:Name=carrier", "--Trunks:0:Address=carrier.example", "--Trunks:0:Transport=sctp", "--Trunks:0:CallerId=95500");

        var exitCode = await platform.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.That(exitCode, Is.EqualTo(2), platform.Output);
        Assert.That(platform.Output, Does.Contain("Trunks:0:Address").And.Contain("Trunks:0:Transport"));
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
