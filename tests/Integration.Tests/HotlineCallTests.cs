using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CallCenter.Telephony.Codecs;
using CallCenter.Telephony.Media.Audio;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>Calls to the hotline from real sipp and from a hand-written UA that checks the media.</summary>
[NonParallelizable]
public sealed class HotlineCallTests
{
    private PlatformProcess _platform = null!;

    [OneTimeSetUp]
    public async Task StartPlatform() => _platform = await PlatformProcess.StartAsync();

    [OneTimeTearDown]
    public async Task StopPlatform() => await _platform.DisposeAsync();

    [Test]
    public async Task SippMakesFiftyCallsToTheHotlineAndNoneFails()
    {
        // sipp's built-in uac: INVITE with SDP, 200, ACK, 500 ms call, BYE, 200.
        var result = await Sipp.RunAsync(
            $"127.0.0.1:{_platform.SipPort}",
            TimeSpan.FromSeconds(90),
            "-sn", "uac", "-s", "95500", "-m", "50", "-r", "20", "-l", "20", "-d", "500", "-timeout", "60s", "-timeout_error");

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        Assert.That(result.SuccessfulCalls, Is.EqualTo(50), result.Output);
        Assert.That(result.FailedCalls, Is.Zero, result.Output);
    }

    [Test]
    public async Task SippCallsOverTcpAreAnsweredToo()
    {
        var result = await Sipp.RunAsync(
            $"127.0.0.1:{_platform.SipPort}",
            TimeSpan.FromSeconds(60),
            "-sn", "uac", "-t", "t1", "-s", "95501", "-m", "10", "-r", "10", "-d", "100", "-timeout", "30s", "-timeout_error");

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        Assert.That(result.SuccessfulCalls, Is.EqualTo(10), result.Output);
    }

    [Test]
    public async Task AnsweredCallGetsG711SdpAndSilenceFramesUntilTheCallerHangsUp()
    {
        using var client = new UdpSipClient(_platform.SipEndPoint);
        using var rtp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        rtp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var rtpPort = ((IPEndPoint)rtp.LocalEndPoint!).Port;
        var sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
                  $"m=audio {rtpPort} RTP/AVP 8 0 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n";
        var callId = Guid.NewGuid().ToString("N");
        var head = $"sip:95500@127.0.0.1:{_platform.SipPort}";
        string Request(string method, int cseq, string? toTag, string body, string branch) =>
            $"{method} {head} SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP 127.0.0.1:{client.Port};branch=z9hG4bK{branch};rport\r\n" +
            "Max-Forwards: 70\r\n" +
            "From: \"Caller\" <sip:13800000001@127.0.0.1>;tag=caller1\r\n" +
            $"To: <sip:95500@127.0.0.1>{(toTag is null ? "" : ";tag=" + toTag)}\r\n" +
            $"Call-ID: {callId}\r\n" +
            $"CSeq: {cseq} {method}\r\n" +
            $"Contact: <sip:13800000001@127.0.0.1:{client.Port}>\r\n" +
            (body.Length > 0 ? "Content-Type: application/sdp\r\n" : "") +
            $"Content-Length: {Encoding.ASCII.GetByteCount(body)}\r\n\r\n{body}";

        await client.SendAsync(Request("INVITE", 1, null, sdp, "inv" + callId));
        var ok = await client.ReceiveResponseAsync(TimeSpan.FromSeconds(5));

        Assert.That(ok?.StatusCode, Is.EqualTo(200), _platform.Output);
        var answer = Encoding.ASCII.GetString(ok!.Body.Span);
        Assert.That(ok.ContentType, Is.EqualTo("application/sdp"));
        Assert.That(answer, Does.Contain("m=audio ").And.Contain("RTP/AVP 8 101").And.Contain("a=rtpmap:8 PCMA/8000").And.Contain("a=rtpmap:101 telephone-event/8000"));
        var toTag = ok.To!.Tag;
        Assert.That(toTag, Is.Not.Null.And.Not.Empty);
        await client.SendAsync(Request("ACK", 1, toTag, "", "ack" + callId));

        // 20 ms A-law frames (12-byte header + 160 bytes, payload type 8) with consecutive sequence
        // numbers, carrying the flow's first prompt: the bilingual language choice.
        var frames = await ReceiveRtpAsync(rtp, TimeSpan.FromMilliseconds(1500));
        Assert.That(frames, Has.Count.GreaterThanOrEqualTo(50));
        Assert.That(frames.Select(f => f.Length), Is.All.EqualTo(172));
        Assert.That(frames.Select(f => f[1] & 0x7F), Is.All.EqualTo(8));
        var sequence = frames.Select(f => BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(2))).ToArray();
        Assert.That(sequence.Zip(sequence.Skip(1), (a, b) => (ushort)(b - a)), Is.All.EqualTo(1));
        var prompt = WavFile.Read(Path.Combine(Fixtures.RepositoryRoot, "config", "prompts", "zh", "language-choice.wav")).ToLinear();
        var expected = new byte[prompt.Length];
        G711.Encode(prompt, expected, G711Law.ALaw);
        var heard = frames.Select(f => f[12..]).SkipWhile(p => p.All(b => b == G711.ALawSilence)).SelectMany(p => p).ToArray();
        Assert.That(heard, Is.Not.Empty, "only silence was sent");
        var start = expected.AsSpan().IndexOf(heard.AsSpan(0, 160));
        Assert.That(start, Is.GreaterThanOrEqualTo(0), "the audio is not the language-choice prompt");
        var length = Math.Min(heard.Length, expected.Length - start);
        Assert.That(heard.AsSpan(0, length).SequenceEqual(expected.AsSpan(start, length)), Is.True, "the prompt was not played contiguously");

