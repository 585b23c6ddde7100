using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CallCenter.Telephony.Sip.Auth;

namespace CallCenter.Integration.Tests;

/// <summary>
/// SIP over WebSocket (RFC 7118) at /sip on the platform's HTTP port, driven by a real WebSocket
/// client speaking SIP as a browser's JsSIP does: a signed-in agent registers with digest and the
/// platform's call for that agent comes back on the same connection; nobody else gets in.
/// </summary>
[NonParallelizable]
public sealed partial class SipWebSocketTests
{
    private const string Host = "df7jal23ls0d.invalid";

    [Test]
    public async Task ASignedInAgentRegistersOverTheWebSocketAndItsCallRingsOnThatConnection()
    {
        await using var platform = await PlatformProcess.StartAsync("--Agents:WrapUpSeconds=1");
        using var socket = await ConnectAsync(platform, await SignInAsync(platform, "1001", "demo-1001"));

        var registered = await RegisterAsync(socket, "1001", "demo-1001");
        Assert.That(registered, Does.StartWith("SIP/2.0 200 "), registered);
        var (_, agents) = await platform.GetApiAsync("api/agents");
        Assert.That(Agent(agents, "1001").GetProperty("registered").GetBoolean(), Is.True, agents.ToString());
        var available = await platform.PostApiAsync("api/agents/1001/state", "{\"state\": \"available\"}");
        Assert.That(available.Status, Is.EqualTo(HttpStatusCode.OK), available.Body);

        // A Diamond client on the VIP line asks for an agent: the INVITE must reach the browser on its socket.
        await using var caller = AgentPhone.StartCaller(platform, "13800000001", holdMilliseconds: 20_000);
        var invite = await ReceiveAsync(socket, TimeSpan.FromSeconds(30), m => m.StartsWith("INVITE ", StringComparison.Ordinal));
        Assert.That(invite, Does.StartWith($"INVITE sip:2r36qm5b@{Host};transport=ws SIP/2.0\r\n"), invite);
        Assert.That(invite, Does.Match(@"(?m)^Via: SIP/2\.0/WS "), "our Via names the WebSocket transport");
        Assert.That(invite, Does.Contain("13800000001"), "the caller's number goes to the agent");

        // The browser is busy: the platform ACKs on the same connection (RFC 3261 17.1.1.3) and the agent is offered no more.
        await SendAsync(socket, Answer(invite, "486 Busy Here", toTag: "ws486"));
        var ack = await ReceiveAsync(socket, TimeSpan.FromSeconds(10), m => m.StartsWith("ACK ", StringComparison.Ordinal));
        Assert.That(ack, Does.Contain("ws486"));
    }

