using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using CallCenter.FaxSms.Fax;
using CallCenter.Telephony.Sdp;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Parsing;

namespace CallCenter.Integration.Tests;

/// <summary>
/// A fax machine on loopback that answers: a SIP user agent server on UDP (hand-written responses, the
/// INVITE's Via, From, To, Call-ID and CSeq copied as RFC 3261 8.2.6.2 says) that answers each INVITE
/// with PCMU and receives the fax with spandsp's T.30 over RTP in real time (<see cref="FaxAudio"/>).
/// It hangs up (BYE) when <c>hangUpWhen</c> says so, for a fax cut mid-page; otherwise it waits for the
/// sender's BYE after T.30's end. Calls are answered one at a time, in the order they come.
/// </summary>
internal sealed class FaxMachine : IDisposable
{
    private readonly Socket _sip;
    private readonly Channel<(SipRequest Request, string Raw, IPEndPoint From)> _invites = Channel.CreateUnbounded<(SipRequest Request, string Raw, IPEndPoint From)>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _acks = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _byes = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _byeAnswers = new();
    private readonly ConcurrentDictionary<string, byte> _answered = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _listening;

    public FaxMachine()
    {
        _sip = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _sip.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listening = ListenAsync();
    }

    public int Port => ((IPEndPoint)_sip.LocalEndPoint!).Port;

    /// <summary>Where the platform may fax it (a SIP URI that <see cref="FaxDestination.Check"/> accepts with 127.0.0.1 on <c>Fax:SipHosts</c>).</summary>
    public string Uri => $"sip:fax@127.0.0.1:{Port}";

    /// <summary>One call answered: the T.30 result on this side, who hung up, the caller (From's user part), and how long the call lasted.</summary>
    public sealed record AnsweredCall(FaxResult Result, bool WeHungUp, string Caller, TimeSpan Took);

