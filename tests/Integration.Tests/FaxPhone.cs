using System.Net;
using System.Net.Sockets;
using System.Text;
using CallCenter.FaxSms.Fax;
using CallCenter.Telephony.Sdp;

namespace CallCenter.Integration.Tests;

/// <summary>
/// A fax machine on loopback: it calls a number over SIP (UDP, hand-written requests), offers PCMU,
/// and sends a TIFF-F with spandsp's T.30 over RTP in real time (<see cref="FaxAudio"/>), as a
/// fax ATA would. Real T.30 both ways: the platform's receiver must answer every frame of it. It
/// hangs up (BYE) when T.30 ends, when out of time, or when <c>hangUpWhen</c> says so (mid-page).
/// <c>noise</c> damages what it sends, so what the platform hears (<see cref="FaxAudio.RunAsync"/>); <c>ecm</c> false
/// offers no error correction, so a damaged page is not repaired.
/// </summary>
internal static class FaxPhone
{
    public static async Task<(int Status, FaxResult? Result)> SendAsync(IPEndPoint platform, string number, string tiff, TimeSpan limit, string caller = "13800000001", Func<FaxSession, bool>? hangUpWhen = null, Func<FaxSession, double, int>? noise = null, bool ecm = true)
    {
        using var sip = new UdpSipClient(platform);
        using var rtp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        rtp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var rtpPort = ((IPEndPoint)rtp.LocalEndPoint!).Port;
        var callId = Guid.NewGuid().ToString("N");
        var body = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
                   $"m=audio {rtpPort} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=ptime:20\r\n";
        string Request(string method, int cseq, string toTag, string content) =>
            $"{method} sip:{number}@127.0.0.1:{platform.Port} SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP 127.0.0.1:{sip.Port};branch=z9hG4bK{Guid.NewGuid():N}\r\n" +
            $"Max-Forwards: 70\r\nFrom: <sip:{caller}@127.0.0.1>;tag=fax{callId[..6]}\r\nTo: <sip:{number}@127.0.0.1>{toTag}\r\n" +
            $"Call-ID: {callId}\r\nCSeq: {cseq} {method}\r\nContact: <sip:{caller}@127.0.0.1:{sip.Port}>\r\n" +
            (content.Length > 0 ? "Content-Type: application/sdp\r\n" : "") + $"Content-Length: {content.Length}\r\n\r\n" + content;

        await sip.SendAsync(Request("INVITE", 1, "", body));
        var ok = await sip.ReceiveResponseAsync(TimeSpan.FromSeconds(5));
        if (ok is not { StatusCode: 200 })
        {
            return (ok?.StatusCode ?? 0, null);
        }

        var toTag = ";tag=" + ok.To!.Tag;
        await sip.SendAsync(Request("ACK", 1, toTag, ""));
        var answer = SdpOffer.TryParse(ok.Body.Span) ?? throw new InvalidOperationException("The 200 has no SDP: " + Encoding.UTF8.GetString(ok.Body.Span));
        var remote = new IPEndPoint(answer.Address, answer.Port);

        using var session = new FaxSession(new FaxSessionOptions { Calling = true, SendFile = tiff, Ident = caller, Name = "test-phone", Ecm = ecm });
        using var stop = new CancellationTokenSource(limit);
        await FaxAudio.RunAsync(rtp, remote, session, () => hangUpWhen?.Invoke(session) == true, stop.Token, noiseSent: noise is null ? null : rms => noise(session, rms));

        var result = session.Completed ? session.Result! : session.Hangup();
        await sip.SendAsync(Request("BYE", 2, toTag, ""));
        return (200, result);
    }
}
