using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using CallCenter.Data.Registrations;
using CallCenter.Telephony.Media.Audio;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>
/// The cluster's one ACD behind the shipped Kamailio configuration (issue 19), with real Kamailio, PostgreSQL,
/// redis-server and two platform nodes: an agent's phone registers through Kamailio, which sends the REGISTER to one
/// node (its hash of the To URI: the "home" node), with its Path; the agent is made available there and the home node
/// is drained, so the caller Kamailio dispatches lands on the other node ("away"). The away node's ACD offer rings the
/// phone through Kamailio along the stored Path (the phone's Contact is unreachable), the agent answers, and the away
/// node's call is bridged and names the agent. During that call a break is asked for on the home node over REST: it
/// answers 202 naming the away node and the call, and once the call and its wrap-up are over the agent is on that
/// break on both nodes' GET /api/agents.
/// </summary>
[NonParallelizable]
public sealed class ClusterKamailioAcdTests
{
    private const string Agent = "1003";
    private const string Caller = "13900000201";
    private const string BreakReason = "team meeting";

    /// <summary>The phone registers through Kamailio from <paramref name="phonePort"/> with an unreachable Contact (register-through-kamailio.xml).</summary>
    private static async Task<Sipp.Result> RegisterThroughAsync(ClusterPeer kamailio, int phonePort, int contactPort)
    {
        var scenario = AgentPhone.Template("register-through-kamailio.xml", new()
        {
            ["{CONTACT_PORT}"] = contactPort.ToString(CultureInfo.InvariantCulture),
            ["{PROXY_PORT}"] = kamailio.Port.ToString(CultureInfo.InvariantCulture),
            ["{PAUSE_MS}"] = "0",
        });
        try
        {
            await using var registering = Sipp.Start($"127.0.0.1:{kamailio.Port}",
                ["-sf", scenario, "-s", Agent, "-au", Agent, "-ap", "demo-" + Agent, "-m", "1", "-timeout", "20s", "-timeout_error"], phonePort);
            return await registering.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            File.Delete(scenario);
        }
    }

    private static async Task<string?> StateOnAsync(PlatformProcess node, string property = "state") =>
        await ClusterAcdTests.AgentOnAsync(node, Agent) is { } agent && agent.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    [Test]
    public async Task AnAgentRegisteredThroughKamailioOnOneNodeAnswersACallerKamailioSentToTheOtherAndABreakAskedOnTheFirstAppliesAfterTheCall()
    {
        var clock = Stopwatch.StartNew();
        await using var database = await TestDatabase.CreateAsync("postgres");
        await using var redis = await ClusterPeer.StartRedisAsync();
        string[] NodeArguments(string id) => ClusterAcdTests.ClusterNode(database, redis, id);

        // One after the other: the first migrates the shared database and takes the lease.
        await using var node1 = await PlatformProcess.StartAsync(OpenVipLine.Prepare, NodeArguments("node-1"));
        await using var node2 = await PlatformProcess.StartAsync(OpenVipLine.Prepare, NodeArguments("node-2"));
        await using var kamailio = await ClusterPeer.StartKamailioAsync([node1.SipPort, node2.SipPort]);
        var node1Leads = await ClusterLeaderTests.EventuallyAsync(() => ClusterAcdTests.LeadsAsync(node1), TimeSpan.FromSeconds(10));
        var startedAfter = clock.Elapsed;

        // 1. The phone registers through Kamailio; nobody listens at its Contact (a phone behind NAT): only the Path's
        // received= (the address the REGISTER came from) reaches it. Kamailio's log names the node it chose.
        var phonePort = FreePorts.UdpAndTcp();
        var contactPort = FreePorts.UdpAndTcp();
        var registered = await RegisterThroughAsync(kamailio, phonePort, contactPort);
        var registerLine = kamailio.Output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Contains($"REGISTER 2 of sip:{Agent}@", StringComparison.Ordinal)) ?? "";
        var homeIsNode1 = registerLine.EndsWith($"to node sip:127.0.0.1:{node1.SipPort}", StringComparison.Ordinal);
        var (home, homeId, away, awayId) = homeIsNode1 ? (node1, "node-1", node2, "node-2") : (node2, "node-2", node1, "node-1");
        var bindings = await new SipBindingRepository(database.Factory).GetAsync(Agent);

