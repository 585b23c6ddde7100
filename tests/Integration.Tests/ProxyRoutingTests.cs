using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Parsing;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>
/// The platform behind a SIP proxy (issue 19): a phone registered through a proxy is called through
/// its Path (RFC 3327), in-dialog requests follow the dialog's Record-Route (RFC 3261 12.2.1.1,
/// 16.12), and <c>Sip:OutboundProxy</c> sends new calls through the proxy. The proxies are real
/// sipp processes, or a bare UDP socket where the test must see what arrives at an address.
/// </summary>
[NonParallelizable]
public sealed class ProxyRoutingTests
{
    private static readonly string[] _platform = ["--Sip:DigestAlgorithms:0=MD5", "--Agents:WrapUpSeconds=1"];

    private static string Target(PlatformProcess platform) => $"127.0.0.1:{platform.SipPort}";

    private static async Task<JsonElement> RecordOf(PlatformProcess platform, string caller) =>
        await platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == caller, TimeSpan.FromSeconds(15))
        ?? throw new AssertionException($"no record for {caller}\n{platform.Output}");

    private static async Task MakeAvailableAsync(PlatformProcess platform, string extension)
    {
        var available = await platform.PostApiAsync($"api/agents/{extension}/state", "{\"state\": \"available\"}");
        Assert.That(available.Status, Is.EqualTo(HttpStatusCode.OK), available.Body);
    }

    /// <summary>A sipp phone registers <paramref name="contactPort"/> as its contact, with a scenario of the register kind.</summary>
    private static async Task RegisterAsync(PlatformProcess platform, string scenario, string extension, Dictionary<string, string> values)
    {
        var register = AgentPhone.Template(scenario, values);
        try
        {
            var registered = await Sipp.RunAsync(Target(platform), TimeSpan.FromSeconds(30), "-sf", register, "-s", extension, "-au", extension, "-ap", "demo-" + extension, "-m", "1", "-timeout", "20s", "-timeout_error");
            Assert.That(registered.SuccessfulCalls, Is.EqualTo(1), $"agent {extension} did not register\n{registered.Output}\n{platform.Output}");
        }
        finally
        {
            File.Delete(register);
        }
    }

    [Test]
    public async Task AnAgentRegisteredThroughAProxyIsCalledThroughItsPathWithTheRouteAndThePathIsEchoed()
    {
        await using var platform = await PlatformProcess.StartAsync(_platform);
        var proxyPort = FreePorts.UdpAndTcp();
        var values = new Dictionary<string, string>
        {
            ["{EXTENSION}"] = "1001",
            ["{PROXY_PORT}"] = proxyPort.ToString(CultureInfo.InvariantCulture),

            // Nobody listens at the registered contact: a phone behind NAT, reachable only through its proxy.
            ["{CONTACT_PORT}"] = FreePorts.UdpAndTcp().ToString(CultureInfo.InvariantCulture),
        };
        var proxyScenario = AgentPhone.Template("agent-behind-proxy.xml", values);
        await using var proxy = Sipp.Start(Target(platform), ["-sf", proxyScenario, "-m", "1", "-timeout", "60s", "-timeout_error"], proxyPort);

        // register-path.xml checks the 200 echoes the Path, and sends Require: path (a 420 would fail it).
        await RegisterAsync(platform, "register-path.xml", "1001", values);
        await MakeAvailableAsync(platform, "1001");
        await using var caller = AgentPhone.StartCaller(platform, "13800000001", holdMilliseconds: 11_000);
        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(60));
        var proxyResult = await proxy.WaitAsync(TimeSpan.FromSeconds(30));
        var record = await RecordOf(platform, "13800000001");
        File.Delete(proxyScenario);

        Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), callerResult.Output);
        Assert.That(proxyResult.SuccessfulCalls, Is.EqualTo(1), "the INVITE, ACK and BYE must reach the proxy with its Route, the INVITE for the registered contact\n" + proxyResult.Output + platform.Output);
        Assert.That(record.GetProperty("agent").GetString(), Is.EqualTo("1001"), record.ToString());
        Assert.That(record.GetProperty("disposition").GetString(), Is.EqualTo("caller-hung-up"));
    }

    [Test]
    public async Task TheAckAndByeToAnAgentGoToTheFirstRecordRouteNotToWhereTheAnswerCameFrom()
    {
        await using var platform = await PlatformProcess.StartAsync(_platform);

        // The proxy pair's floating address: a bare socket that records what reaches it and answers BYE.
        using var router = new UdpSipClient(platform.SipEndPoint);
        var phonePort = FreePorts.UdpAndTcp();
        var values = new Dictionary<string, string>
        {
            ["{ROUTER_PORT}"] = router.Port.ToString(CultureInfo.InvariantCulture),
            ["{CONTACT_PORT}"] = phonePort.ToString(CultureInfo.InvariantCulture),
        };
        var phoneScenario = AgentPhone.Template("agent-record-route.xml", values);
        await using var phone = Sipp.Start(Target(platform), ["-sf", phoneScenario, "-m", "1", "-timeout", "60s", "-timeout_error"], phonePort);
        await RegisterAsync(platform, "register-contact.xml", "1002", values);
        await MakeAvailableAsync(platform, "1002");
        var watching = WatchAsync(router, TimeSpan.FromSeconds(40));

        await using var caller = AgentPhone.StartCaller(platform, "13800000002", holdMilliseconds: 11_000);
        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(60));
        var phoneResult = await phone.WaitAsync(TimeSpan.FromSeconds(30));
        var seen = await watching;
        File.Delete(phoneScenario);

        var routeValue = $"<sip:127.0.0.1:{router.Port};lr>";
        Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), callerResult.Output);
        Assert.That(phoneResult.SuccessfulCalls, Is.EqualTo(1), phoneResult.Output + platform.Output);
        Assert.That(seen.Select(r => r.Method), Does.Contain(SipMethods.Ack).And.Contain(SipMethods.Bye), "the ACK and the BYE must reach the Record-Route's address\n" + platform.Output);
        Assert.That(seen.Where(r => r.Method is SipMethods.Ack or SipMethods.Bye).Select(r => SipWriter.Write(r.Routes.Single())), Has.All.EqualTo(routeValue));
        Assert.That(seen.Where(r => r.Method is SipMethods.Ack or SipMethods.Bye).Select(r => r.RequestUri.Port), Has.All.EqualTo(phonePort), "the Request-URI stays the phone's Contact (loose routing)");
        var record = await RecordOf(platform, "13800000002");
        Assert.That(record.GetProperty("agent").GetString(), Is.EqualTo("1002"), record.ToString());
    }

    [Test]
    public async Task WithAnOutboundProxyACallToAnAgentGoesThroughItWithALooseRoute()
    {
        // Configured without ;lr: the platform adds it (it speaks to its proxy as a loose router).
        var proxyPort = FreePorts.UdpAndTcp();
        await using var platform = await PlatformProcess.StartAsync([.. _platform, $"--Sip:OutboundProxy=sip:127.0.0.1:{proxyPort.ToString(CultureInfo.InvariantCulture)}"]);
        var values = new Dictionary<string, string>
        {
            ["{EXTENSION}"] = "1003",
            ["{PROXY_PORT}"] = proxyPort.ToString(CultureInfo.InvariantCulture),
            ["{CONTACT_PORT}"] = FreePorts.UdpAndTcp().ToString(CultureInfo.InvariantCulture), // the phone itself is never reached directly
        };
        var proxyScenario = AgentPhone.Template("agent-behind-proxy.xml", values);
        await using var proxy = Sipp.Start(Target(platform), ["-sf", proxyScenario, "-m", "1", "-timeout", "60s", "-timeout_error"], proxyPort);
        await RegisterAsync(platform, "register-contact.xml", "1003", values);
        await MakeAvailableAsync(platform, "1003");

        await using var caller = AgentPhone.StartCaller(platform, "13800000002", holdMilliseconds: 11_000);
        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(60));
        var proxyResult = await proxy.WaitAsync(TimeSpan.FromSeconds(30));
        var record = await RecordOf(platform, "13800000002");
        File.Delete(proxyScenario);

        Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), callerResult.Output);
        Assert.That(proxyResult.SuccessfulCalls, Is.EqualTo(1), "the INVITE for the phone's contact must reach the outbound proxy with its Route\n" + proxyResult.Output + platform.Output);
        Assert.That(record.GetProperty("agent").GetString(), Is.EqualTo("1003"), record.ToString());
    }

    [Test]
    public async Task WithAnOutboundProxyACallThroughATrunkGoesToTheProxyForTheTrunksAddress()
    {
        // The agent's phone is reached through its Path (which wins over the outbound proxy); the
        // transfer to an outside number then goes to the outbound proxy, which the test watches.
        using var outboundProxy = new UdpSipClient(new IPEndPoint(IPAddress.Loopback, 9)); // listens only; its answer goes out on another socket
        var trunkPort = FreePorts.UdpAndTcp();
        await using var platform = await PlatformProcess.StartAsync([
            .. _platform, $"--Sip:OutboundProxy=sip:127.0.0.1:{outboundProxy.Port.ToString(CultureInfo.InvariantCulture)};lr",
            "--Trunks:0:Name=carrier", $"--Trunks:0:Address=127.0.0.1:{trunkPort.ToString(CultureInfo.InvariantCulture)}", "--Trunks:0:CallerId=95500"]);
        var phonePort = FreePorts.UdpAndTcp();
        var values = new Dictionary<string, string>
        {
            ["{EXTENSION}"] = "1001",
            ["{PROXY_PORT}"] = phonePort.ToString(CultureInfo.InvariantCulture),
            ["{CONTACT_PORT}"] = FreePorts.UdpAndTcp().ToString(CultureInfo.InvariantCulture),
        };
        var phoneScenario = AgentPhone.Template("agent-behind-proxy.xml", values);
        await using var phone = Sipp.Start(Target(platform), ["-sf", phoneScenario, "-m", "1", "-timeout", "60s", "-timeout_error"], phonePort);
        await RegisterAsync(platform, "register-path.xml", "1001", values);
        await MakeAvailableAsync(platform, "1001");
        await using var caller = AgentPhone.StartCaller(platform, "13800000002", holdMilliseconds: 16_000);
        var callId = await WaitForAgentCallAsync(platform, "1001");

        var transfer = await platform.PostApiAsync($"api/calls/{callId}/transfer", "{\"target\": \"138 0000 0009\"}");
        var invite = await ReceiveRequestAsync(outboundProxy, SipMethods.Invite, TimeSpan.FromSeconds(10));
        if (invite is not null)
        {
            // The carrier is busy: the caller goes back to the queue and hangs up later. (A UDP response
            // is matched by its Via branch, so another socket may carry it; the ACK comes to the proxy.)
            using var answering = new UdpSipClient(platform.SipEndPoint);
            await answering.SendAsync(SipWriter.ToBytes(SipMessageBuilder.CreateResponse(invite, 486, toTag: "busy")));
        }

        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(60));
        var phoneResult = await phone.WaitAsync(TimeSpan.FromSeconds(30));
        File.Delete(phoneScenario);

        Assert.That(transfer.Status, Is.EqualTo(HttpStatusCode.OK), transfer.Body);
        Assert.That(invite, Is.Not.Null, "the INVITE for the outside number must reach the outbound proxy\n" + platform.Output);
        Assert.That(SipWriter.Write(invite!.RequestUri), Is.EqualTo($"sip:13800000009@127.0.0.1:{trunkPort}"), "addressed to the trunk");
        Assert.That(invite.Routes.Select(r => SipWriter.Write(r)), Is.EqualTo(new[] { $"<sip:127.0.0.1:{outboundProxy.Port};lr>" }));
        Assert.That(phoneResult.SuccessfulCalls, Is.EqualTo(1), "the agent's phone, reached through its Path, gets its BYE at the transfer\n" + phoneResult.Output);
        Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), callerResult.Output);
    }

    // The caller calls from 127.0.0.2 with a Record-Route naming another address; at shutdown the
    // platform hangs up. A trusted peer (the proxy in front) has its Record-Route followed; anyone
    // else's BYE goes back where the INVITE came from, so a caller cannot aim the platform's requests.
    [TestCase(true, TestName = "TheByeToACallerFromATrustedPeerFollowsItsRecordRoute")]
    [TestCase(false, TestName = "TheByeToAnUntrustedCallerIgnoresItsRecordRouteAndGoesWhereTheInviteCameFrom")]
    public async Task TheCallersRecordRouteIsFollowedOnlyFromATrustedPeer(bool trusted)
    {
        await using var platform = await PlatformProcess.StartAsync(trusted ? [] : ["--Sip:TrustedPeers=127.0.0.1"]);
        using var caller = new UdpSipClient(platform.SipEndPoint, IPAddress.Parse("127.0.0.2"));
        using var router = new UdpSipClient(platform.SipEndPoint);
        var callId = Guid.NewGuid().ToString("N");
        var sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.2\r\ns=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\nm=audio 40002 RTP/AVP 0\r\n";
        string Request(string method, string? toTag, string body) =>
            $"{method} sip:95500@127.0.0.1:{platform.SipPort} SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP 127.0.0.2:{caller.Port};branch=z9hG4bK{method}{callId}\r\n" +
            "Max-Forwards: 70\r\n" +
            $"Record-Route: <sip:127.0.0.1:{router.Port};lr>\r\n" +
            "From: <sip:13800000006@127.0.0.2>;tag=rr\r\n" +
            $"To: <sip:95500@127.0.0.1>{(toTag is null ? "" : ";tag=" + toTag)}\r\n" +
            $"Call-ID: {callId}\r\nCSeq: 1 {method}\r\n" +
            $"Contact: <sip:13800000006@127.0.0.2:{caller.Port}>\r\n" +
            (body.Length > 0 ? "Content-Type: application/sdp\r\n" : "") +
            $"Content-Length: {body.Length}\r\n\r\n{body}";
        await caller.SendAsync(Request("INVITE", null, sdp));
        var ok = await caller.ReceiveResponseAsync(TimeSpan.FromSeconds(5));
        Assert.That(ok?.StatusCode, Is.EqualTo(200), platform.Output);
        await caller.SendAsync(Request("ACK", ok!.To!.Tag, ""));
        await Task.Delay(500);

        await platform.StopGracefullyAsync(TimeSpan.FromSeconds(30));
        var atCaller = (await caller.ReceiveAllAsync(TimeSpan.FromMilliseconds(300))).Select(d => Encoding.ASCII.GetString(d)).ToList();
        var atRouter = (await router.ReceiveAllAsync(TimeSpan.FromMilliseconds(300))).Select(d => Encoding.ASCII.GetString(d)).ToList();

        var (expected, other) = trusted ? (atRouter, atCaller) : (atCaller, atRouter);
        Assert.That(expected, Has.Some.StartsWith($"BYE sip:13800000006@127.0.0.2:{caller.Port}"), platform.Output);
        Assert.That(other, Has.None.StartsWith("BYE "));
        Assert.That(expected.First(m => m.StartsWith("BYE ", StringComparison.Ordinal)), trusted ? Does.Contain($"Route: <sip:127.0.0.1:{router.Port};lr>") : Does.Not.Contain("Route:"));
    }

    [Test]
    public async Task AnOutboundProxyByNameStopsTheStartWithAMessageThatNamesTheKey()
    {
        await using var platform = PlatformProcess.Start("--Sip:OutboundProxy=sip:proxy.example.com;lr");
        var exit = await platform.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.That(exit, Is.Not.Zero);
        Assert.That(platform.Output, Does.Contain("Sip:OutboundProxy").And.Contain("not an IP address"));
    }

    private static async Task<string> WaitForAgentCallAsync(PlatformProcess platform, string agent)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var (_, agents) = await platform.GetApiAsync("api/agents");
            var entry = agents.EnumerateArray().Single(a => a.GetProperty("id").GetString() == agent);
            if (entry.GetProperty("state").GetString() == "onCall" && entry.TryGetProperty("callId", out var id) && id.GetString() is { } callId)
            {
                return callId;
            }

            await Task.Delay(100);
        }

        throw new AssertionException($"agent {agent} never got the call\n{platform.Output}");
    }

    /// <summary>The first request of <paramref name="method"/> that reaches <paramref name="socket"/>, or null.</summary>
    private static async Task<SipRequest?> ReceiveRequestAsync(UdpSipClient socket, string method, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            foreach (var datagram in await socket.ReceiveAllAsync(TimeSpan.FromMilliseconds(200)))
            {
                if (SipParser.ParseDatagram(datagram).Message is SipRequest request && request.Method == method)
                {
                    return request;
                }
            }
        }

        return null;
    }

    /// <summary>Every request that reaches <paramref name="socket"/> until a BYE (answered 200) or the timeout.</summary>
    private static async Task<List<SipRequest>> WatchAsync(UdpSipClient socket, TimeSpan timeout)
    {
        var seen = new List<SipRequest>();
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            foreach (var datagram in await socket.ReceiveAllAsync(TimeSpan.FromMilliseconds(500)))
            {
                if (SipParser.ParseDatagram(datagram).Message is not SipRequest request)
                {
                    continue;
                }

                seen.Add(request);
                if (request.Method == SipMethods.Bye)
                {
                    await socket.SendAsync(SipWriter.ToBytes(SipMessageBuilder.CreateResponse(request, 200)));
                    return seen;
                }
            }
        }

        return seen;
    }
}