        await client.SendAsync(Request("BYE", 2, toTag, "", "bye" + callId));
        var byeOk = await client.ReceiveResponseAsync(TimeSpan.FromSeconds(5));
        Assert.That(byeOk?.StatusCode, Is.EqualTo(200));
        Assert.That(byeOk!.CSeq?.Method, Is.EqualTo("BYE"));

        // After BYE the media stops: drain what was already in flight, then nothing more comes.
        await ReceiveRtpAsync(rtp, TimeSpan.FromMilliseconds(100));
        var after = await ReceiveRtpAsync(rtp, TimeSpan.FromMilliseconds(300));
        Assert.That(after, Is.Empty);

        // And the call has its record, with the caller identified from the client directory.
        var record = await _platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13800000001", TimeSpan.FromSeconds(10));
        Assert.That(record, Is.Not.Null, "no call record for 13800000001\n" + _platform.Output);
        Assert.That(record!.Value.GetProperty("dialed").GetString(), Is.EqualTo("95500"));
        Assert.That(record.Value.GetProperty("tier").GetString(), Is.EqualTo("Diamond"));
        Assert.That(record.Value.GetProperty("disposition").GetString(), Is.EqualTo("caller-hung-up"));
    }

    [Test]
    public async Task CallerWhoAsksForAnAgentHearsTheirQueuePosition()
    {
        using var client = new UdpSipClient(_platform.SipEndPoint);
        using var rtp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        rtp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
                  $"m=audio {((IPEndPoint)rtp.LocalEndPoint!).Port} RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n";
        var callId = Guid.NewGuid().ToString("N");
        string Request(string method, int cseq, string? toTag, string body) =>
            $"{method} sip:95500@127.0.0.1:{_platform.SipPort} SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP 127.0.0.1:{client.Port};branch=z9hG4bK{method}{callId};rport\r\n" +
            "Max-Forwards: 70\r\nFrom: <sip:13800000006@127.0.0.1>;tag=q1\r\n" +
            $"To: <sip:95500@127.0.0.1>{(toTag is null ? "" : ";tag=" + toTag)}\r\nCall-ID: {callId}\r\nCSeq: {cseq} {method}\r\n" +
            $"Contact: <sip:13800000006@127.0.0.1:{client.Port}>\r\n" +
            (body.Length > 0 ? "Content-Type: application/sdp\r\n" : "") + $"Content-Length: {body.Length}\r\n\r\n{body}";
        await client.SendAsync(Request("INVITE", 1, null, sdp));
        var ok = await client.ReceiveResponseAsync(TimeSpan.FromSeconds(5));
        Assert.That(ok?.StatusCode, Is.EqualTo(200), _platform.Output);
        await client.SendAsync(Request("ACK", 1, ok!.To!.Tag, ""));
        var media = new IPEndPoint(IPAddress.Loopback, CallCenter.Telephony.Sdp.SdpOffer.TryParse(ok.Body.Span)!.Port);

        // 1 (中文) and then 0 (an agent), as RFC 4733 events from our own RTP socket.
        await Task.Delay(500);
        await SendDigitAsync(rtp, media, '1', 1000);
        await Task.Delay(1500);
        await SendDigitAsync(rtp, media, '0', 9000);
        var frames = await ReceiveRtpAsync(rtp, TimeSpan.FromSeconds(9));
        await client.SendAsync(Request("BYE", 2, ok.To.Tag, ""));

        // After "transferring you to an agent", the position announcement starts with this prompt.
        var prompt = WavFile.Read(Path.Combine(Fixtures.RepositoryRoot, "config", "prompts", "zh", "queue-position-before.wav")).ToLinear();
        var expected = new byte[prompt.Length];
        G711.Encode(prompt, expected, G711Law.ALaw);
        var heard = frames.SelectMany(f => f[12..]).ToArray();
        var probe = expected.AsSpan(expected.Length / 2, 320);
        Assert.That(heard.AsSpan().IndexOf(probe), Is.GreaterThanOrEqualTo(0), "the queue position was not announced\n" + _platform.Output);
    }

    private static async Task SendDigitAsync(Socket rtp, IPEndPoint to, char digit, uint timestamp)
    {
        var buffer = new byte[64];
        ushort sequence = (ushort)(timestamp / 10);
        foreach (var packet in CallCenter.Telephony.Dtmf.DtmfEventSender.Packets(digit))
        {
            var payload = new byte[4];
            packet.WritePayload(payload);
            var length = CallCenter.Telephony.Rtp.RtpPacket.Write(buffer, 101, packet.Marker, sequence++, timestamp, 0x1234, payload);
            await rtp.SendToAsync(buffer.AsMemory(0, length), SocketFlags.None, to);
            await Task.Delay(20);
        }
    }

    [Test]
    public async Task UnknownNumberGets404AndNoUsableCodecGets488()
    {
        using var client = new UdpSipClient(_platform.SipEndPoint);
        string Invite(string user, string payloadTypes, string rtpmaps)
        {
            var body = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
                       $"m=audio 40000 RTP/AVP {payloadTypes}\r\n{rtpmaps}";
            return $"INVITE sip:{user}@127.0.0.1:{_platform.SipPort} SIP/2.0\r\n" +
                   $"Via: SIP/2.0/UDP 127.0.0.1:{client.Port};branch=z9hG4bK{Guid.NewGuid():N}\r\n" +
                   "Max-Forwards: 70\r\n" +
                   $"From: <sip:13900000000@127.0.0.1>;tag=x{user}\r\n" +
                   $"To: <sip:{user}@127.0.0.1>\r\n" +
                   $"Call-ID: {Guid.NewGuid():N}\r\n" +
                   "CSeq: 1 INVITE\r\n" +
                   "Content-Type: application/sdp\r\n" +
                   $"Content-Length: {body.Length}\r\n\r\n" + body;
        }

        await client.SendAsync(Invite("99999", "0", ""));
        Assert.That((await client.ReceiveResponseAsync(TimeSpan.FromSeconds(5)))?.StatusCode, Is.EqualTo(404));

        await client.SendAsync(Invite("95500", "18", "a=rtpmap:18 G729/8000\r\n"));
        Assert.That((await client.ReceiveResponseAsync(TimeSpan.FromSeconds(5)))?.StatusCode, Is.EqualTo(488));
    }

    [Test]
    public async Task AnIpv6OfferToThisIpv4PlatformGets488WithAWarningNotAnIpv4Answer()
    {
        using var client = new UdpSipClient(_platform.SipEndPoint);
        var body = "v=0\r\no=- 1 1 IN IP6 ::1\r\ns=-\r\nc=IN IP6 ::1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        await client.SendAsync(
            $"INVITE sip:95500@127.0.0.1:{_platform.SipPort} SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP 127.0.0.1:{client.Port};branch=z9hG4bK{Guid.NewGuid():N}\r\n" +
            "Max-Forwards: 70\r\nFrom: <sip:13900000000@127.0.0.1>;tag=v6\r\nTo: <sip:95500@127.0.0.1>\r\n" +
            $"Call-ID: {Guid.NewGuid():N}\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\nContent-Length: {body.Length}\r\n\r\n" + body);

        var response = await client.ReceiveResponseAsync(TimeSpan.FromSeconds(5));

        Assert.That(response?.StatusCode, Is.EqualTo(488));
        Assert.That(response!.Headers.Get("Warning"), Does.StartWith("301 ").And.Contain("IPv6 media is not available"));
    }

    [Test]
    public async Task AnIpv6OfferIsAnsweredInIpv6WhenThePlatformHasAnIpv6Address()
    {
        await using var platform = await PlatformProcess.StartAsync("--Sip:Address=::1");
        using var client = new UdpSipClient(new IPEndPoint(IPAddress.IPv6Loopback, platform.SipPort), IPAddress.IPv6Loopback);
        var body = "v=0\r\no=- 1 1 IN IP6 ::1\r\ns=-\r\nc=IN IP6 ::1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        var callId = Guid.NewGuid().ToString("N");
        string Request(string method, string toTag, string content = "") =>
            $"{method} sip:95500@[::1]:{platform.SipPort} SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP [::1]:{client.Port};branch=z9hG4bK{Guid.NewGuid():N}\r\n" +
            $"Max-Forwards: 70\r\nFrom: <sip:13900000000@[::1]>;tag=v6\r\nTo: <sip:95500@[::1]>{toTag}\r\n" +
            $"Call-ID: {callId}\r\nCSeq: {(method == "BYE" ? 2 : 1)} {method}\r\nContact: <sip:13900000000@[::1]:{client.Port}>\r\n" +
            (content.Length > 0 ? "Content-Type: application/sdp\r\n" : "") + $"Content-Length: {content.Length}\r\n\r\n" + content;

        await client.SendAsync(Request("INVITE", "", body));
        var ok = await client.ReceiveResponseAsync(TimeSpan.FromSeconds(5));
        if (ok?.StatusCode == 200)
        {
            await client.SendAsync(Request("ACK", ";tag=" + ok.To!.Tag));
            await client.SendAsync(Request("BYE", ";tag=" + ok.To!.Tag));
        }

        Assert.That(ok?.StatusCode, Is.EqualTo(200), platform.Output);
        Assert.That(Encoding.ASCII.GetString(ok!.Body.Span), Does.Contain("c=IN IP6 ::1"));
    }

    [Test]
    public async Task TheCallersDialogDoesNotClaimReferAndAnswersIt405WithATruthfulAllow()
    {
        using var client = new UdpSipClient(_platform.SipEndPoint);
        var callId = Guid.NewGuid().ToString("N");
        string Request(string method, int cseq, string toTag, string body = "") =>
            $"{method} sip:95500@127.0.0.1:{_platform.SipPort} SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP 127.0.0.1:{client.Port};branch=z9hG4bK{Guid.NewGuid():N}\r\n" +
            "Max-Forwards: 70\r\nFrom: <sip:13900000000@127.0.0.1>;tag=allow\r\n" +
            $"To: <sip:95500@127.0.0.1>{toTag}\r\nCall-ID: {callId}\r\nCSeq: {cseq} {method}\r\n" +
            $"Contact: <sip:13900000000@127.0.0.1:{client.Port}>\r\n" +
            (method == "REFER" ? $"Refer-To: <sip:1001@127.0.0.1>\r\n" : "") +
            (body.Length > 0 ? "Content-Type: application/sdp\r\n" : "") +
            $"Content-Length: {body.Length}\r\n\r\n" + body;

        await client.SendAsync(Request("INVITE", 1, "", "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n"));
        var ok = await client.ReceiveResponseAsync(TimeSpan.FromSeconds(5));
        Assert.That(ok?.StatusCode, Is.EqualTo(200));
        var toTag = ";tag=" + ok!.To!.Tag;
        await client.SendAsync(Request("ACK", 1, toTag));
        await client.SendAsync(Request("OPTIONS", 2, toTag));
        var options = await client.ReceiveResponseAsync(TimeSpan.FromSeconds(5));
        await client.SendAsync(Request("REFER", 3, toTag));
        var refer = await client.ReceiveResponseAsync(TimeSpan.FromSeconds(5));
        await client.SendAsync(Request("BYE", 4, toTag));
        await client.ReceiveResponseAsync(TimeSpan.FromSeconds(5));

        Assert.That(ok.Headers.Get("Allow"), Does.Contain("INVITE").And.Contain("BYE").And.Not.Contain("REFER"), "the 2xx's Allow (RFC 3261 13.3.1.4)");
        Assert.That(options?.StatusCode, Is.EqualTo(200));
        Assert.That(options!.Headers.Get("Allow"), Does.Contain("OPTIONS").And.Not.Contain("REFER"));
        Assert.That(refer?.StatusCode, Is.EqualTo(405));
        Assert.That(refer!.Headers.Get("Allow"), Does.Contain("BYE").And.Not.Contain("REFER"), "RFC 3261 8.2.1: a 405 lists what is allowed");
    }

    [Test]
    public async Task OptionsOutsideADialogDoesNotClaimRefer()
    {
        using var client = new UdpSipClient(_platform.SipEndPoint);
        await client.SendAsync(
            $"OPTIONS sip:95500@127.0.0.1:{_platform.SipPort} SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP 127.0.0.1:{client.Port};branch=z9hG4bK{Guid.NewGuid():N}\r\n" +
            "Max-Forwards: 70\r\nFrom: <sip:13900000000@127.0.0.1>;tag=opt\r\nTo: <sip:95500@127.0.0.1>\r\n" +
            $"Call-ID: {Guid.NewGuid():N}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");

        var response = await client.ReceiveResponseAsync(TimeSpan.FromSeconds(5));

        Assert.That(response?.StatusCode, Is.EqualTo(200));
        Assert.That(response!.Headers.Get("Allow"), Does.Contain("INVITE").And.Contain("REGISTER").And.Not.Contain("REFER"));
    }

    [Test]
    public async Task AReInviteRefused488LeavesTheDialogReadyForTheNextOne()
    {
        // RFC 3261 14.2: a refused re-INVITE is finished business; the next one must not get 500.
        using var client = new UdpSipClient(_platform.SipEndPoint);
        var callId = Guid.NewGuid().ToString("N");
        string Request(string method, int cseq, string toTag, string payloadTypes, string rtpmaps, string? branch = null)
        {
            var body = payloadTypes.Length == 0 ? "" : "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
                       $"m=audio 40000 RTP/AVP {payloadTypes}\r\n{rtpmaps}";
            return $"{method} sip:95500@127.0.0.1:{_platform.SipPort} SIP/2.0\r\n" +
                   $"Via: SIP/2.0/UDP 127.0.0.1:{client.Port};branch={branch ?? "z9hG4bK" + Guid.NewGuid().ToString("N")}\r\n" +
                   "Max-Forwards: 70\r\n" +
                   "From: <sip:13900000000@127.0.0.1>;tag=reinv\r\n" +
                   $"To: <sip:95500@127.0.0.1>{toTag}\r\n" +
                   $"Call-ID: {callId}\r\n" +
                   $"CSeq: {cseq} {method}\r\n" +
                   $"Contact: <sip:13900000000@127.0.0.1:{client.Port}>\r\n" +
                   (body.Length > 0 ? "Content-Type: application/sdp\r\n" : "") +
                   $"Content-Length: {body.Length}\r\n\r\n" + body;
        }

        await client.SendAsync(Request("INVITE", 1, "", "0", "a=rtpmap:0 PCMU/8000\r\n"));
        var ok = await client.ReceiveResponseAsync(TimeSpan.FromSeconds(5));
        Assert.That(ok?.StatusCode, Is.EqualTo(200));
        var toTag = ";tag=" + ok!.To!.Tag;
        await client.SendAsync(Request("ACK", 1, toTag, "", ""));

        await client.SendAsync(Request("INVITE", 2, toTag, "18", "a=rtpmap:18 G729/8000\r\n", "z9hG4bKrefused" + callId));
        Assert.That((await client.ReceiveResponseAsync(TimeSpan.FromSeconds(5)))?.StatusCode, Is.EqualTo(488));
        await client.SendAsync(Request("ACK", 2, toTag, "", "", "z9hG4bKrefused" + callId));

        await client.SendAsync(Request("INVITE", 3, toTag, "0", "a=rtpmap:0 PCMU/8000\r\n"));
        var again = await client.ReceiveResponseAsync(TimeSpan.FromSeconds(5));
        Assert.That(again?.StatusCode, Is.EqualTo(200), "the re-INVITE after a refused one");
        await client.SendAsync(Request("ACK", 3, toTag, "", ""));

        await client.SendAsync(Request("BYE", 4, toTag, "", ""));
        Assert.That((await client.ReceiveResponseAsync(TimeSpan.FromSeconds(5)))?.StatusCode, Is.EqualTo(200));
    }

    private static async Task<List<byte[]>> ReceiveRtpAsync(Socket socket, TimeSpan window)
    {
        var frames = new List<byte[]>();
        var buffer = new byte[2048];
        using var cts = new CancellationTokenSource(window);
        while (true)
        {
            try
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
                frames.Add(buffer.AsSpan(0, n).ToArray());
            }
            catch (OperationCanceledException)
            {
                return frames;
            }
        }
    }
}
