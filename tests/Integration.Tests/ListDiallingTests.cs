using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using CallCenter.TestSupport;
using Microsoft.AspNetCore.SignalR.Client;

namespace CallCenter.Integration.Tests;

/// <summary>
/// The call lists' dialling modes with real sipp as the carrier behind the trunk and as the agent's phone.
/// Preview: the agent asks for the next entry, sees it, dials it once (a second click and another agent
/// are refused; the carrier gets one INVITE), skips the next with a reason, and an entry held by an agent
/// who goes offline goes back to its list. Progressive: entries are handed to the ACD only for free
/// agents, so one agent never has more than one client line and the queue never holds more list calls
/// than free agents.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public sealed class ListDiallingTests
{
    [Test]
    public async Task APreviewEntryIsShownToOneAgentDialledOnceSkippedWithAReasonAndGivenBackWhenTheAgentLeaves()
    {
        var carrierPort = FreePorts.UdpAndTcp();
        await using var platform = await PlatformProcess.StartAsync([.. Trunk(carrierPort), "--Agents:WrapUpSeconds=1", "--CallLists:CheckSeconds=1"]);

        var badMode = await platform.PostApiAsync("api/call-lists", "{\"name\": \"x\", \"kind\": \"core-client\", \"mode\": \"predictive\"}");
        var created = await platform.PostApiAsync("api/call-lists", "{\"name\": \"Core clients December\", \"kind\": \"core-client\", \"mode\": \"preview\", \"maxAttempts\": 2, \"retrySeconds\": 60}");
        Assert.That(created.Status, Is.EqualTo(HttpStatusCode.Created), created.Body + platform.Output);
        var listId = JsonDocument.Parse(created.Body).RootElement.GetProperty("id").GetString()!;
        string Due(int hours) => DateTimeOffset.UtcNow.AddHours(hours).ToString("O", CultureInfo.InvariantCulture);
        var csv = $"number,name,dueBy,note\n13900000071,Sun,{Due(3)},quarterly review\n13900000072,Li,{Due(1)},asked about margin rates\n13900000073,Zhou,{Due(5)},\n";
        var (importStatus, import) = await PostCsvAsync(platform, $"api/call-lists/{listId}/entries", csv);
        Assert.That(importStatus, Is.EqualTo(HttpStatusCode.OK), import.ToString() + platform.Output);
        var ids = import.GetProperty("entries").EnumerateArray().ToDictionary(e => e.GetProperty("number").GetString()!, e => e.GetProperty("id").GetString()!);

        // Only Li (the nearest deadline) is dialled: the carrier answers that number once.
        await using var carrier = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("carrier-answer.xml", new() { ["{NUMBER}"] = "13900000072", ["{CALLER_ID}"] = "95500", ["{TALK_MS}"] = "1500" }),
            "-m", "1", "-timeout", "60s", "-timeout_error"], carrierPort);
        await using var agent = await AgentPhone.StartAsync(platform, "1002", expectPai: "13900000072");
        await Task.Delay(1500); // a progressive list would have rung by now: a preview list waits for the agent
        var (_, waitingEntries) = await platform.GetApiAsync($"api/call-lists/{listId}/entries");

        var unknownAgent = await platform.PostApiAsync("api/agents/9999/preview", "{}");
        var noPhone = await platform.PostApiAsync("api/agents/1003/preview", "{}");
        var first = await platform.PostApiAsync("api/agents/1002/preview", "{}");
        Assert.That(first.Status, Is.EqualTo(HttpStatusCode.OK), first.Body + platform.Output);
        var shown = JsonDocument.Parse(first.Body).RootElement.GetProperty("entry");
        var entryId = shown.GetProperty("entryId").GetString()!;
        var again = await platform.PostApiAsync("api/agents/1002/preview", "{}");
        var (_, current) = await platform.GetApiAsync("api/agents/1002/preview");
        var noReason = await platform.PostApiAsync($"api/agents/1002/preview/{entryId}/skip", "{\"reason\": \"  \"}");
        var notHers = await platform.PostApiAsync($"api/agents/1003/preview/{entryId}/dial", "{}");
        var dial = await platform.PostApiAsync($"api/agents/1002/preview/{entryId}/dial", "{}");
        var twice = await platform.PostApiAsync($"api/agents/1002/preview/{entryId}/dial", "{}");
        Assert.That(dial.Status, Is.EqualTo(HttpStatusCode.Accepted), dial.Body + platform.Output);
        var callId = JsonDocument.Parse(dial.Body).RootElement.GetProperty("callId").GetString()!;

        var carrierResult = await carrier.WaitAsync(TimeSpan.FromSeconds(60));
        var reached = await WaitEntryAsync(platform, entryId, e => e.GetProperty("status").GetString() == "reached");
        var record = await platform.WaitForCallRecordAsync(c => c.GetProperty("id").GetString() == callId, TimeSpan.FromSeconds(15))
            ?? throw new AssertionException("no record of the preview call\n" + platform.Output);

        // The next entry (Sun) is skipped with a reason; then Zhou is shown, and the agent goes offline holding it.
        var second = await platform.PostApiAsync("api/agents/1002/preview", "{}");
        var secondId = JsonDocument.Parse(second.Body).RootElement.GetProperty("entry").GetProperty("entryId").GetString();
        var skip = await platform.PostApiAsync($"api/agents/1002/preview/{secondId}/skip", "{\"reason\": \"client abroad until Monday\"}");
        var third = await platform.PostApiAsync("api/agents/1002/preview", "{}");
        var thirdId = JsonDocument.Parse(third.Body).RootElement.GetProperty("entry").GetProperty("entryId").GetString()!;
        var offline = await platform.PostApiAsync("api/agents/1002/state", "{\"state\": \"offline\"}");
        var givenBack = await WaitEntryAsync(platform, thirdId, e => e.GetProperty("status").GetString() == "open");
        var (_, skipped) = await platform.GetApiAsync("api/call-lists/entries/" + secondId);
        var audited = new List<string>();
        await using (var database = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(platform.WorkDirectory, "callcenter.db")}"))
        {
            await database.OpenAsync();
            await using var read = database.CreateCommand();
            read.CommandText = "SELECT action || ' ' || outcome || ' ' || COALESCE(target, '') FROM audit_log WHERE action LIKE 'api.preview-%' ORDER BY seq";
            await using var rows = await read.ExecuteReaderAsync();
            while (await rows.ReadAsync())
            {
                audited.Add(rows.GetString(0));
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(badMode.Status, Is.EqualTo(HttpStatusCode.BadRequest), badMode.Body);
            Assert.That(badMode.Body, Does.Contain("unknown mode"));
            Assert.That(waitingEntries.EnumerateArray().Select(e => e.GetProperty("status").GetString()), Is.All.EqualTo("open"), "nothing dialled before an agent asked: " + waitingEntries);
            Assert.That(unknownAgent.Status, Is.EqualTo(HttpStatusCode.NotFound), unknownAgent.Body);
            Assert.That(noPhone.Status, Is.EqualTo(HttpStatusCode.Conflict), "an agent without a registered phone cannot hold a preview: " + noPhone.Body);
            Assert.That(entryId, Is.EqualTo(ids["13900000072"]), "the nearest deadline first");
            Assert.That(shown.GetProperty("clientName").GetString(), Is.EqualTo("Li"));
            Assert.That(shown.GetProperty("listName").GetString(), Is.EqualTo("Core clients December"));
            Assert.That(shown.GetProperty("note").GetString(), Is.EqualTo("asked about margin rates"));
            Assert.That(shown.GetProperty("kind").GetString(), Is.EqualTo("core-client"));
            Assert.That(JsonDocument.Parse(again.Body).RootElement.GetProperty("entry").GetProperty("entryId").GetString(), Is.EqualTo(entryId), "one entry per agent: asking again shows it");
            Assert.That(current.GetProperty("entry").GetProperty("entryId").GetString(), Is.EqualTo(entryId));
            Assert.That(noReason.Status, Is.EqualTo(HttpStatusCode.BadRequest), noReason.Body);
            Assert.That(notHers.Status, Is.EqualTo(HttpStatusCode.Conflict), notHers.Body);
            Assert.That(twice.Status, Is.EqualTo(HttpStatusCode.Conflict), "a second click rings nobody: " + twice.Body);
            Assert.That(carrierResult.SuccessfulCalls, Is.EqualTo(1), carrierResult.Output + platform.Output);
            Assert.That(reached.GetProperty("attempts").GetInt32(), Is.EqualTo(1), reached.ToString());
            Assert.That(reached.GetProperty("previewAgent").GetString(), Is.EqualTo("1002"));
            Assert.That(record.GetProperty("direction").GetString(), Is.EqualTo("outbound"));
            Assert.That(record.GetProperty("agent").GetString(), Is.EqualTo("1002"));
            Assert.That(record.GetProperty("list").GetString(), Is.EqualTo(listId), "the list is a field of the record " + record);
            Assert.That(record.GetProperty("listEntry").GetString(), Is.EqualTo(entryId));
            Assert.That(record.GetProperty("attempt").GetInt32(), Is.EqualTo(1));
            Assert.That(record.GetProperty("outcome").GetString(), Is.EqualTo("reached"));
            Assert.That(secondId, Is.EqualTo(ids["13900000071"]), second.Body);
            Assert.That(skip.Status, Is.EqualTo(HttpStatusCode.OK), skip.Body);
            Assert.That(skipped.GetProperty("status").GetString(), Is.EqualTo("open"));
            Assert.That(skipped.GetProperty("skips").GetInt32(), Is.EqualTo(1));
            Assert.That(skipped.GetProperty("skipReason").GetString(), Is.EqualTo("client abroad until Monday"));
            Assert.That(skipped.GetProperty("attempts").GetInt32(), Is.Zero, "a skip is not an attempt");
            Assert.That(audited, Is.EqualTo(new[]
            {
                "api.preview-skip refused 1002", "api.preview-dial refused 1003", "api.preview-dial done 1002",
                "api.preview-dial refused 1002", "api.preview-skip done 1002",
            }), "every dial and skip through the API is on the audit log, done or refused");
            Assert.That(thirdId, Is.EqualTo(ids["13900000073"]), "the skipped entry waits its pause: " + third.Body);
            Assert.That(offline.Status, Is.EqualTo(HttpStatusCode.OK), offline.Body);
            Assert.That(givenBack.GetProperty("status").GetString(), Is.EqualTo("open"), "the agent left: the entry is back on its list " + givenBack);
            Assert.That(givenBack.GetProperty("previewAgent").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(givenBack.GetProperty("attempts").GetInt32(), Is.Zero);
        });
    }

    [Test]
    public async Task AProgressiveListRingsOneClientPerFreeAgentAndNeverMore()
    {
        var carrierPort = FreePorts.UdpAndTcp();
        await using var platform = await PlatformProcess.StartAsync([.. Trunk(carrierPort), "--Agents:WrapUpSeconds=1"]);
        var created = await platform.PostApiAsync("api/call-lists", "{\"name\": \"Complaints resolved\", \"kind\": \"complaint\", \"maxAttempts\": 1}");
        Assert.That(created.Status, Is.EqualTo(HttpStatusCode.Created), created.Body + platform.Output);
        var listId = JsonDocument.Parse(created.Body).RootElement.GetProperty("id").GetString()!;
        await using var carrier = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("carrier-answer.xml", new() { ["{NUMBER}"] = "1390000008[123]", ["{CALLER_ID}"] = "95500", ["{TALK_MS}"] = "1000" }),
            "-m", "3", "-timeout", "90s", "-timeout_error"], carrierPort);
        var (importStatus, import) = await PostCsvAsync(platform, $"api/call-lists/{listId}/entries", "number,name\n13900000081,A\n13900000082,B\n13900000083,C\n");
        Assert.That(importStatus, Is.EqualTo(HttpStatusCode.OK), import.ToString() + platform.Output);

        // No agent is free: nothing goes to the queue, nobody is rung.
        await Task.Delay(2000);
        var (_, beforeAgent) = await platform.GetApiAsync($"api/call-lists/{listId}/entries");
        var queuedBeforeAgent = await WaitingInGeneralAsync(platform);

        await using var agent = await AgentPhone.StartAsync(platform, "1002", calls: 3, expectPai: "1390000008[123]", talkMilliseconds: 500);
        int maxWaiting = 0, maxCalling = 0;
        JsonElement entries = default;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            (_, entries) = await platform.GetApiAsync($"api/call-lists/{listId}/entries");
            var statuses = entries.EnumerateArray().Select(e => e.GetProperty("status").GetString()).ToList();
            maxCalling = Math.Max(maxCalling, statuses.Count(s => s == "calling"));
            maxWaiting = Math.Max(maxWaiting, await WaitingInGeneralAsync(platform));
            if (statuses.All(s => s is "reached" or "failed"))
            {
                break;
            }

            await Task.Delay(100);
        }

        var carrierResult = await carrier.WaitAsync(TimeSpan.FromSeconds(30));
        var agentResult = await agent.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Multiple(() =>
        {
            Assert.That(beforeAgent.EnumerateArray().Select(e => e.GetProperty("status").GetString()), Is.All.EqualTo("open"), beforeAgent.ToString());
            Assert.That(queuedBeforeAgent, Is.Zero, "no free agent: no list call waits in the queue");
            Assert.That(entries.EnumerateArray().Select(e => e.GetProperty("status").GetString()), Is.All.EqualTo("reached"), entries + platform.Output);
            Assert.That(maxCalling, Is.EqualTo(1), "one agent: one client line at a time");
            Assert.That(maxWaiting, Is.LessThanOrEqualTo(1), "never more list calls waiting than free agents");
            Assert.That(carrierResult.SuccessfulCalls, Is.EqualTo(3), carrierResult.Output);
            Assert.That(agentResult.SuccessfulCalls, Is.EqualTo(3), agentResult.Output);
        });
    }

    [Test]
    public async Task ANewAccountClientsDenialAndConfirmationAreRecordedByTheAgentsWrapUpCodeFromTheDesksPreview()
    {
        var carrierPort = FreePorts.UdpAndTcp();
        await using var platform = await PlatformProcess.StartAsync([.. Trunk(carrierPort), "--Agents:WrapUpSeconds=20"]);
        var created = await platform.PostApiAsync("api/call-lists", "{\"name\": \"New accounts\", \"kind\": \"new-account\", \"mode\": \"preview\"}");
        Assert.That(created.Status, Is.EqualTo(HttpStatusCode.Created), created.Body + platform.Output);
        var listId = JsonDocument.Parse(created.Body).RootElement.GetProperty("id").GetString()!;
        string Due(int hours) => DateTimeOffset.UtcNow.AddHours(hours).ToString("O", CultureInfo.InvariantCulture);
        var (importStatus, import) = await PostCsvAsync(platform, $"api/call-lists/{listId}/entries",
            $"number,name,dueBy,accountManager\n13900000091,Wu,{Due(1)},1003\n13900000092,Zheng,{Due(2)},1004\n");
        Assert.That(importStatus, Is.EqualTo(HttpStatusCode.OK), import.ToString() + platform.Output);

        await using var agent = await AgentPhone.StartAsync(platform, "1002", calls: 2, expectPai: "1390000009[12]");
        await using var desk = await DeskHubCallTests.SignedInHubAsync(platform, "1002", "demo-1002");

        // Wu is asked whether 1003 is their account manager and says no: the agent wraps up with the denial code.
        var keying = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("carrier-answer.xml", new() { ["{NUMBER}"] = "13900000091", ["{CALLER_ID}"] = "95500", ["{TALK_MS}"] = "1000" }),
            "-m", "1", "-timeout", "60s", "-timeout_error"], carrierPort);
        var first = await desk.InvokeAsync<JsonElement>("PreviewNext");
        var firstId = first.GetProperty("entryId").GetString()!;
        var noReason = await Refused(desk.InvokeAsync<JsonElement>("PreviewSkip", firstId, " "));
        var dialled = await desk.InvokeAsync<JsonElement>("PreviewDial", firstId);
        var keyed = await keying.WaitAsync(TimeSpan.FromSeconds(60));
        await keying.DisposeAsync();
        var firstReached = await WaitEntryAsync(platform, firstId, e => e.GetProperty("status").GetString() == "reached");
        var firstCall = firstReached.GetProperty("lastCallId").GetString()!;
        await WaitEndedAsync(platform, firstCall);
        await desk.InvokeAsync<JsonElement>("WrapUp", firstCall, "manager-denied", null);
        var denied = await WaitEntryAsync(platform, firstId, e => e.GetProperty("confirmation").ValueKind == JsonValueKind.String);

        // Zheng answers; the agent records the confirmation with the wrap-up code.
        await using var answering = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("carrier-answer.xml", new() { ["{NUMBER}"] = "13900000092", ["{CALLER_ID}"] = "95500", ["{TALK_MS}"] = "1000" }),
            "-m", "1", "-timeout", "60s", "-timeout_error"], carrierPort);
        var second = await desk.InvokeAsync<JsonElement>("PreviewNext");
        var secondId = second.GetProperty("entryId").GetString()!;
        await desk.InvokeAsync<JsonElement>("PreviewDial", secondId);
        var answered = await answering.WaitAsync(TimeSpan.FromSeconds(60));
        var reached = await WaitEntryAsync(platform, secondId, e => e.GetProperty("status").GetString() == "reached");
        var secondCall = reached.GetProperty("lastCallId").GetString()!;
        await WaitEndedAsync(platform, secondCall);
        await desk.InvokeAsync<JsonElement>("WrapUp", secondCall, "manager-confirmed", "asked on the call");
        var confirmed = await WaitEntryAsync(platform, secondId, e => e.GetProperty("confirmation").ValueKind == JsonValueKind.String);
        var nothingLeft = await Refused(desk.InvokeAsync<JsonElement>("PreviewNext"));

        Assert.Multiple(() =>
        {
            Assert.That(first.GetProperty("clientName").GetString(), Is.EqualTo("Wu"));
            Assert.That(first.GetProperty("accountManager").GetString(), Is.EqualTo("1003"));
            Assert.That(noReason, Does.Contain("reason"));
            Assert.That(dialled.GetProperty("ok").GetBoolean(), Is.True, dialled.ToString());
            Assert.That(keyed.SuccessfulCalls, Is.EqualTo(1), keyed.Output + platform.Output);
            Assert.That(denied.GetProperty("confirmation").GetString(), Is.EqualTo("denied"), denied.ToString());
            Assert.That(denied.GetProperty("confirmedBy").GetString(), Is.EqualTo("agent 1002 (wrap-up manager-denied)"));
            Assert.That(denied.GetProperty("relationshipFlaggedForRemoval").GetBoolean(), Is.True);
            Assert.That(answered.SuccessfulCalls, Is.EqualTo(1), answered.Output + platform.Output);
            Assert.That(second.GetProperty("clientName").GetString(), Is.EqualTo("Zheng"));
            Assert.That(confirmed.GetProperty("confirmation").GetString(), Is.EqualTo("confirmed"), confirmed.ToString());
            Assert.That(confirmed.GetProperty("confirmedBy").GetString(), Is.EqualTo("agent 1002 (wrap-up manager-confirmed)"));
            Assert.That(nothingLeft, Does.Contain("no preview list entry"));
        });
    }

    [Test]
    public async Task TheAgentsWrongNumberOrRefusedFromTheDesksWrapUpEndsTheEntryAndItsCallbackForGood()
    {
        var carrierPort = FreePorts.UdpAndTcp();
        await using var platform = await PlatformProcess.StartAsync([.. Trunk(carrierPort), "--Agents:WrapUpSeconds=20", "--CallLists:CheckSeconds=1"]);

        // Three attempts and a one-second retry: were either outcome not final, the entry would be offered again at once.
        var created = await platform.PostApiAsync("api/call-lists", "{\"name\": \"Reviews\", \"kind\": \"core-client\", \"mode\": \"preview\", \"maxAttempts\": 3, \"retrySeconds\": 1}");
        Assert.That(created.Status, Is.EqualTo(HttpStatusCode.Created), created.Body + platform.Output);
        var listId = JsonDocument.Parse(created.Body).RootElement.GetProperty("id").GetString()!;
        string Due(int hours) => DateTimeOffset.UtcNow.AddHours(hours).ToString("O", CultureInfo.InvariantCulture);
        var (importStatus, import) = await PostCsvAsync(platform, $"api/call-lists/{listId}/entries",
            $"number,name,dueBy\n13900000061,Qian,{Due(1)}\n13900000062,Sun,{Due(2)}\n");
        Assert.That(importStatus, Is.EqualTo(HttpStatusCode.OK), import.ToString() + platform.Output);

        await using var agent = await AgentPhone.StartAsync(platform, "1002", calls: 2, expectPai: "1390000006[12]");
        await using var desk = await DeskHubCallTests.SignedInHubAsync(platform, "1002", "demo-1002");

        // Qian's number is answered by someone else: the agent wraps up with wrong-number.
        var firstCall = await DialAndEndAsync(platform, desk, carrierPort, "13900000061");
        await desk.InvokeAsync<JsonElement>("WrapUp", firstCall.CallId, "wrong-number", "a restaurant answered");
        var wrong = await WaitEntryAsync(platform, firstCall.EntryId, e => e.GetProperty("status").GetString() == "failed");

        // Sun answers and refuses to talk: the agent wraps up with refused.
        var secondCall = await DialAndEndAsync(platform, desk, carrierPort, "13900000062");
        await desk.InvokeAsync<JsonElement>("WrapUp", secondCall.CallId, "refused", null);
        var refused = await WaitEntryAsync(platform, secondCall.EntryId, e => e.GetProperty("status").GetString() == "failed");

        // Past the retry time, nothing is offered again.
        await Task.Delay(3000);
        var nothingLeft = await Refused(desk.InvokeAsync<JsonElement>("PreviewNext"));
        var (_, wrongCallback) = await platform.GetApiAsync("api/callbacks/" + wrong.GetProperty("callbackId").GetString());
        var (_, refusedCallback) = await platform.GetApiAsync("api/callbacks/" + refused.GetProperty("callbackId").GetString());
        var (_, calls) = await platform.GetApiAsync("api/calls?limit=20");
        string? RecordOutcome(string id) => calls.EnumerateArray().Single(c => c.GetProperty("id").GetString() == id).GetProperty("outcome").GetString();

        Assert.Multiple(() =>
        {
            Assert.That(firstCall.Carrier.SuccessfulCalls, Is.EqualTo(1), firstCall.Carrier.Output + platform.Output);
            Assert.That(secondCall.Carrier.SuccessfulCalls, Is.EqualTo(1), secondCall.Carrier.Output + platform.Output);
            Assert.That((wrong.GetProperty("status").GetString(), wrong.GetProperty("outcome").GetString(), wrong.GetProperty("attempts").GetInt32()),
                Is.EqualTo(("failed", "wrong-number", 1)), wrong.ToString());
            Assert.That(wrong.GetProperty("reason").GetString(), Does.Contain("wrong number"));
            Assert.That((refused.GetProperty("status").GetString(), refused.GetProperty("outcome").GetString(), refused.GetProperty("attempts").GetInt32()),
                Is.EqualTo(("failed", "refused", 1)), refused.ToString());
            Assert.That((wrongCallback.GetProperty("status").GetString(), wrongCallback.GetProperty("outcome").GetString()), Is.EqualTo(("failed", "wrong-number")), wrongCallback.ToString());
            Assert.That((refusedCallback.GetProperty("status").GetString(), refusedCallback.GetProperty("outcome").GetString()), Is.EqualTo(("failed", "refused")), refusedCallback.ToString());
            Assert.That(nothingLeft, Does.Contain("no preview list entry"), "neither entry is offered again though attempts are left");
            Assert.That((RecordOutcome(firstCall.CallId), RecordOutcome(secondCall.CallId)), Is.EqualTo(("wrong-number", "refused")), "the call records say what the agent found");
        });
    }

    /// <summary>The agent previews the next entry (it must be <paramref name="number"/>'s), dials it, the carrier answers and hangs up; the agent is then in wrap-up.</summary>
    private static async Task<(string EntryId, string CallId, Sipp.Result Carrier)> DialAndEndAsync(PlatformProcess platform, HubConnection desk, int carrierPort, string number)
    {
        await using var carrier = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("carrier-answer.xml", new() { ["{NUMBER}"] = number, ["{CALLER_ID}"] = "95500", ["{TALK_MS}"] = "1000" }),
            "-m", "1", "-timeout", "60s", "-timeout_error"], carrierPort);
        var shown = await desk.InvokeAsync<JsonElement>("PreviewNext");
        Assert.That(shown.GetProperty("number").GetString(), Is.EqualTo(number), shown.ToString());
        var entryId = shown.GetProperty("entryId").GetString()!;
        await desk.InvokeAsync<JsonElement>("PreviewDial", entryId);
        var result = await carrier.WaitAsync(TimeSpan.FromSeconds(60));
        var reached = await WaitEntryAsync(platform, entryId, e => e.GetProperty("status").GetString() == "reached");
        var callId = reached.GetProperty("lastCallId").GetString() ?? throw new AssertionException("not reached: " + reached + platform.Output);
        await WaitEndedAsync(platform, callId);
        return (entryId, callId, result);
    }

    [Test]
    public async Task AnEscalationIsPushedToTheSupervisorsWallboardAsItHappensAndStaysInItsView()
    {
        await using var platform = await PlatformProcess.StartAsync(["--CallLists:EscalateMinutesBefore=30", "--CallLists:CheckSeconds=1"]);
        await using var board = await DeskHubCallTests.SignedInHubAsync(platform, "super", "demo-super", "hubs/wallboard", "/desk/wallboard");
        var pushed = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        board.On<JsonElement>("listEscalated", e => pushed.TrySetResult(e));
        var created = await platform.PostApiAsync("api/call-lists", "{\"name\": \"Complaints due today\", \"kind\": \"complaint\", \"mode\": \"preview\"}");
        var listId = JsonDocument.Parse(created.Body).RootElement.GetProperty("id").GetString()!;

        // Due in 20 minutes, within the 30-minute lead: escalated at the next check, and pushed at once.
        var dueBy = DateTimeOffset.UtcNow.AddMinutes(20).ToString("O", CultureInfo.InvariantCulture);
        var (importStatus, import) = await PostCsvAsync(platform, $"api/call-lists/{listId}/entries", $"number,name,dueBy\n13900000095,Feng,{dueBy}\n");
        Assert.That(importStatus, Is.EqualTo(HttpStatusCode.OK), import.ToString() + platform.Output);
        var entryId = import.GetProperty("entries")[0].GetProperty("id").GetString()!;
        var escalation = await pushed.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var view = await board.InvokeAsync<JsonElement>("Snapshot");

        Assert.Multiple(() =>
        {
            Assert.That(escalation.GetProperty("entryId").GetString(), Is.EqualTo(entryId), escalation.ToString());
            Assert.That(escalation.GetProperty("listName").GetString(), Is.EqualTo("Complaints due today"));
            Assert.That(escalation.GetProperty("clientName").GetString(), Is.EqualTo("Feng"));
            Assert.That(escalation.GetProperty("number").GetString(), Is.EqualTo("13900000095"));
            Assert.That(view.GetProperty("listEscalations").EnumerateArray().Select(e => e.GetProperty("entryId").GetString()), Is.EqualTo(new[] { entryId }), "a wallboard opened later sees it too");
        });
    }

    private static async Task<string> Refused(Task call)
    {
        try
        {
            await call;
            return "(done)";
        }
        catch (Microsoft.AspNetCore.SignalR.HubException e)
        {
            return e.Message;
        }
    }

    private static async Task WaitEndedAsync(PlatformProcess platform, string callId)
    {
        for (var i = 0; i < 100; i++)
        {
            var (_, agents) = await platform.GetApiAsync("api/agents");
            if (agents.EnumerateArray().Any(a => a.GetProperty("id").GetString() == "1002" && a.GetProperty("state").GetString() == "wrapUp"))
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"agent 1002 did not reach wrap-up after call {callId}\n{platform.Output}");
    }

    private static async Task<int> WaitingInGeneralAsync(PlatformProcess platform)
    {
        var (_, queues) = await platform.GetApiAsync("api/queues");
        return queues.EnumerateArray().Where(q => q.GetProperty("id").GetString() == "general").Select(q => q.GetProperty("waiting").GetInt32()).FirstOrDefault();
    }

    private static async Task<JsonElement> WaitEntryAsync(PlatformProcess platform, string id, Func<JsonElement, bool> done)
    {
        JsonElement entry = default;
        for (var i = 0; i < 200; i++)
        {
            (_, entry) = await platform.GetApiAsync("api/call-lists/entries/" + id);
            if (done(entry))
            {
                break;
            }

            await Task.Delay(100);
        }

        return entry;
    }

    private static string[] Trunk(int carrierPort) => CallListTests.Trunk(carrierPort);

    private static Task<(HttpStatusCode Status, JsonElement Body)> PostCsvAsync(PlatformProcess platform, string path, string csv) =>
        CallListTests.PostCsvAsync(platform, path, csv);
}
