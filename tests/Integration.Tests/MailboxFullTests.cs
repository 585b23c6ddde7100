using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Parsing;

namespace CallCenter.Integration.Tests;

/// <summary>
/// A call's bounded mailbox against a caller on a real TCP connection: with <c>Sip:CallMailboxCapacity</c>
/// set tiny, a burst of requests in the call's dialog (written back to back in one send, so the platform's
/// reader takes them faster than the call's loop answers) gets 503 with Retry-After from the reader for
/// those that find the mailbox full (RFC 3261 21.5.4) and 200 from the call for the others; each is
/// answered exactly once, and the call itself goes on: the caller's BYE gets its 200 and the call has one
/// record. The caller is a plain socket rather than sipp (sipp trims the blank line that ends the last
/// request of such a burst, so it cannot send one and go on with the call), and TCP rather than UDP: one
/// connection is read in order, while the platform's several UDP receive loops may reorder a burst, and a
/// request overtaken by a later CSeq rightly gets 500 (RFC 3261 12.2.2).
/// </summary>
[NonParallelizable]
public sealed class MailboxFullTests
{
    private const int Requests = 100;
    private const string Caller = "13900000074";

    [Test]
    public async Task ABurstOfInDialogRequestsBeyondTheMailboxGets503WithRetryAfterAndTheCallGoesOn()
    {
        await using var platform = await PlatformProcess.StartAsync("--Sip:CallMailboxCapacity=2");
        using var caller = await TcpCaller.ConnectAsync(platform.SipEndPoint);
        using var media = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp); // where the platform's RTP goes
        media.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var callId = $"{Guid.NewGuid():N}@flood";
        var dialog = new Dialog(platform, caller, callId, ((IPEndPoint)media.LocalEndPoint!).Port);

        await caller.SendAsync(dialog.Invite());
        var answer = await caller.ReceiveResponseAsync(TimeSpan.FromSeconds(10));
        Assert.That(answer?.StatusCode, Is.EqualTo(200), platform.Output);
        dialog.ToTag = answer!.To?.Tag ?? throw new AssertionException("200 without a To tag");
        await caller.SendAsync(dialog.InDialog("ACK", 1));

        await caller.SendAsync(string.Concat(Enumerable.Range(2, Requests).Select(cseq => dialog.InDialog("INFO", cseq))));

