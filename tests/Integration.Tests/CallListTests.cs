using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>
/// Outbound compliance with real sipp as the carrier behind the trunk and as the agent's phone: the
/// do-not-call list refuses a number before any INVITE leaves (the carrier receives nothing), the
/// calling hours hold an ordinary callback while a risk notice rings at once (through a trunk given by host name)
/// with its SMS and its call as proof of notice on the entry, and
/// a list imported by CSV (bad rows reported) whose client does not answer is tried again as the list
/// says, then reached through the carrier's 401 challenge; its counts and the escalation of an entry
/// near its deadline show on the API.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public sealed class CallListTests
{
    [Test]
    public async Task ADoNotCallNumberIsRefusedWithItsReasonBeforeAnyInviteLeaves()
    {
        var carrierPort = FreePorts.UdpAndTcp();
        await using var platform = await PlatformProcess.StartAsync([.. Trunk(carrierPort), "--Agents:WrapUpSeconds=1"]);

        // The carrier would answer any call for either number: it must receive nothing.
        await using var carrier = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("carrier-answer.xml", new() { ["{NUMBER}"] = "1390000004[12]", ["{CALLER_ID}"] = "95500", ["{TALK_MS}"] = "1000" }),
            "-m", "1", "-timeout", "25s", "-timeout_error"], carrierPort);

        var (anonymous, _) = await platform.GetApiAsync("api/do-not-call", apiKey: null);
        var (wrongKey, _) = await platform.GetApiAsync("api/do-not-call", apiKey: "guess");
        var noReason = await platform.PostApiAsync("api/do-not-call", "{\"number\": \"13900000041\"}");
        var notANumber = await platform.PostApiAsync("api/do-not-call", "{\"number\": \"call me\", \"reason\": \"x\"}");
        var added = await platform.PostApiAsync("api/do-not-call", "{\"number\": \"139 0000 0041\", \"reason\": \"client asked on 2026-11-30\"}");
        var again = await platform.PostApiAsync("api/do-not-call", "{\"number\": \"+8613900000041\", \"reason\": \"client asked twice\"}");
        var callback = await platform.PostApiAsync("api/callbacks", "{\"number\": \"13900000041\", \"queue\": \"general\"}");

        // A callback booked before its number went on the list is refused when its turn comes.
        var booked = await platform.PostApiAsync("api/callbacks", "{\"number\": \"13900000042\", \"queue\": \"general\"}");
        Assert.That(booked.Status, Is.EqualTo(HttpStatusCode.Created), booked.Body);
        var bookedId = JsonDocument.Parse(booked.Body).RootElement.GetProperty("id").GetString()!;
        var later = await platform.PostApiAsync("api/do-not-call", "{\"number\": \"13900000042\", \"reason\": \"complaint about calls\"}");
        await using var agent = await AgentPhone.StartAsync(platform, "1004");
        var dial = await platform.PostApiAsync("api/agents/1004/dial", "{\"number\": \"13900000041\"}");
        var (_, listed) = await platform.GetApiAsync("api/do-not-call");

        JsonElement refused = default;
        for (var i = 0; i < 150; i++)
        {
            (_, refused) = await platform.GetApiAsync("api/callbacks/" + bookedId);
            // "calling" is the moment between the claim and the last check before the INVITE: not yet the end.
            if (refused.GetProperty("status").GetString() is not ("queued" or "calling"))
            {
                break;
            }

            await Task.Delay(100);
        }

        var carrierResult = await carrier.WaitAsync(TimeSpan.FromSeconds(40));
        Assert.Multiple(() =>
        {
            Assert.That((anonymous, wrongKey), Is.EqualTo((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized)), "the list is not for anyone on the network");
            Assert.That(noReason.Status, Is.EqualTo(HttpStatusCode.BadRequest), noReason.Body);
            Assert.That(notANumber.Status, Is.EqualTo(HttpStatusCode.BadRequest), notANumber.Body);
            Assert.That(notANumber.Body, Does.Contain("not a number"));
            Assert.That(added.Status, Is.EqualTo(HttpStatusCode.Created), added.Body);
            Assert.That(again.Status, Is.EqualTo(HttpStatusCode.OK), "the same number in another spelling: " + again.Body);
            Assert.That(listed.EnumerateArray().Select(r => r.GetProperty("number").GetString()), Is.EquivalentTo(new[] { "+8613900000041", "+8613900000042" }));
            Assert.That(callback.Status, Is.EqualTo(HttpStatusCode.BadRequest), callback.Body);
            Assert.That(callback.Body, Does.Contain("do-not-call").And.Contain("client asked twice"));
            Assert.That(later.Status, Is.EqualTo(HttpStatusCode.Created), later.Body);
            Assert.That(dial.Status, Is.EqualTo(HttpStatusCode.UnprocessableEntity), dial.Body);
            Assert.That(dial.Body, Does.Contain("do-not-call"));
            Assert.That(refused.GetProperty("status").GetString(), Is.EqualTo("failed"), refused + platform.Output);
            Assert.That(refused.GetProperty("outcome").GetString(), Is.EqualTo("do-not-call"));
            Assert.That(refused.GetProperty("attempts").GetInt32(), Is.Zero, "never dialled");
            Assert.That(carrierResult.SuccessfulCalls, Is.Zero, "no INVITE reached the carrier\n" + carrierResult.Output);
            Assert.That(carrierResult.Output, Does.Not.Contain("INVITE sip:139"), carrierResult.Output);
        });
    }

    [Test]
    public async Task InQuietHoursACallbackWaitsForTheMorningWhileARiskNoticeRingsAtOnceWithItsSmsAsProof()
    {
        // The calling hours begin two hours from now (Shanghai time): now is quiet.
        var shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, shanghai);
        var start = local.AddHours(2).ToString("HH:00", CultureInfo.InvariantCulture);
        var end = local.AddHours(3).ToString("HH:00", CultureInfo.InvariantCulture);
        var carrierPort = FreePorts.UdpAndTcp();

        // The trunk given by name (Trunks:0:Address=localhost:port): resolved at the start to 127.0.0.1, where sipp answers.
        await using var platform = await PlatformProcess.StartAsync([
            .. Trunk(carrierPort, "localhost"), "--Agents:WrapUpSeconds=1", "--Logging:LogLevel:Default=Information",
            $"--Outbound:CallingHoursStart={start}", $"--Outbound:CallingHoursEnd={end}"]);
        await using var carrier = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("carrier-answer.xml", new() { ["{NUMBER}"] = "1390000005[12]", ["{CALLER_ID}"] = "95500", ["{TALK_MS}"] = "2000" }),
            "-m", "1", "-timeout", "60s", "-timeout_error"], carrierPort);

        var ordinary = await platform.PostApiAsync("api/callbacks", "{\"number\": \"13900000051\", \"queue\": \"general\"}");
        Assert.That(ordinary.Status, Is.EqualTo(HttpStatusCode.Created), ordinary.Body);
        var ordinaryId = JsonDocument.Parse(ordinary.Body).RootElement.GetProperty("id").GetString()!;
        var badEvent = await platform.PostApiAsync("api/call-lists/events", "{\"event\": \"margin-party\", \"number\": \"13900000052\"}");

        // A complaint resolved 20 hours ago, posted now: its call is owed within 4 more hours (it waits for the calling hours).
        var resolvedAt = DateTimeOffset.UtcNow.AddHours(-20);
        var complaint = await platform.PostApiAsync("api/call-lists/events", $"{{\"event\": \"complaint-resolved\", \"number\": \"13900000053\", \"occurredAt\": \"{resolvedAt:O}\"}}");
        var futureComplaint = await platform.PostApiAsync("api/call-lists/events", $"{{\"event\": \"complaint-resolved\", \"number\": \"13900000054\", \"occurredAt\": \"{DateTimeOffset.UtcNow.AddDays(1):O}\"}}");
        Assert.That(complaint.Status, Is.EqualTo(HttpStatusCode.Created), complaint.Body);
        Assert.That(JsonDocument.Parse(complaint.Body).RootElement.GetProperty("dueBy").GetDateTimeOffset(), Is.EqualTo(resolvedAt.AddHours(24)).Within(TimeSpan.FromSeconds(1)), complaint.Body);
        Assert.That(futureComplaint.Status, Is.EqualTo(HttpStatusCode.BadRequest), futureComplaint.Body);
        var notice = await platform.PostApiAsync("api/call-lists/events", "{\"event\": \"margin-call\", \"number\": \"13900000052\", \"clientName\": \"Wang\"}");
        Assert.That(notice.Status, Is.EqualTo(HttpStatusCode.Created), notice.Body + platform.Output);
        var entryId = JsonDocument.Parse(notice.Body).RootElement.GetProperty("id").GetString()!;

        // The event sent again (a retry after a timeout) finds the same open entry: no second call or SMS.
        var retried = await platform.PostApiAsync("api/call-lists/events", "{\"event\": \"margin-call\", \"number\": \"13900000052\", \"clientName\": \"Wang\"}");
        Assert.That(JsonDocument.Parse(retried.Body).RootElement.GetProperty("id").GetString(), Is.EqualTo(entryId), retried.Body);
        await using var agent = await AgentPhone.StartAsync(platform, "1001", expectPai: "13900000052");

        var carrierResult = await carrier.WaitAsync(TimeSpan.FromSeconds(60));
        JsonElement entry = default;
        for (var i = 0; i < 100; i++)
        {
            (_, entry) = await platform.GetApiAsync("api/call-lists/entries/" + entryId);
            if (entry.GetProperty("status").GetString() == "reached")
            {
                break;
            }

            await Task.Delay(100);
        }

        var (_, waiting) = await platform.GetApiAsync("api/callbacks/" + ordinaryId);
        var (_, trunks) = await platform.GetApiAsync("api/trunks");
        var notNewAccount = await platform.PostApiAsync($"api/call-lists/entries/{entryId}/confirmation", "{\"confirmed\": true}");
        var messageId = entry.GetProperty("notice").GetProperty("messageId").GetString()!;
        var (messageStatus, message) = await platform.GetApiAsync("api/messages/" + messageId);
        var call = await platform.WaitForCallRecordAsync(c => c.GetProperty("id").GetString() == entry.GetProperty("lastCallId").GetString(), TimeSpan.FromSeconds(15))
            ?? throw new AssertionException("no record of the risk notice's call\n" + platform.Output);

        // The proof of notice on the entry itself, once the call's record is written: the SMS as the outbox has it, and
        // who reached the client (the agent), when, how (the number, the trunk) and the recording, as the record says.
        var (_, proven) = await platform.GetApiAsync("api/call-lists/entries/" + entryId);
        var proof = proven.GetProperty("proof");
        var sms = proof.GetProperty("sms");
        var reached = proof.GetProperty("call");
        Assert.Multiple(() =>
        {
            Assert.That(sms.GetProperty("messageId").GetString(), Is.EqualTo(messageId), proven.ToString());
            Assert.That(sms.GetProperty("to").GetString(), Is.EqualTo("+8613900000052"), proven.ToString());
            Assert.That(sms.GetProperty("queuedAt").GetDateTimeOffset(), Is.EqualTo(entry.GetProperty("notice").GetProperty("sentAt").GetDateTimeOffset()));
            Assert.That(sms.GetProperty("status").GetString(), Is.EqualTo(message.GetProperty("status").GetString()), message.ToString());
            Assert.That(reached.GetProperty("callId").GetString(), Is.EqualTo(call.GetProperty("id").GetString()), proven.ToString());
            Assert.That(reached.GetProperty("agent").GetString(), Is.EqualTo("1001"), proven.ToString());
            Assert.That(reached.GetProperty("agent").GetString(), Is.EqualTo(call.GetProperty("agent").GetString()));
            Assert.That(reached.GetProperty("number").GetString(), Is.EqualTo("+8613900000052"), proven.ToString());
            Assert.That(reached.GetProperty("trunk").GetString(), Is.EqualTo("carrier"), proven.ToString());
            Assert.That(trunks[0].GetProperty("hostName").GetString(), Is.EqualTo("localhost"), trunks.ToString());
            Assert.That(trunks[0].GetProperty("address").GetString(), Is.EqualTo($"127.0.0.1:{carrierPort.ToString(CultureInfo.InvariantCulture)}"), trunks.ToString());
            Assert.That(reached.GetProperty("outcome").GetString(), Is.EqualTo("reached"), proven.ToString());
            Assert.That(reached.GetProperty("recording").GetString(), Is.EqualTo(call.GetProperty("recording").GetString()), proven.ToString());
            Assert.That(reached.GetProperty("recordingSha256").GetString(), Is.EqualTo(call.GetProperty("recordingSha256").GetString()).And.Not.Null, proven.ToString());
            Assert.That(reached.GetProperty("recordingState").GetString(), Is.EqualTo("kept"), proven.ToString());
            Assert.That(reached.GetProperty("recordingUrl").GetString(), Is.EqualTo($"/api/recordings/{reached.GetProperty("callId").GetString()}/audio"), proven.ToString());
            Assert.That(reached.GetProperty("endedAt").GetDateTimeOffset(), Is.EqualTo(call.GetProperty("endedAt").GetDateTimeOffset()), proven.ToString());
            Assert.That(reached.GetProperty("agentAnsweredAt").GetDateTimeOffset(), Is.EqualTo(call.GetProperty("answeredAt").GetDateTimeOffset()), proven.ToString());
            var answeredAt = reached.GetProperty("answeredAt").GetDateTimeOffset();
            Assert.That(answeredAt, Is.GreaterThanOrEqualTo(reached.GetProperty("agentAnsweredAt").GetDateTimeOffset()), "the agent's phone rings first, then the client's");
            Assert.That(answeredAt, Is.LessThan(reached.GetProperty("endedAt").GetDateTimeOffset()), proven.ToString());
        });
        Assert.Multiple(() =>
        {
            Assert.That(badEvent.Status, Is.EqualTo(HttpStatusCode.BadRequest), badEvent.Body);
            Assert.That(notNewAccount.Status, Is.EqualTo(HttpStatusCode.Conflict), notNewAccount.Body);
            Assert.That(carrierResult.SuccessfulCalls, Is.EqualTo(1), "only the risk notice rang the carrier\n" + carrierResult.Output + platform.Output);
            Assert.That(entry.GetProperty("status").GetString(), Is.EqualTo("reached"), entry.ToString());
            Assert.That(entry.GetProperty("notice").GetProperty("channel").GetString(), Is.EqualTo("sms"));
            Assert.That(messageStatus, Is.EqualTo(HttpStatusCode.OK), message.ToString());
            Assert.That(message.GetProperty("to").GetString(), Is.EqualTo("+8613900000052"), message.ToString());
            Assert.That(call.GetProperty("direction").GetString(), Is.EqualTo("outbound"));
            Assert.That(call.GetProperty("recording").GetString(), Is.Not.Null.And.Not.Empty, "the proof of notice includes the recording");
            Assert.That(platform.Output, Does.Contain("goes in quiet hours: a risk notice overrides them"));
            Assert.That(waiting.GetProperty("status").GetString(), Is.EqualTo("queued"), waiting.ToString());
            Assert.That(waiting.GetProperty("attempts").GetInt32(), Is.Zero, "the ordinary callback was not dialled at night");
            Assert.That(waiting.GetProperty("nextAttemptAt").GetDateTimeOffset(), Is.GreaterThan(DateTimeOffset.UtcNow.AddMinutes(30)), waiting.ToString());
        });
    }

    [Test]
    public async Task AListCallNotAnsweredIsTriedAgainAsTheListSaysThenReachedThroughTheCarriersChallenge()
    {
        var carrierPort = FreePorts.UdpAndTcp();
        await using var platform = await PlatformProcess.StartAsync([
            .. Trunk(carrierPort), "--Trunks:0:Username=cc-trunk", "--Trunks:0:Password=trunk-secret-7",
            "--Agents:WrapUpSeconds=1", "--Callbacks:RingSeconds=5", "--CallLists:EscalateMinutesBefore=120", "--CallLists:CheckSeconds=1"]);

        var badList = await platform.PostApiAsync("api/call-lists", "{\"name\": \"x\", \"kind\": \"gossip\"}");
        var created = await platform.PostApiAsync("api/call-lists", "{\"name\": \"New accounts this week\", \"kind\": \"new-account\", \"maxAttempts\": 2, \"retrySeconds\": 2}");
        Assert.That(created.Status, Is.EqualTo(HttpStatusCode.Created), created.Body + platform.Output);
        var listId = JsonDocument.Parse(created.Body).RootElement.GetProperty("id").GetString()!;

        // One good row due in an hour (so near its deadline: escalated), and bad rows reported by line.
        var dueBy = DateTimeOffset.UtcNow.AddHours(1).ToString("O", CultureInfo.InvariantCulture);
        var csv = $"number,name,dueBy,accountManager\n13900000061,Zhao,{dueBy},1003\n110,Police,,\n13900000062,Qian,next week,\n139-0000-0061,Zhao again,,\n";
        var (importStatus, import) = await PostCsvAsync(platform, $"api/call-lists/{listId}/entries", csv);
        Assert.That(importStatus, Is.EqualTo(HttpStatusCode.OK), import.ToString() + platform.Output);
        var entryId = import.GetProperty("entries")[0].GetProperty("id").GetString()!;

        // The same file sent again (a retried upload) adds nobody: the open entry is reported.
        var (_, again) = await PostCsvAsync(platform, $"api/call-lists/{listId}/entries", csv);
        Assert.That(again.GetProperty("imported").GetInt32(), Is.Zero, again.ToString());
        Assert.That(again.GetProperty("rejected")[0].GetProperty("reason").GetString(), Does.Contain("already has an open entry").And.Contain(entryId), again.ToString());

        // First the client's phone rings unanswered, then (tried again 2 s later) the carrier challenges and it answers.
        var noAnswer = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("carrier-no-answer.xml", new() { ["{NUMBER}"] = "13900000061" }), "-m", "1", "-timeout", "60s", "-timeout_error"], carrierPort);
        await using var agent = await AgentPhone.StartAsync(platform, "1002", calls: 2, expectPai: "13900000061");
        var first = await noAnswer.WaitAsync(TimeSpan.FromSeconds(60));
        await noAnswer.DisposeAsync();
        Assert.That(first.SuccessfulCalls, Is.EqualTo(1), "rang, CANCELled after Callbacks:RingSeconds\n" + first.Output + platform.Output);
        await using var answer = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("carrier-challenge.xml", new() { ["{NUMBER}"] = "13900000061", ["{CALLER_ID}"] = "95500", ["{USERNAME}"] = "cc-trunk", ["{PASSWORD}"] = "trunk-secret-7", ["{TALK_MS}"] = "2000" }),
            "-m", "1", "-timeout", "60s", "-timeout_error"], carrierPort);
        var second = await answer.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.That(second.SuccessfulCalls, Is.EqualTo(1), "the retry: 401, INVITE again with credentials, answered\n" + second.Output + platform.Output);

        JsonElement entry = default;
        for (var i = 0; i < 100; i++)
        {
            (_, entry) = await platform.GetApiAsync("api/call-lists/entries/" + entryId);
            if (entry.GetProperty("status").GetString() == "reached" && entry.GetProperty("escalatedAt").ValueKind != JsonValueKind.Null)
            {
                break;
            }

            await Task.Delay(100);
        }

        // Each attempt has its own outbound record naming the list, the entry, the attempt and its outcome.
        List<JsonElement> records = [];
        for (var i = 0; i < 100 && records.Count < 2; i++)
        {
            var (_, calls) = await platform.GetApiAsync("api/calls?limit=50");
            records = [.. calls.EnumerateArray().Where(c => c.GetProperty("list").GetString() == listId).OrderBy(c => c.GetProperty("attempt").GetInt32())];
            await Task.Delay(100);
        }

        // The client denies their account manager: the relationship is flagged, the call the evidence.
        var early = await platform.PostApiAsync("api/call-lists/entries/le-none/confirmation", "{\"confirmed\": false}");
        var noAnswerGiven = await platform.PostApiAsync($"api/call-lists/entries/{entryId}/confirmation", "{}");
        var denied = await platform.PostApiAsync($"api/call-lists/entries/{entryId}/confirmation", "{\"confirmed\": false}");
        var deniedEntry = JsonDocument.Parse(denied.Body).RootElement;
        var (_, lists) = await platform.GetApiAsync("api/call-lists");
        var counts = lists.EnumerateArray().Single(l => l.GetProperty("id").GetString() == listId).GetProperty("counts");
        var rejected = import.GetProperty("rejected").EnumerateArray().Select(r => (r.GetProperty("line").GetInt32(), r.GetProperty("reason").GetString()!)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(badList.Status, Is.EqualTo(HttpStatusCode.BadRequest), badList.Body);
            Assert.That(import.GetProperty("imported").GetInt32(), Is.EqualTo(1), import.ToString());
            Assert.That(rejected.Select(r => r.Item1), Is.EqualTo(new[] { 3, 4, 5 }), import.ToString());
            Assert.That(rejected[0].Item2, Does.Contain("emergency"));
            Assert.That(rejected[1].Item2, Does.Contain("ISO 8601"));
            Assert.That(rejected[2].Item2, Does.Contain("earlier line"));
            Assert.That(entry.GetProperty("status").GetString(), Is.EqualTo("reached"), entry + platform.Output);
            Assert.That(entry.GetProperty("attempts").GetInt32(), Is.EqualTo(2), entry.ToString());
            Assert.That(entry.GetProperty("escalatedAt").ValueKind, Is.EqualTo(JsonValueKind.String), "due within the escalation lead: escalated " + entry);
            Assert.That(platform.Output, Does.Contain("escalated to the supervisors"));
            Assert.That(early.Status, Is.EqualTo(HttpStatusCode.NotFound), early.Body);
            Assert.That(noAnswerGiven.Status, Is.EqualTo(HttpStatusCode.BadRequest), noAnswerGiven.Body);
            Assert.That(denied.Status, Is.EqualTo(HttpStatusCode.OK), denied.Body);
            Assert.That(deniedEntry.GetProperty("confirmation").GetString(), Is.EqualTo("denied"));
            Assert.That(deniedEntry.GetProperty("relationshipFlaggedForRemoval").GetBoolean(), Is.True);
            Assert.That(deniedEntry.GetProperty("accountManager").GetString(), Is.EqualTo("1003"));
            Assert.That(platform.Output, Does.Contain("the relationship is flagged for removal"));
            Assert.That(counts.GetProperty("reached").GetInt32(), Is.EqualTo(1), counts.ToString());
            Assert.That(counts.GetProperty("contactRate").GetDouble(), Is.EqualTo(1.0));
            Assert.That(counts.GetProperty("attemptsPerContact").GetDouble(), Is.EqualTo(2.0));
            Assert.That(records.Select(r => (r.GetProperty("direction").GetString(), r.GetProperty("listEntry").GetString(), r.GetProperty("attempt").GetInt32(), r.GetProperty("outcome").GetString())),
                Is.EqualTo(new[] { ("outbound", entryId, 1, "no-answer"), ("outbound", entryId, 2, "reached") }), string.Join("\n", records));
        });
    }

    /// <summary>The one trunk these tests dial through: sipp as the carrier on <paramref name="carrierPort"/> (ListDiallingTests uses it too).</summary>
    /// <summary>The carrier's trunk at <paramref name="host"/> (an IP address, or a name the platform resolves at its start).</summary>
    internal static string[] Trunk(int carrierPort, string host = "127.0.0.1") =>
        ["--Trunks:0:Name=carrier", $"--Trunks:0:Address={host}:{carrierPort.ToString(CultureInfo.InvariantCulture)}", "--Trunks:0:Transport=udp", "--Trunks:0:CallerId=95500"];

    internal static async Task<(HttpStatusCode Status, JsonElement Body)> PostCsvAsync(PlatformProcess platform, string path, string csv)
    {
        using var http = new HttpClient { BaseAddress = platform.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(csv, Encoding.UTF8, "text/csv") };
        request.Headers.Add("X-Api-Key", "demo-api-key");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }
}
