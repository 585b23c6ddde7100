using System.Net;
using System.Text.Json;

namespace CallCenter.Integration.Tests;

/// <summary>
/// A cluster node that loses its PostgreSQL (issue 19, bad input): a real server of the test's own is stopped
/// mid-call. The node answers 503 on /health and OPTIONS and refuses a new INVITE, while the live call goes on
/// to its end; when the server is back the node takes calls again and the call's record is written.
/// </summary>
[NonParallelizable]
public sealed class ClusterStoreTests
{
    private static async Task<(HttpStatusCode Status, JsonElement Body)> HealthAsync(PlatformProcess node)
    {
        using var http = new HttpClient { BaseAddress = node.BaseAddress };
        using var response = await http.GetAsync(new Uri("health", UriKind.Relative));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static async Task<JsonElement?> HealthWhenAsync(PlatformProcess node, HttpStatusCode wanted, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var (status, body) = await HealthAsync(node);
            if (status == wanted)
            {
                return body;
            }

            await Task.Delay(250);
        }

        return null;
    }

    private static async Task<int?> AnswerAsync(PlatformProcess node, string method, string callId)
    {
        using var client = new UdpSipClient(node.SipEndPoint);
        var sdp = "v=0\r\no=x 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n";
        var body = method == "INVITE" ? sdp : "";
        await client.SendAsync(
            $"{method} sip:95500@127.0.0.1:{node.SipPort} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{client.Port};branch=z9hG4bK{callId}\r\n" +
            $"Max-Forwards: 70\r\nFrom: <sip:13900000777@127.0.0.1>;tag=s\r\nTo: <sip:95500@127.0.0.1>\r\nCall-ID: {callId}@store\r\n" +
            $"CSeq: 1 {method}\r\nContact: <sip:13900000777@127.0.0.1:{client.Port}>\r\n" +
            (body.Length > 0 ? "Content-Type: application/sdp\r\n" : "") + $"Content-Length: {body.Length}\r\n\r\n{body}");
        return (await client.ReceiveResponseAsync(TimeSpan.FromSeconds(5)))?.StatusCode;
    }

    [Test]
    public async Task ANodeThatLosesPostgresAnswers503AndRefusesNewCallsWhileTheLiveCallEndsThenTakesCallsAgain()
    {
        await using var postgres = await OwnPostgres.StartAsync();
        await using var redis = await ClusterPeer.StartRedisAsync();
        await using var node = await PlatformProcess.StartAsync(
            "--Sip:DigestAlgorithms:0=MD5", "--Agents:WrapUpSeconds=1", "--Cluster:Enabled=true", "--Cluster:NodeId=node-pg",
            $"--Cluster:Redis=127.0.0.1:{redis.Port}", "--Database:Provider=postgres", $"--Database:ConnectionString={postgres.ConnectionString}");
        await using var agent = await AgentPhone.StartAsync(node, "1001");
        await using var caller = AgentPhone.StartCaller(node, "13800000001", holdMilliseconds: 22_000);

        // The caller reaches the agent (the VIP greeting, then the offer), then the database dies.
        await Task.Delay(11_000);
        await postgres.StopAsync();
        var lost = await HealthWhenAsync(node, HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(10));
        var options = await AnswerAsync(node, "OPTIONS", "opt");
        var invite = await AnswerAsync(node, "INVITE", "inv");

        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(60));
        var agentResult = await agent.WaitAsync(TimeSpan.FromSeconds(30));

        await postgres.StartAgainAsync();
        var back = await HealthWhenAsync(node, HttpStatusCode.OK, TimeSpan.FromSeconds(20));
        var record = await node.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13800000001", TimeSpan.FromSeconds(20));
        var logs = "\n--- node\n" + node.Output;

        Assert.That(lost, Is.Not.Null, "the node says it lost its store" + logs);
        Assert.That(lost!.Value.GetProperty("status").GetString(), Is.EqualTo("database-unreachable"));
        Assert.That(lost.Value.GetProperty("database").GetBoolean(), Is.False);
        Assert.That(options, Is.EqualTo(503), "the proxy's keep-alive learns the node takes no new calls" + logs);
        Assert.That(invite, Is.EqualTo(503), "a new INVITE is refused" + logs);
        Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), "the live call goes on without the store\n" + callerResult.Output + logs);
        Assert.That(agentResult.SuccessfulCalls, Is.EqualTo(1), agentResult.Output + logs);
        Assert.That(back, Is.Not.Null, "with the store back the node takes calls again" + logs);
        Assert.That(record?.GetProperty("agent").GetString(), Is.EqualTo("1001"), record?.ToString() + logs);
    }
}
