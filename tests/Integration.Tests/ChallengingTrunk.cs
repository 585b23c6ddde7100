using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace CallCenter.Integration.Tests;

/// <summary>
/// A carrier's SBC on loopback UDP, as a trunk sees one: every new INVITE is challenged with 407 and a
/// digest nonce; an INVITE whose Proxy-Authorization is right (checked here with MD5 as RFC 2617 3.2.2
/// computes it, not with the platform's code) is forwarded, with a Via of its own, to the number's
/// network, which is <see cref="Forward"/> (the platform itself in the tests); a wrong one gets 403.
/// Requests later in the dialog (ACK, BYE) are forwarded too, the responses to forwarded requests
/// are sent back with its Via taken off, and the ACK of a 407 stays here (RFC 3261 17.1.1.3). Every
/// datagram from the platform is kept in <see cref="Seen"/>.
/// </summary>
internal sealed partial class ChallengingTrunk : IDisposable
{
    public const string Realm = "carrier.test";

    private readonly Socket _socket;
    private readonly string _username;
    private readonly string _password;
    private readonly ConcurrentDictionary<string, string> _nonces = new();
    private readonly ConcurrentDictionary<string, byte> _authenticatedInvites = new(); // Call-ID and CSeq of each INVITE let through
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _listening;
    private int _branch;
    private int _challenged;
    private int _authenticated;
    private int _refused;

    public ChallengingTrunk(string username, string password)
    {
        _username = username;
        _password = password;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listening = ListenAsync();
    }

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    /// <summary>Where authenticated calls go (set once the platform's port is known).</summary>
    public IPEndPoint? Forward { get; set; }

    /// <summary>Every message the platform sent the trunk, as text.</summary>
    public ConcurrentQueue<string> Seen { get; } = new();

    /// <summary>INVITEs challenged (no credentials) and INVITE transactions let through (credentials checked; a retransmission counts once).</summary>
    public int Challenged => _challenged;

    public int Authenticated => _authenticated;

    public int Refused => _refused;

