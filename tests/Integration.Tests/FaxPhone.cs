using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CallCenter.FaxSms.Fax;
using CallCenter.Telephony.Codecs;
using CallCenter.Telephony.Sdp;

namespace CallCenter.Integration.Tests;

/// <summary>
/// A fax machine on loopback: it calls a number over SIP (UDP, hand-written requests), offers PCMU,
/// and sends a TIFF-F with spandsp's T.30 over RTP in real time (20 ms frames on a timer), as a
/// fax ATA would. Real T.30 both ways: the platform's receiver must answer every frame of it.
/// </summary>
internal static class FaxPhone
{
    public static async Task<(int Status, FaxResult? Result)> SendAsync(IPEndPoint platform, string number, string tiff, TimeSpan limit, string caller = "13800000001")
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

        using var session = new FaxSession(new FaxSessionOptions { Calling = true, SendFile = tiff, Ident = caller, Name = "test-phone" });
        using var stop = new CancellationTokenSource(limit);
        var heard = new ConcurrentQueue<short[]>();
        var receiving = ReceiveAsync(rtp, heard, stop.Token);

        var send = new short[FaxSession.FrameSamples];
        var packet = new byte[12 + FaxSession.FrameSamples];
        var ssrc = (uint)Random.Shared.Next();
        ushort sequence = 0;
        uint timestamp = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        try
        {
            while (!session.Completed && await timer.WaitForNextTickAsync(stop.Token))
            {
                // A backlog after a stall of ours is played through, a frame or two at a time.
                var frames = heard.Count > 5 ? 2 : 1;
                for (var i = 0; i < frames; i++)
                {
                    session.Process(heard.TryDequeue(out var frame) ? frame : ReadOnlySpan<short>.Empty, send);
                    packet[0] = 0x80;
                    packet[1] = 0; // PCMU
                    packet[2] = (byte)(sequence >> 8);
                    packet[3] = (byte)sequence;
                    packet[4] = (byte)(timestamp >> 24);
                    packet[5] = (byte)(timestamp >> 16);
                    packet[6] = (byte)(timestamp >> 8);
                    packet[7] = (byte)timestamp;
                    packet[8] = (byte)(ssrc >> 24);
                    packet[9] = (byte)(ssrc >> 16);
                    packet[10] = (byte)(ssrc >> 8);
                    packet[11] = (byte)ssrc;
                    G711.Encode(send, packet.AsSpan(12), G711Law.MuLaw);
                    await rtp.SendToAsync(packet, SocketFlags.None, remote);
                    sequence++;
                    timestamp += FaxSession.FrameSamples;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Out of time: the result below says where T.30 got to.
        }

        var result = session.Completed ? session.Result! : session.Hangup();
        await sip.SendAsync(Request("BYE", 2, toTag, ""));
        await stop.CancelAsync();
        await receiving;
        return (200, result);
    }

    private static async Task ReceiveAsync(Socket rtp, ConcurrentQueue<short[]> heard, CancellationToken cancellationToken)
    {
        var buffer = new byte[2048];
        while (!cancellationToken.IsCancellationRequested)
        {
            int length;
            try
            {
                length = (await rtp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancellationToken)).ReceivedBytes;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            // RFC 3550 5.1: a 12-byte header plus 4 per CSRC; PCMU only (our offer).
            if (length < 12 || (buffer[0] >> 6) != 2 || (buffer[1] & 0x7F) != 0)
            {
                continue;
            }

            var header = 12 + (4 * (buffer[0] & 0x0F));
            var payload = buffer.AsSpan(header, length - header);
            for (var offset = 0; offset + FaxSession.FrameSamples <= payload.Length; offset += FaxSession.FrameSamples)
            {
                var pcm = new short[FaxSession.FrameSamples];
                G711.Decode(payload.Slice(offset, FaxSession.FrameSamples), pcm, G711Law.MuLaw);
                heard.Enqueue(pcm);
            }
        }
    }
}
