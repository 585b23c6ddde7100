using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Parsing;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>
/// The 49 RFC 4475 messages sent to the running platform over UDP, each answered (or not) as
/// tests/fixtures/sip-torture/expected.tsv says; the platform keeps serving afterwards.
/// </summary>
[NonParallelizable]
public sealed partial class TortureOverUdpTests
{
    private PlatformProcess _platform = null!;

    public static IEnumerable<TestCaseData> Cases() =>
        File.ReadAllLines(Fixtures.Path("sip-torture", "expected.tsv"))
            .Skip(1)
            .Where(l => l.Length > 0)
            .Select(l => l.Split('\t'))
            .Select(c => new TestCaseData(c[0], c[2]).SetName($"Torture {c[0]} ({c[1]}) is {c[2]}"));

    [OneTimeSetUp]
    public async Task StartPlatform() => _platform = await PlatformProcess.StartAsync();

    [OneTimeTearDown]
    public async Task StopPlatform() => await _platform.DisposeAsync();

    [TestCaseSource(nameof(Cases))]
    public async Task TortureMessageGetsItsVerdictFromTheRunningServer(string file, string expect)
    {
        var bytes = await File.ReadAllBytesAsync(Fixtures.Path("sip-torture", file));
        var text = Encoding.Latin1.GetString(bytes);
        var isResponse = text.StartsWith("SIP/", StringComparison.Ordinal);
        // A response is matched to this message by its Call-ID, or by its CSeq when it has none (insuf.dat).
        var callId = CallIdLine().Match(text) is { Success: true } c ? c.Groups[1].Value.Trim() : CSeqLine().Match(text).Groups[1].Value.Trim();

        // RFC 3261 18.2.2: the answer goes to the source address at the Via's sent-by port (5060
        // unless given), so the test sends from that port.
        var viaPort = ViaPort().Match(text) is { Success: true } m ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 5060;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, viaPort));
        await socket.SendToAsync(bytes, SocketFlags.None, _platform.SipEndPoint);

        var expectsAnswer = !isResponse && expect is not ("drop" or "no-crash");
        var answer = await ReceiveFinalAsync(socket, callId, TimeSpan.FromMilliseconds(expectsAnswer ? 3000 : 700));
        var response = answer?.Parsed;
        var code = answer?.Code;
        var context = $"{file}: answered {code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing"}";

        switch (expect)
        {
            case "valid" when isResponse:
            case "drop":
                Assert.That(answer, Is.Null, context);
                break;
            case "valid":
                // Processed normally: any answer but a rejection as malformed or a server error;
                // 501 is the normal answer to a method we do not implement (RFC 4475 3.1.1.2).
                Assert.That(code, Is.Not.Null.And.Not.EqualTo(400).And.LessThan(500).Or.EqualTo(501), context);
                break;
            case "challenge:401":
                Assert.That(code, Is.EqualTo(401), context);
                Assert.That(response?.Headers.GetAll(SipHeaderNames.WwwAuthenticate), Is.Not.Empty, context);
                break;
            case "reject:501-or-400":
                Assert.That(code, Is.EqualTo(501).Or.EqualTo(400), context);
                break;
            case "reject-or-lenient:400":
                Assert.That(code, Is.Not.Null.And.EqualTo(400).Or.LessThan(500), context);
                break;
            case "no-crash":
                break;
            default:
                Assert.That(expect, Does.StartWith("reject:"), "unknown verdict in expected.tsv");
                Assert.That(code, Is.EqualTo(int.Parse(expect["reject:".Length..], System.Globalization.CultureInfo.InvariantCulture)), context);
                break;
        }

        Assert.That(await OptionsAnsweredAsync(), Is.EqualTo(200), $"the platform stopped answering after {file}\n{_platform.Output}");
    }

    private async Task<int?> OptionsAnsweredAsync()
    {
        using var client = new UdpSipClient(_platform.SipEndPoint);
        var callId = Guid.NewGuid().ToString("N");
        await client.SendAsync(
            $"OPTIONS sip:95500@127.0.0.1:{_platform.SipPort} SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP 127.0.0.1:{client.Port};branch=z9hG4bK{callId}\r\n" +
            "Max-Forwards: 70\r\n" +
            $"From: <sip:probe@127.0.0.1>;tag={callId[..8]}\r\n" +
            "To: <sip:95500@127.0.0.1>\r\n" +
            $"Call-ID: {callId}\r\n" +
            "CSeq: 1 OPTIONS\r\n" +
            "Content-Length: 0\r\n\r\n");
        return (await client.ReceiveResponseAsync(TimeSpan.FromSeconds(3)))?.StatusCode;
    }

    private sealed record Answer(int Code, string Text, SipResponse? Parsed);

    private static async Task<Answer?> ReceiveFinalAsync(Socket socket, string matchOn, TimeSpan timeout)
    {
        var buffer = new byte[65535];
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            try
            {
                var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cts.Token);
                var text = Encoding.UTF8.GetString(buffer, 0, received.ReceivedBytes);

                // A rejection copies the request's malformed lines, so it may not parse itself: read the
                // status line as text. Retransmissions of an earlier message's answer can reach the same
                // port, hence the match on Call-ID (or CSeq).
                var status = StatusLine().Match(text);
                if (!status.Success || !text.Contains(matchOn, StringComparison.Ordinal))
                {
                    continue;
                }

                var code = int.Parse(status.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                if (code >= 200)
                {
                    return new Answer(code, text, SipParser.ParseDatagram(buffer.AsSpan(0, received.ReceivedBytes)).Message as SipResponse);
                }
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }

    [GeneratedRegex(@"^SIP/2\.0 (\d{3}) ")]
    private static partial Regex StatusLine();

    [GeneratedRegex(@"^CSeq\s*:\s*(.*?)\r?$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex CSeqLine();

    [GeneratedRegex(@"^(?:Call-ID|i)\s*:\s*(.*?)\r?$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex CallIdLine();

    [GeneratedRegex(@"^(?:Via|v)\s*:\s*SIP\s*/\s*[0-9.]+\s*/\s*\w+\s+[^\s;:,]+:(\d+)", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex ViaPort();
}