        // Made available on the home node, which is then drained (503 to INVITEs and keep-alives): Kamailio's caller goes to the away node.
        var available = await home.PostApiAsync($"api/agents/{Agent}/state", "{\"state\": \"available\"}");
        var drain = await home.PostApiAsync("api/node/drain", "{}");
        var answer = AgentPhone.Template("agent-answer-proxied.xml", new()
        {
            ["{RING_MS}"] = "300",
            ["{EXPECT_PAI}"] = Caller,
            ["{EXPECT_DISPLAY}"] = ".*",
            ["{PROXY_PORT}"] = kamailio.Port.ToString(CultureInfo.InvariantCulture),
        });
        await using var phone = Sipp.Start($"127.0.0.1:{kamailio.Port}", ["-sf", answer, "-m", "1", "-timeout", "60s", "-timeout_error"], phonePort);
        await using var calling = Sipp.Start($"127.0.0.1:{kamailio.Port}", [
            "-sf", Path.Combine(Fixtures.RepositoryRoot, "bench", "scenarios", "proxy-caller.xml"), "-key", "caller", Caller,
            "-s", "95501", "-d", "14000", "-m", "1", "-timeout", "60s", "-timeout_error"]);

        // 2. On the call (held by the away node, as both nodes show it), a break is asked for on the home node.
        string? callId = null;
        var onCallAway = await ClusterLeaderTests.EventuallyAsync(async () =>
        {
            callId = await StateOnAsync(away) == "onCall" ? await StateOnAsync(away, "callId") : null;
            return callId is not null;
        }, TimeSpan.FromSeconds(25), everyMilliseconds: 100);
        var onCallSeenHome = await ClusterLeaderTests.EventuallyAsync(async () => await StateOnAsync(home) == "onCall", TimeSpan.FromSeconds(5), everyMilliseconds: 100);
        var asked = await home.PostApiAsync($"api/agents/{Agent}/state", $"{{\"state\": \"break\", \"reason\": \"{BreakReason}\"}}");
        var stillOnCall = await StateOnAsync(away);