    [Test]
    public async Task SigningOutClosesTheBrowserPhoneAndItsRegistrationGoesWithIt()
    {
        await using var platform = await PlatformProcess.StartAsync();
        var cookies = await SignInAsync(platform, "1001", "demo-1001");
        using var socket = await ConnectAsync(platform, cookies);
        var registered = await RegisterAsync(socket, "1001", "demo-1001");
        Assert.That(registered, Does.StartWith("SIP/2.0 200 "), registered);
        Assert.That(Agent((await platform.GetApiAsync("api/agents")).Body, "1001").GetProperty("registered").GetBoolean(), Is.True);

        // The desk's sign-out (same cookie jar, with its anti-forgery token).
        using (var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false })
        using (var http = new HttpClient(handler) { BaseAddress = platform.BaseAddress })
        {
            var page = await http.GetStringAsync(new Uri("desk/signin", UriKind.Relative));
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = TokenPattern().Match(page).Groups[1].Value });
            using var signedOut = await http.PostAsync(new Uri("desk/signout", UriKind.Relative), form);
            Assert.That(signedOut.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        }

        // The phone's connection ends with the session (it would otherwise ring a signed-out desk) ...
        var buffer = new byte[65536];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var closed = false;
        try
        {
            while (!closed)
            {
                closed = (await socket.ReceiveAsync(buffer, timeout.Token)).MessageType == WebSocketMessageType.Close;
            }
        }
        catch (WebSocketException)
        {
            closed = true; // aborted rather than closed with a frame: gone either way
        }

        Assert.That(closed, Is.True, "the WebSocket outlived the sign-out");

        // ... and what it registered goes at once, not when it expires.
        var registeredAfter = true;
        for (var i = 0; i < 50 && registeredAfter; i++)
        {
            registeredAfter = Agent((await platform.GetApiAsync("api/agents")).Body, "1001").GetProperty("registered").GetBoolean();
            await Task.Delay(100);
        }

        Assert.That(registeredAfter, Is.False, "the binding on the closed connection is still there");
        var (_, health) = await platform.GetApiAsync("health", apiKey: null);
        Assert.That(health.GetProperty("sip").GetProperty("webSocketConnections").GetInt32(), Is.Zero, health.ToString());
    }

    [Test]
    public async Task AfterARestartTheLastRunsBrowserBindingIsGoneAndTheBrowserRegisteringAgainIsRungOnItsNewConnection()
    {
        var shared = Directory.CreateTempSubdirectory("callcenter-ws-restart-").FullName;
        var database = Path.Combine(shared, "callcenter.db");
        string[] arguments =
        [
            "--Sip:DigestAlgorithms:0=MD5", "--Sip:DigestAlgorithms:1=SHA-256", "--Agents:WrapUpSeconds=1",
            "--Database:ConnectionString=Data Source=" + database,
            "--Recording:Directory=" + Path.Combine(shared, "recordings"),
            "--Logging:LogLevel:Default=Information",
        ];
        try
        {
            await using (var first = await PlatformProcess.StartAsync(arguments))
            {
                using var socket = await ConnectAsync(first, await SignInAsync(first, "1001", "demo-1001"));
                var registered = await RegisterAsync(socket, "1001", "demo-1001");
                Assert.That(registered, Does.StartWith("SIP/2.0 200 "), registered);

                // 1002's desk phone registers over UDP: it is reached without a connection and must survive the restart.
                var phone = await Sipp.RunAsync($"127.0.0.1:{first.SipPort}", TimeSpan.FromSeconds(30),
                    "-sf", Path.Combine(AppContext.BaseDirectory, "Scenarios", "register.xml"), "-s", "1002", "-au", "1002", "-ap", "demo-1002", "-m", "1", "-timeout", "20s", "-timeout_error");
                Assert.That(phone.SuccessfulCalls, Is.EqualTo(1), phone.Output + first.Output);

                // The end of this block kills the first run (SIGKILL), as a crash or a hard restart does.
            }

            // What the first run left: the browser's binding is still in the database, far from expiring.
            Assert.That(await BindingsOverAsync(database, "WS"), Is.EqualTo(new[] { "1001" }), "the stop must leave the browser's row (the test needs it)");

            await using var second = await PlatformProcess.StartAsync(arguments);
            var (_, agents) = await second.GetApiAsync("api/agents");
            var available = await second.PostApiAsync("api/agents/1001/state", "{\"state\": \"available\"}");
            var left = await BindingsOverAsync(database, "WS");
            Assert.Multiple(() =>
            {
                Assert.That(Agent(agents, "1001").GetProperty("registered").GetBoolean(), Is.False, "a browser of the last run cannot ring\n" + agents);
                Assert.That(available.Status, Is.Not.EqualTo(HttpStatusCode.OK), "an agent with no phone cannot take calls\n" + available.Body);
                Assert.That(left, Is.Empty, "the row is removed, not only hidden");
                Assert.That(Agent(agents, "1002").GetProperty("registered").GetBoolean(), Is.True, "a UDP phone's binding stays until it expires");
                Assert.That(second.Output, Does.Contain("1 browser phone binding(s) the last run made over its WebSockets removed"));
            });

            // The browser reconnects and registers again: it is the agent's phone, and a call rings on the new connection.
            using var again = await ConnectAsync(second, await SignInAsync(second, "1001", "demo-1001"));
            var reregistered = await RegisterAsync(again, "1001", "demo-1001");
            Assert.That(reregistered, Does.StartWith("SIP/2.0 200 "), reregistered);
            var nowAvailable = await second.PostApiAsync("api/agents/1001/state", "{\"state\": \"available\"}");
            Assert.That(nowAvailable.Status, Is.EqualTo(HttpStatusCode.OK), nowAvailable.Body);
            await using var caller = AgentPhone.StartCaller(second, "13800000001", holdMilliseconds: 20_000);
            var invite = await ReceiveAsync(again, TimeSpan.FromSeconds(30), m => m.StartsWith("INVITE ", StringComparison.Ordinal));
            Assert.That(invite, Does.Contain("13800000001"), invite);
            await SendAsync(again, Answer(invite, "486 Busy Here", toTag: "ws486"));
        }
        finally
        {
            CallCenter.TestSupport.TestDatabases.DeleteSqliteFile(database);
            Directory.Delete(shared, recursive: true);
        }
    }

    [Test]
    public async Task ACallForABrowserWhoseConnectionDroppedIsNotSentAnInviteAndTheAgentIsNotLeftRinging()
    {
        await using var platform = await PlatformProcess.StartAsync("--Agents:WrapUpSeconds=1", "--Logging:LogLevel:Default=Information");
        var socket = await ConnectAsync(platform, await SignInAsync(platform, "1001", "demo-1001"));
        var registered = await RegisterAsync(socket, "1001", "demo-1001");
        Assert.That(registered, Does.StartWith("SIP/2.0 200 "), registered);
        var available = await platform.PostApiAsync("api/agents/1001/state", "{\"state\": \"available\"}");
        Assert.That(available.Status, Is.EqualTo(HttpStatusCode.OK), available.Body);

        // The browser's connection drops (not a sign-out): its binding stays for the reconnect grace, but nothing reaches it.
        socket.Abort();
        socket.Dispose();
        for (var i = 0; i < 50 && (await platform.GetApiAsync("health", apiKey: null)).Body.GetProperty("sip").GetProperty("webSocketConnections").GetInt32() > 0; i++)
        {
            await Task.Delay(100);
        }

        var (_, before) = await platform.GetApiAsync("api/agents");
        Assert.That(Agent(before, "1001").GetProperty("registered").GetBoolean(), Is.True, "within the grace the binding is kept\n" + before);
        await using var caller = AgentPhone.StartCaller(platform, "13800000001", holdMilliseconds: 15_000);
        // Each offer fails at once as "phone not reachable" (a miss, by the rules): after two in a row the agent is on break.
        string? state = null;
        for (var i = 0; i < 200 && state != "break"; i++)
        {
            await Task.Delay(100);
            var (_, agents) = await platform.GetApiAsync("api/agents");
            state = Agent(agents, "1001").GetProperty("state").GetString();
        }

        var record = await platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13800000001", TimeSpan.FromSeconds(30))
            ?? throw new AssertionException("no record\n" + platform.Output);
        var agentLegs = record.GetProperty("legs").EnumerateArray().Where(l => l.GetProperty("role").GetString() == "agent").Select(l => l.GetProperty("outcome").GetString()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(state, Is.EqualTo("break"), "the agent must not be left offered a call that cannot ring\n" + platform.Output);
            Assert.That(agentLegs, Is.Not.Empty.And.All.EqualTo("unreachable"), "no INVITE went to a connection that is gone\n" + record);
            Assert.That(platform.Output, Does.Not.Contain("no WebSocket connection from that browser is open"), "nothing was sent to it");
        });
    }

    [Test]
    public async Task AnAgentsConnectionCannotRegisterAnotherAgentEvenWithThatAgentsPassword()
    {
        await using var platform = await PlatformProcess.StartAsync();
        using var socket = await ConnectAsync(platform, await SignInAsync(platform, "1001", "demo-1001"));

        var answer = await RegisterAsync(socket, "1002", "demo-1002");
        var (_, agents) = await platform.GetApiAsync("api/agents");
        var (_, health) = await platform.GetApiAsync("health", apiKey: null);

        Assert.That(answer, Does.StartWith("SIP/2.0 403 "), answer);
        Assert.That(Agent(agents, "1002").GetProperty("registered").GetBoolean(), Is.False);
        Assert.That(health.GetProperty("sip").GetProperty("webSocketRequestsRefused").GetInt64(), Is.EqualTo(1), health.ToString());
    }

    [Test]
    public async Task WithoutADeskSessionOrFromAForeignPageTheUpgradeIsRefused()
    {
        await using var platform = await PlatformProcess.StartAsync();

        var anonymous = await TryConnectAsync(platform, new CookieContainer(), origin: null);
        var cookies = await SignInAsync(platform, "1001", "demo-1001");
        var foreign = await TryConnectAsync(platform, cookies, origin: "http://attacker.example");
        var own = await TryConnectAsync(platform, cookies, origin: platform.BaseAddress.GetLeftPart(UriPartial.Authority));

        Assert.That(anonymous, Is.Not.EqualTo(HttpStatusCode.SwitchingProtocols), "a LAN peer with no desk session");
        Assert.That(foreign, Is.EqualTo(HttpStatusCode.Forbidden), "cross-site WebSocket hijacking");
        Assert.That(own, Is.EqualTo(HttpStatusCode.SwitchingProtocols));
    }

    [Test]
    public async Task APeerSendingGarbageLosesItsConnectionAndThePlatformGoesOn()
    {
        await using var platform = await PlatformProcess.StartAsync();
        var cookies = await SignInAsync(platform, "1001", "demo-1001");
        using var bad = await ConnectAsync(platform, cookies);

        for (var i = 0; i < 5; i++)
        {
            await SendAsync(bad, "\u0016\u0003\u0001 garbage that is not SIP\r\n\r\n");
        }

        var buffer = new byte[65536];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        WebSocketReceiveResult result;
        do
        {
            result = await bad.ReceiveAsync(buffer, timeout.Token);
        }
        while (result.MessageType != WebSocketMessageType.Close);

        using var good = await ConnectAsync(platform, cookies);
        var registered = await RegisterAsync(good, "1001", "demo-1001");
        var (_, health) = await platform.GetApiAsync("health", apiKey: null);

        Assert.That(result.CloseStatus, Is.EqualTo(WebSocketCloseStatus.ProtocolError));
        Assert.That(registered, Does.StartWith("SIP/2.0 200 "), registered);
        Assert.That(health.GetProperty("sip").GetProperty("webSocketsClosedForGarbage").GetInt64(), Is.EqualTo(1));
    }

    /// <summary>REGISTER as JsSIP sends it (a .invalid Via and Contact), answering the 401 with MD5 digest; returns the final answer.</summary>
    internal static async Task<string> RegisterAsync(ClientWebSocket socket, string extension, string password)
    {
        var callId = Guid.NewGuid().ToString("N");
        string Register(int cseq, string? authorization) =>
            $"REGISTER sip:callcenter SIP/2.0\r\n" +
            $"Via: SIP/2.0/WSS {Host};branch=z9hG4bK{Guid.NewGuid():N}\r\n" +
            "Max-Forwards: 69\r\n" +
            $"To: <sip:{extension}@callcenter>\r\n" +
            $"From: <sip:{extension}@callcenter>;tag=jssip{cseq}\r\n" +
            $"Call-ID: {callId}\r\n" +
            $"CSeq: {cseq} REGISTER\r\n" +
            $"Contact: <sip:2r36qm5b@{Host};transport=ws>;+sip.ice;expires=600\r\n" +
            "Expires: 600\r\n" +
            (authorization is null ? "" : $"Authorization: {authorization}\r\n") +
            "User-Agent: JsSIP-like test\r\n" +
            "Content-Length: 0\r\n\r\n";

        await SendAsync(socket, Register(1, null));
        var challenge = await ReceiveAsync(socket, TimeSpan.FromSeconds(10), m => m.StartsWith("SIP/2.0 ", StringComparison.Ordinal));
        if (!challenge.StartsWith("SIP/2.0 401 ", StringComparison.Ordinal))
        {
            return challenge;
        }

        var header = ChallengePattern().Match(challenge).Groups[1].Value;
        var parsed = DigestChallenge.TryParse(header) ?? throw new AssertionException("no digest challenge in\n" + challenge);
        var credentials = SipDigestClient.Answer(parsed, extension, password, "REGISTER", "sip:callcenter", SipDigestClient.NewClientNonce(), 1);
        await SendAsync(socket, Register(2, credentials));
        return await ReceiveAsync(socket, TimeSpan.FromSeconds(10), m => m.StartsWith("SIP/2.0 ", StringComparison.Ordinal));
    }

    /// <summary>A response to <paramref name="request"/> with its Via, From, To (tagged), Call-ID and CSeq.</summary>
    internal static string Answer(string request, string status, string toTag)
    {
        var lines = request.Split("\r\n");
        var copied = lines.Where(l => l.StartsWith("Via:", StringComparison.OrdinalIgnoreCase) || l.StartsWith("From:", StringComparison.OrdinalIgnoreCase)
            || l.StartsWith("Call-ID:", StringComparison.OrdinalIgnoreCase) || l.StartsWith("CSeq:", StringComparison.OrdinalIgnoreCase));
        var to = lines.First(l => l.StartsWith("To:", StringComparison.OrdinalIgnoreCase)) + ";tag=" + toTag;
        return $"SIP/2.0 {status}\r\n" + string.Join("\r\n", copied.Append(to)) + "\r\nContent-Length: 0\r\n\r\n";
    }

    internal static async Task<CookieContainer> SignInAsync(PlatformProcess platform, string login, string password)
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
        return cookies;
    }

    internal static async Task<ClientWebSocket> ConnectAsync(PlatformProcess platform, CookieContainer cookies)
    {
        var socket = new ClientWebSocket();
        socket.Options.Cookies = cookies;
        socket.Options.AddSubProtocol("sip");
        await socket.ConnectAsync(WebSocketUri(platform), CancellationToken.None);
        Assert.That(socket.SubProtocol, Is.EqualTo("sip"), "RFC 7118 3: the server names the sip subprotocol");
        return socket;
    }

    private static async Task<HttpStatusCode> TryConnectAsync(PlatformProcess platform, CookieContainer cookies, string? origin)
    {
        using var socket = new ClientWebSocket();
        socket.Options.Cookies = cookies;
        socket.Options.AddSubProtocol("sip");
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        try
        {
            await socket.ConnectAsync(WebSocketUri(platform), CancellationToken.None);
        }
        catch (WebSocketException)
        {
            // The status code says why.
        }

        return socket.HttpStatusCode;
    }

    private static Uri WebSocketUri(PlatformProcess platform) => new($"ws://127.0.0.1:{platform.HttpPort}/sip");

    internal static Task SendAsync(ClientWebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    /// <summary>The next whole message that <paramref name="wanted"/> accepts, skipping others (provisional answers, OPTIONS...).</summary>
    internal static async Task<string> ReceiveAsync(ClientWebSocket socket, TimeSpan timeout, Func<string, bool> wanted)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var buffer = new byte[65536];
        while (true)
        {
            var length = 0;
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), deadline.Token);
                length += result.Count;
            }
            while (!result.EndOfMessage);

            Assert.That(result.MessageType, Is.Not.EqualTo(WebSocketMessageType.Close), "the platform closed the connection");
            var text = Encoding.UTF8.GetString(buffer, 0, length);
            if (wanted(text) && !text.StartsWith("SIP/2.0 1", StringComparison.Ordinal))
            {
                return text;
            }
        }
    }

    /// <summary>The AORs of the bindings stored over <paramref name="transport"/>, read from the platform's SQLite file.</summary>
    private static async Task<List<string>> BindingsOverAsync(string database, string transport)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT aor FROM sip_bindings WHERE source_transport = $transport ORDER BY aor";
        read.Parameters.AddWithValue("$transport", transport);
        var aors = new List<string>();
        await using var rows = await read.ExecuteReaderAsync();
        while (await rows.ReadAsync())
        {
            aors.Add(rows.GetString(0));
        }

        return aors;
    }

    private static JsonElement Agent(JsonElement agents, string id) =>
        agents.EnumerateArray().Single(a => a.GetProperty("id").GetString() == id);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("(?m)^WWW-Authenticate: (.+?)\r?$")]
    private static partial Regex ChallengePattern();
}
