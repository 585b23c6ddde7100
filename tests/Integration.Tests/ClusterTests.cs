using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using CallCenter.TestSupport;
using Microsoft.AspNetCore.SignalR.Client;

namespace CallCenter.Integration.Tests;

/// <summary>
/// Several nodes (issue 19): the shipped Kamailio configuration in front of two real platform nodes
/// dispatches calls to both and fails over to the other when one is drained (503) or killed (no answer);
/// with <c>Cluster:Enabled</c> and a real redis-server, a wallboard and a desk connected to node 2 see a
/// call on node 1, and a lost Redis makes both nodes answer 503 on /health and OPTIONS while the live
/// call goes on to its end.
/// </summary>
[NonParallelizable]
public sealed class ClusterTests
{
    private static readonly string _secret = "cluster-test-nonce-secret-0123456789";

    private static string[] Node(string id, params string[] more) =>
        ["--Sip:DigestAlgorithms:0=MD5", "--Agents:WrapUpSeconds=1", $"--Cluster:NodeId={id}", $"--Sip:NonceSecret={_secret}", .. more];

    /// <summary>Calls from <paramref name="caller"/> through Kamailio to the hotline, each 1 s long (bench/scenarios/proxy-caller.xml).</summary>
    private static Task<Sipp.Result> CallThroughAsync(ClusterPeer kamailio, string caller, int calls) =>
        Sipp.RunAsync($"127.0.0.1:{kamailio.Port}", TimeSpan.FromSeconds(90),
            "-sf", Path.Combine(Fixtures.RepositoryRoot, "bench", "scenarios", "proxy-caller.xml"), "-key", "caller", caller,
            "-s", "95500", "-d", "1000", "-m", calls.ToString(CultureInfo.InvariantCulture), "-r", "2",
            "-timeout", "60s", "-timeout_error");

    /// <summary>How many INVITEs Kamailio's failure route sent on from <paramref name="node"/> (its log line).</summary>
    private static int Failovers(ClusterPeer kamailio, PlatformProcess node) =>
        kamailio.Output.Split('\n').Count(line => line.Contains($"node sip:127.0.0.1:{node.SipPort} failed INVITE", StringComparison.Ordinal));

    private static async Task<int> RecordsOfAsync(PlatformProcess node, string caller)
    {
        var (status, body) = await node.GetApiAsync("api/calls?limit=100");
        return status == HttpStatusCode.OK ? body.EnumerateArray().Count(c => c.GetProperty("caller").GetString() == caller) : -1;
    }

    /// <summary>Waits until the two nodes' records of <paramref name="caller"/> add up to <paramref name="total"/> (records follow the hang-up).</summary>
    private static async Task<(int A, int B)> RecordsAsync(PlatformProcess a, PlatformProcess? b, string caller, int total)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        (int A, int B) counts = default;
        while (DateTime.UtcNow < deadline)
        {
            counts = (a.HasExited ? 0 : await RecordsOfAsync(a, caller), b is null ? 0 : await RecordsOfAsync(b, caller));
            if (counts.A + counts.B >= total)
            {
                break;
            }

            await Task.Delay(200);
        }

