using System.Net.Sockets;
using System.Text;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Parsing;

namespace CallCenter.Integration.Tests;

/// <summary>SIP over TCP against the running platform: framing by Content-Length, keep-alives, bad framing.</summary>
[NonParallelizable]
public sealed class TcpTransportTests
{
    private PlatformProcess _platform = null!;

    [OneTimeSetUp]
    public async Task StartPlatform() => _platform = await PlatformProcess.StartAsync();

    [OneTimeTearDown]
    public async Task StopPlatform() => await _platform.DisposeAsync();

    private static string Options(int localPort, string callId) =>
        "OPTIONS sip:95500@127.0.0.1 SIP/2.0\r\n" +
        $"Via: SIP/2.0/TCP 127.0.0.1:{localPort};branch=z9hG4bK{callId}\r\n" +
        "Max-Forwards: 70\r\n" +
        $"From: <sip:probe@127.0.0.1>;tag={callId}\r\n" +
        "To: <sip:95500@127.0.0.1>\r\n" +
        $"Call-ID: {callId}\r\n" +
        "CSeq: 1 OPTIONS\r\n" +
        "Content-Length: 0\r\n\r\n";

    [Test]
    public async Task OptionsSplitAcrossSegmentsWithKeepAlivesIsAnsweredWithCapabilities()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(_platform.SipEndPoint);
        tcp.NoDelay = true;
        var stream = tcp.GetStream();
        var port = ((System.Net.IPEndPoint)tcp.Client.LocalEndPoint!).Port;
        var first = Encoding.ASCII.GetBytes("\r\n\r\n" + Options(port, "tcp1"));
        var second = Encoding.ASCII.GetBytes(Options(port, "tcp2"));

        // One message in three writes, the second in one write right after it.
        await stream.WriteAsync(first.AsMemory(0, 20));
        await Task.Delay(50);
        await stream.WriteAsync(first.AsMemory(20, 100));
        await Task.Delay(50);
        await stream.WriteAsync(first.AsMemory(120));
        await stream.WriteAsync(second);

        var responses = await ReadResponsesAsync(stream, 2, TimeSpan.FromSeconds(5));

        Assert.That(responses.Select(r => r.CallId), Is.EqualTo(new[] { "tcp1", "tcp2" }));
        var ok = responses[0];
        Assert.That(ok.StatusCode, Is.EqualTo(200));
        Assert.That(ok.Headers.Get(SipHeaderNames.Allow), Does.Contain("INVITE").And.Contain("BYE").And.Contain("REGISTER"));
        Assert.That(ok.Headers.Get(SipHeaderNames.Accept), Does.Contain("application/sdp"));
        Assert.That(ok.Headers.Contains(SipHeaderNames.Supported), Is.True);
    }

    [Test]
    public async Task StreamWithoutContentLengthIsRefusedAndTheConnectionClosedWhileOthersGoOn()
    {
        using var bad = new TcpClient();
        await bad.ConnectAsync(_platform.SipEndPoint);
        var badStream = bad.GetStream();
        var port = ((System.Net.IPEndPoint)bad.Client.LocalEndPoint!).Port;
        var withoutLength = Options(port, "nolen").Replace("Content-Length: 0\r\n", "", StringComparison.Ordinal);
        await badStream.WriteAsync(Encoding.ASCII.GetBytes(withoutLength));

        var answer = await ReadToCloseAsync(badStream, TimeSpan.FromSeconds(5));

        // RFC 3261 18.3: Content-Length is mandatory on a stream; the message cannot be framed.
        Assert.That(answer, Does.StartWith("SIP/2.0 400 "));
        using var good = new TcpClient();
        await good.ConnectAsync(_platform.SipEndPoint);
        var goodPort = ((System.Net.IPEndPoint)good.Client.LocalEndPoint!).Port;
        await good.GetStream().WriteAsync(Encoding.ASCII.GetBytes(Options(goodPort, "after")));
        var after = await ReadResponsesAsync(good.GetStream(), 1, TimeSpan.FromSeconds(5));
        Assert.That(after.Single().StatusCode, Is.EqualTo(200));
    }

    private static async Task<List<SipResponse>> ReadResponsesAsync(NetworkStream stream, int count, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new List<byte>();
        var chunk = new byte[4096];
        var responses = new List<SipResponse>();
        while (responses.Count < count)
        {
            var n = await stream.ReadAsync(chunk, cts.Token);
            if (n == 0)
            {
                break;
            }

            buffer.AddRange(chunk.AsSpan(0, n).ToArray());
            while (true)
            {
                var result = SipParser.ParseStream(new System.Buffers.ReadOnlySequence<byte>(buffer.ToArray()));
                if (result.Status is SipParseStatus.NeedMoreData || result.Consumed == 0)
                {
                    break;
                }

                buffer.RemoveRange(0, result.Consumed);
                if (result.Message is SipResponse { StatusCode: >= 200 } response)
                {
                    responses.Add(response);
                }
            }
        }

        return responses;
    }

    private static async Task<string> ReadToCloseAsync(NetworkStream stream, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var all = new MemoryStream();
        var chunk = new byte[4096];
        int n;
        while ((n = await stream.ReadAsync(chunk, cts.Token)) > 0)
        {
            all.Write(chunk, 0, n);
        }

        return Encoding.ASCII.GetString(all.ToArray());
    }
}