        var caller = await calling.WaitAsync(TimeSpan.FromSeconds(60));
        var phoneResult = await phone.WaitAsync(TimeSpan.FromSeconds(30));
        File.Delete(answer);
        var record = await away.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == Caller, TimeSpan.FromSeconds(15));

        // After the call and its wrap-up (1 s), the holding node puts the agent on the break; the home node shows it too.
        var onBreakAway = await ClusterLeaderTests.EventuallyAsync(async () => await StateOnAsync(away) == "break", TimeSpan.FromSeconds(10));
        var onBreakHome = await ClusterLeaderTests.EventuallyAsync(async () => await StateOnAsync(home) == "break", TimeSpan.FromSeconds(5));
        var reasonAway = await StateOnAsync(away, "reason");
        var elapsed = clock.Elapsed;
        TestContext.Out.WriteLine($"home {homeId}, away {awayId}; processes up after {startedAfter.TotalSeconds:F1} s, test done after {elapsed.TotalSeconds:F1} s");
        var logs = $"\n--- kamailio\n{kamailio.Output}\n--- {homeId} (home)\n{home.Output}\n--- {awayId} (away)\n{away.Output}";

        Assert.That(node1Leads, Is.True, "node 1, started first, leads" + logs);
        Assert.That(registered.SuccessfulCalls, Is.EqualTo(1), "the REGISTER through Kamailio succeeds and its 200 echoes Kamailio's Path\n" + registered.Output + logs);
        Assert.That(registerLine, Does.EndWith($"to node sip:127.0.0.1:{home.SipPort}"), "Kamailio sent the REGISTER to one of the nodes" + logs);
        Assert.That(bindings, Has.Count.EqualTo(1), "one binding in the shared sip_bindings");
        Assert.That(bindings[0].Path, Does.Contain($"sip:127.0.0.1:{kamailio.Port};").And.Contain("received="), "the binding keeps Kamailio's Path");
        Assert.That(bindings[0].ContactPort, Is.EqualTo(contactPort));
        Assert.That(bindings[0].SourcePort, Is.EqualTo(kamailio.Port), "the home node heard the REGISTER from Kamailio");

        Assert.That(available.Status, Is.EqualTo(HttpStatusCode.OK), available.Body);
        Assert.That(drain.Body, Does.Contain("\"draining\":true"));
        Assert.That(onCallAway, Is.True, "the away node's ACD offer rang the phone and the agent answered" + logs);
        Assert.That(onCallSeenHome, Is.True, "the home node shows the agent on the away node's call" + logs);
        Assert.That(caller.SuccessfulCalls, Is.EqualTo(1), caller.Output + logs);
        Assert.That(phoneResult.SuccessfulCalls, Is.EqualTo(1), "the INVITE reached the phone through Kamailio (its Via and Record-Route; the Contact is unreachable) and the phone answered\n" + phoneResult.Output + logs);
        Assert.That(node1.Output, Does.Contain($"waiting on {awayId} to agent {Agent}: kept"), "the caller waited on the away node and the leader (node 1) gave it the agent" + logs);
        Assert.That(away.Output, Does.Contain($"Node {awayId} holds agent {Agent} for call"), "the away node took the agent made available on the home node" + logs);

        Assert.That(record, Is.Not.Null, logs);
        Assert.That(record!.Value.GetProperty("id").GetString(), Is.EqualTo(callId), "the agent's call on the away node is the caller's");
        Assert.That(record.Value.GetProperty("agent").GetString(), Is.EqualTo(Agent), record.ToString());
        Assert.That(record.Value.GetProperty("disposition").GetString(), Is.EqualTo("caller-hung-up"), record.ToString());
        Assert.That(record.Value.GetProperty("talkSeconds").GetDouble(), Is.GreaterThan(2), record.ToString());
        var recording = WavFile.Read(record.Value.GetProperty("recording").GetString()!);
        var (_, agentVoice) = TestAudio.ChannelEnergy(recording.Data);
        Assert.That(agentVoice, Is.GreaterThan(200), "the phone's voice (RTP straight to the away node) was bridged into the call and recorded");

        Assert.That(asked.Status, Is.EqualTo(HttpStatusCode.Accepted), "a break asked on the node not holding the call is accepted for after it: " + asked.Body + logs);
        using var acceptanceDocument = JsonDocument.Parse(asked.Body);
        var acceptance = acceptanceDocument.RootElement;
        Assert.That(acceptance.GetProperty("message").GetString(), Does.Contain($"through node {awayId}").And.Contain($"(call {callId})").And.Contain("break applies after that call"), asked.Body);
        Assert.That(acceptance.GetProperty("state").GetString(), Is.EqualTo("onCall"), "the 202 shows the agent as they are: " + asked.Body);
        Assert.That(acceptance.GetProperty("callId").GetString(), Is.EqualTo(callId));
        Assert.That(stillOnCall, Is.EqualTo("onCall"), "the call goes on");
        Assert.That(home.Output, Does.Contain($"Node {homeId}: agent {Agent} is on call {callId} through node {awayId}"), "the home node kept it on the agent's shared row" + logs);
        Assert.That(away.Output, Does.Contain($"Node {awayId}: agent {Agent}, on call {callId} here, asked through another node for break after the call"), "the away node took it" + logs);
        Assert.That(onBreakAway, Is.True, "after the call and its wrap-up the agent is on the break on the holding node" + logs);
        Assert.That(reasonAway, Is.EqualTo(BreakReason), "the break asked for on the home node, with its reason");
        Assert.That(onBreakHome, Is.True, "the home node shows the break too" + logs);
    }
}
