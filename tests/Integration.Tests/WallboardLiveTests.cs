using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace CallCenter.Integration.Tests;

/// <summary>
/// The wallboard against the running platform with sipp phones: offered and answered move as a caller is queued and
/// answered, not when the wrap-up writes the record; a waiting caller is listed with the scheme's tier name and colour;
/// a supervisor picks that caller (held for their busy account manager) for another agent, whose phone rings and
/// answers; agents, anonymous requests and impossible picks are refused, and every pick is on the audit log. A
/// supervisor books and cancels a callback on the wallboard (an agent cannot open its hub), and a received fax is
/// counted on the board until it is marked handled.
/// </summary>
[NonParallelizable]
public sealed partial class WallboardLiveTests
{
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(40);

    [Test]
    public async Task ASupervisorPicksAWaitingCallerForAnAgentAndTheCountsMoveLive()
    {
        // 13800000003 (Gold) belongs to manager 1004: held for them while they are on a break, so 1001 stays free.
        await using var platform = await PlatformProcess.StartAsync("--Routing:RelationshipOfferSeconds=600", "--Agents:WrapUpSeconds=5");
        await using var manager = await AgentPhone.StartAsync(platform, "1004");
        var onBreak = await platform.PostApiAsync("api/agents/1004/state", "{\"state\": \"break\", \"reason\": \"meeting\"}");
        Assert.That(onBreak.Status, Is.EqualTo(HttpStatusCode.OK), onBreak.Body);
        await using var agent = await AgentPhone.StartAsync(platform, "1001", expectPai: "13800000003");
        await using var board = await DeskHubCallTests.SignedInHubAsync(platform, "super", "demo-super", "hubs/wallboard", "/desk/wallboard");
        var views = Inbox(board, "wallboard");
        var before = await board.InvokeAsync<JsonElement>("snapshot");
        var (offered0, answered0) = Counts(before, "vip");

        await using var caller = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("caller-until-bye.xml", new() { ["{CALLER}"] = "13800000003" }),
            "-s", "95501", "-m", "1", "-timeout", "120s", "-timeout_error"]);
        var waiting = await ViewAsync(views, v => WaitingCaller(v) is not null && Counts(v, "vip").Offered > offered0);
        var listed = WaitingCaller(waiting)!.Value;
        var callId = listed.GetProperty("callId").GetString()!;
        var recordWhileWaiting = await RecordAsync(platform, callId);

        // Refusals: the manager is on a break, an unknown agent, no agent named, an agent's own sign-in, nobody signed in.
        var notAvailable = Assert.ThrowsAsync<HubException>(() => board.InvokeAsync<JsonElement>("pickCaller", callId, "1004"));
        var unknown = await platform.PostApiAsync($"api/queues/callers/{callId}/pick", "{\"agent\": \"9999\"}");
        var noAgent = await platform.PostApiAsync($"api/queues/callers/{callId}/pick", "{}");
        var byAgent = await PostAsAsync(platform, "1002", "demo-1002", $"api/queues/callers/{callId}/pick", "{\"agent\": \"1001\"}");
        var anonymous = await PostAsAsync(platform, null, null, $"api/queues/callers/{callId}/pick", "{\"agent\": \"1001\"}");
        var stillWaiting = WaitingCaller(await board.InvokeAsync<JsonElement>("snapshot"));

        var picked = await board.InvokeAsync<JsonElement>("pickCaller", callId, "1001");
        var talking = await ViewAsync(views, v => Counts(v, "vip").Answered > answered0
            && v.GetProperty("agents").EnumerateArray().Any(a => a.GetProperty("id").GetString() == "1001" && a.GetProperty("callId").GetString() == callId));
        var recordWhileTalking = await RecordAsync(platform, callId);
        var again = await platform.PostApiAsync($"api/queues/callers/{callId}/pick", "{\"agent\": \"1001\"}");

        var hangUp = await platform.PostApiAsync($"api/calls/{callId}/hangup", "{}");
        var callerResult = await caller.WaitAsync(_wait);
        var agentResult = await agent.WaitAsync(_wait);
        var record = await platform.WaitForCallRecordAsync(c => c.GetProperty("id").GetString() == callId, TimeSpan.FromSeconds(30))
            ?? throw new AssertionException("no record\n" + platform.Output);
        var audited = Audited(platform);

        Assert.Multiple(() =>
        {
            Assert.That(recordWhileWaiting, Is.False, "offered rose while the caller waited, long before a record");
            Assert.That(listed.GetProperty("maskedNumber").GetString(), Is.EqualTo("138****0003"));
            Assert.That(listed.GetProperty("tier").GetString(), Is.EqualTo("Gold"));
            Assert.That(listed.GetProperty("tierZh").GetString(), Is.EqualTo("黄金"), "the futures scheme's name, as the pop shows it");
            Assert.That(listed.GetProperty("tierEn").GetString(), Is.EqualTo("Gold"));
            Assert.That(listed.GetProperty("tierColour").GetString(), Is.EqualTo("#c99a06"));
            Assert.That(listed.GetProperty("held").GetBoolean(), Is.True, "held for the manager on a break");
            Assert.That(notAvailable!.Message, Does.Contain("not available"));
            Assert.That(unknown.Status, Is.EqualTo(HttpStatusCode.NotFound), unknown.Body);
            Assert.That(noAgent.Status, Is.EqualTo(HttpStatusCode.BadRequest), noAgent.Body);
            Assert.That(byAgent, Is.EqualTo(HttpStatusCode.Forbidden), "an agent may not pick callers");
            Assert.That(anonymous, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(stillWaiting?.GetProperty("callId").GetString(), Is.EqualTo(callId), "the refusals changed nothing");
            Assert.That(picked.GetProperty("ok").GetBoolean(), Is.True, picked.ToString());
            Assert.That(Counts(talking, "vip").Answered, Is.EqualTo(answered0 + 1));
            Assert.That(recordWhileTalking, Is.False, "answered rose while the call was on, before any wrap-up");
            Assert.That(WaitingCaller(talking), Is.Null, "the caller left the waiting list");
            Assert.That(again.Status, Is.EqualTo(HttpStatusCode.Conflict), again.Body);
            Assert.That(again.Body, Does.Contain("callNotWaiting"));
            Assert.That(hangUp.Status, Is.EqualTo(HttpStatusCode.OK), hangUp.Body);
            Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), callerResult.Output);
            Assert.That(agentResult.SuccessfulCalls, Is.EqualTo(1), "1001's phone rang and answered\n" + agentResult.Output + platform.Output);
            Assert.That(record.GetProperty("agent").GetString(), Is.EqualTo("1001"));
            Assert.That(record.GetProperty("routing").GetString(), Does.Contain("SupervisorPick").And.Contain("picked by super"));
            Assert.That(audited, Is.EqualTo(new[]
            {
                $"pick-caller refused {callId}",
                $"api.pick-caller refused {callId}",
                $"api.pick-caller refused {callId}",
                $"pick-caller done {callId}",
                $"api.pick-caller refused {callId}",
            }), "every pick is audited, done or refused");
        });
    }

    [Test]
    public async Task TheWallboardShowsEachCallListsDueAndOpenEntries()
    {
        await using var platform = await PlatformProcess.StartAsync("--CallLists:EscalateMinutesBefore=120");
        await using var board = await DeskHubCallTests.SignedInHubAsync(platform, "super", "demo-super", "hubs/wallboard", "/desk/wallboard");
        var views = Inbox(board, "wallboard");
        var created = await platform.PostApiAsync("api/call-lists", "{\"name\": \"Complaints this week\", \"kind\": \"complaint\", \"mode\": \"preview\"}");
        Assert.That(created.Status, Is.EqualTo(HttpStatusCode.Created), created.Body + platform.Output);
        var listId = JsonDocument.Parse(created.Body).RootElement.GetProperty("id").GetString()!;

        // One entry due within the escalation lead (an hour away, the lead two hours), one due in a day.
        var soon = DateTimeOffset.UtcNow.AddHours(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var later = DateTimeOffset.UtcNow.AddDays(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var (status, import) = await CallListTests.PostCsvAsync(platform, $"api/call-lists/{listId}/entries", $"number,name,dueBy\n13900000071,Sun,{soon}\n13900000072,Li,{later}\n");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), import.ToString());
        var shown = await ViewAsync(views, v => v.GetProperty("listDeadlines").EnumerateArray().Any(l => l.GetProperty("listId").GetString() == listId));
        var list = shown.GetProperty("listDeadlines").EnumerateArray().Single(l => l.GetProperty("listId").GetString() == listId);

        Assert.That(list.GetProperty("name").GetString(), Is.EqualTo("Complaints this week"));
        Assert.That(list.GetProperty("kind").GetString(), Is.EqualTo("complaint"));
        Assert.That((list.GetProperty("open").GetInt32(), list.GetProperty("due").GetInt32(), list.GetProperty("overdue").GetInt32()), Is.EqualTo((2, 1, 0)));
    }

    [Test]
    public async Task ASupervisorBooksAndCancelsACallbackOnTheWallboardAndSeesTheReceivedFaxesToHandle()
    {
        var carrierPort = CallCenter.TestSupport.FreePorts.UdpAndTcp();
        await using var platform = await PlatformProcess.StartAsync(
            "--Trunks:0:Name=carrier", $"--Trunks:0:Address=127.0.0.1:{carrierPort.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            "--Trunks:0:Transport=udp", "--Trunks:0:CallerId=95500");
        await using var board = await DeskHubCallTests.SignedInHubAsync(platform, "super", "demo-super", "hubs/wallboard", "/desk/wallboard");
        var views = Inbox(board, "wallboard");
        var before = await board.InvokeAsync<JsonElement>("snapshot");
        var inAnHour = DateTimeOffset.UtcNow.AddHours(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture);

        // Refused with the API's reasons, nothing stored; then one booked for agent 1002 in the VIP queue.
        var barred = Assert.ThrowsAsync<HubException>(() => board.InvokeAsync<JsonElement>("bookCallback", "110", inAnHour, "general", null));
        var noOwner = Assert.ThrowsAsync<HubException>(() => board.InvokeAsync<JsonElement>("bookCallback", "13900000061", inAnHour, "general", "9999"));
        var past = Assert.ThrowsAsync<HubException>(() => board.InvokeAsync<JsonElement>("bookCallback", "13900000061", DateTimeOffset.UtcNow.AddHours(-1).ToString("O"), "general", null));
        var booked = await board.InvokeAsync<JsonElement>("bookCallback", "139 0000 0061", inAnHour, "vip", "1002");
        var id = booked.GetProperty("id").GetString()!;
        var counted = await ViewAsync(views, v => v.GetProperty("callbacks").EnumerateArray().Any(c => c.GetProperty("queue").GetString() == "vip" && c.GetProperty("later").GetInt32() == 1));
        var waiting = await board.InvokeAsync<JsonElement>("waitingCallbacks");
        var (_, stored) = await platform.GetApiAsync($"api/callbacks/{id}");

        // An agent's sign-in cannot open the wallboard's hub at all.
        var agent = Assert.ThrowsAsync<HttpRequestException>(() => DeskHubCallTests.SignedInHubAsync(platform, "1002", "demo-1002", "hubs/wallboard", "/desk/"));

        var cancelled = await board.InvokeAsync<JsonElement>("cancelCallback", id);
        var again = Assert.ThrowsAsync<HubException>(() => board.InvokeAsync<JsonElement>("cancelCallback", id));
        var (_, afterCancel) = await platform.GetApiAsync($"api/callbacks/{id}");
        var none = await board.InvokeAsync<JsonElement>("waitingCallbacks");

        // A received fax (written as the fax receiver would) is counted on the board within seconds, and is gone once handled.
        var arrived = DateTimeOffset.UtcNow.AddMinutes(-20);
        using (var database = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(platform.WorkDirectory, "callcenter.db")}"))
        {
            database.Open();
            using var insert = database.CreateCommand();
            insert.CommandText = "INSERT INTO faxes (id, direction, status, remote, local_number, pages, created_at_ms, updated_at_ms) VALUES ('fax-0000000000b-00000000aa', 'inbound', 'received', '13800000001', '95580', 1, $at, $at)";
            insert.Parameters.AddWithValue("$at", arrived.ToUnixTimeMilliseconds());
            insert.ExecuteNonQuery();
        }

        var faxIn = await ViewAsync(views, v => FaxesToHandle(v) == 1);
        var handled = await platform.PostApiAsync("api/faxes/fax-0000000000b-00000000aa/handled", "{}");
        Assert.That(handled.Status, Is.EqualTo(HttpStatusCode.OK), handled.Body);
        var faxHandled = await ViewAsync(views, v => FaxesToHandle(v) == 0);
        var audited = Audited(platform, "%callback");

        Assert.Multiple(() =>
        {
            Assert.That(FaxesToHandle(before), Is.Zero, "the fax room's count is on the board from the start");
            Assert.That(barred!.Message, Does.Contain("emergency"));
            Assert.That(noOwner!.Message, Does.Contain("9999"));
            Assert.That(past!.Message, Does.Contain("in the past"));
            Assert.That(booked.GetProperty("status").GetString(), Is.EqualTo("scheduled"), booked.ToString());
            Assert.That(counted.GetProperty("callbacks").ToString(), Does.Contain("vip"));
            Assert.That(waiting.EnumerateArray().Select(w => (w.GetProperty("id").GetString(), w.GetProperty("maskedNumber").GetString(), w.GetProperty("owner").GetString())),
                Is.EqualTo(new[] { (id, "139****0061", "1002") }));
            Assert.That((stored.GetProperty("source").GetString(), stored.GetProperty("requestedBy").GetString(), stored.GetProperty("owner").GetString(), stored.GetProperty("queue").GetString()),
                Is.EqualTo(("wallboard", "super", "1002", "vip")));
            Assert.That(agent!.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(cancelled.GetProperty("status").GetString(), Is.EqualTo("cancelled"));
            Assert.That(again!.Message, Does.Contain("already cancelled"));
            Assert.That((afterCancel.GetProperty("status").GetString(), afterCancel.GetProperty("cancelledBy").GetString()), Is.EqualTo(("cancelled", "super")));
            Assert.That(none.GetArrayLength(), Is.Zero);
            Assert.That(faxIn.GetProperty("faxTasks").GetProperty("oldestAt").GetDateTimeOffset().ToUnixTimeMilliseconds(), Is.EqualTo(arrived.ToUnixTimeMilliseconds()));
            Assert.That(faxHandled.GetProperty("faxTasks").GetProperty("oldestAt").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(audited, Is.EqualTo(new[]
            {
                "book-callback refused 110",
                "book-callback refused 13900000061",
                "book-callback refused 13900000061",
                "book-callback done 13900000061",
                $"cancel-callback done {id}",
                $"cancel-callback refused {id}",
            }), "every booking and cancel on the wallboard is audited, done or refused");
        });
    }

    private static int? FaxesToHandle(JsonElement view) =>
        view.TryGetProperty("faxTasks", out var faxes) && faxes.ValueKind == JsonValueKind.Object ? faxes.GetProperty("new").GetInt32() : null;

    private static (int Offered, int Answered) Counts(JsonElement view, string queue)
    {
        foreach (var q in view.GetProperty("queues").EnumerateArray())
        {
            if (q.GetProperty("id").GetString() == queue)
            {
                return (q.GetProperty("offered").GetInt32(), q.GetProperty("answered").GetInt32());
            }
        }

        return (0, 0);
    }

    private static JsonElement? WaitingCaller(JsonElement view)
    {
        foreach (var q in view.GetProperty("queues").EnumerateArray())
        {
            foreach (var c in q.GetProperty("callers").EnumerateArray())
            {
                if (c.GetProperty("maskedNumber").GetString() == "138****0003")
                {
                    return c;
                }
            }
        }

        return null;
    }

    private static async Task<bool> RecordAsync(PlatformProcess platform, string callId)
    {
        var (_, calls) = await platform.GetApiAsync("api/calls?limit=20");
        return calls.EnumerateArray().Any(c => c.GetProperty("id").GetString() == callId);
    }

    private static List<string> Audited(PlatformProcess platform, string actions = "%pick-caller")
    {
        var audited = new List<string>();
        using var database = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(platform.WorkDirectory, "callcenter.db")}");
        database.Open();
        using var read = database.CreateCommand();
        read.CommandText = "SELECT action || ' ' || outcome || ' ' || COALESCE(target, '') FROM audit_log WHERE action LIKE $actions ORDER BY seq";
        read.Parameters.AddWithValue("$actions", actions);
        using var rows = read.ExecuteReader();
        while (rows.Read())
        {
            audited.Add(rows.GetString(0));
        }

        return audited;
    }

    /// <summary>A POST with a desk sign-in's cookie (or none): the status only.</summary>
    private static async Task<HttpStatusCode> PostAsAsync(PlatformProcess platform, string? login, string? password, string path, string json)
    {
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = platform.BaseAddress };
        if (login is not null)
        {
            var page = await http.GetStringAsync(new Uri("desk/signin", UriKind.Relative));
            var token = TokenPattern().Match(page).Groups[1].Value;
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["login"] = login, ["password"] = password! });
            using var signedIn = await http.PostAsync(new Uri("desk/signin", UriKind.Relative), form);
            Assert.That(signedIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        }

        using var body = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri(path, UriKind.Relative), body);
        return response.StatusCode;
    }

    private static async Task<JsonElement> ViewAsync(ChannelReader<JsonElement> views, Func<JsonElement, bool> match)
    {
        using var timeout = new CancellationTokenSource(_wait);
        while (true)
        {
            var view = await views.ReadAsync(timeout.Token);
            if (match(view))
            {
                return view;
            }
        }
    }

    private static ChannelReader<JsonElement> Inbox(HubConnection connection, string method)
    {
        var inbox = Channel.CreateUnbounded<JsonElement>();
        connection.On<JsonElement>(method, m => inbox.Writer.TryWrite(m));
        return inbox.Reader;
    }

    [System.Text.RegularExpressions.GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex TokenPattern();
}
