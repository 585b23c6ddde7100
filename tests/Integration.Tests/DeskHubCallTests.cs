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
[NonParallelizable]
public sealed partial class DeskHubCallTests
{
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(30);

    [Test]
    public async Task AnAgentHoldsResumesHangsUpAndWrapsUpFromTheDeskAndTheRecordShowsIt()
    {
        // A long wrap-up: the desk's wrap-up ends it, not the timer.
        await using var platform = await PlatformProcess.StartAsync("--Sip:DigestAlgorithms:0=MD5", "--Sip:DigestAlgorithms:1=SHA-256", "--Agents:WrapUpSeconds=60");
        await using var phone = await AgentPhone.StartAsync(platform, "1001", expectPai: "13800000005", expectDisplay: "Effective");
        await using var desk = await SignedInHubAsync(platform, "1001", "demo-1001");
        var pops = Inbox<JsonElement>(desk, "Pop");
        var states = Inbox<JsonElement>(desk, "CallState");
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
    public async Task HoldResumeAndHangUpOfAnUnknownCallAre404ThroughTheApi()
    {
        await using var platform = await PlatformProcess.StartAsync();

        var hold = await platform.PostApiAsync("api/calls/nope/hold", "{}");
        var resume = await platform.PostApiAsync("api/calls/nope/resume", "{}");
        var hangUp = await platform.PostApiAsync("api/calls/nope/hangup", "{}");

        Assert.That((hold.Status, resume.Status, hangUp.Status), Is.EqualTo((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound)));
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
    private static async Task<HubConnection> SignedInHubAsync(PlatformProcess platform, string login, string password)
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
        Assert.That(signedIn.Headers.Location?.OriginalString, Is.EqualTo("/desk/"));
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(platform.BaseAddress, "hubs/agent"), options => options.Cookies = cookies)
            .Build();
        await connection.StartAsync();
        return connection;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
