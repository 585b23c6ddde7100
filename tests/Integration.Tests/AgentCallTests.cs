using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using CallCenter.Telephony.Media.Audio;

namespace CallCenter.Integration.Tests;

/// <summary>
/// Callers queued for agents and bridged to agents' phones, all real sipp processes: the B2BUA,
/// the relay, the recording, the call record and the routing rules end to end.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public sealed class AgentCallTests
{
    // sipp answers only an MD5 challenge first (design.md section 4); a short wrap-up keeps tests quick.
    private static readonly string[] _platform = ["--Sip:DigestAlgorithms:0=MD5", "--Sip:DigestAlgorithms:1=SHA-256", "--Agents:WrapUpSeconds=1"];

    // The VIP line's greeting lasts about 7 s; a caller is with an agent from about 8 s on.
    private static Sipp.Running Call(PlatformProcess platform, string caller, int holdMilliseconds, int speakAgainMilliseconds = 9000, string dialed = "95501") =>
        AgentPhone.StartCaller(platform, caller, holdMilliseconds, speakAgainMilliseconds, dialed);

    /// <summary>
    /// With the VIP queue one caller long: 13800000005 waits (22 s), then 13800000006 finds the queue full. Returns the
    /// overflowing caller's sipp result and record, and the waiting caller's sipp result.
    /// </summary>
    private static async Task<(Sipp.Result Overflowing, JsonElement Record, Sipp.Result Waiting)> OverflowTheVipQueueAsync(PlatformProcess platform)
    {
        await using var waiting = Call(platform, "13800000005", holdMilliseconds: 22_000);
        for (var i = 0; i < 200; i++)
        {
            // The first caller is in the queue before the second arrives (a loaded machine answers late).
            var (_, queues) = await platform.GetApiAsync("api/queues");
            if (queues.EnumerateArray().Any(q => q.GetProperty("id").GetString() == "vip" && q.GetProperty("waiting").GetInt32() == 1))
            {
                break;
            }

            await Task.Delay(100);
        }

        await using var overflowing = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("caller-until-bye.xml", new() { ["{CALLER}"] = "13800000006" }),
            "-s", "95501", "-m", "1", "-timeout", "60s", "-timeout_error"]);

        var overflowResult = await overflowing.WaitAsync(TimeSpan.FromSeconds(60));
        var record = await RecordOf(platform, "13800000006");
        var waitingResult = await waiting.WaitAsync(TimeSpan.FromSeconds(60));
        return (overflowResult, record, waitingResult);
    }

    private static async Task<JsonElement> RecordOf(PlatformProcess platform, string caller) =>
        await platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == caller, TimeSpan.FromSeconds(15))
        ?? throw new AssertionException($"no record for {caller}\n{platform.Output}");

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ADiamondCallerIsBridgedToTheAgentRecordedInStereoAndWrittenUp()
    {
        await using var platform = await PlatformProcess.StartAsync(OpenVipLine.Prepare, [.. _platform, "--Logging:LogLevel:Default=Information"]);
        await using var agent = await AgentPhone.StartAsync(platform, "1001", expectPai: "13800000001", expectDisplay: "Diamond");

        await using var caller = Call(platform, "13800000001", holdMilliseconds: 14_000);
        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(60));
        var agentResult = await agent.WaitAsync(TimeSpan.FromSeconds(30));
        var record = await RecordOf(platform, "13800000001");

        Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), callerResult.Output);
        Assert.That(agentResult.SuccessfulCalls, Is.EqualTo(1), "the agent's phone must see PAI, tier and the BYE\n" + agentResult.Output + platform.Output);
        Assert.That(record.GetProperty("agent").GetString(), Is.EqualTo("1001"), record.ToString());
        Assert.That(record.GetProperty("disposition").GetString(), Is.EqualTo("caller-hung-up"));
        Assert.That(record.GetProperty("queue").GetString(), Is.EqualTo("vip"));
        Assert.That(record.GetProperty("direction").GetString(), Is.EqualTo("inbound"), "a caller rang the hotline");
        Assert.That(record.GetProperty("wrapUpSeconds").GetDouble(), Is.InRange(0.5, 3));
        var talk = record.GetProperty("talkSeconds").GetDouble();
        Assert.That(talk, Is.InRange(2, 14), record.ToString());

        var path = record.GetProperty("recording").GetString()!;
        Assert.That(File.Exists(path), Is.True, path);
        var wav = WavFile.Read(path);
        Assert.That(wav.Format, Is.EqualTo(WavFormat.Recording));
        var seconds = wav.Data.Length / (double)wav.Format.ByteRate;
        Assert.That(seconds, Is.EqualTo(talk).Within(0.5), "the recording lasts as long as the talk");
        Assert.That(record.GetProperty("recordingSha256").GetString(), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))));

        // The client's words and the agents' HA1s are the platform user's alone (group and others: nothing).
        const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        Assert.That(File.GetUnixFileMode(path) & others, Is.EqualTo((UnixFileMode)0), "the recording's mode");
        Assert.That(File.GetUnixFileMode(Path.GetDirectoryName(path)!) & others, Is.EqualTo((UnixFileMode)0), "the recordings folder's mode");
        foreach (var database in Directory.GetFiles(platform.WorkDirectory, "callcenter.db*"))
        {
            Assert.That(File.GetUnixFileMode(database) & others, Is.EqualTo((UnixFileMode)0), database);
        }

        // Both voices crossed the relay: sipp's capture on the left (caller) and on the right (agent); silence averages under 10.
        var (left, right) = TestAudio.ChannelEnergy(wav.Data);
        Assert.That(left, Is.GreaterThan(200), "the caller's voice must reach the agent");
        Assert.That(right, Is.GreaterThan(200), "the agent's voice must reach the caller");

        await OneCallOneIdAsync(platform, record.GetProperty("id").GetString()!);
    }

    /// <summary>
    /// Issue 11, part 4: every event about the call names its SIP Call-ID as well as the platform's id,
    /// and every log line naming the call's platform id names its SIP Call-ID too, so either id finds it all.
    /// </summary>
    private static async Task OneCallOneIdAsync(PlatformProcess platform, string callId)
    {
        await Task.Delay(500); // the event log commits in 20 ms batches
        var events = new List<(string Kind, string? Detail)>();
        await using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(platform.WorkDirectory, "callcenter.db")};Mode=ReadOnly"))
        {
            await db.OpenAsync();
            await using var command = db.CreateCommand();
            // The call's own events (an agent's state changes name the call too, but are the agent's).
            command.CommandText = "SELECT kind, detail FROM events WHERE call_id = $id AND kind LIKE 'call.%' ORDER BY seq";
            command.Parameters.AddWithValue("$id", callId);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                events.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
            }
        }

        var kinds = events.Select(e => e.Kind).ToList();
        Assert.That(kinds, Is.SupersetOf(new[] { "call.answered", "call.offered", "call.bridged", "call.ended" }), string.Join(", ", kinds));
        var sipCallIds = events.Select(e => e.Detail is null ? null : JsonDocument.Parse(e.Detail).RootElement.TryGetProperty("sipCallId", out var s) ? s.GetString() : null).ToList();
        var sipCallId = sipCallIds[0];
        Assert.That(sipCallId, Is.Not.Null.And.Not.Empty);
        Assert.That(sipCallIds, Has.All.EqualTo(sipCallId), string.Join("\n", events.Select(e => $"{e.Kind} {e.Detail}")));

        var lines = platform.Output.Split('\n').Where(l => l.Contains(callId, StringComparison.Ordinal)).ToList();
        Assert.That(lines, Has.Count.GreaterThanOrEqualTo(3), platform.Output);
        Assert.That(lines.Where(l => !l.Contains(sipCallId!, StringComparison.Ordinal)), Is.Empty, "log lines naming the call without its SIP Call-ID");
    }

    [Test]
    public async Task TheClientsOwnAccountManagerGetsTheCallAheadOfALongerIdleAgent()
    {
        await using var platform = await PlatformProcess.StartAsync(OpenVipLine.Prepare, _platform);
        await using var idleLonger = await AgentPhone.StartAsync(platform, "1001");
        await Task.Delay(1000);
        await using var manager = await AgentPhone.StartAsync(platform, "1004", expectPai: "13800000003", expectDisplay: "Gold");

        await using var caller = Call(platform, "13800000003", holdMilliseconds: 11_000);
        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(60));
        var managerResult = await manager.WaitAsync(TimeSpan.FromSeconds(30));
        var record = await RecordOf(platform, "13800000003");

        Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), callerResult.Output);
        Assert.That(managerResult.SuccessfulCalls, Is.EqualTo(1), managerResult.Output + platform.Output);
        Assert.That(record.GetProperty("agent").GetString(), Is.EqualTo("1004"), record.ToString());
        Assert.That(record.GetProperty("routing").GetString(), Does.Contain("by Relationship"));
        Assert.That(record.GetProperty("tier").GetString(), Is.EqualTo("Gold"));
    }

    [Test]
    public async Task AnAgentWhoDoesNotAnswerIsSkippedAndPutOnBreakAndTheNextAgentTakesTheCall()
    {
        await using var platform = await PlatformProcess.StartAsync(OpenVipLine.Prepare, [.. _platform, "--Agents:RingTimeoutSeconds=2", "--Agents:MaxMissedOffers=1"]);
        await using var silent = await AgentPhone.StartAsync(platform, "1001", answer: false);
        await Task.Delay(1000);
        await using var answering = await AgentPhone.StartAsync(platform, "1002");

        await using var caller = Call(platform, "13900000002", holdMilliseconds: 14_000);
        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(60));
        var silentResult = await silent.WaitAsync(TimeSpan.FromSeconds(30));
        var answeringResult = await answering.WaitAsync(TimeSpan.FromSeconds(30));
        var record = await RecordOf(platform, "13900000002");
        var (_, agents) = await platform.GetApiAsync("api/agents");
        var first = agents.EnumerateArray().Single(a => a.GetProperty("id").GetString() == "1001");

        Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), callerResult.Output);
        Assert.That(silentResult.SuccessfulCalls, Is.EqualTo(1), "the ringing phone must get a CANCEL\n" + silentResult.Output + platform.Output);
        Assert.That(answeringResult.SuccessfulCalls, Is.EqualTo(1), answeringResult.Output);
        Assert.That(record.GetProperty("agent").GetString(), Is.EqualTo("1002"), record.ToString());
        var agentLegs = record.GetProperty("legs").EnumerateArray().Where(l => l.GetProperty("role").GetString() == "agent")
            .Select(l => (l.GetProperty("party").GetString(), l.GetProperty("outcome").GetString())).ToList();
        Assert.That(agentLegs, Is.EqualTo(new[] { ("1001", "no-answer"), ("1002", "answered") }));
        Assert.That(record.GetProperty("ringSeconds").GetDouble(), Is.GreaterThanOrEqualTo(2));
        Assert.That(first.GetProperty("state").GetString(), Is.EqualTo("break"));
        Assert.That(first.ToString(), Does.Contain("no answer"));
    }

    [Test]
    public async Task ACallerWhoHangsUpWhileTheAgentsPhoneRingsCancelsItAndTheAgentIsFreeAgain()
    {
        await using var platform = await PlatformProcess.StartAsync(OpenVipLine.Prepare, [.. _platform, "--Agents:RingTimeoutSeconds=30"]);
        await using var ringing = await AgentPhone.StartAsync(platform, "1003", answer: false);

        await using var caller = Call(platform, "13800000002", holdMilliseconds: 11_000);
        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(60));
        var ringingResult = await ringing.WaitAsync(TimeSpan.FromSeconds(30));
        var record = await RecordOf(platform, "13800000002");
        var (_, agents) = await platform.GetApiAsync("api/agents");

        Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), callerResult.Output);
        Assert.That(ringingResult.SuccessfulCalls, Is.EqualTo(1), "the agent's phone must get a CANCEL\n" + ringingResult.Output + platform.Output);
        Assert.That(record.GetProperty("disposition").GetString(), Is.EqualTo("caller-hung-up"));
        Assert.That(record.GetProperty("agent").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(record.GetProperty("legs").EnumerateArray().Last().GetProperty("outcome").GetString(), Is.EqualTo("cancelled"));
        Assert.That(agents.EnumerateArray().Single(a => a.GetProperty("id").GetString() == "1003").GetProperty("state").GetString(), Is.EqualTo("available"));
    }

    // One agent, busy with a first caller; an ordinary caller queues, then a Diamond caller (bonus 4 s)
    // queues 1.5 s later (within the bonus: served first) or 6 s later (beyond it: served second).
    // The agent is 1003, account manager of neither caller, so only the score decides.
    [TestCase(1500, "13800000001", TestName = "ADiamondCallerWhoArrivesWithinTheBonusIsServedBeforeALongerWaitingOrdinaryCaller")]
    [TestCase(6000, "13900000007", TestName = "AnOrdinaryCallerWhoWaitedLongerThanTheBonusIsServedBeforeADiamondCaller")]
    public async Task TheBusyAgentTakesTheHighestScoreNext(int diamondDelayMilliseconds, string expectedFirst)
    {
        await using var platform = await PlatformProcess.StartAsync(OpenVipLine.Prepare, [.. _platform, "--Routing:TierBonusSeconds:Diamond=4"]);
        await using var agent = await AgentPhone.StartAsync(platform, "1003", calls: 3);

        await using var busy = Call(platform, "13800000005", holdMilliseconds: 17_000);
        await Task.Delay(1000);
        await using var ordinary = Call(platform, "13900000007", holdMilliseconds: 26_000);
        await Task.Delay(diamondDelayMilliseconds);
        await using var diamond = Call(platform, "13800000001", holdMilliseconds: 26_000 - diamondDelayMilliseconds);
        await Task.WhenAll(busy.WaitAsync(TimeSpan.FromSeconds(60)), ordinary.WaitAsync(TimeSpan.FromSeconds(60)), diamond.WaitAsync(TimeSpan.FromSeconds(60)));
        var first = await RecordOf(platform, expectedFirst);
        var second = await RecordOf(platform, expectedFirst == "13800000001" ? "13900000007" : "13800000001");
        var busyRecord = await RecordOf(platform, "13800000005");

        Assert.That(busyRecord.GetProperty("agent").GetString(), Is.EqualTo("1003"), "the first caller keeps the agent busy\n" + platform.Output);
        Assert.That(first.GetProperty("agent").GetString(), Is.EqualTo("1003"), first.ToString());
        Assert.That(first.GetProperty("routing").GetString(), Does.Contain("by HighestScore"));
        Assert.That(first.GetProperty("routing").GetString(), Does.Contain("considered 2 call(s)"), "both callers were waiting");
        if (second.GetProperty("answeredAt").ValueKind != JsonValueKind.Null)
        {
            Assert.That(second.GetProperty("answeredAt").GetDateTimeOffset(), Is.GreaterThan(first.GetProperty("answeredAt").GetDateTimeOffset()));
        }
    }

    [Test]
    public async Task ABlindTransferThroughTheApiRingsTheNextAgentAndTheFirstOneIsHungUp()
    {
        await using var platform = await PlatformProcess.StartAsync(OpenVipLine.Prepare, _platform);
        await using var first = await AgentPhone.StartAsync(platform, "1001");
        await using var caller = Call(platform, "13800000002", holdMilliseconds: 20_000);
        var callId = await WaitForAgentCallAsync(platform, "1001", "onCall");
        await using var second = await AgentPhone.StartAsync(platform, "1002", expectPai: "13800000002", expectDisplay: "Platinum");

        var toNobody = await platform.PostApiAsync($"api/calls/{callId}/transfer", "{\"target\": \"+8613912345678\"}");
        var toSelf = await platform.PostApiAsync($"api/calls/{callId}/transfer", "{\"target\": \"1001\"}");
        var transfer = await platform.PostApiAsync($"api/calls/{callId}/transfer", "{\"target\": \"1002\"}");
        var unknownCall = await platform.PostApiAsync("api/calls/nope/transfer", "{\"target\": \"1002\"}");
        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(60));
        var firstResult = await first.WaitAsync(TimeSpan.FromSeconds(30));
        var secondResult = await second.WaitAsync(TimeSpan.FromSeconds(30));
        var record = await RecordOf(platform, "13800000002");

        Assert.That(toNobody.Status, Is.EqualTo(System.Net.HttpStatusCode.UnprocessableEntity), toNobody.Body);
        Assert.That(toSelf.Status, Is.EqualTo(System.Net.HttpStatusCode.Conflict), toSelf.Body);
        Assert.That(transfer.Status, Is.EqualTo(System.Net.HttpStatusCode.OK), transfer.Body);
        Assert.That(unknownCall.Status, Is.EqualTo(System.Net.HttpStatusCode.NotFound));
        Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), callerResult.Output);
        Assert.That(firstResult.SuccessfulCalls, Is.EqualTo(1), "the first agent's phone gets the platform's BYE\n" + firstResult.Output);
        Assert.That(secondResult.SuccessfulCalls, Is.EqualTo(1), "the second agent answers and gets the BYE when the caller leaves\n" + secondResult.Output + platform.Output);
        Assert.That(record.GetProperty("agent").GetString(), Is.EqualTo("1002"), record.ToString());
        var agentLegs = record.GetProperty("legs").EnumerateArray().Where(l => l.GetProperty("role").GetString() == "agent")
            .Select(l => (l.GetProperty("party").GetString(), l.GetProperty("outcome").GetString())).ToList();
        Assert.That(agentLegs, Is.EqualTo(new[] { ("1001", "transferred"), ("1002", "answered") }));
        var wav = WavFile.Read(record.GetProperty("recording").GetString()!);
        var answeredAt = record.GetProperty("answeredAt").GetDateTimeOffset();
        var endedAt = record.GetProperty("endedAt").GetDateTimeOffset();
        Assert.That(wav.Data.Length / (double)wav.Format.ByteRate, Is.EqualTo((endedAt - answeredAt).TotalSeconds).Within(0.5), "one recording from the first answer to the end");
    }

    [Test]
    public async Task AnAgentsPhoneTransfersTheCallToAQueueByReferAndTheNextAgentThereAnswers()
    {
        await using var platform = await PlatformProcess.StartAsync(OpenVipLine.Prepare, _platform);
        await using var first = await AgentPhone.StartAsync(platform, "1001", transferTo: "general", talkMilliseconds: 1500);
        await using var caller = Call(platform, "13800000004", holdMilliseconds: 20_000);
        await WaitForAgentCallAsync(platform, "1001", "onCall");
        await using var second = await AgentPhone.StartAsync(platform, "1003", expectPai: "13800000004", expectDisplay: "^ *[[:punct:]]Emily Chen Quality[[:punct:]] "); // quoted: RFC 3261 25.1

        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(60));
        var firstResult = await first.WaitAsync(TimeSpan.FromSeconds(30));
        var secondResult = await second.WaitAsync(TimeSpan.FromSeconds(30));
        var record = await RecordOf(platform, "13800000004");

        Assert.That(firstResult.SuccessfulCalls, Is.EqualTo(1), "REFER answered 202, NOTIFY 200, then BYE\n" + firstResult.Output + platform.Output);
        Assert.That(secondResult.SuccessfulCalls, Is.EqualTo(1), secondResult.Output);
        Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), callerResult.Output);
        Assert.That(record.GetProperty("agent").GetString(), Is.EqualTo("1003"), record.ToString());
        Assert.That(record.GetProperty("legs").EnumerateArray().Select(l => l.GetProperty("outcome").GetString()), Is.EqualTo(new[] { "caller-hung-up", "transferred", "answered" }));
    }

    [Test]
    public async Task AnAgentPhonesAttendedTransferByReplacesIsRefusedWith501AndTheCallGoesOn()
    {
        await using var platform = await PlatformProcess.StartAsync(OpenVipLine.Prepare, _platform);
        await using var agent = await AgentPhone.StartAsync(platform, "1001", transferTo: "1002", talkMilliseconds: 1500, scenarioName: "agent-refer-replaces.xml");
        await using var caller = Call(platform, "13800000005", holdMilliseconds: 14_000);

        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(60));
        var agentResult = await agent.WaitAsync(TimeSpan.FromSeconds(30));
        var record = await RecordOf(platform, "13800000005");

        Assert.That(agentResult.SuccessfulCalls, Is.EqualTo(1), "501 with the Warning, then the BYE at the caller's end\n" + agentResult.Output + platform.Output);
        Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), callerResult.Output);
        Assert.That(record.GetProperty("agent").GetString(), Is.EqualTo("1001"), record.ToString());
        Assert.That(record.GetProperty("disposition").GetString(), Is.EqualTo("caller-hung-up"), "not transferred");
    }

    [Test]
    public async Task AnAgentHoldsAndResumesByReInviteAndTheHoldTimeIsRecordedApartFromTalk()
    {
        await using var platform = await PlatformProcess.StartAsync(OpenVipLine.Prepare, _platform);
        await using var agent = await AgentPhone.StartAsync(platform, "1002", talkMilliseconds: 1000, holdMilliseconds: 3000);
        await using var caller = Call(platform, "13800000006", holdMilliseconds: 16_000);

        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(60));
        var agentResult = await agent.WaitAsync(TimeSpan.FromSeconds(30));
        var record = await RecordOf(platform, "13800000006");
        var (_, metrics) = await platform.GetApiAsync("api/metrics");

        Assert.That(agentResult.SuccessfulCalls, Is.EqualTo(1), "hold answered recvonly, resume answered sendrecv\n" + agentResult.Output + platform.Output);
        Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), callerResult.Output);
        var hold = record.GetProperty("holdSeconds").GetDouble();
        var talk = record.GetProperty("talkSeconds").GetDouble();
        var bridged = (record.GetProperty("endedAt").GetDateTimeOffset() - record.GetProperty("answeredAt").GetDateTimeOffset()).TotalSeconds;
        Assert.That(hold, Is.EqualTo(3).Within(0.5), record.ToString());
        Assert.That(talk + hold, Is.EqualTo(bridged).Within(0.05), "talk is the bridged time less the hold");

        // The call counts in today's metrics: answered in the vip queue and tier Dormant, 1002 occupied.
        Assert.That(metrics.GetProperty("byQueue").GetProperty("vip").GetProperty("answered").GetInt32(), Is.EqualTo(1), metrics.ToString());
        Assert.That(metrics.GetProperty("byTier").GetProperty("Dormant").GetProperty("averageHandleTimeSeconds").GetDouble(), Is.GreaterThan(talk + hold));
        Assert.That(metrics.GetProperty("occupancy").GetProperty("byAgent").GetProperty("1002").GetProperty("busySeconds").GetDouble(), Is.GreaterThan(bridged - 1));
    }

    [Test]
    public async Task ACallerWhoFindsTheQueueFullHearsThatACallBackIsBookedAndIsHungUp()
    {
        // A trunk (never dialled here: no agent is free) is what lets the platform keep the promise.
        await using var platform = await PlatformProcess.StartAsync(OpenVipLine.Prepare, [
            .. _platform, "--Routing:Queues:vip:MaxLength=1", "--Routing:Queues:vip:Overflow=callback",
            "--Trunks:0:Name=carrier", $"--Trunks:0:Address=127.0.0.1:{CallCenter.TestSupport.FreePorts.UdpAndTcp().ToString(CultureInfo.InvariantCulture)}", "--Trunks:0:CallerId=95500"]);
        var (overflowResult, record, waitingResult) = await OverflowTheVipQueueAsync(platform);

        Assert.That(overflowResult.SuccessfulCalls, Is.EqualTo(1), "the platform hangs up on the overflowing caller\n" + overflowResult.Output + platform.Output);
        Assert.That(record.GetProperty("disposition").GetString(), Is.EqualTo("overflow-callback"));
        var heard = (record.GetProperty("endedAt").GetDateTimeOffset() - record.GetProperty("queuedAt").GetDateTimeOffset()).TotalSeconds;
        Assert.That(heard, Is.GreaterThan(6), "the call-back message (6.3 s) is played before the BYE");
        Assert.That(waitingResult.SuccessfulCalls, Is.EqualTo(1), "the caller already waiting stays until they hang up\n" + waitingResult.Output);

        // The promise is a row: a callback to the overflowing caller, in the queue they overflowed from.
        var (_, callbacks) = await platform.GetApiAsync("api/callbacks");
        var booked = callbacks.EnumerateArray().Single();
        Assert.That(booked.GetProperty("number").GetString(), Is.EqualTo("13800000006"), callbacks.ToString());
        Assert.That(booked.GetProperty("source").GetString(), Is.EqualTo("overflow"));
        Assert.That(booked.GetProperty("queue").GetString(), Is.EqualTo("vip"));
        Assert.That(booked.GetProperty("originCallId").GetString(), Is.EqualTo(record.GetProperty("id").GetString()));
    }

    [Test]
    public async Task ACallerWhoFindsTheQueueFullWhereNoCallbackCanBeKeptIsNotToldOneIsBooked()
    {
        // No trunk: the platform could not call anyone back, so it must not promise it.
        await using var platform = await PlatformProcess.StartAsync(OpenVipLine.Prepare, [
            .. _platform, "--Routing:Queues:vip:MaxLength=1", "--Routing:Queues:vip:Overflow=callback"]);
        var (overflowResult, record, waitingResult) = await OverflowTheVipQueueAsync(platform);
        var (_, callbacks) = await platform.GetApiAsync("api/callbacks");
        var offered = new List<string>();
        await using (var database = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(platform.WorkDirectory, "callcenter.db")}"))
        {
            await database.OpenAsync();
            await using var read = database.CreateCommand();
            read.CommandText = "SELECT detail FROM events WHERE call_id = $id AND kind = 'call.callback-offered'";
            read.Parameters.AddWithValue("$id", record.GetProperty("id").GetString());
            await using var rows = await read.ExecuteReaderAsync();
            while (await rows.ReadAsync())
            {
                offered.Add(rows.GetString(0));
            }
        }

        // What the caller heard, by its length: "please call again later", not "a call back is booked".
        double Seconds(string prompt)
        {
            var wav = WavFile.Read(Path.Combine(CallCenter.TestSupport.Fixtures.RepositoryRoot, "config", "prompts", "en", prompt + ".wav"));
            return wav.Data.Length / (double)wav.Format.ByteRate;
        }

        var heard = (record.GetProperty("endedAt").GetDateTimeOffset() - record.GetProperty("queuedAt").GetDateTimeOffset()).TotalSeconds;
        Assert.Multiple(() =>
        {
            Assert.That(overflowResult.SuccessfulCalls, Is.EqualTo(1), "the platform hangs up on the overflowing caller\n" + overflowResult.Output + platform.Output);
            Assert.That(record.GetProperty("disposition").GetString(), Is.EqualTo("overflow-no-callback"), record.ToString());
            Assert.That(callbacks.EnumerateArray().ToList(), Is.Empty, "no callback row: nothing was promised " + callbacks);
            Assert.That(offered, Has.Count.EqualTo(1));
            Assert.That(offered.Single(), Does.Contain("\"callback\":null").And.Contain("no trunk"), "the offer's event names why no callback was booked");
            Assert.That(heard, Is.GreaterThan(Seconds("overflow-call-later") - 0.3).And.LessThan(Seconds("callback-offer")),
                "the call-again-later message (not the longer callback message) is played before the BYE");
            Assert.That(waitingResult.SuccessfulCalls, Is.EqualTo(1), waitingResult.Output);
        });
    }

    [Test]
    public async Task AnAttendedTransferConsultsOneAgentCancelsThenConsultsAnotherAndCompletes()
    {
        await using var platform = await PlatformProcess.StartAsync(OpenVipLine.Prepare, _platform);
        await using var first = await AgentPhone.StartAsync(platform, "1001");
        await using var caller = Call(platform, "13800000001", holdMilliseconds: 26_000);
        var callId = await WaitForAgentCallAsync(platform, "1001", "onCall");
        await using var declined = await AgentPhone.StartAsync(platform, "1003");
        await using var taker = await AgentPhone.StartAsync(platform, "1002");

        var consultFirst = await platform.PostApiAsync($"api/calls/{callId}/consult", "{\"target\": \"1003\"}");
        var again = await platform.PostApiAsync($"api/calls/{callId}/consult", "{\"target\": \"1002\"}");
        await WaitForAgentCallAsync(platform, "1003", "onCall");
        var cancel = await platform.PostApiAsync($"api/calls/{callId}/consult/cancel", "{}");
        var consultSecond = await platform.PostApiAsync($"api/calls/{callId}/consult", "{\"target\": \"1002\"}");
        await WaitForAgentCallAsync(platform, "1002", "onCall");
        var complete = await platform.PostApiAsync($"api/calls/{callId}/consult/complete", "{}");
        var nothingLeft = await platform.PostApiAsync($"api/calls/{callId}/consult/complete", "{}");

        var firstResult = await first.WaitAsync(TimeSpan.FromSeconds(30));
        var declinedResult = await declined.WaitAsync(TimeSpan.FromSeconds(30));
        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(60));
        var takerResult = await taker.WaitAsync(TimeSpan.FromSeconds(30));
        var record = await RecordOf(platform, "13800000001");

        Assert.That(consultFirst.Status, Is.EqualTo(System.Net.HttpStatusCode.OK), consultFirst.Body);
        Assert.That(again.Status, Is.EqualTo(System.Net.HttpStatusCode.Conflict), "one consultation at a time\n" + again.Body);
        Assert.That(cancel.Status, Is.EqualTo(System.Net.HttpStatusCode.OK), cancel.Body);
        Assert.That(consultSecond.Status, Is.EqualTo(System.Net.HttpStatusCode.OK), consultSecond.Body);
        Assert.That(complete.Status, Is.EqualTo(System.Net.HttpStatusCode.OK), complete.Body);
        Assert.That(nothingLeft.Status, Is.EqualTo(System.Net.HttpStatusCode.Conflict));
        Assert.That(declinedResult.SuccessfulCalls, Is.EqualTo(1), "the consulted agent gets a BYE when the consultation is cancelled\n" + declinedResult.Output);
        Assert.That(firstResult.SuccessfulCalls, Is.EqualTo(1), "the first agent gets a BYE when the transfer completes\n" + firstResult.Output);
        Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), callerResult.Output);
        Assert.That(takerResult.SuccessfulCalls, Is.EqualTo(1), "the second agent keeps the caller until they hang up\n" + takerResult.Output + platform.Output);
        Assert.That(record.GetProperty("agent").GetString(), Is.EqualTo("1002"), record.ToString());
        var legs = record.GetProperty("legs").EnumerateArray().Skip(1)
            .Select(l => (l.GetProperty("role").GetString(), l.GetProperty("party").GetString(), l.GetProperty("outcome").GetString())).ToList();
        Assert.That(legs, Is.EqualTo(new[] { ("consult", "1003", "consult-cancelled"), ("agent", "1001", "transferred"), ("agent", "1002", "answered") }));
    }

    [Test]
    public async Task WhenTheAgentHangsUpTheCallerGetsABye()
    {
        await using var platform = await PlatformProcess.StartAsync(OpenVipLine.Prepare, _platform);
        await using var agent = await AgentPhone.StartAsync(platform, "1004", hangUp: true, talkMilliseconds: 2500);
        await using var caller = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("caller-until-bye.xml", new() { ["{CALLER}"] = "13900000009" }),
            "-s", "95501", "-m", "1", "-timeout", "60s", "-timeout_error"]);

        var agentResult = await agent.WaitAsync(TimeSpan.FromSeconds(60));
        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(30));
        var record = await RecordOf(platform, "13900000009");

        Assert.That(agentResult.SuccessfulCalls, Is.EqualTo(1), agentResult.Output + platform.Output);
        Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), "the caller gets the platform's BYE\n" + callerResult.Output);
        Assert.That(record.GetProperty("disposition").GetString(), Is.EqualTo("agent-hung-up"));
        Assert.That(record.GetProperty("agent").GetString(), Is.EqualTo("1004"));
        Assert.That(record.GetProperty("talkSeconds").GetDouble(), Is.EqualTo(2.5).Within(0.7));
    }

    /// <summary>Polls GET /api/agents until the agent is in <paramref name="state"/> with a call; returns the call's id.</summary>
    private static async Task<string> WaitForAgentCallAsync(PlatformProcess platform, string agent, string state)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var (_, agents) = await platform.GetApiAsync("api/agents");
            var entry = agents.EnumerateArray().Single(a => a.GetProperty("id").GetString() == agent);
            if (entry.GetProperty("state").GetString() == state && entry.TryGetProperty("callId", out var id) && id.GetString() is { } callId)
            {
                return callId;
            }

            await Task.Delay(100);
        }

        throw new AssertionException($"agent {agent} never reached {state}\n{platform.Output}");
    }
}