        // Every INFO's final answers, by CSeq: exactly one each (over TCP nothing is retransmitted).
        var answers = new Dictionary<uint, List<SipResponse>>();
        void Note(SipResponse response)
        {
            answers.TryAdd(response.CSeq!.Value.Number, []);
            answers[response.CSeq!.Value.Number].Add(response);
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (answers.Count < Requests && DateTime.UtcNow < deadline)
        {
            if (await caller.ReceiveResponseAsync(TimeSpan.FromSeconds(2)) is { CSeq.Method: "INFO" } response)
            {
                Note(response);
            }
        }

        // The call answers in order on one connection: a second answer to an INFO would come before the BYE's.
        await caller.SendAsync(dialog.InDialog("BYE", 1000));
        SipResponse? bye = null;
        var byeDeadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (bye is null && DateTime.UtcNow < byeDeadline && await caller.ReceiveResponseAsync(TimeSpan.FromSeconds(5)) is { } response)
        {
            if (response.CSeq?.Method == "BYE")
            {
                bye = response;
            }
            else if (response.CSeq?.Method == "INFO")
            {
                Note(response);
            }
        }

        var describe = string.Join(", ", answers.OrderBy(a => a.Key).Select(a => $"{a.Key}:{string.Join('/', a.Value.Select(r => $"{r.StatusCode} {r.ReasonPhrase}"))}")) + "\n" + platform.Output;
        Assert.That(answers.Keys.Order(), Is.EqualTo(Enumerable.Range(2, Requests).Select(n => (uint)n)), "every INFO was answered\n" + describe);
        Assert.That(answers.Values.Where(a => a.Count != 1), Is.Empty, "and only once\n" + describe);
        var busy = answers.Values.Select(a => a[0]).Where(r => r.StatusCode == 503).ToList();
        var ok = answers.Values.Select(a => a[0]).Where(r => r.StatusCode == 200).ToList();
        TestContext.Out.WriteLine($"{Requests} INFOs in one send: {ok.Count} answered 200 by the call, {busy.Count} 503 by the reader");
        Assert.That(busy.Count + ok.Count, Is.EqualTo(Requests), "200 from the call or 503 from the receive loop, nothing else\n" + describe);
        Assert.That(busy, Is.Not.Empty, "the mailbox filled\n" + describe);
        Assert.That(busy.Select(r => r.Headers.Get(SipHeaderNames.RetryAfter)), Is.All.EqualTo("1"), "a 503 says when to try again\n" + describe);
        Assert.That(ok, Has.Count.GreaterThanOrEqualTo(2), "the call's loop answered what it took\n" + describe);

        Assert.That(bye?.StatusCode, Is.EqualTo(200), "the caller's BYE ends the call as usual\n" + platform.Output);
        var (status, health) = await platform.GetApiAsync("health", apiKey: null);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(health.GetProperty("calls").GetProperty("eventsRefused").GetInt64(), Is.EqualTo(busy.Count), "/health counts each refusal");

        var record = await platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == Caller, TimeSpan.FromSeconds(15));
        Assert.That(record, Is.Not.Null, platform.Output);
        Assert.That(record!.Value.GetProperty("disposition").GetString(), Is.EqualTo("caller-hung-up"));
        var (_, calls) = await platform.GetApiAsync("api/calls?limit=100");
        Assert.That(calls.EnumerateArray().Count(c => c.GetProperty("caller").GetString() == Caller), Is.EqualTo(1), "one record for the call\n" + calls);
    }

    /// <summary>The caller's side of the dialog: requests written by hand, each with its own branch.</summary>
    private sealed class Dialog(PlatformProcess platform, TcpCaller caller, string callId, int mediaPort)
    {
        public string ToTag { get; set; } = "";

        public string Invite()
        {
            var sdp = $"v=0\r\no=caller 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {mediaPort} RTP/AVP 8 101\r\n" +
                "a=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=ptime:20\r\n";
            return Request("INVITE", 1, toTag: "", "Content-Type: application/sdp\r\n", sdp);
        }

        public string InDialog(string method, int cseq) => Request(method, cseq, $";tag={ToTag}", "", "");

        private string Request(string method, int cseq, string toTag, string contentType, string body) =>
            $"{method} sip:95500@127.0.0.1:{platform.SipPort};transport=tcp SIP/2.0\r\n" +
            $"Via: SIP/2.0/TCP 127.0.0.1:{caller.Port};branch=z9hG4bK-flood-{cseq.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}\r\n" +
            "Max-Forwards: 70\r\n" +
            $"From: <sip:{Caller}@127.0.0.1>;tag=flood\r\n" +
            $"To: <sip:95500@127.0.0.1>{toTag}\r\n" +
            $"Call-ID: {callId}\r\n" +
            $"CSeq: {cseq.ToString(CultureInfo.InvariantCulture)} {method}\r\n" +
            $"Contact: <sip:{Caller}@127.0.0.1:{caller.Port};transport=tcp>\r\n" +
            contentType +
            $"Content-Length: {Encoding.UTF8.GetByteCount(body).ToString(CultureInfo.InvariantCulture)}\r\n\r\n" + body;
    }

    /// <summary>The caller's TCP connection: writes requests as given, reads responses framed by their Content-Length.</summary>
    private sealed class TcpCaller : IDisposable
    {
        private readonly TcpClient _client;
        private readonly NetworkStream _stream;
        private readonly byte[] _buffer = new byte[65536];
        private int _buffered;

        private TcpCaller(TcpClient client)
        {
            _client = client;
            _stream = client.GetStream();
        }

        public int Port => ((IPEndPoint)_client.Client.LocalEndPoint!).Port;

        public static async Task<TcpCaller> ConnectAsync(IPEndPoint server)
        {
            var client = new TcpClient(new IPEndPoint(IPAddress.Loopback, 0));
            await client.ConnectAsync(server);
            return new TcpCaller(client);
        }

        public async Task SendAsync(string text) => await _stream.WriteAsync(Encoding.UTF8.GetBytes(text));

        /// <summary>The next final response on the connection (provisional ones skipped); null when none comes in time.</summary>
        public async Task<SipResponse?> ReceiveResponseAsync(TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            while (true)
            {
                while (_buffered > 0)
                {
                    var result = SipParser.ParseStream(new ReadOnlySequence<byte>(_buffer, 0, _buffered));
                    if (result.Status == SipParseStatus.NeedMoreData)
                    {
                        break;
                    }

                    Assert.That(result.Status, Is.Not.EqualTo(SipParseStatus.Rejected), $"the platform wrote something unparsable: {result.Error}");
                    Buffer.BlockCopy(_buffer, result.Consumed, _buffer, 0, _buffered - result.Consumed);
                    _buffered -= result.Consumed;
                    if (result.Message is SipResponse { StatusCode: >= 200 } response)
                    {
                        return response;
                    }
                }

                try
                {
                    var read = await _stream.ReadAsync(_buffer.AsMemory(_buffered), cts.Token);
                    if (read == 0)
                    {
                        return null;
                    }

                    _buffered += read;
                }
                catch (OperationCanceledException)
                {
                    return null;
                }
            }
        }

        public void Dispose() => _client.Dispose();
    }
}
