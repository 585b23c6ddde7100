using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace CallCenter.Integration.Tests;

/// <summary>
/// The agent desk's hub against the running platform with real sipp phones: the agent signs in, gets the
/// screen pop when their phone rings, holds, resumes and hangs up from the desk, and wraps up; the
/// call's record shows the hold time, the disposition and the wrap-up.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public sealed partial class DeskHubCallTests
{
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(30);

    [Test]
    public async Task AnAgentHoldsResumesHangsUpAndWrapsUpFromTheDeskAndTheRecordShowsIt()
    {
        // A long wrap-up: the desk's wrap-up ends it, not the timer.
        await using var platform = await PlatformProcess.StartAsync(OpenVipLine.Prepare, "--Sip:DigestAlgorithms:0=MD5", "--Sip:DigestAlgorithms:1=SHA-256", "--Agents:WrapUpSeconds=60");
        await using var phone = await AgentPhone.StartAsync(platform, "1001", expectPai: "13800000005", expectDisplay: "Effective");
        await using var desk = await SignedInHubAsync(platform, "1001", "demo-1001");
        var pops = Inbox<JsonElement>(desk, "pop");
        var states = Inbox<JsonElement>(desk, "callState");
        await desk.InvokeAsync<JsonElement>("current");

        await using var caller = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("caller-until-bye.xml", new() { ["{CALLER}"] = "13800000005" }),
            "-s", "95501", "-m", "1", "-timeout", "90s", "-timeout_error"]);
        var pop = await pops.ReadAsync().AsTask().WaitAsync(_wait);
        var callId = pop.GetProperty("callId").GetString()!;
        await StateAsync(states, "talking");

        var hold = await desk.InvokeAsync<JsonElement>("hold", callId);
        await StateAsync(states, "held");
        await Task.Delay(2000);
        var resume = await desk.InvokeAsync<JsonElement>("resume", callId);
        await StateAsync(states, "talking");
        await Task.Delay(1000);
        var hangUp = await desk.InvokeAsync<JsonElement>("hangUp", callId);
        await StateAsync(states, "ended");
        var callerResult = await caller.WaitAsync(_wait);
        var phoneResult = await phone.WaitAsync(_wait);

        var badCode = Assert.ThrowsAsync<HubException>(() => desk.InvokeAsync<JsonElement>("wrapUp", callId, "no-such-code", "x"));
        var wrapUp = await desk.InvokeAsync<JsonElement>("wrapUp", callId, "resolved", "客户已确认 · confirmed");
        var record = await platform.WaitForCallRecordAsync(c => c.GetProperty("id").GetString() == callId, TimeSpan.FromSeconds(15))
            ?? throw new AssertionException("no record\n" + platform.Output);
        var (_, agents) = await platform.GetApiAsync("api/agents");
        var again = Assert.ThrowsAsync<HubException>(() => desk.InvokeAsync<JsonElement>("wrapUp", callId, "complaint", null));

        Assert.That(pop.GetProperty("agent").GetString(), Is.EqualTo("1001"));
        Assert.That(pop.GetProperty("name").GetString(), Is.EqualTo("刘洋"));
        Assert.That(pop.GetProperty("tier").GetString(), Is.EqualTo("Effective"));
        Assert.That(pop.GetProperty("maskedAccount").GetString(), Is.EqualTo("6225****0005"));
        Assert.That(pop.GetProperty("ivrPath").GetArrayLength(), Is.GreaterThan(0), pop.ToString());
        Assert.That(hold.GetProperty("ok").GetBoolean() && resume.GetProperty("ok").GetBoolean() && hangUp.GetProperty("ok").GetBoolean(), Is.True);
        Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), "the caller gets the platform's BYE\n" + callerResult.Output);
        Assert.That(phoneResult.SuccessfulCalls, Is.EqualTo(1), "the agent's phone gets the platform's BYE\n" + phoneResult.Output + platform.Output);
        Assert.That(badCode!.Message, Does.Contain("no-such-code").And.Contain("disposition code"));
        Assert.That(wrapUp.GetProperty("ok").GetBoolean(), Is.True);
        Assert.That(agents.EnumerateArray().Single(a => a.GetProperty("id").GetString() == "1001").GetProperty("state").GetString(), Is.EqualTo("available"),
            "the wrap-up ended at once, long before its 60 s");
        Assert.That(record.GetProperty("disposition").GetString(), Is.EqualTo("agent-hung-up"), record.ToString());
        Assert.That(record.GetProperty("holdSeconds").GetDouble(), Is.EqualTo(2).Within(0.6), record.ToString());
        Assert.That(record.GetProperty("talkSeconds").GetDouble(), Is.GreaterThan(0.5));
        Assert.That(record.GetProperty("wrapUpCode").GetString(), Is.EqualTo("resolved"));
        Assert.That(record.GetProperty("wrapUpNotes").GetString(), Is.EqualTo("客户已确认 · confirmed"));
        Assert.That(record.GetProperty("wrapUpSeconds").GetDouble(), Is.LessThan(30));
        Assert.That(again!.Message, Does.Contain("already wrapped up").Or.Contain("not your current call"), "a second wrap-up changes nothing");
    }

    [Test]
    public async Task AWrapUpAfterTheWrapUpTimeRanOutUpdatesTheWrittenRecordOnceAndTheWallboardShowedTheCall()
    {
        await using var platform = await PlatformProcess.StartAsync(OpenVipLine.Prepare, "--Sip:DigestAlgorithms:0=MD5", "--Sip:DigestAlgorithms:1=SHA-256", "--Agents:WrapUpSeconds=1");
        await using var phone = await AgentPhone.StartAsync(platform, "1002");
        await using var desk = await SignedInHubAsync(platform, "1002", "demo-1002");
        await using var board = await SignedInHubAsync(platform, "super", "demo-super", "hubs/wallboard", "/desk/wallboard");
        var pops = Inbox<JsonElement>(desk, "pop");
        var agentStates = Inbox<JsonElement>(desk, "agentState");
        var views = Inbox<JsonElement>(board, "wallboard");
        await desk.InvokeAsync<JsonElement>("current");
        await board.InvokeAsync<JsonElement>("snapshot");

        // The VIP line's greeting lasts about 7 s; the caller hangs up 4 s after reaching the agent.
        await using var caller = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("caller.xml", new() { ["{CALLER}"] = "13900000042", ["{WAIT_MS}"] = "9000", ["{TALK_MS}"] = "3000" }),
            "-s", "95501", "-m", "1", "-timeout", "90s", "-timeout_error"]);
        var pop = await pops.ReadAsync().AsTask().WaitAsync(_wait);
        var callId = pop.GetProperty("callId").GetString()!;
        var onCall = await ViewAsync(views, v => v.GetProperty("agents").EnumerateArray().Any(a => a.GetProperty("id").GetString() == "1002" && a.GetProperty("callId").GetString() == callId));
        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(60));
        var written = await platform.WaitForCallRecordAsync(c => c.GetProperty("id").GetString() == callId, TimeSpan.FromSeconds(15))
            ?? throw new AssertionException("no record\n" + platform.Output);
        await AgentStateAsync(agentStates, "available");

        var late = await desk.InvokeAsync<JsonElement>("wrapUp", callId, "callback-needed", "回电 · call back");
        var twice = Assert.ThrowsAsync<HubException>(() => desk.InvokeAsync<JsonElement>("wrapUp", callId, "resolved", null));
        var (_, calls) = await platform.GetApiAsync("api/calls?limit=5");
        var updated = calls.EnumerateArray().Single(c => c.GetProperty("id").GetString() == callId);
        // Answered counts from the agent's answer on (live), so views taken during the call have it too: wait for one
        // taken after the wrap-up, with the agent available again.
        var answered = await ViewAsync(views, v => v.GetProperty("queues").EnumerateArray().Any(q => q.GetProperty("id").GetString() == "vip" && q.GetProperty("answered").GetInt32() >= 1)
            && v.GetProperty("agentsByState").GetProperty("available").GetInt32() >= 1);

        Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), callerResult.Output);
        Assert.That(pop.GetProperty("name").ValueKind, Is.EqualTo(JsonValueKind.Null), "an unknown caller has no directory entry");
        Assert.That(onCall.GetProperty("agents").EnumerateArray().Single(a => a.GetProperty("id").GetString() == "1002").GetProperty("caller").GetString(), Is.EqualTo("13900000042"));
        Assert.That(written.GetProperty("wrapUpCode").ValueKind, Is.EqualTo(JsonValueKind.Null), "the record was written when the wrap-up time ran out");
        Assert.That(late.GetProperty("ok").GetBoolean(), Is.True);
        Assert.That(twice!.Message, Does.Contain("already wrapped up"));
        Assert.That(updated.GetProperty("wrapUpCode").GetString(), Is.EqualTo("callback-needed"));
        Assert.That(updated.GetProperty("wrapUpNotes").GetString(), Is.EqualTo("回电 · call back"));
        Assert.That(answered.GetProperty("agentsByState").GetProperty("available").GetInt32(), Is.GreaterThanOrEqualTo(1));
        var phoneResult = await phone.WaitAsync(_wait);
        Assert.That(phoneResult.SuccessfulCalls, Is.EqualTo(1), phoneResult.Output);
    }

    [Test]
    public async Task AnAgentWhoTransferredTheCallFromTheDeskWrapsUpWhileItGoesOnWithTheNextAgent()
    {
        await using var platform = await PlatformProcess.StartAsync(OpenVipLine.Prepare, "--Sip:DigestAlgorithms:0=MD5", "--Sip:DigestAlgorithms:1=SHA-256", "--Agents:WrapUpSeconds=60");
        await using var first = await AgentPhone.StartAsync(platform, "1001");
        await using var desk = await SignedInHubAsync(platform, "1001", "demo-1001");
        var pops = Inbox<JsonElement>(desk, "pop");
        var states = Inbox<JsonElement>(desk, "callState");
        await desk.InvokeAsync<JsonElement>("current");
        await using var caller = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("caller.xml", new() { ["{CALLER}"] = "13800000006", ["{WAIT_MS}"] = "9000", ["{TALK_MS}"] = "9000" }),
            "-s", "95501", "-m", "1", "-timeout", "90s", "-timeout_error"]);
        var callId = (await pops.ReadAsync().AsTask().WaitAsync(_wait)).GetProperty("callId").GetString()!;
        await StateAsync(states, "talking");
        await using var second = await AgentPhone.StartAsync(platform, "1002", expectPai: "13800000006", expectDisplay: "Dormant");

        var toNumber = Assert.ThrowsAsync<HubException>(() => desk.InvokeAsync<JsonElement>("transfer", callId, "+8613912345678"));
        var transfer = await desk.InvokeAsync<JsonElement>("transfer", callId, "1002");
        await StateAsync(states, "ended");
        var wrapUp = await desk.InvokeAsync<JsonElement>("wrapUp", callId, "transfer-help", null);
        var (_, agents) = await platform.GetApiAsync("api/agents");
        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.That(toNumber!.Message, Does.Contain("trunk"));
        Assert.That(transfer.GetProperty("ok").GetBoolean(), Is.True);
        Assert.That(wrapUp.GetProperty("message").GetString(), Does.Contain("goes on"));
        Assert.That(agents.EnumerateArray().Single(a => a.GetProperty("id").GetString() == "1001").GetProperty("state").GetString(), Is.EqualTo("available"));
        Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), callerResult.Output);
        Assert.That((await first.WaitAsync(_wait)).SuccessfulCalls, Is.EqualTo(1), "the first agent's phone gets the platform's BYE");
        Assert.That((await second.WaitAsync(_wait)).SuccessfulCalls, Is.EqualTo(1), "the second agent takes the call\n" + platform.Output);
    }

    [Test]
    public async Task HoldResumeAndHangUpOfAnUnknownCallAre404ThroughTheApi()
    {
        await using var platform = await PlatformProcess.StartAsync(OpenVipLine.Prepare);

        var hold = await platform.PostApiAsync("api/calls/nope/hold", "{}");
        var resume = await platform.PostApiAsync("api/calls/nope/resume", "{}");
        var hangUp = await platform.PostApiAsync("api/calls/nope/hangup", "{}");

        Assert.That((hold.Status, resume.Status, hangUp.Status), Is.EqualTo((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound)));
    }

    private static async Task<JsonElement> ViewAsync(ChannelReader<JsonElement> views, Func<JsonElement, bool> match)
    {
        while (true)
        {
            var view = await views.ReadAsync().AsTask().WaitAsync(_wait);
            if (match(view))
            {
                return view;
            }
        }
    }

    private static async Task AgentStateAsync(ChannelReader<JsonElement> states, string state)
    {
        while (true)
        {
            var next = await states.ReadAsync().AsTask().WaitAsync(_wait);
            if (next.GetProperty("state").GetString() == state)
            {
                return;
            }
        }
    }

    private static async Task StateAsync(ChannelReader<JsonElement> states, string state)
    {
        while (true)
        {
            var next = await states.ReadAsync().AsTask().WaitAsync(_wait);
            if (next.GetProperty("state").GetString() == state)
            {
                return;
            }
        }
    }

    private static ChannelReader<T> Inbox<T>(HubConnection connection, string method)
    {
        var inbox = Channel.CreateUnbounded<T>();
        connection.On<T>(method, m => inbox.Writer.TryWrite(m));
        return inbox.Reader;
    }

    /// <summary>Signs in at /desk/signin as a browser would (form with its anti-forgery token) and opens the agent hub with the session's cookie.</summary>
    internal static async Task<HubConnection> SignedInHubAsync(PlatformProcess platform, string login, string password, string hub = "hubs/agent", string home = "/desk/")
    {
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = platform.BaseAddress };
        var page = await http.GetStringAsync(new Uri("desk/signin", UriKind.Relative));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = TokenPattern().Match(page).Groups[1].Value,
            ["login"] = login,
            ["password"] = password,
        });
        using var signedIn = await http.PostAsync(new Uri("desk/signin", UriKind.Relative), form);
        Assert.That(signedIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(signedIn.Headers.Location?.OriginalString, Is.EqualTo(home));
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(platform.BaseAddress, hub), options => options.Cookies = cookies)
            .Build();
        await connection.StartAsync();
        return connection;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
