using System.Globalization;
using System.Net;
using System.Text;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>
/// The shipped Kamailio configuration at the edge (issue 19), with real nodes behind it: a request forged
/// inside a dialog from outside reaches no other host (the proxy is no open relay to a trunk), identities
/// asserted from outside never reach a node, a caller's number is believed only from a listed carrier, and a phone registers through Kamailio with its challenge
/// from one node and its answer at the other, then rings and answers a call through the proxy's Path.
/// </summary>
[NonParallelizable]
public sealed class KamailioEdgeTests
{
    private const string Secret = "kamailio-edge-test-nonce-secret-0123";

    private static string[] Node(string id) =>
        ["--Sip:DigestAlgorithms:0=MD5", "--Agents:WrapUpSeconds=1", $"--Cluster:NodeId={id}", $"--Sip:NonceSecret={Secret}"];

    /// <summary>A request inside a dialog (To has a tag) from 127.0.0.1:<paramref name="from"/>.</summary>
    private static string InDialog(string method, string requestUri, int from, string callId, string routes, string more = "") =>
        $"{method} {requestUri} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{from};branch=z9hG4bK{callId}\r\n{routes}" +
        $"Max-Forwards: 70\r\nFrom: <sip:13900000666@127.0.0.1>;tag=forger\r\nTo: <sip:95500@127.0.0.1>;tag=forged\r\n" +
        $"Call-ID: {callId}@forger\r\nCSeq: 2 {method}\r\n{more}Content-Length: 0\r\n\r\n";

    private static List<string> Texts(IEnumerable<byte[]> datagrams) => [.. datagrams.Select(d => Encoding.UTF8.GetString(d))];

    [Test]
    public async Task AForgedInDialogRequestFromOutsideIsRefusedAndReachesNoOtherHostWhileOneTowardsANodeArrivesWithoutIdentities()
    {
        await using var node = await PlatformProcess.StartAsync(Node("node-a"));

        // Stands for a second node: only listens, so the test sees exactly what Kamailio relays to a node.
        using var listeningNode = new UdpSipClient(new IPEndPoint(IPAddress.Loopback, 9));

        // Stands for a trunk or any host the forger would like to reach through the proxy.
        using var trunk = new UdpSipClient(new IPEndPoint(IPAddress.Loopback, 9));
        await using var kamailio = await ClusterPeer.StartKamailioAsync([node.SipPort, listeningNode.Port]);
        using var forger = new UdpSipClient(kamailio.EndPoint);
        var us = $"Route: <sip:127.0.0.1:{kamailio.Port};lr>\r\n";
        var trunkUri = $"sip:10086@127.0.0.1:{trunk.Port}";

        var cases = new (string Name, string Request, int? Expected)[]
        {
            ("BYE with our Route, Request-URI the trunk", InDialog("BYE", trunkUri, forger.Port, "f1", us), 403),
            ("re-INVITE with our Route, Request-URI the trunk", InDialog("INVITE", trunkUri, forger.Port, "f2", us), 403),
            ("BYE to a node with the trunk as the next Route", InDialog("BYE", $"sip:1001@127.0.0.1:{node.SipPort}", forger.Port, "f3", $"Route: <sip:127.0.0.1:{kamailio.Port};lr>, <sip:127.0.0.1:{trunk.Port};lr>\r\n"), 403),
            ("MESSAGE with our Route, Request-URI the trunk", InDialog("MESSAGE", trunkUri, forger.Port, "f4", us), 403),
            ("BYE without our Route", InDialog("BYE", trunkUri, forger.Port, "f5", ""), 404),
            ("ACK with our Route, Request-URI the trunk (never answered)", InDialog("ACK", trunkUri, forger.Port, "f6", us), null),
        };
        var answers = new List<(string Name, int? Expected, int? Got)>();
        foreach (var (name, request, expected) in cases)
        {
            await forger.SendAsync(request);
            var response = await forger.ReceiveResponseAsync(TimeSpan.FromSeconds(expected is null ? 1 : 5));
            answers.Add((name, expected, response?.StatusCode));
        }

        // Inside a dialog towards a node, from outside: relayed, but without any identity the caller asserts.
        await forger.SendAsync(InDialog("BYE", $"sip:1001@127.0.0.1:{listeningNode.Port}", forger.Port, "towards-node", us,
            "P-Asserted-Identity: <sip:13800000001@127.0.0.1>\r\nP-Preferred-Identity: <sip:13800000001@127.0.0.1>\r\n" +
            "Remote-Party-ID: <sip:13800000001@127.0.0.1>;party=calling;screen=yes\r\n"));
        var atNode = Texts(await listeningNode.ReceiveAllAsync(TimeSpan.FromSeconds(2))).Where(m => m.Contains("towards-node@forger", StringComparison.Ordinal)).ToList();
        var atTrunk = Texts(await trunk.ReceiveAllAsync(TimeSpan.FromSeconds(1)));
        var logs = "\n--- kamailio\n" + kamailio.Output;

        foreach (var (name, expected, got) in answers)
        {
            Assert.That(got, Is.EqualTo(expected), name + logs);
        }

        Assert.That(atTrunk, Is.Empty, "nothing the forger sent may reach the trunk through the proxy" + logs);
        Assert.That(atNode, Is.Not.Empty, "an in-dialog request towards a node is relayed (the check refuses only other hosts)" + logs);
        Assert.That(atNode[0], Does.StartWith($"BYE sip:1001@127.0.0.1:{listeningNode.Port} "));
        Assert.That(atNode[0], Does.Not.Contain("13800000001"), "P-Asserted-Identity, P-Preferred-Identity and Remote-Party-ID from outside are stripped, in a dialog too");
    }

