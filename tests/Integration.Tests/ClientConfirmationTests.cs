using System.Globalization;
using System.Net;
using System.Text.Json;
using CallCenter.TestSupport;
using Microsoft.AspNetCore.SignalR.Client;

namespace CallCenter.Integration.Tests;

/// <summary>
/// A new-account confirmation call as the client hears it: sipp as the carrier answers for the client, who
/// hears the platform's question and presses 2 (RFC 4733) on their own leg; the agent's phone (sipp) presses 1
/// on its leg first, trying to answer for them. The client's denial is what is recorded: the relationship is
/// flagged for removal, by the client, with the call (recorded) as the evidence, and an audit row says so.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public sealed class ClientConfirmationTests
{
    private string _clientKeys = "";
    private string _agentKeys = "";

    [SetUp]
    public void MakeCaptures()
    {
        _clientKeys = Directory.CreateTempSubdirectory("client-dtmf-").FullName;
        _agentKeys = Directory.CreateTempSubdirectory("agent-dtmf-").FullName;
    }

    [TearDown]
    public void RemoveCaptures()
    {
        Directory.Delete(_clientKeys, recursive: true);
        Directory.Delete(_agentKeys, recursive: true);
    }

    [Test]
    public async Task TheClientsOwnKeyDeniesTheManagerAndTheAgentsKeyIsNotTaken()
    {
        var carrierPort = FreePorts.UdpAndTcp();
        await using var platform = await PlatformProcess.StartAsync([
            .. CallListTests.Trunk(carrierPort), "--Agents:WrapUpSeconds=1", "--Callbacks:RingSeconds=10", "--CallLists:CheckSeconds=1",
            "--Logging:LogLevel:Default=Information"]);

        var created = await platform.PostApiAsync("api/call-lists", "{\"name\": \"New accounts\", \"kind\": \"new-account\", \"maxAttempts\": 1}");
        Assert.That(created.Status, Is.EqualTo(HttpStatusCode.Created), created.Body + platform.Output);
        var listId = JsonDocument.Parse(created.Body).RootElement.GetProperty("id").GetString()!;
        var (importStatus, import) = await CallListTests.PostCsvAsync(platform, $"api/call-lists/{listId}/entries", "number,name,dueBy,accountManager\n13900000071,Wei,,1003\n");
        Assert.That(importStatus, Is.EqualTo(HttpStatusCode.OK), import.ToString() + platform.Output);
        var entryId = import.GetProperty("entries")[0].GetProperty("id").GetString()!;

        // The client answers, hears the question and presses 2 some 6 s later; the agent pressed 1 at 2 s, on their own leg,
        // while the question stood (it is put as soon as the client answers; see the test below for a client who never keys).
        await using var carrier = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("carrier-answer-keys.xml", new()
            {
                ["{NUMBER}"] = "13900000071", ["{CALLER_ID}"] = "95500", ["{TALK_MS}"] = "2000",
                ["{KEYS}"] = DtmfKeys.Steps(_clientKeys, "+6000", "2"),
            }),
            "-m", "1", "-timeout", "60s", "-timeout_error"], carrierPort);
        await using var agent = await AgentPhone.StartAsync(platform, "1002", expectPai: "13900000071", scenarioName: "agent-answer-keys.xml",
            values: new() { ["{KEYS}"] = DtmfKeys.Steps(_agentKeys, "+2000", "1") });
        var client = await carrier.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.That(client.SuccessfulCalls, Is.EqualTo(1), client.Output + platform.Output);

        JsonElement entry = default;
        for (var i = 0; i < 100; i++)
        {
            (_, entry) = await platform.GetApiAsync("api/call-lists/entries/" + entryId);
            if (entry.GetProperty("confirmation").ValueKind == JsonValueKind.String)
            {
                break;
            }

            await Task.Delay(100);
        }

        var callId = entry.GetProperty("lastCallId").GetString()!;
        var record = await platform.WaitForCallRecordAsync(c => c.GetProperty("id").GetString() == callId, TimeSpan.FromSeconds(15))
            ?? throw new AssertionException("no record of the confirmation call\n" + platform.Output);
        var audited = new List<string>();
        await using (var database = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(platform.WorkDirectory, "callcenter.db")}"))
        {
            await database.OpenAsync();
            await using var read = database.CreateCommand();
            read.CommandText = "SELECT role || '|' || actor || '|' || outcome || '|' || COALESCE(target, '') || '|' || COALESCE(detail, '') FROM audit_log WHERE action = 'list.confirmation' ORDER BY seq";
            await using var rows = await read.ExecuteReaderAsync();
            while (await rows.ReadAsync())
            {
                audited.Add(rows.GetString(0));
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(entry.GetProperty("status").GetString(), Is.EqualTo("reached"), entry + platform.Output);
            Assert.That(entry.GetProperty("confirmation").GetString(), Is.EqualTo("denied"), "the client's 2, not the agent's earlier 1\n" + entry + platform.Output);
            Assert.That(entry.GetProperty("relationshipFlaggedForRemoval").GetBoolean(), Is.True, entry.ToString());
            Assert.That(entry.GetProperty("confirmedBy").GetString(), Does.StartWith("client +8613900000071").And.Contain("key 2"), entry.ToString());
            Assert.That(record.GetProperty("recording").GetString(), Is.Not.Null.And.Not.Empty, "the recording is the evidence");
            Assert.That(audited, Has.Count.EqualTo(1), string.Join("\n", audited));
            Assert.That(audited.FirstOrDefault(), Does.StartWith("client|client +8613900000071").And.Contain($"|done|{entryId}|denied account manager 1003 on call {callId}"), string.Join("\n", audited));
            Assert.That(platform.Output, Does.Contain("asked to confirm their account manager by key"));
            Assert.That(platform.Output, Does.Contain("the relationship is flagged for removal"));
        });
    }

    [Test]
    public async Task WithNoKeyFromTheClientTheQuestionIsPutAgainInTheirLanguageThenEndsAndOnlyTheAgentsWrapUpCodeAnswers()
    {
        var carrierPort = FreePorts.UdpAndTcp();
        await using var platform = await PlatformProcess.StartAsync([
            .. CallListTests.Trunk(carrierPort), "--Agents:WrapUpSeconds=60", "--Callbacks:RingSeconds=10", "--CallLists:CheckSeconds=1",
            "--CallLists:QuestionRepeats=1", "--CallLists:QuestionSilenceSeconds=2", "--Logging:LogLevel:Default=Information"]);
        await using var desk = await DeskHubCallTests.SignedInHubAsync(platform, "1002", "demo-1002");

        // Emily Chen (13800000004) is recorded as English; the list gives no language, so the callback is booked in the default.
        var created = await platform.PostApiAsync("api/call-lists", "{\"name\": \"New accounts\", \"kind\": \"new-account\", \"maxAttempts\": 1}");
        Assert.That(created.Status, Is.EqualTo(HttpStatusCode.Created), created.Body + platform.Output);
        var listId = JsonDocument.Parse(created.Body).RootElement.GetProperty("id").GetString()!;
        var (importStatus, import) = await CallListTests.PostCsvAsync(platform, $"api/call-lists/{listId}/entries", "number,name,dueBy,accountManager\n13800000004,Emily Chen,,1003\n");
        Assert.That(importStatus, Is.EqualTo(HttpStatusCode.OK), import.ToString() + platform.Output);
        var entryId = import.GetProperty("entries")[0].GetProperty("id").GetString()!;

        // The client answers and says nothing for 30 s; the agent presses 1, then 2, on their own leg while the question waits for the client.
        await using var carrier = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("carrier-answer-keys.xml", new()
            {
                ["{NUMBER}"] = "13800000004", ["{CALLER_ID}"] = "95500", ["{TALK_MS}"] = "30000", ["{KEYS}"] = "",
            }),
            "-m", "1", "-timeout", "90s", "-timeout_error"], carrierPort);
        await using var agent = await AgentPhone.StartAsync(platform, "1002", expectPai: "13800000004", scenarioName: "agent-answer-keys.xml",
            values: new() { ["{KEYS}"] = DtmfKeys.Steps(_agentKeys, "+3000", "1", "+3000", "2") });

        // The question ends with no key from the client before the client hangs up; nothing is confirmed or denied.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!platform.Output.Contains("no key from the client after the question was put 2 times", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        var (_, unanswered) = await platform.GetApiAsync("api/call-lists/entries/" + entryId);
        var client = await carrier.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.That(client.SuccessfulCalls, Is.EqualTo(1), client.Output + platform.Output);
        var callId = unanswered.GetProperty("lastCallId").GetString()!;
        await WaitWrapUpAsync(platform, "1002");

        // The agent asked the client in person and records the answer with the wrap-up code, as ever.
        await desk.InvokeAsync<JsonElement>("WrapUp", callId, "manager-confirmed", "confirmed in person after no key");
        JsonElement entry = default;
        for (var i = 0; i < 100; i++)
        {
            (_, entry) = await platform.GetApiAsync("api/call-lists/entries/" + entryId);
            if (entry.GetProperty("confirmation").ValueKind == JsonValueKind.String)
            {
                break;
            }

            await Task.Delay(100);
        }

        var audited = await AuditedAsync(platform);
        Assert.Multiple(() =>
        {
            Assert.That(platform.Output, Does.Contain("asked to confirm their account manager by key (in en, 1 of 2)"), "the client's recorded language\n" + platform.Output);
            Assert.That(platform.Output, Does.Contain("asked to confirm their account manager by key (in en, 2 of 2)"), "put again after the silence");
            Assert.That(platform.Output, Does.Not.Contain("(in en, 3 of"), "no more than set");
            Assert.That(unanswered.GetProperty("status").GetString(), Is.EqualTo("reached"), unanswered.ToString());
            Assert.That(unanswered.GetProperty("confirmation").ValueKind, Is.EqualTo(JsonValueKind.Null), "the agent's 1 and 2 on their own leg changed nothing\n" + unanswered);
            Assert.That(entry.GetProperty("confirmation").GetString(), Is.EqualTo("confirmed"), entry.ToString());
            Assert.That(entry.GetProperty("confirmedBy").GetString(), Is.EqualTo("agent 1002 (wrap-up manager-confirmed)"), entry.ToString());
            Assert.That(audited, Has.Count.EqualTo(2), string.Join("\n", audited) + "\n" + platform.Output);
            Assert.That(audited.FirstOrDefault(), Does.StartWith("client|client +8613800000004 (no key, asked 2 times)|done|" + entryId + "|no key from the client on call " + callId), string.Join("\n", audited));
            Assert.That(audited.LastOrDefault(), Does.StartWith("agent|1002|done|" + entryId + "|confirmed account manager 1003 on call " + callId), string.Join("\n", audited));
            Assert.That(Directory.EnumerateFiles(_agentKeys, "*.pcap").Count(), Is.EqualTo(2), "the agent's phone had its two keys to send");
        });
    }

    private static async Task WaitWrapUpAsync(PlatformProcess platform, string agent)
    {
        for (var i = 0; i < 150; i++)
        {
            var (_, agents) = await platform.GetApiAsync("api/agents");
            if (agents.EnumerateArray().Any(a => a.GetProperty("id").GetString() == agent && a.GetProperty("state").GetString() == "wrapUp"))
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"agent {agent} did not reach wrap-up\n{platform.Output}");
    }

    private static async Task<List<string>> AuditedAsync(PlatformProcess platform)
    {
        var audited = new List<string>();
        await using var database = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(platform.WorkDirectory, "callcenter.db")}");
        await database.OpenAsync();
        await using var read = database.CreateCommand();
        read.CommandText = "SELECT role || '|' || actor || '|' || outcome || '|' || COALESCE(target, '') || '|' || COALESCE(detail, '') FROM audit_log WHERE action = 'list.confirmation' ORDER BY seq";
        await using var rows = await read.ExecuteReaderAsync();
        while (await rows.ReadAsync())
        {
            audited.Add(rows.GetString(0));
        }

        return audited;
    }
}
