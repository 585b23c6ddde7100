using System.Globalization;
using System.Net;
using System.Text.Json;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>
/// A slow first trunk, with real sipp as both carriers: it says nothing for longer than its
/// <c>Trunks:0:FailoverAfterSeconds</c>, so the number goes out through the next trunk and is bridged there; when
/// the slow trunk then answers (200) the platform ACKs and BYEs that late answer (RFC 3261 13.2.2.4, 15), and when it
/// then rings (180) the platform CANCELs it (RFC 3261 9.1), so the client's phone is never left ringing or connected twice.
/// </summary>
[NonParallelizable]
public sealed class TrunkLateAnswerTests
{
    private int _slowPort;
    private int _answeringPort;
    private PlatformProcess? _platform;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _slowPort = FreePorts.UdpAndTcp();
        _answeringPort = FreePorts.UdpAndTcp();
        _platform = await PlatformProcess.StartAsync([
            "--Agents:WrapUpSeconds=1",
            .. Trunk(0, "slow", _slowPort, "--Trunks:0:FailoverAfterSeconds=2"),
            .. Trunk(1, "answering", _answeringPort)]);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_platform is not null)
        {
            await _platform.DisposeAsync();
        }
    }

    [Test]
    public async Task TheFirstTrunksAnswerAfterTheFailoverIsAckedAndHungUpWhileTheCallGoesOnThroughTheNext()
    {
        var platform = _platform!;
        await using var slow = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("carrier-answers-late.xml", new() { ["{NUMBER}"] = "13800000009", ["{SILENT_MS}"] = "5000" }),
            "-m", "1", "-timeout", "60s", "-timeout_error"], _slowPort);
        await using var answering = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("carrier-answer.xml", new() { ["{NUMBER}"] = "13800000009", ["{CALLER_ID}"] = "95500", ["{TALK_MS}"] = "6000" }),
            "-m", "1", "-timeout", "60s", "-timeout_error"], _answeringPort);
        var (transfer, caller) = await TransferAsync(platform, "13800000001");
        await using var callerProcess = caller;

        var slowResult = await slow.WaitAsync(TimeSpan.FromSeconds(40));
        var answered = await answering.WaitAsync(TimeSpan.FromSeconds(40));
        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(40));
        var record = await platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13800000001", TimeSpan.FromSeconds(15))
            ?? throw new AssertionException("no record\n" + platform.Output);

        Assert.Multiple(() =>
        {
            Assert.That(transfer.Status, Is.EqualTo(HttpStatusCode.OK), transfer.Body);
            Assert.That(slowResult.SuccessfulCalls, Is.EqualTo(1), "the slow trunk's late 200 got its ACK, then a BYE\n" + slowResult.Output + platform.Output);
            Assert.That(answered.SuccessfulCalls, Is.EqualTo(1), "the next trunk's call was bridged and talked to its end\n" + answered.Output + platform.Output);
            Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), "the caller stayed with the outside party until it hung up\n" + callerResult.Output);
            Assert.That(record.GetProperty("disposition").GetString(), Is.EqualTo("outside-hung-up"), record.ToString());
            var outside = OutsideLegs(record);
            Assert.That(outside, Is.EqualTo(new[] { ("+8613800000009", "outside-hung-up") }), "one outside party, the one the next trunk reached " + record);
        });
    }

    [Test]
    public async Task TheFirstTrunksRingingAfterTheFailoverIsCancelled()
    {
        var platform = _platform!;
        await using var slow = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("carrier-rings-late.xml", new() { ["{NUMBER}"] = "13800000009", ["{SILENT_MS}"] = "5000" }),
            "-m", "1", "-timeout", "60s", "-timeout_error"], _slowPort);
        await using var answering = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("carrier-answer.xml", new() { ["{NUMBER}"] = "13800000009", ["{CALLER_ID}"] = "95500", ["{TALK_MS}"] = "6000" }),
            "-m", "1", "-timeout", "60s", "-timeout_error"], _answeringPort);
        var (transfer, caller) = await TransferAsync(platform, "13800000003");
        await using var callerProcess = caller;

        var slowResult = await slow.WaitAsync(TimeSpan.FromSeconds(40));
        var answered = await answering.WaitAsync(TimeSpan.FromSeconds(40));
        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(40));

        Assert.Multiple(() =>
        {
            Assert.That(transfer.Status, Is.EqualTo(HttpStatusCode.OK), transfer.Body);
            Assert.That(slowResult.SuccessfulCalls, Is.EqualTo(1), "the slow trunk's late 180 got a CANCEL, its 487 an ACK\n" + slowResult.Output + platform.Output);
            Assert.That(answered.SuccessfulCalls, Is.EqualTo(1), answered.Output + platform.Output);
            Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), callerResult.Output);
        });
    }

    /// <summary>A caller reaches agent 1001, who transfers them blind to 13800000009 (the slow trunk first).</summary>
    private static async Task<((HttpStatusCode Status, string Body) Transfer, Sipp.Running Caller)> TransferAsync(PlatformProcess platform, string callerNumber)
    {
        await using var agent = await AgentPhone.StartAsync(platform, "1001");
        var caller = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("caller-until-bye.xml", new() { ["{CALLER}"] = callerNumber }),
            "-s", "95501", "-m", "1", "-timeout", "60s", "-timeout_error"]);
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var (_, agents) = await platform.GetApiAsync("api/agents");
            var entry = agents.EnumerateArray().Single(a => a.GetProperty("id").GetString() == "1001");
            if (entry.GetProperty("state").GetString() == "onCall" && entry.TryGetProperty("callId", out var id) && id.GetString() is { } callId)
            {
                var transfer = await platform.PostApiAsync($"api/calls/{callId}/transfer", "{\"target\": \"13800000009\"}");
                var agentResult = await agent.WaitAsync(TimeSpan.FromSeconds(30));
                Assert.That(agentResult.SuccessfulCalls, Is.EqualTo(1), "the agent's leg ends with the transfer\n" + agentResult.Output);
                return (transfer, caller);
            }

            await Task.Delay(100);
        }

        await caller.DisposeAsync();
        throw new AssertionException($"agent 1001 never got the call\n{platform.Output}");
    }

    private static List<(string?, string?)> OutsideLegs(JsonElement record) =>
        [.. record.GetProperty("legs").EnumerateArray()
            .Where(l => l.GetProperty("role").GetString() == "outside")
            .Select(l => (l.GetProperty("party").GetString(), l.GetProperty("outcome").GetString()))];

    private static string[] Trunk(int index, string name, int port, params string[] more)
    {
        var key = "--Trunks:" + index.ToString(CultureInfo.InvariantCulture);
        return [$"{key}:Name={name}", $"{key}:Address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", $"{key}:Transport=udp", $"{key}:CallerId=95500", .. more];
    }
}