    private async Task ListenAsync()
    {
        var buffer = new byte[65536];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var text = Encoding.UTF8.GetString(buffer, 0, received.ReceivedBytes);
            Seen.Enqueue(text);
            var from = (IPEndPoint)received.RemoteEndPoint;
            try
            {
                await HandleAsync(text, from);
            }
            catch (Exception e) when (e is SocketException or FormatException)
            {
                Seen.Enqueue("trunk error: " + e.Message);
            }
        }
    }

    private async Task HandleAsync(string text, IPEndPoint from)
    {
        var (head, body) = Split(text);
        var lines = head.Split("\r\n");
        var target = Forward ?? from;
        if (lines[0].StartsWith("SIP/2.0", StringComparison.Ordinal))
        {
            // A response to a request forwarded here: our Via off, back to the platform.
            var firstVia = Array.FindIndex(lines, IsVia);
            var rest = lines.Where((_, i) => i != firstVia);
            await SendAsync(string.Join("\r\n", rest) + "\r\n\r\n" + body, target);
            return;
        }

        var method = lines[0].Split(' ')[0];
        var callId = Header(lines, "Call-ID") ?? "";
        if (method == "ACK" && _nonces.ContainsKey(callId + "|ack") && Header(lines, "CSeq")!.StartsWith(_nonces[callId + "|ack"], StringComparison.Ordinal))
        {
            // The ACK of our own 407: ends that transaction here.
            return;
        }

        if (method == "INVITE" && Header(lines, "Proxy-Authorization") is not { } authorization)
        {
            var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
            _nonces[callId] = nonce;
            _nonces[callId + "|ack"] = Header(lines, "CSeq")!.Split(' ')[0] + " ";
            Interlocked.Increment(ref _challenged);
            await SendAsync(Response(lines, "407 Proxy Authentication Required", $"Proxy-Authenticate: Digest realm=\"{Realm}\", nonce=\"{nonce}\", algorithm=MD5, qop=\"auth\""), from);
            return;
        }

        if (method == "INVITE")
        {
            if (!Verify(Header(lines, "Proxy-Authorization")!, _nonces.GetValueOrDefault(callId), lines[0].Split(' ')[1]))
            {
                Interlocked.Increment(ref _refused);
                _nonces[callId + "|ack"] = Header(lines, "CSeq")!.Split(' ')[0] + " ";
                await SendAsync(Response(lines, "403 Forbidden", null), from);
                return;
            }

            // A retransmission of an INVITE already let through (the platform's timer A under load) is forwarded again, not counted again.
            if (_authenticatedInvites.TryAdd(callId + "|" + Header(lines, "CSeq"), 0))
            {
                Interlocked.Increment(ref _authenticated);
            }
        }

        // Forwarded with a Via of ours on top (RFC 3261 16.6 step 8), the credentials not passed on.
        var branch = $"z9hG4bK-trunk-{Interlocked.Increment(ref _branch)}";
        var forwarded = new List<string> { lines[0], $"Via: SIP/2.0/UDP 127.0.0.1:{Port};branch={branch}" };
        forwarded.AddRange(lines.Skip(1).Where(l => !l.StartsWith("Proxy-Authorization:", StringComparison.OrdinalIgnoreCase)));
        await SendAsync(string.Join("\r\n", forwarded) + "\r\n\r\n" + body, target);
    }

    private bool Verify(string authorization, string? nonce, string requestUri)
    {
        var fields = DigestField().Matches(authorization).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Success ? m.Groups[2].Value : m.Groups[3].Value);
        if (nonce is null || fields.GetValueOrDefault("nonce") != nonce || fields.GetValueOrDefault("username") != _username
            || fields.GetValueOrDefault("realm") != Realm || fields.GetValueOrDefault("uri") != requestUri)
        {
            return false;
        }

        // RFC 2617 3.2.2.1 with qop=auth: MD5(HA1:nonce:nc:cnonce:qop:HA2).
        var ha1 = Md5($"{_username}:{Realm}:{_password}");
        var ha2 = Md5($"INVITE:{fields["uri"]}");
        var expected = Md5($"{ha1}:{nonce}:{fields.GetValueOrDefault("nc")}:{fields.GetValueOrDefault("cnonce")}:auth:{ha2}");
        return fields.GetValueOrDefault("response") == expected;
    }

    private static string Md5(string text) => Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();

    /// <summary>A response to <paramref name="request"/> (RFC 3261 8.2.6.2: its Vias, From, Call-ID, CSeq; To with a tag).</summary>
    private static string Response(string[] request, string status, string? extra)
    {
        var builder = new StringBuilder($"SIP/2.0 {status}\r\n");
        foreach (var line in request.Skip(1))
        {
            if (IsVia(line) || line.StartsWith("From:", StringComparison.OrdinalIgnoreCase) || line.StartsWith("Call-ID:", StringComparison.OrdinalIgnoreCase)
                || line.StartsWith("CSeq:", StringComparison.OrdinalIgnoreCase))
            {
                builder.Append(line).Append("\r\n");
            }
            else if (line.StartsWith("To:", StringComparison.OrdinalIgnoreCase))
            {
                builder.Append(line).Append(";tag=trunk").Append("\r\n");
            }
        }

        if (extra is not null)
        {
            builder.Append(extra).Append("\r\n");
        }

        return builder.Append("Content-Length: 0\r\n\r\n").ToString();
    }

    private static bool IsVia(string line) => line.StartsWith("Via:", StringComparison.OrdinalIgnoreCase) || line.StartsWith("v:", StringComparison.Ordinal);

    private static string? Header(string[] lines, string name) =>
        lines.Skip(1).FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase)) is { } line ? line[(name.Length + 1)..].Trim() : null;

    private static (string Head, string Body) Split(string text)
    {
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return end < 0 ? (text.TrimEnd(), "") : (text[..end], text[(end + 4)..]);
    }

    private async Task SendAsync(string text, IPEndPoint to) => await _socket.SendToAsync(Encoding.UTF8.GetBytes(text), SocketFlags.None, to);

    [GeneratedRegex("""(\w+)=(?:"([^"]*)"|([^,\s]+))""")]
    private static partial Regex DigestField();

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        try
        {
            _listening.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }
}