    [Test]
    public async Task AnIdentityAssertedFromOutsideDoesNotReachANodeThroughKamailioButWouldBeBelievedStraightFromLoopback()
    {
        await using var node = await PlatformProcess.StartAsync(Node("node-a"));
        await using var kamailio = await ClusterPeer.StartKamailioAsync([node.SipPort]);
        var scenario = AgentPhone.Template("proxy-caller-asserted.xml", new() { ["{ASSERTED}"] = "13800000001" });
        try
        {
            // The node trusts loopback (Sip:TrustedPeers), as it trusts its Kamailio: what Kamailio lets through is believed.
            var through = await Sipp.RunAsync($"127.0.0.1:{kamailio.Port}", TimeSpan.FromSeconds(40),
                "-sf", scenario, "-key", "caller", "13900000555", "-s", "95500", "-d", "1000", "-m", "1", "-timeout", "30s", "-timeout_error");
            var throughRecord = await node.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() is "13900000555" or "13800000001", TimeSpan.FromSeconds(15));

            // Control: the same INVITE straight to the node from a trusted address is believed, so the test above can fail.
            var direct = await Sipp.RunAsync($"127.0.0.1:{node.SipPort}", TimeSpan.FromSeconds(40),
                "-sf", scenario, "-key", "caller", "13900000556", "-s", "95500", "-d", "1000", "-m", "1", "-timeout", "30s", "-timeout_error");
            var directRecord = await node.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13800000001", TimeSpan.FromSeconds(15));
            var logs = $"\n--- kamailio\n{kamailio.Output}\n--- node\n{node.Output}";

            Assert.That(through.SuccessfulCalls, Is.EqualTo(1), through.Output + logs);
            Assert.That(throughRecord?.GetProperty("caller").GetString(), Is.EqualTo("13900000555"), "the node saw From's number, not the asserted Diamond client's" + logs);
            Assert.That(throughRecord?.GetProperty("tier").ToString(), Is.Not.EqualTo("Diamond"));
            Assert.That(direct.SuccessfulCalls, Is.EqualTo(1), direct.Output);
            Assert.That(directRecord, Is.Not.Null, "straight from loopback the node believes P-Asserted-Identity" + logs);
        }
        finally
        {
            File.Delete(scenario);
        }
    }

    [Test]
    public async Task AGoldNumberThroughKamailioIsBelievedOnlyFromAListedCarrierAndAForgedMarkerIsRemoved()
    {
        await using var node = await PlatformProcess.StartAsync(Node("node-a"));
        var carrierPort = FreePorts.UdpAndTcp();
        await using var kamailio = await ClusterPeer.StartKamailioAsync([node.SipPort], carriers: [carrierPort]);
        var proxy = $"127.0.0.1:{kamailio.Port}";
        const string gold = "13800000003";
        string[] Call(string from, string scenario) =>
            ["-sf", scenario, "-key", "caller", from, "-s", "95501", "-d", "2000", "-m", "1", "-timeout", "30s", "-timeout_error"];

        // A PC on the LAN (not a listed carrier) calls the VIP line as the Gold client, in From and P-Asserted-Identity,
        // with a forged marker that would say it was checked: Kamailio marks it unverified, the node ignores the number.
        var forged = AgentPhone.Template("proxy-caller-marked.xml", new() { ["{ASSERTED}"] = gold, ["{MARKER}"] = "verified" });

        // The carrier: its caller is asserted in P-Asserted-Identity (From another number), and a marker it sends
        // (copied, or forged upstream) is removed, or the node would take its caller for an unknown one.
        var carried = AgentPhone.Template("proxy-caller-marked.xml", new() { ["{ASSERTED}"] = gold, ["{MARKER}"] = "unverified" });
        try
        {
            var lan = await Sipp.RunAsync(proxy, TimeSpan.FromSeconds(40), Call(gold, forged));
            var lanRecord = await node.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == gold, TimeSpan.FromSeconds(15));
            var lanId = lanRecord?.GetProperty("id").GetString();
            await using var carrierCall = Sipp.Start(proxy, Call("13900000777", carried), carrierPort);
            var carrier = await carrierCall.WaitAsync(TimeSpan.FromSeconds(40));
            var carrierRecord = await node.WaitForCallRecordAsync(
                c => c.GetProperty("caller").GetString() is gold or "13900000777" && c.GetProperty("id").GetString() != lanId, TimeSpan.FromSeconds(15));
            var logs = $"\n--- kamailio\n{kamailio.Output}\n--- node\n{node.Output}";
            string[] PathOf(System.Text.Json.JsonElement? record) =>
                record is { } r ? [.. r.GetProperty("ivrPath").EnumerateArray().Select(e => e.GetString()!)] : [];

            Assert.That(lan.SuccessfulCalls, Is.EqualTo(1), lan.Output + logs);
            Assert.That(lanRecord, Is.Not.Null, logs);
            Assert.That(lanRecord?.GetProperty("tier").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null), "a Gold number from the LAN is not the Gold client" + lanRecord + logs);
            Assert.That(PathOf(lanRecord).Take(2), Is.EqualTo(new[] { "95501.gate", "95501.vipOnly" }), "the VIP line turns it away" + logs);

            Assert.That(carrier.SuccessfulCalls, Is.EqualTo(1), carrier.Output + logs);
            Assert.That(carrierRecord?.GetProperty("caller").GetString(), Is.EqualTo(gold), "the carrier's P-Asserted-Identity reaches the node" + carrierRecord + logs);
            Assert.That(carrierRecord?.GetProperty("tier").GetString(), Is.EqualTo("Gold"), "the carrier's caller is the Gold client: its forged marker was removed" + logs);
            Assert.That(PathOf(carrierRecord), Does.Contain("95501.welcome"), "the VIP line greets the Gold client" + logs);
        }
        finally
        {
            File.Delete(forged);
            File.Delete(carried);
        }
    }

    /// <summary>Is <paramref name="extension"/>'s phone registered on <paramref name="node"/>?</summary>
    private static async Task<bool> RegisteredOnAsync(PlatformProcess node, string extension)
    {
        var (_, agents) = await node.GetApiAsync("api/agents");
        return agents.EnumerateArray().Single(a => a.GetProperty("id").GetString() == extension).GetProperty("registered").GetBoolean();
    }

    /// <summary>Kamailio's log lines "REGISTER {cseq} of ... to node sip:127.0.0.1:PORT" (route[REGISTER]).</summary>
    private static List<string> RegisterLines(ClusterPeer kamailio, int cseq) =>
        [.. kamailio.Output.Split('\n').Select(l => l.Trim()).Where(l => l.Contains($"REGISTER {cseq.ToString(CultureInfo.InvariantCulture)} of sip:1001@", StringComparison.Ordinal))];

    [Test]
    public async Task APhoneRegistersThroughKamailioChallengedByOneNodeAnsweredAtTheOtherAndRingsThroughThePath()
    {
        await using var a = await PlatformProcess.StartAsync(Node("node-a"));
        await using var b = await PlatformProcess.StartAsync(Node("node-b"));
        var carrierPort = FreePorts.UdpAndTcp();
        await using var kamailio = await ClusterPeer.StartKamailioAsync([a.SipPort, b.SipPort], carriers: [carrierPort]);
        var phonePort = FreePorts.UdpAndTcp();
        var proxy = $"127.0.0.1:{kamailio.Port}";

        // Nobody ever listens at the registered Contact (a phone behind NAT): only the Path's received= reaches the phone.
        var contactPort = FreePorts.UdpAndTcp();
        async Task<Sipp.Result> RegisterAsync(int pauseMilliseconds, Func<Task>? whilePaused = null)
        {
            var scenario = AgentPhone.Template("register-through-kamailio.xml", new()
            {
                ["{CONTACT_PORT}"] = contactPort.ToString(CultureInfo.InvariantCulture),
                ["{PROXY_PORT}"] = kamailio.Port.ToString(CultureInfo.InvariantCulture),
                ["{PAUSE_MS}"] = pauseMilliseconds.ToString(CultureInfo.InvariantCulture),
            });
            try
            {
                await using var registering = Sipp.Start(proxy, ["-sf", scenario, "-s", "1001", "-au", "1001", "-ap", "demo-1001", "-m", "1", "-timeout", "30s", "-timeout_error"], phonePort);
                if (whilePaused is not null)
                {
                    await whilePaused();
                }

                return await registering.WaitAsync(TimeSpan.FromSeconds(40));
            }
            finally
            {
                File.Delete(scenario);
            }
        }

        // Kamailio hashes a REGISTER by its To URI: the phone's node, the same at every refresh.
        var first = await RegisterAsync(0);
        var onA = await RegisteredOnAsync(a, "1001");
        var onB = await RegisteredOnAsync(b, "1001");
        var (hashed, other) = onA ? (a, b) : (b, a);

        // Again, and the hashed node is drained between the challenge and the answer (as a node drained or dying then
        // would be): the challenge comes from it, the answer goes to the other node, which checks the first one's nonce.
        var otherBefore = await RegisteredOnAsync(other, "1001");
        var across = await RegisterAsync(6000, async () =>
        {
            var deadline = DateTime.UtcNow.AddSeconds(5);
            while (RegisterLines(kamailio, 1).Count < 2 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            await hashed.PostApiAsync("api/node/drain", "{}");
        });
        var challengedAt = RegisterLines(kamailio, 1).LastOrDefault() ?? "";
        var answeredAt = RegisterLines(kamailio, 2).LastOrDefault() ?? "";
        var otherAfter = await RegisteredOnAsync(other, "1001");

        // The agent's phone answers on the port it registered from; a Diamond caller through Kamailio reaches it.
        var answer = AgentPhone.Template("agent-answer-proxied.xml", new()
        {
            ["{RING_MS}"] = "300",
            ["{EXPECT_PAI}"] = "13800000001",
            ["{EXPECT_DISPLAY}"] = ".*",
            ["{PROXY_PORT}"] = kamailio.Port.ToString(CultureInfo.InvariantCulture),
        });
        await using var phone = Sipp.Start(proxy, ["-sf", answer, "-m", "1", "-timeout", "90s", "-timeout_error"], phonePort);
        var available = await other.PostApiAsync("api/agents/1001/state", "{\"state\": \"available\"}");
        // Through the listed carrier: a caller from anywhere else would be an unknown number, which the VIP line turns away.
        await using var calling = Sipp.Start(proxy, ["-sf", Path.Combine(Fixtures.RepositoryRoot, "bench", "scenarios", "proxy-caller.xml"), "-key", "caller", "13800000001",
            "-s", "95501", "-d", "14000", "-m", "1", "-timeout", "60s", "-timeout_error"], carrierPort);
        var caller = await calling.WaitAsync(TimeSpan.FromSeconds(90));
        var phoneResult = await phone.WaitAsync(TimeSpan.FromSeconds(60));
        File.Delete(answer);
        var record = await other.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13800000001", TimeSpan.FromSeconds(15));
        var logs = $"\n--- kamailio\n{kamailio.Output}\n--- node a\n{a.Output}\n--- node b\n{b.Output}";

        Assert.That(first.SuccessfulCalls, Is.EqualTo(1), "a REGISTER through Kamailio succeeds and its 200 echoes Kamailio's Path\n" + first.Output + logs);
        Assert.That(onA ^ onB, Is.True, "the hash puts the phone on one node" + logs);
        Assert.That(otherBefore, Is.False);
        Assert.That(across.SuccessfulCalls, Is.EqualTo(1), "the other node accepts the first node's nonce (Sip:NonceSecret)\n" + across.Output + logs);
        Assert.That(challengedAt, Does.EndWith($"to node sip:127.0.0.1:{hashed.SipPort}"), "the challenge came from the hashed node" + logs);
        Assert.That(answeredAt, Does.EndWith($"to node sip:127.0.0.1:{other.SipPort}"), "the answer went to the other node" + logs);
        Assert.That(otherAfter, Is.True, "the other node holds the binding" + logs);

        Assert.That(available.Status, Is.EqualTo(HttpStatusCode.OK), available.Body);
        Assert.That(caller.SuccessfulCalls, Is.EqualTo(1), caller.Output + logs);
        Assert.That(phoneResult.SuccessfulCalls, Is.EqualTo(1), "the phone rang through Kamailio (its Contact is unreachable) and answered\n" + phoneResult.Output + logs);
        Assert.That(record?.GetProperty("agent").GetString(), Is.EqualTo("1001"), record?.ToString() + logs);
    }
}
