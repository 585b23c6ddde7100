using System.Globalization;
using System.Net;
using System.Text.Json;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>
/// A new-account confirmation call as the client hears it: sipp as the carrier answers for the client, who
/// hears the platform's question and presses 2 (RFC 4733) on their own leg; the agent's phone (sipp) presses 1
/// on its leg first, trying to answer for them. The client's denial is what is recorded: the relationship is
/// flagged for removal, by the client, with the call (recorded) as the evidence, and an audit row says so.
/// </summary>
[NonParallelizable]
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

        // The client answers, hears the question and presses 2 some 3.5 s later; the agent pressed 1 at 2 s, on their own leg.
        await using var carrier = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("carrier-answer-keys.xml", new()
            {
                ["{NUMBER}"] = "13900000071", ["{CALLER_ID}"] = "95500", ["{TALK_MS}"] = "3000",
                ["{KEYS}"] = DtmfKeys.Steps(_clientKeys, "+3500", "2"),
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
}
