using System.Net;
using System.Text.Json;
using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Integration.Tests;

/// <summary>
/// Draining a node behind a proxy (issue 19): after <c>POST /api/node/drain</c> SIP OPTIONS (a proxy's
/// keep-alive) and new INVITEs get 503 with Retry-After, /health says so, the live call (real sipp
/// caller and agent) ends normally; <c>POST /api/node/resume</c> takes calls again.
/// </summary>
[NonParallelizable]
public sealed class DrainTests
{
    private static readonly string[] _platform = ["--Sip:DigestAlgorithms:0=MD5", "--Agents:WrapUpSeconds=1", "--Cluster:NodeId=node-a"];

    private static string Options(PlatformProcess platform, UdpSipClient client, string branch) =>
        $"OPTIONS sip:127.0.0.1:{platform.SipPort} SIP/2.0\r\n" +
        $"Via: SIP/2.0/UDP 127.0.0.1:{client.Port};branch=z9hG4bK{branch}\r\n" +
        "Max-Forwards: 70\r\n" +
        $"From: <sip:dispatcher@127.0.0.1>;tag={branch}\r\n" +
        $"To: <sip:127.0.0.1:{platform.SipPort}>\r\n" +
        $"Call-ID: {branch}@drain\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";

    private static string Invite(PlatformProcess platform, UdpSipClient client, string branch)
    {
        var sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40002 RTP/AVP 0\r\n";
        return $"INVITE sip:95500@127.0.0.1:{platform.SipPort} SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP 127.0.0.1:{client.Port};branch=z9hG4bK{branch}\r\n" +
            "Max-Forwards: 70\r\n" +
            $"From: <sip:13800000004@127.0.0.1>;tag={branch}\r\n" +
            "To: <sip:95500@127.0.0.1>\r\n" +
            $"Call-ID: {branch}@drain\r\nCSeq: 1 INVITE\r\n" +
            $"Contact: <sip:13800000004@127.0.0.1:{client.Port}>\r\n" +
            $"Content-Type: application/sdp\r\nContent-Length: {sdp.Length}\r\n\r\n{sdp}";
    }

    private static async Task<SipResponse?> AskAsync(UdpSipClient client, string request)
    {
        await client.SendAsync(request);
        return await client.ReceiveResponseAsync(TimeSpan.FromSeconds(5));
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> HealthAsync(PlatformProcess platform)
    {
        using var http = new HttpClient { BaseAddress = platform.BaseAddress };
        using var response = await http.GetAsync(new Uri("health", UriKind.Relative));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Test]
    public async Task ADrainedNodeRefusesNewCallsAndOptionsWith503WhileItsLiveCallEndsNormally()
    {
        await using var platform = await PlatformProcess.StartAsync(_platform);
        using var dispatcher = new UdpSipClient(platform.SipEndPoint);
        await using var agent = await AgentPhone.StartAsync(platform, "1001");
        var before = await AskAsync(dispatcher, Options(platform, dispatcher, "before"));

        // The live call: the VIP greeting, then the agent; the caller hangs up after 14 s.
        await using var caller = AgentPhone.StartCaller(platform, "13800000001", holdMilliseconds: 14_000);
        await Task.Delay(9000);
        using var anonymous = new HttpClient { BaseAddress = platform.BaseAddress };
        using var withoutKey = await anonymous.PostAsync(new Uri("api/node/drain", UriKind.Relative), null);
        var drain = await platform.PostApiAsync("api/node/drain", "{}");
        var during = await AskAsync(dispatcher, Options(platform, dispatcher, "during"));
        using var newCaller = new UdpSipClient(platform.SipEndPoint); // its 503 is retransmitted until ACKed: a socket of its own
        var newCall = await AskAsync(newCaller, Invite(platform, newCaller, "newcall"));
        var health = await HealthAsync(platform);
        var (_, node) = await platform.GetApiAsync("api/node");

        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(60));
        var agentResult = await agent.WaitAsync(TimeSpan.FromSeconds(30));
        var record = await platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13800000001", TimeSpan.FromSeconds(15));
        var resume = await platform.PostApiAsync("api/node/resume", "{}");
        var after = await AskAsync(dispatcher, Options(platform, dispatcher, "after"));
        var healthAfter = await HealthAsync(platform);

        Assert.That(before?.StatusCode, Is.EqualTo(200));
        Assert.That(withoutKey.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "draining needs the API's authentication");
        Assert.That(drain.Status, Is.EqualTo(HttpStatusCode.OK), drain.Body);
        Assert.That(drain.Body, Does.Contain("\"draining\":true").And.Contain("\"activeCalls\":1"));
        Assert.That(during?.StatusCode, Is.EqualTo(503), "a drained node's OPTIONS tells the proxy to stop sending calls");
        Assert.That(during?.Headers.Get(SipHeaderNames.RetryAfter), Is.Not.Null);
        Assert.That(newCall?.StatusCode, Is.EqualTo(503), "a new INVITE is refused");
        Assert.That(newCall?.Headers.Get(SipHeaderNames.RetryAfter), Is.Not.Null);
        Assert.That(health.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(health.Body.GetProperty("status").GetString(), Is.EqualTo("draining"));
        Assert.That(health.Body.GetProperty("nodeId").GetString(), Is.EqualTo("node-a"));
        Assert.That(node.GetProperty("draining").GetBoolean(), Is.True);

        Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), "the live call goes on to its end\n" + callerResult.Output);
        Assert.That(agentResult.SuccessfulCalls, Is.EqualTo(1), agentResult.Output + platform.Output);
        Assert.That(record?.GetProperty("agent").GetString(), Is.EqualTo("1001"), record?.ToString());
        Assert.That(record?.GetProperty("disposition").GetString(), Is.EqualTo("caller-hung-up"));

        Assert.That(resume.Body, Does.Contain("\"draining\":false"));
        Assert.That(after?.StatusCode, Is.EqualTo(200), "resumed: the proxy may send calls again");
        Assert.That(healthAfter.Status, Is.EqualTo(HttpStatusCode.OK));
    }
}
