using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace CallCenter.Integration.Tests;

/// <summary>
/// One source cannot take every call (issue 12, part 3): a host holding its share of calls in
/// progress gets 503 for more, and no record, while a caller on another address still gets through.
/// </summary>
[NonParallelizable]
public sealed class CallFloodTests
{
    // Loopback is not trusted here, so the limits apply to it (a trusted SBC is exempt).
    private static readonly string[] _untrustedLoopback = ["--Sip:TrustedPeers:0=10.9.9.9", "--Sip:TrustedPeers:1=10.9.9.10/31"];

    /// <summary>A raw INVITE from <paramref name="from"/>; returns the final status (and hangs up a 200).</summary>
    private static async Task<int> CallFromAsync(PlatformProcess platform, IPAddress from) => (await FinalFromAsync(platform, from)).StatusCode;

    /// <summary>A raw INVITE from <paramref name="from"/>; returns the final response (and hangs up a 200).</summary>
    private static async Task<CallCenter.Telephony.Sip.Messages.SipResponse> FinalFromAsync(PlatformProcess platform, IPAddress from) =>
        (await CallAndThenAsync(platform, from, [])).Final;

    /// <summary>
    /// A raw INVITE from <paramref name="from"/>; a 200 is acknowledged and hung up, then each of
    /// <paramref name="afterBye"/> is sent in the ended dialog. Returns the INVITE's final response and
    /// the final response to each request sent after the BYE's 200.
    /// </summary>
    private static async Task<(CallCenter.Telephony.Sip.Messages.SipResponse Final, List<CallCenter.Telephony.Sip.Messages.SipResponse> After)> CallAndThenAsync(
        PlatformProcess platform, IPAddress from, string[] afterBye)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(from, 0));
        var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        var callId = Guid.NewGuid().ToString("N");
        string Request(string method, int cseq, string toTag, bool sdp)
        {
            var body = sdp ? $"v=0\r\no=- 1 1 IN IP4 {from}\r\ns=-\r\nc=IN IP4 {from}\r\nt=0 0\r\nm=audio 40010 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n" : "";
            return $"{method} sip:95500@127.0.0.1:{platform.SipPort} SIP/2.0\r\n" +
                   $"Via: SIP/2.0/UDP {from}:{port};branch=z9hG4bK{Guid.NewGuid():N}\r\n" +
                   "Max-Forwards: 70\r\n" +
                   "From: <sip:13700000000@127.0.0.1>;tag=flood\r\n" +
                   $"To: <sip:95500@127.0.0.1>{toTag}\r\n" +
                   $"Call-ID: {callId}\r\n" +
                   $"CSeq: {cseq} {method}\r\n" +
                   $"Contact: <sip:13700000000@{from}:{port}>\r\n" +
                   (sdp ? "Content-Type: application/sdp\r\n" : "") +
                   $"Content-Length: {body.Length}\r\n\r\n" + body;
        }

        async Task<CallCenter.Telephony.Sip.Messages.SipResponse> FinalAsync(string method = "INVITE")
        {
            var buffer = new byte[8192];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            while (true)
            {
                var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
                var parsed = CallCenter.Telephony.Sip.Parsing.SipParser.ParseDatagram(buffer.AsSpan(0, received.ReceivedBytes));
                if (parsed.Message is CallCenter.Telephony.Sip.Messages.SipResponse { StatusCode: >= 200 } response && response.CSeq?.Method == method)
                {
                    return response;
                }
            }
        }

        await socket.SendToAsync(Encoding.ASCII.GetBytes(Request("INVITE", 1, "", sdp: true)), platform.SipEndPoint);
        var final = await FinalAsync();
        if (final.StatusCode == 200)
        {
            var toTag = ";tag=" + final.To!.Tag;
            await socket.SendToAsync(Encoding.ASCII.GetBytes(Request("ACK", 1, toTag, sdp: false)), platform.SipEndPoint);
            await socket.SendToAsync(Encoding.ASCII.GetBytes(Request("BYE", 2, toTag, sdp: false)), platform.SipEndPoint);
            if (afterBye.Length > 0)
            {
                Assert.That((await FinalAsync("BYE")).StatusCode, Is.EqualTo(200), "the hang-up");
                var after = new List<CallCenter.Telephony.Sip.Messages.SipResponse>();
                var cseq = 3;
                foreach (var method in afterBye)
                {
                    await socket.SendToAsync(Encoding.ASCII.GetBytes(Request(method, cseq++, toTag, sdp: false)), platform.SipEndPoint);
                    after.Add(await FinalAsync(method));
                }

                return (final, after);
            }
        }

        return (final, []);
    }

    [Test]
    public async Task AHostHoldingItsShareOfCallsGets503WhileAnotherHostGetsThrough()
    {
        await using var platform = await PlatformProcess.StartAsync([.. _untrustedLoopback, "--Sip:MaxCallsPerSource=3"]);

        // Five held calls from 127.0.0.1 at once: three are answered, two refused.
        await using var flood = Sipp.Start($"127.0.0.1:{platform.SipPort}", ["-sn", "uac", "-s", "95500", "-m", "5", "-l", "5", "-r", "50", "-d", "6000", "-timeout", "40s"]);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.That(await CallFromAsync(platform, IPAddress.Parse("127.0.0.7")), Is.EqualTo(200), "a caller on another address");
        var result = await flood.WaitAsync(TimeSpan.FromSeconds(60));

        using var health = JsonDocument.Parse(await platform.GetStringAsync("health"));
        var calls = health.RootElement.GetProperty("calls");
        Assert.Multiple(() =>
        {
            Assert.That(result.SuccessfulCalls, Is.EqualTo(3), result.Output);
            Assert.That(result.FailedCalls, Is.EqualTo(2), result.Output);
            Assert.That(calls.GetProperty("refusedPerSourceInProgress").GetInt64(), Is.EqualTo(2));
        });

        // Once they have ended, the host may call again.
        Assert.That(await CallFromAsync(platform, IPAddress.Loopback), Is.EqualTo(200));
    }

    [Test]
    public async Task AttemptsBeyondTheMinutesShareAreRefusedAndLeaveNoRecord()
    {
        await using var platform = await PlatformProcess.StartAsync([.. _untrustedLoopback, "--Sip:MaxCallAttemptsPerSourcePerMinute=3"]);
        var finals = new List<CallCenter.Telephony.Sip.Messages.SipResponse>();
        for (var i = 0; i < 5; i++)
        {
            finals.Add(await FinalFromAsync(platform, IPAddress.Parse("127.0.0.8")));
        }

        Assert.That(finals.Select(f => f.StatusCode), Is.EqualTo(new[] { 200, 200, 200, 503, 503 }));

        // RFC 3261 21.5.4: the refusal says when to come back, so a well-behaved peer backs off.
        var retryAfter = finals.Where(f => f.StatusCode == 503).Select(f => f.Headers.Get("Retry-After")).ToList();
        Assert.That(retryAfter, Has.All.Not.Null.And.All.Matches<string?>(v => int.TryParse(v, out var s) && s > 0), string.Join(",", retryAfter));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var (_, records) = await platform.GetApiAsync("api/calls?limit=50");
        var fromFlood = records.EnumerateArray().Count(c => c.GetProperty("caller").GetString() == "13700000000");
        Assert.That(fromFlood, Is.EqualTo(3), records.ToString());
    }

    [Test]
    public async Task ARequestInACallThatHasEndedGets481AndChangesNothing()
    {
        await using var platform = await PlatformProcess.StartAsync([.. _untrustedLoopback]);
        var (final, after) = await CallAndThenAsync(platform, IPAddress.Parse("127.0.0.9"), ["BYE", "INFO", "UPDATE"]);

        Assert.That(final.StatusCode, Is.EqualTo(200));
        Assert.That(after.Select(r => r.StatusCode), Is.EqualTo(new[] { 481, 481, 481 }), "RFC 3261 12.2.2: no such dialog any more");

        // The late requests left the one record as the hang-up wrote it.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var (_, records) = await platform.GetApiAsync("api/calls?limit=50");
        var mine = records.EnumerateArray().Where(c => c.GetProperty("caller").GetString() == "13700000000").ToList();
        Assert.That(mine, Has.Count.EqualTo(1), records.ToString());
        Assert.That(mine[0].GetProperty("disposition").GetString(), Is.EqualTo("caller-hung-up"), mine[0].ToString());
    }
}