    /// <summary>
    /// Waits up to <paramref name="limit"/> for the next INVITE, answers it, and receives into
    /// <paramref name="receiveFile"/> until T.30 ends (then the sender's BYE is awaited) or
    /// <paramref name="hangUpWhen"/> is true (then this side hangs up). Null if no call came. <paramref name="noise"/>
    /// damages what this machine hears (<see cref="FaxAudio.RunAsync"/>); <paramref name="ecm"/> false: no error correction offered.
    /// <paramref name="logger"/> gets this machine's own T.30 log (its frames at Debug).
    /// </summary>
    public async Task<AnsweredCall?> AnswerAsync(string receiveFile, TimeSpan limit, Func<FaxSession, bool>? hangUpWhen = null, Func<FaxSession, double, int>? noise = null, bool ecm = true, Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        using var time = new CancellationTokenSource(limit);
        SipRequest invite;
        string raw;
        IPEndPoint platform;
        try
        {
            do
            {
                (invite, raw, platform) = await _invites.Reader.ReadAsync(time.Token);
            }
            while (!_answered.TryAdd(invite.CallId!, 0));
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        var started = Environment.TickCount64;
        var callId = invite.CallId!;
        var bye = Signal(_byes, callId);
        var offer = SdpOffer.TryParse(invite.Body.Span) ?? throw new InvalidOperationException("The INVITE has no SDP: " + raw);
        using var rtp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        rtp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var rtpPort = ((IPEndPoint)rtp.LocalEndPoint!).Port;
        var toTag = "fm" + Guid.NewGuid().ToString("N")[..8];
        var lines = HeaderLines(raw);
        var sdp = "v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
                  $"m=audio {rtpPort} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=ptime:20\r\n";
        var ok = "SIP/2.0 200 OK\r\n" +
                 string.Concat(lines.Where(l => IsHeader(l, "Via")).Select(l => l + "\r\n")) +
                 Header(lines, "From") + "\r\n" +
                 Header(lines, "To") + ";tag=" + toTag + "\r\n" +
                 Header(lines, "Call-ID") + "\r\n" +
                 Header(lines, "CSeq") + "\r\n" +
                 $"Contact: <sip:fax@127.0.0.1:{Port}>\r\n" +
                 $"Content-Type: application/sdp\r\nContent-Length: {Encoding.ASCII.GetByteCount(sdp)}\r\n\r\n" + sdp;

        // RFC 3261 13.3.1.4: the 2xx is sent again, T1 doubling, until its ACK comes.
        var acked = Signal(_acks, callId);
        for (var wait = 500; !acked.Task.IsCompleted && wait <= 4000; wait *= 2)
        {
            await _sip.SendToAsync(Encoding.UTF8.GetBytes(ok), SocketFlags.None, platform);
            await Task.WhenAny(acked.Task, Task.Delay(wait));
        }

        Assert.That(acked.Task.IsCompleted, Is.True, "the platform acknowledged the 200");
        using var session = new FaxSession(new FaxSessionOptions { Calling = false, ReceiveFile = receiveFile, Ident = "far-end", Name = "test-machine", Ecm = ecm }, logger);
        var weHungUp = false;
        bool Stop()
        {
            weHungUp = !bye.Task.IsCompleted && hangUpWhen?.Invoke(session) == true;
            return bye.Task.IsCompleted || weHungUp;
        }

        await FaxAudio.RunAsync(rtp, new IPEndPoint(offer.Address, offer.Port), session, Stop, time.Token, noiseHeard: noise is null ? null : rms => noise(session, rms));
        var result = session.Completed ? session.Result! : session.Hangup();
        if (weHungUp)
        {
            var answered = Signal(_byeAnswers, callId);
            var request = $"BYE {ContactUri(lines)} SIP/2.0\r\n" +
                          $"Via: SIP/2.0/UDP 127.0.0.1:{Port};branch=z9hG4bK{Guid.NewGuid():N}\r\nMax-Forwards: 70\r\n" +
                          "From: " + Value(Header(lines, "To")) + ";tag=" + toTag + "\r\n" +
                          "To: " + Value(Header(lines, "From")) + "\r\n" +
                          Header(lines, "Call-ID") + "\r\nCSeq: 1 BYE\r\nContent-Length: 0\r\n\r\n";
            for (var wait = 500; !answered.Task.IsCompleted && wait <= 4000; wait *= 2)
            {
                await _sip.SendToAsync(Encoding.UTF8.GetBytes(request), SocketFlags.None, platform);
                await Task.WhenAny(answered.Task, Task.Delay(wait));
            }

            Assert.That(answered.Task.IsCompleted, Is.True, "the platform answered the BYE");
        }
        else
        {
            // T.30 is over (or out of time): the sender hangs up.
            await Task.WhenAny(bye.Task, Task.Delay(TimeSpan.FromSeconds(10)));
        }

        // Frees spandsp's context, which closes the TIFF with the pages received.
        session.Dispose();
        return new AnsweredCall(result, weHungUp, invite.From?.Uri.User ?? "", TimeSpan.FromMilliseconds(Environment.TickCount64 - started));
    }

    public void Dispose()
    {
        _stop.Cancel();
        _sip.Dispose();
        try
        {
            _listening.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            // The socket closed under the receive: the listener is done.
        }

        _stop.Dispose();
    }

    private async Task ListenAsync()
    {
        var buffer = new byte[65535];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _sip.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var raw = Encoding.UTF8.GetString(buffer, 0, received.ReceivedBytes);
            var from = (IPEndPoint)received.RemoteEndPoint;
            var message = SipParser.ParseDatagram(buffer.AsSpan(0, received.ReceivedBytes)).Message;
            switch (message)
            {
                case SipRequest { Method: "INVITE" } invite:
                    await _invites.Writer.WriteAsync((invite, raw, from));
                    break;
                case SipRequest { Method: "ACK" } ack:
                    Signal(_acks, ack.CallId!).TrySetResult();
                    break;
                case SipRequest { Method: "BYE" } bye:
                    var lines = HeaderLines(raw);
                    var answer = "SIP/2.0 200 OK\r\n" +
                                 string.Concat(lines.Where(l => IsHeader(l, "Via")).Select(l => l + "\r\n")) +
                                 Header(lines, "From") + "\r\n" + Header(lines, "To") + "\r\n" +
                                 Header(lines, "Call-ID") + "\r\n" + Header(lines, "CSeq") + "\r\nContent-Length: 0\r\n\r\n";
                    await _sip.SendToAsync(Encoding.UTF8.GetBytes(answer), SocketFlags.None, from);
                    Signal(_byes, bye.CallId!).TrySetResult();
                    break;
                case SipResponse { CSeq.Method: "BYE", StatusCode: >= 200 } response:
                    Signal(_byeAnswers, response.CallId!).TrySetResult();
                    break;
            }
        }
    }

    private static TaskCompletionSource Signal(ConcurrentDictionary<string, TaskCompletionSource> signals, string callId) =>
        signals.GetOrAdd(callId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private static List<string> HeaderLines(string raw)
    {
        var end = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return [.. (end < 0 ? raw : raw[..end]).Split("\r\n").Skip(1)];
    }

    private static bool IsHeader(string line, string name) =>
        line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase) || line.StartsWith(name + " :", StringComparison.OrdinalIgnoreCase);

    private static string Header(List<string> lines, string name) =>
        lines.FirstOrDefault(l => IsHeader(l, name)) ?? throw new InvalidOperationException($"No {name} header in the platform's request");

    private static string Value(string headerLine) => headerLine[(headerLine.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();

    private static string ContactUri(List<string> lines)
    {
        var contact = Value(Header(lines, "Contact"));
        var open = contact.IndexOf('<', StringComparison.Ordinal);
        var close = contact.IndexOf('>', StringComparison.Ordinal);
        return open >= 0 && close > open ? contact[(open + 1)..close] : contact.Split(';')[0];
    }
}
