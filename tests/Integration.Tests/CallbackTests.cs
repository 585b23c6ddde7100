using System.Globalization;
using System.Net;
using System.Text.Json;
using CallCenter.TestSupport;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace CallCenter.Integration.Tests;

/// <summary>
/// Callbacks that keep their promise, with real sipp as the callers, the agent's phone and the carrier
/// behind the trunk: a caller in the queue presses 1 and is hung up; their callback keeps their place,
/// so when an agent is free it goes before a later caller of the same tier; the agent's phone rings
/// first, then the client's number through the trunk, and the two are bridged and recorded as an
/// outbound call. A client who is busy is tried again as configured, then the callback fails for good.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public sealed class CallbackTests
{
    private string _captures = "";

    [SetUp]
    public void MakeCaptures() => _captures = Directory.CreateTempSubdirectory("callback-dtmf-").FullName;

    [TearDown]
    public void RemoveCaptures() => Directory.Delete(_captures, recursive: true);

    [Test]
    public async Task ACallerWhoPresses1KeepsTheirPlaceAndIsCalledBackThroughTheTrunkBeforeALaterCallerOfTheSameTier()
    {
        var carrierPort = FreePorts.UdpAndTcp();
        await using var platform = await PlatformProcess.StartAsync([
            "--Agents:WrapUpSeconds=1", "--Logging:LogLevel:Default=Information",
            "--Trunks:0:Name=carrier", $"--Trunks:0:Address=127.0.0.1:{carrierPort.ToString(CultureInfo.InvariantCulture)}", "--Trunks:0:Transport=udp",
            "--Trunks:0:CallerId=95500"]);

        // Two unknown callers (the same, ordinary tier) on the main line: 1 for Mandarin, 0 for an agent.
        // The first presses 1 in the queue and is hung up after hearing that the callback is booked.
        await using var first = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", Scenario("keys-until-bye.xml", "13900000011", "+2000", "1", "+2500", "0", "+12000", "1"),
            "-s", "95500", "-m", "1", "-mp", FreeMediaPort(), "-timeout", "90s", "-timeout_error"]);
        var firstResult = await first.WaitAsync(TimeSpan.FromSeconds(90));
        Assert.That(firstResult.SuccessfulCalls, Is.EqualTo(1), "the caller who pressed 1 gets the platform's BYE\n" + firstResult.Output + platform.Output);
        var booked = await platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13900000011", TimeSpan.FromSeconds(10))
            ?? throw new AssertionException("no record of the first call\n" + platform.Output);
        var callback = await OnlyCallbackAsync(platform);
        Assert.Multiple(() =>
        {
            Assert.That(booked.GetProperty("disposition").GetString(), Is.EqualTo("callback-requested"), booked.ToString());
            Assert.That(callback.GetProperty("status").GetString(), Is.EqualTo("queued"), callback.ToString());
            Assert.That(callback.GetProperty("number").GetString(), Is.EqualTo("13900000011"));
            Assert.That(callback.GetProperty("source").GetString(), Is.EqualTo("queue-key"));
            Assert.That(callback.GetProperty("requestedAt").GetDateTimeOffset(), Is.EqualTo(booked.GetProperty("queuedAt").GetDateTimeOffset()).Within(TimeSpan.FromMilliseconds(5)),
                "the callback keeps the moment the caller queued");
        });

        // A later caller of the same tier waits in the same queue, then the agent becomes free.
        await using var later = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", Scenario("ivr-keys.xml", "13900000012", "+2000", "1", "+2500", "0", "+20000"),
            "-s", "95500", "-m", "1", "-mp", FreeMediaPort(), "-timeout", "90s", "-timeout_error"]);
        await WaitUntilWaitingAsync(platform, 1);
        await using var carrier = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("carrier-answer.xml", new() { ["{NUMBER}"] = "13900000011", ["{CALLER_ID}"] = "95500", ["{TALK_MS}"] = "3000" }),
            "-m", "1", "-timeout", "90s", "-timeout_error"], carrierPort);
        await using var agent = await AgentPhone.StartAsync(platform, "1001", expectPai: "13900000011");

        var carrierResult = await carrier.WaitAsync(TimeSpan.FromSeconds(60));
        var agentResult = await agent.WaitAsync(TimeSpan.FromSeconds(30));
        var outbound = await platform.WaitForCallRecordAsync(c => c.GetProperty("direction").GetString() == "outbound", TimeSpan.FromSeconds(15))
            ?? throw new AssertionException("no record of the callback's call\n" + platform.Output);
        var laterResult = await later.WaitAsync(TimeSpan.FromSeconds(60));
        var laterRecord = await platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13900000012", TimeSpan.FromSeconds(15))
            ?? throw new AssertionException("no record of the later caller\n" + platform.Output);
        var done = await CallbackAsync(platform, callback.GetProperty("id").GetString()!);

        Assert.Multiple(() =>
        {
            Assert.That(carrierResult.SuccessfulCalls, Is.EqualTo(1), "the carrier: INVITE for 13900000011 from 95500, answered, its BYE answered\n" + carrierResult.Output + platform.Output);
            Assert.That(agentResult.SuccessfulCalls, Is.EqualTo(1), "the agent's phone rang with the client's number and was hung up with the call\n" + agentResult.Output);
            Assert.That(laterResult.SuccessfulCalls, Is.EqualTo(1), laterResult.Output);
            Assert.That(outbound.GetProperty("caller").GetString(), Is.EqualTo("13900000011"), outbound.ToString());
            Assert.That(outbound.GetProperty("agent").GetString(), Is.EqualTo("1001"));
            Assert.That(outbound.GetProperty("disposition").GetString(), Is.EqualTo("caller-hung-up"), "the client hung up");
            Assert.That(outbound.GetProperty("recording").GetString(), Is.Not.Null.And.Not.Empty);
            Assert.That(laterRecord.GetProperty("agent").ValueKind, Is.EqualTo(JsonValueKind.Null), "the only agent took the callback first: " + laterRecord);
            Assert.That(done.GetProperty("status").GetString(), Is.EqualTo("completed"), done.ToString());
            Assert.That(done.GetProperty("attempts").GetInt32(), Is.EqualTo(1));
            Assert.That(done.GetProperty("outcome").GetString(), Is.EqualTo("reached"));
            Assert.That(done.GetProperty("lastCallId").GetString(), Is.EqualTo(outbound.GetProperty("id").GetString()));
        });

        // The agent is rung first and answers before the client's number is dialled.
        var legs = outbound.GetProperty("legs").EnumerateArray().ToList();
        var agentLeg = legs.Single(l => l.GetProperty("role").GetString() == "agent");
        Assert.That(agentLeg.GetProperty("answeredAt").GetDateTimeOffset(), Is.LessThan(outbound.GetProperty("endedAt").GetDateTimeOffset().AddSeconds(-3)), outbound.ToString());
    }

    [Test]
    public async Task ACallerWhoPresses2KeysAnotherNumberWhichIsRefusedWithAReasonWhenBarredOrInvalidAndElseCalledBackInTheirPlace()
    {
        var carrierPort = FreePorts.UdpAndTcp();
        await using var platform = await PlatformProcess.StartAsync([
            "--Agents:WrapUpSeconds=1", "--Logging:LogLevel:Default=Information",
            "--Trunks:0:Name=carrier", $"--Trunks:0:Address=127.0.0.1:{carrierPort.ToString(CultureInfo.InvariantCulture)}", "--Trunks:0:Transport=udp",
            "--Trunks:0:CallerId=95500"]);

        // In the queue: 2 and an emergency number (barred), 2 and a string that is no phone number (invalid),
        // then 2 and another mobile: the caller waits on after each refusal and is hung up after the booking.
        await using var caller = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", Scenario("keys-until-bye.xml", "13900000031", "+2000", "1", "+2500", "0", "+12000",
                "2", "+1000", "110#", "+2500", "2", "+1000", "11234567890#", "+2500", "2", "+1000", "13900000032#"),
            "-s", "95500", "-m", "1", "-mp", FreeMediaPort(), "-timeout", "90s", "-timeout_error"]);
        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(90));
        Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), "the caller gets the platform's BYE after the booking\n" + callerResult.Output + platform.Output);
        var booked = await platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13900000031", TimeSpan.FromSeconds(10))
            ?? throw new AssertionException("no record of the call\n" + platform.Output);
        var callback = await OnlyCallbackAsync(platform);
        Assert.Multiple(() =>
        {
            Assert.That(booked.GetProperty("disposition").GetString(), Is.EqualTo("callback-requested"), booked.ToString());
            Assert.That(callback.GetProperty("number").GetString(), Is.EqualTo("13900000032"), "the keyed number, not the caller id");
            Assert.That(callback.GetProperty("source").GetString(), Is.EqualTo("queue-key-number"));
            Assert.That(callback.GetProperty("status").GetString(), Is.EqualTo("queued"));
            Assert.That(callback.GetProperty("requestedAt").GetDateTimeOffset(), Is.EqualTo(booked.GetProperty("queuedAt").GetDateTimeOffset()).Within(TimeSpan.FromMilliseconds(5)),
                "the refusals did not cost the caller their place");
            Assert.That(platform.Output, Does.Contain("hears callback-number-barred and keeps waiting: 110: emergency"));
            Assert.That(platform.Output, Does.Contain("hears callback-number-invalid and keeps waiting: 11234567890: not a mainland"));
        });

        // The callback rings the agent, then the keyed number through the trunk.
        await using var carrier = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("carrier-answer.xml", new() { ["{NUMBER}"] = "13900000032", ["{CALLER_ID}"] = "95500", ["{TALK_MS}"] = "1000" }),
            "-m", "1", "-timeout", "60s", "-timeout_error"], carrierPort);
        await using var agent = await AgentPhone.StartAsync(platform, "1001", expectPai: "13900000032");
        var carrierResult = await carrier.WaitAsync(TimeSpan.FromSeconds(60));
        var agentResult = await agent.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Multiple(() =>
        {
            Assert.That(carrierResult.SuccessfulCalls, Is.EqualTo(1), "the carrier gets the INVITE for the keyed number\n" + carrierResult.Output + platform.Output);
            Assert.That(agentResult.SuccessfulCalls, Is.EqualTo(1), agentResult.Output);
        });
    }

    [Test]
    public async Task AnAgentBooksACallbackFromTheDeskAFewSecondsAheadAndWhenDueItIsOfferedToThemBeforeAnAgentIdleLonger()
    {
        var carrierPort = FreePorts.UdpAndTcp();
        await using var platform = await PlatformProcess.StartAsync([
            "--Agents:WrapUpSeconds=1", "--Callbacks:OwnerGraceSeconds=60",
            "--Trunks:0:Name=carrier", $"--Trunks:0:Address=127.0.0.1:{carrierPort.ToString(CultureInfo.InvariantCulture)}", "--Trunks:0:Transport=udp",
            "--Trunks:0:CallerId=95500"]);

        // 1001 is available first (the longest idle, so the queue's own pick); 1002 books and owns the callback.
        await using var other = await AgentPhone.StartAsync(platform, "1001", answer: false);
        await using var owner = await AgentPhone.StartAsync(platform, "1002", expectPai: "13900000051");
        await using var desk = await DeskHubCallTests.SignedInHubAsync(platform, "1002", "demo-1002");
        var pops = System.Threading.Channels.Channel.CreateUnbounded<JsonElement>();
        desk.On<JsonElement>("pop", p => pops.Writer.TryWrite(p));

        var barred = Assert.ThrowsAsync<HubException>(() => desk.InvokeAsync<JsonElement>("bookCallback", "110", DateTimeOffset.UtcNow.AddHours(1).ToString("O"), null));
        var past = Assert.ThrowsAsync<HubException>(() => desk.InvokeAsync<JsonElement>("bookCallback", "13900000051", DateTimeOffset.UtcNow.AddHours(-1).ToString("O"), null));
        var noOwner = await platform.PostApiAsync("api/callbacks", "{\"number\": \"13900000051\", \"owner\": \"9999\"}");
        var due = DateTimeOffset.UtcNow.AddSeconds(5);
        var booked = await desk.InvokeAsync<JsonElement>("bookCallback", "139 0000 0051", due.ToString("O"), null);
        var id = booked.GetProperty("id").GetString()!;
        var mine = await desk.InvokeAsync<JsonElement>("myCallbacks");
        Assert.Multiple(() =>
        {
            Assert.That(barred!.Message, Does.Contain("emergency"));
            Assert.That(past!.Message, Does.Contain("in the past"));
            Assert.That(noOwner.Status, Is.EqualTo(HttpStatusCode.BadRequest), noOwner.Body);
            Assert.That(noOwner.Body, Does.Contain("9999"));
            Assert.That(booked.GetProperty("status").GetString(), Is.EqualTo("scheduled"), booked.ToString());
            Assert.That(mine.EnumerateArray().Select(c => c.GetProperty("id").GetString()), Is.EqualTo(new[] { id }), "the agent's own list");
        });

        await using var carrier = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("carrier-answer.xml", new() { ["{NUMBER}"] = "13900000051", ["{CALLER_ID}"] = "95500", ["{TALK_MS}"] = "1000" }),
            "-m", "1", "-timeout", "60s", "-timeout_error"], carrierPort);
        var pop = await pops.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        var poppedAt = DateTimeOffset.UtcNow;
        var carrierResult = await carrier.WaitAsync(TimeSpan.FromSeconds(60));
        var ownerResult = await owner.WaitAsync(TimeSpan.FromSeconds(30));
        var record = await platform.WaitForCallRecordAsync(c => c.GetProperty("direction").GetString() == "outbound", TimeSpan.FromSeconds(15))
            ?? throw new AssertionException("no record of the callback's call\n" + platform.Output);
        var done = await CallbackAsync(platform, id);
        Assert.Multiple(() =>
        {
            Assert.That(poppedAt, Is.GreaterThanOrEqualTo(due), "offered when due, not before");
            Assert.That(poppedAt, Is.LessThan(due.AddSeconds(5)), "and not long after");
            Assert.That(pop.GetProperty("caller").GetString(), Is.EqualTo("13900000051"), pop.ToString());
            Assert.That(carrierResult.SuccessfulCalls, Is.EqualTo(1), carrierResult.Output + platform.Output);
            Assert.That(ownerResult.SuccessfulCalls, Is.EqualTo(1), "the owner's phone rang first\n" + ownerResult.Output);
            Assert.That(record.GetProperty("agent").GetString(), Is.EqualTo("1002"), "the owner, not the agent idle longer: " + record);
            Assert.That(done.GetProperty("owner").GetString(), Is.EqualTo("1002"));
            Assert.That(done.GetProperty("source").GetString(), Is.EqualTo("desk"));
            Assert.That(done.GetProperty("status").GetString(), Is.EqualTo("completed"), done.ToString());
        });
    }

    [Test]
    public async Task ABusyClientIsTriedAgainAsConfiguredThenTheCallbackFailsAndBadRequestsAreRefusedWithTheirReason()
    {
        var carrierPort = FreePorts.UdpAndTcp();
        await using var platform = await PlatformProcess.StartAsync([
            "--Agents:WrapUpSeconds=1", "--Callbacks:MaxAttempts=2", "--Callbacks:RetrySeconds=2",
            "--Trunks:0:Name=carrier", $"--Trunks:0:Address=127.0.0.1:{carrierPort.ToString(CultureInfo.InvariantCulture)}", "--Trunks:0:Transport=udp",
            "--Trunks:0:CallerId=95500"]);

        var emergency = await platform.PostApiAsync("api/callbacks", "{\"number\": \"110\", \"queue\": \"general\"}");
        var noQueue = await platform.PostApiAsync("api/callbacks", "{\"number\": \"13900000013\", \"queue\": \"nowhere\"}");
        var badTime = await platform.PostApiAsync("api/callbacks", "{\"number\": \"13900000013\", \"at\": \"tomorrow\"}");
        var (_, none) = await platform.GetApiAsync("api/callbacks");
        Assert.Multiple(() =>
        {
            Assert.That(emergency.Status, Is.EqualTo(HttpStatusCode.BadRequest), emergency.Body);
            Assert.That(emergency.Body, Does.Contain("emergency"));
            Assert.That(noQueue.Status, Is.EqualTo(HttpStatusCode.BadRequest), noQueue.Body);
            Assert.That(noQueue.Body, Does.Contain("nowhere"));
            Assert.That(badTime.Status, Is.EqualTo(HttpStatusCode.BadRequest), badTime.Body);
            Assert.That(none.GetArrayLength(), Is.Zero, "a refused callback stores nothing");
        });

        await using var carrier = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("carrier-busy.xml", new() { ["{NUMBER}"] = "13900000013" }),
            "-m", "2", "-timeout", "90s", "-timeout_error"], carrierPort);
        var created = await platform.PostApiAsync("api/callbacks", "{\"number\": \"139 0000 0013\", \"queue\": \"general\"}");
        Assert.That(created.Status, Is.EqualTo(HttpStatusCode.Created), created.Body);
        var id = JsonDocument.Parse(created.Body).RootElement.GetProperty("id").GetString()!;
        var again = await platform.PostApiAsync("api/callbacks", "{\"number\": \"13900000013\", \"queue\": \"general\"}");
        Assert.That(JsonDocument.Parse(again.Body).RootElement.GetProperty("id").GetString(), Is.EqualTo(id), "one open callback per number and queue: " + again.Body);
        await using var agent = await AgentPhone.StartAsync(platform, "1002", calls: 2, expectPai: "13900000013");

        JsonElement final = default;
        for (var i = 0; i < 600; i++)
        {
            final = await CallbackAsync(platform, id);
            if (final.GetProperty("status").GetString() is "failed" or "completed")
            {
                break;
            }

            await Task.Delay(100);
        }

        var carrierResult = await carrier.WaitAsync(TimeSpan.FromSeconds(30));

        // Each attempt's record is written after the agent's wrap-up (1 s).
        List<JsonElement> attempts = [];
        JsonElement calls = default;
        for (var i = 0; i < 100 && attempts.Count < 2; i++)
        {
            await Task.Delay(100);
            (_, calls) = await platform.GetApiAsync("api/calls?limit=10");
            attempts = [.. calls.EnumerateArray().Where(c => c.GetProperty("direction").GetString() == "outbound")];
        }

        Assert.Multiple(() =>
        {
            Assert.That(final.GetProperty("status").GetString(), Is.EqualTo("failed"), final + "\n" + platform.Output);
            Assert.That(final.GetProperty("attempts").GetInt32(), Is.EqualTo(2));
            Assert.That(final.GetProperty("outcome").GetString(), Is.EqualTo("busy"));
            Assert.That(carrierResult.SuccessfulCalls, Is.EqualTo(2), "two INVITEs reached the carrier, no third\n" + carrierResult.Output);
            Assert.That(attempts, Has.Count.EqualTo(2), calls.ToString());
            Assert.That(attempts.Select(c => c.GetProperty("disposition").GetString()), Is.All.EqualTo("callback-not-reached"));
            Assert.That(attempts.Select(c => c.GetProperty("agent").GetString()), Is.All.EqualTo("1002"), "the agent answered before the client was rung");
        });
    }

    [Test]
    public async Task ClickToDialRingsTheAgentFirstThenTheClientThroughTheTrunk()
    {
        var carrierPort = FreePorts.UdpAndTcp();
        await using var platform = await PlatformProcess.StartAsync([
            "--Agents:WrapUpSeconds=1",
            "--Trunks:0:Name=carrier", $"--Trunks:0:Address=127.0.0.1:{carrierPort.ToString(CultureInfo.InvariantCulture)}", "--Trunks:0:Transport=udp",
            "--Trunks:0:CallerId=95500"]);
        await using var carrier = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("carrier-answer.xml", new() { ["{NUMBER}"] = "13800000003", ["{CALLER_ID}"] = "95500", ["{TALK_MS}"] = "2000" }),
            "-m", "1", "-timeout", "60s", "-timeout_error"], carrierPort);
        await using var agent = await AgentPhone.StartAsync(platform, "1004", expectPai: "13800000003");

        var offline = await platform.PostApiAsync("api/agents/1002/dial", "{\"number\": \"13800000003\"}");
        var emergency = await platform.PostApiAsync("api/agents/1004/dial", "{\"number\": \"120\"}");
        var dial = await platform.PostApiAsync("api/agents/1004/dial", "{\"number\": \"13800000003\"}");
        Assert.That(dial.Status, Is.EqualTo(HttpStatusCode.Accepted), dial.Body + platform.Output);
        var callId = JsonDocument.Parse(dial.Body).RootElement.GetProperty("callId").GetString();
        var carrierResult = await carrier.WaitAsync(TimeSpan.FromSeconds(60));
        var agentResult = await agent.WaitAsync(TimeSpan.FromSeconds(30));
        var record = await platform.WaitForCallRecordAsync(c => c.GetProperty("id").GetString() == callId, TimeSpan.FromSeconds(15))
            ?? throw new AssertionException("no record of the click-to-dial\n" + platform.Output);

        Assert.Multiple(() =>
        {
            Assert.That(offline.Status, Is.EqualTo(HttpStatusCode.Conflict), offline.Body);
            Assert.That(emergency.Status, Is.EqualTo(HttpStatusCode.UnprocessableEntity), emergency.Body);
            Assert.That(carrierResult.SuccessfulCalls, Is.EqualTo(1), carrierResult.Output + platform.Output);
            Assert.That(agentResult.SuccessfulCalls, Is.EqualTo(1), agentResult.Output);
            Assert.That(record.GetProperty("direction").GetString(), Is.EqualTo("outbound"), record.ToString());
            Assert.That(record.GetProperty("caller").GetString(), Is.EqualTo("13800000003"));
            Assert.That(record.GetProperty("tier").GetString(), Is.EqualTo("Gold"), "the client is looked up for the pop and the record");
            Assert.That(record.GetProperty("agent").GetString(), Is.EqualTo("1004"));
            Assert.That(record.GetProperty("ivrPath").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "click-to-dial" }));
            Assert.That(record.GetProperty("disposition").GetString(), Is.EqualTo("caller-hung-up"), "the client hung up");
        });
    }

    [Test]
    public async Task WithoutATrunkKey1BooksNothingAndTheCallerKeepsWaiting()
    {
        await using var platform = await PlatformProcess.StartAsync(["--Logging:LogLevel:Default=Debug"]);
        var refused = await platform.PostApiAsync("api/callbacks", "{\"number\": \"13900000014\", \"queue\": \"general\"}");
        var result = await Sipp.RunAsync(
            $"127.0.0.1:{platform.SipPort}",
            TimeSpan.FromSeconds(90),
            "-sf", Scenario("ivr-keys.xml", "13900000014", "+2000", "1", "+2500", "0", "+12000", "1", "+3000"), "-s", "95500", "-m", "1", "-mp", FreeMediaPort(), "-timeout", "60s", "-timeout_error");
        var record = await platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13900000014", TimeSpan.FromSeconds(10))
            ?? throw new AssertionException("no record\n" + result.Output + platform.Output);
        var (_, listed) = await platform.GetApiAsync("api/callbacks");

        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(HttpStatusCode.Conflict), refused.Body);
            Assert.That(refused.Body, Does.Contain("No trunk"));
            Assert.That(result.SuccessfulCalls, Is.EqualTo(1), "the caller stays in the queue and hangs up themselves\n" + result.Output + platform.Output);
            Assert.That(record.GetProperty("disposition").GetString(), Is.EqualTo("caller-hung-up"), record.ToString());
            Assert.That(platform.Output, Does.Contain("no callback booked: no trunk is configured"));
            Assert.That(listed.GetArrayLength(), Is.Zero);
        });
    }

    private string Scenario(string template, string caller, params string[] keys) =>
        AgentPhone.Template(template, new() { ["{CALLER}"] = caller, ["{KEYS}"] = DtmfKeys.Steps(_captures, keys) });

    private static string FreeMediaPort() => FreePorts.UdpBlock(4).ToString(CultureInfo.InvariantCulture);

    private static async Task<JsonElement> OnlyCallbackAsync(PlatformProcess platform)
    {
        var (status, list) = await platform.GetApiAsync("api/callbacks");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(list.GetArrayLength(), Is.EqualTo(1), list.ToString() + platform.Output);
        return await CallbackAsync(platform, list[0].GetProperty("id").GetString()!);
    }

    private static async Task<JsonElement> CallbackAsync(PlatformProcess platform, string id)
    {
        var (status, body) = await platform.GetApiAsync("api/callbacks/" + id);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        return body;
    }

    /// <summary>Waits until <paramref name="count"/> callers wait in the general queue (the callback's entry among them, so one more).</summary>
    private static async Task WaitUntilWaitingAsync(PlatformProcess platform, int count)
    {
        for (var i = 0; i < 300; i++)
        {
            var (_, queues) = await platform.GetApiAsync("api/queues");
            var general = queues.EnumerateArray().FirstOrDefault(q => q.GetProperty("id").GetString() == "general");
            if (general.ValueKind != JsonValueKind.Undefined && general.GetProperty("waiting").GetInt32() >= count + 1)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new AssertionException("the later caller never queued\n" + platform.Output);
    }
}
