using System.Net;
using System.Text.Json;

namespace CallCenter.Integration.Tests;

/// <summary>
/// A trunk's address is a trusted peer (issue 15's contract): a call from the carrier's SBC has its calling number
/// looked up (tier, account manager), while the same number from any other host is an unknown caller. On loopback
/// the trunk is 127.0.0.2 and the other host 127.0.0.3, with <c>Sip:TrustedPeers</c> emptied so only the trunk vouches.
/// </summary>
public sealed class TrunkTrustTests
{
    [Test]
    public async Task ACallFromTheTrunksAddressIsLookedUpAndTheSameNumberFromElsewhereIsNot()
    {
        await using var platform = await PlatformProcess.StartAsync(
            "--Sip:TrustedPeers=", "--Trunks:0:Name=carrier", "--Trunks:0:Address=127.0.0.2:5999", "--Trunks:0:Transport=udp", "--Trunks:0:CallerId=95500");

        await CallAndHangUpAsync(platform, IPAddress.Parse("127.0.0.2"));
        await CallAndHangUpAsync(platform, IPAddress.Parse("127.0.0.3"));

        // This platform's only two calls, oldest (the trunk's) first.
        List<JsonElement> records = [];
        for (var i = 0; i < 100 && records.Count < 2; i++)
        {
            var (_, calls) = await platform.GetApiAsync("api/calls?limit=20");
            records = [.. calls.EnumerateArray().OrderBy(c => c.GetProperty("startedAt").GetDateTimeOffset())];
            await Task.Delay(100);
        }

        var (_, health) = await platform.GetApiAsync("health");
        Assert.Multiple(() =>
        {
            Assert.That(records, Has.Count.EqualTo(2), platform.Output);
            Assert.That(records[0].GetProperty("tier").GetString(), Is.EqualTo("Diamond"), records[0].ToString());
            Assert.That(records[1].GetProperty("tier").ValueKind, Is.EqualTo(JsonValueKind.Null), records[1].ToString());
            Assert.That(health.GetProperty("calls").GetProperty("untrustedCallerIds").GetInt64(), Is.EqualTo(1), health.ToString());
        });
    }

    /// <summary>An INVITE to 95500 from 13800000001 (a Diamond client) sent from <paramref name="from"/>, answered by the IVR, then a BYE.</summary>
    private static async Task CallAndHangUpAsync(PlatformProcess platform, IPAddress from)
    {
        using var caller = new UdpSipClient(platform.SipEndPoint, from);
        var callId = Guid.NewGuid().ToString("N");
        var sdp = $"v=0\r\no=- 1 1 IN IP4 {from}\r\ns=-\r\nc=IN IP4 {from}\r\nt=0 0\r\nm=audio 40002 RTP/AVP 0\r\n";
        string Request(string method, int cseq, string? toTag, string body) =>
            $"{method} sip:95500@127.0.0.1:{platform.SipPort} SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP {from}:{caller.Port};branch=z9hG4bK{method}{callId}\r\n" +
            "Max-Forwards: 70\r\n" +
            $"From: <sip:13800000001@{from}>;tag=tt\r\n" +
            $"To: <sip:95500@127.0.0.1>{(toTag is null ? "" : ";tag=" + toTag)}\r\n" +
            $"Call-ID: {callId}\r\nCSeq: {cseq} {method}\r\n" +
            $"Contact: <sip:13800000001@{from}:{caller.Port}>\r\n" +
            (body.Length > 0 ? "Content-Type: application/sdp\r\n" : "") +
            $"Content-Length: {body.Length}\r\n\r\n{body}";
        await caller.SendAsync(Request("INVITE", 1, null, sdp));
        var ok = await caller.ReceiveResponseAsync(TimeSpan.FromSeconds(5));
        Assert.That(ok?.StatusCode, Is.EqualTo(200), platform.Output);
        await caller.SendAsync(Request("ACK", 1, ok!.To!.Tag, ""));
        await Task.Delay(300);
        await caller.SendAsync(Request("BYE", 2, ok.To!.Tag, ""));
        var bye = await caller.ReceiveResponseAsync(TimeSpan.FromSeconds(5));
        Assert.That(bye?.StatusCode, Is.EqualTo(200), platform.Output);
    }
}