        return counts;
    }

    [Test]
    public async Task KamailioSpreadsCallsOverBothNodesAndFailsOverWhenOneIsDrainedThenKilled()
    {
        await using var a = await PlatformProcess.StartAsync(Node("node-a"));
        await using var b = await PlatformProcess.StartAsync(Node("node-b"));
        await using var kamailio = await ClusterPeer.StartKamailioAsync([a.SipPort, b.SipPort]);

        // Both nodes up: round robin.
        var spread = await CallThroughAsync(kamailio, "13900000101", 6);
        var spreadRecords = await RecordsAsync(a, b, "13900000101", 6);

        // Node A drained: its OPTIONS and INVITEs get 503, so every new call goes to B.
        var drain = await a.PostApiAsync("api/node/drain", "{}");
        var drained = await CallThroughAsync(kamailio, "13900000102", 4);
        var drainedRecords = await RecordsAsync(a, b, "13900000102", 4);

        // Node A back, then killed (no answer at all): Kamailio's INVITE times out and goes to B.
        await a.PostApiAsync("api/node/resume", "{}");
        var back = await CallThroughAsync(kamailio, "13900000103", 4);
        var backRecords = await RecordsAsync(a, b, "13900000103", 4);
        var failoversBefore = Failovers(kamailio, a);
        await a.DisposeAsync();
        var killed = await CallThroughAsync(kamailio, "13900000104", 4);
        var failoversAfterKill = Failovers(kamailio, a) - failoversBefore;
        var (killedOnB, _) = await RecordsAsync(b, null, "13900000104", 4);
        var logs = $"\n--- kamailio\n{kamailio.Output}\n--- node b\n{b.Output}";

        Assert.That(spread.SuccessfulCalls, Is.EqualTo(6), spread.Output + logs);
        Assert.That(spreadRecords.A, Is.GreaterThanOrEqualTo(2), "round robin gives node A its share" + logs);
        Assert.That(spreadRecords.B, Is.GreaterThanOrEqualTo(2), "round robin gives node B its share" + logs);
        Assert.That(spreadRecords.A + spreadRecords.B, Is.EqualTo(6));

        Assert.That(drain.Body, Does.Contain("\"draining\":true"));
        Assert.That(drained.SuccessfulCalls, Is.EqualTo(4), "a drained node's 503 sends the call to the other node\n" + drained.Output + logs);
        Assert.That(drainedRecords, Is.EqualTo((0, 4)), "no new call on the drained node");

        Assert.That(back.SuccessfulCalls, Is.EqualTo(4), back.Output + logs);
        Assert.That(backRecords.A + backRecords.B, Is.EqualTo(4));

        Assert.That(killed.SuccessfulCalls, Is.EqualTo(4), "calls to a killed node fail over to the live one\n" + killed.Output + logs);
        Assert.That(killedOnB, Is.EqualTo(4), "every call on node B");
        Assert.That(failoversAfterKill, Is.GreaterThanOrEqualTo(1), "round robin still sent a call to the dead node before the keep-alives noticed, and it failed over on the timeout" + logs);
    }

    [Test]
    public async Task AWallboardAndADeskOnNode2SeeNode1sCallAndALostRedisMakesBothNodesRefuseNewCallsWhileTheLiveCallEnds()
    {
        await using var redis = await ClusterPeer.StartRedisAsync();
        var cluster = new[] { "--Cluster:Enabled=true", $"--Cluster:Redis=127.0.0.1:{redis.Port}" };
        await using var node1 = await PlatformProcess.StartAsync(Node("node-1", cluster));
        await using var node2 = await PlatformProcess.StartAsync(Node("node-2", cluster));

        await using var wallboard = await DeskHubCallTests.SignedInHubAsync(node2, "super", "demo-super", "hubs/wallboard", "/desk/wallboard");
        await using var desk = await DeskHubCallTests.SignedInHubAsync(node2, "1001", "demo-1001");
        var pops = Channel.CreateUnbounded<JsonElement>();
        desk.On<JsonElement>("pop", p => pops.Writer.TryWrite(p));

        // The agent's phone registers on node 1 and stays unavailable: the Diamond caller waits in node 1's queue.
        await using var agent = await AgentPhone.StartAsync(node1, "1001", makeAvailable: false);
        await using var caller = AgentPhone.StartCaller(node1, "13800000001", holdMilliseconds: 24_000);
        var seen = await WaitAsync(async () =>
        {
            var view = await wallboard.InvokeAsync<JsonElement>("snapshot");
            return view.GetProperty("queues").EnumerateArray().FirstOrDefault(q => q.GetProperty("waiting").GetInt32() > 0) is { ValueKind: JsonValueKind.Object } queue ? queue : null;
        }, TimeSpan.FromSeconds(20));
        var (_, node2Queues) = await node2.GetApiAsync("api/queues");

        // Available on node 1: node 1 offers the call, and the pop reaches the desk connected to node 2.
        var available = await node1.PostApiAsync("api/agents/1001/state", "{\"state\": \"available\"}");
        using var popWait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        JsonElement? pop = null;
        try
        {
            pop = await pops.Reader.ReadAsync(popWait.Token);
        }
        catch (OperationCanceledException)
        {
            // Asserted below.
        }

        // Redis dies during the call: both nodes say so and refuse new calls; the call goes on.
        await Task.Delay(2000);
        await redis.DisposeAsync();
        var health1 = await WaitAsync(() => HealthIfAsync(node1, HttpStatusCode.ServiceUnavailable), TimeSpan.FromSeconds(10));
        var health2 = await WaitAsync(() => HealthIfAsync(node2, HttpStatusCode.ServiceUnavailable), TimeSpan.FromSeconds(10));
        using var proxy = new UdpSipClient(node1.SipEndPoint);
        await proxy.SendAsync(
            $"OPTIONS sip:127.0.0.1:{node1.SipPort} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{proxy.Port};branch=z9hG4bKnoredis\r\n" +
            $"Max-Forwards: 70\r\nFrom: <sip:dispatcher@127.0.0.1>;tag=nr\r\nTo: <sip:127.0.0.1:{node1.SipPort}>\r\n" +
            "Call-ID: noredis@cluster\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
        var options = await proxy.ReceiveResponseAsync(TimeSpan.FromSeconds(5));

        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(60));
        var agentResult = await agent.WaitAsync(TimeSpan.FromSeconds(30));
        var record = await node1.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13800000001", TimeSpan.FromSeconds(15));
        var logs = $"\n--- node 1\n{node1.Output}\n--- node 2\n{node2.Output}";

        Assert.That(seen, Is.Not.Null, "node 2's wallboard shows the caller waiting on node 1" + logs);
        Assert.That(seen!.Value.GetProperty("callers")[0].GetProperty("maskedNumber").GetString(), Is.EqualTo("138****0001"));
        Assert.That(node2Queues.EnumerateArray().Sum(q => q.GetProperty("waiting").GetInt32()), Is.Zero, "nobody waits on node 2 itself: the view came from node 1");

        Assert.That(available.Status, Is.EqualTo(HttpStatusCode.OK), available.Body);
        Assert.That(pop, Is.Not.Null, "the pop raised on node 1 reaches agent 1001's desk on node 2 (Redis backplane)" + logs);
        Assert.That(pop!.Value.GetProperty("caller").GetString(), Is.EqualTo("13800000001"));

        Assert.That(health1, Is.Not.Null, "node 1 says it lost Redis" + logs);
        Assert.That(health1!.Value.GetProperty("status").GetString(), Is.EqualTo("redis-unreachable"));
        Assert.That(health1.Value.GetProperty("cluster").GetProperty("redis").GetBoolean(), Is.False);
        Assert.That(health2, Is.Not.Null, "node 2 says it lost Redis" + logs);
        Assert.That(options?.StatusCode, Is.EqualTo(503), "the proxy's keep-alive learns the node takes no new calls");

        Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), "the live call goes on without Redis\n" + callerResult.Output + logs);
        Assert.That(agentResult.SuccessfulCalls, Is.EqualTo(1), agentResult.Output);
        Assert.That(record?.GetProperty("agent").GetString(), Is.EqualTo("1001"), record?.ToString());
        Assert.That(record?.GetProperty("disposition").GetString(), Is.EqualTo("caller-hung-up"));
    }

    [Test]
    public async Task ClusterEnabledWithoutRedisStopsTheStartNamingTheKey()
    {
        await using var platform = PlatformProcess.Start("--Cluster:Enabled=true");
        var exit = await platform.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.That(exit, Is.Not.Zero);
        Assert.That(platform.Output, Does.Contain("Cluster:Redis"));
    }

    private static async Task<JsonElement?> HealthIfAsync(PlatformProcess node, HttpStatusCode wanted)
    {
        using var http = new HttpClient { BaseAddress = node.BaseAddress };
        using var response = await http.GetAsync(new Uri("health", UriKind.Relative));
        return response.StatusCode == wanted ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone() : null;
    }

    private static async Task<JsonElement?> WaitAsync(Func<Task<JsonElement?>> probe, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(250);
        }

        return null;
    }
}
