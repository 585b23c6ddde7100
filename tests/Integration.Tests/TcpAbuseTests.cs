using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace CallCenter.Integration.Tests;

/// <summary>
/// One source cannot starve the rest over TCP (issue 12, part 3): a host holding its share of
/// connections is refused more while another host still connects, and a sender trickling one byte a
/// second is cut off when its message is not complete in time.
/// </summary>
[NonParallelizable]
public sealed class TcpAbuseTests
{
    private static string Options(int localPort, string callId) =>
        "OPTIONS sip:95500@127.0.0.1 SIP/2.0\r\n" +
        $"Via: SIP/2.0/TCP 127.0.0.1:{localPort};branch=z9hG4bK{callId}\r\n" +
        "Max-Forwards: 70\r\n" +
        $"From: <sip:probe@127.0.0.1>;tag={callId}\r\n" +
        "To: <sip:95500@127.0.0.1>\r\n" +
        $"Call-ID: {callId}\r\n" +
        "CSeq: 1 OPTIONS\r\n" +
        "Content-Length: 0\r\n\r\n";

    private static async Task<TcpClient> ConnectFromAsync(IPAddress from, IPEndPoint to)
    {
        var client = new TcpClient(new IPEndPoint(from, 0));
        await client.ConnectAsync(to);
        return client;
    }

    /// <summary>True when the platform answers an OPTIONS on this connection; false when it closed it.</summary>
    private static async Task<bool> AnswersAsync(TcpClient client, string callId)
    {
        try
        {
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(Options(((IPEndPoint)client.Client.LocalEndPoint!).Port, callId)));
            var buffer = new byte[4096];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return read > 0 && Encoding.ASCII.GetString(buffer, 0, read).StartsWith("SIP/2.0 200", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<JsonElement> SipHealthAsync(PlatformProcess platform)
    {
        using var health = JsonDocument.Parse(await platform.GetStringAsync("health"));
        return health.RootElement.GetProperty("sip").Clone();
    }

    [Test]
    public async Task AHostOverItsShareIsRefusedWhileAnotherHostStillConnects()
    {
        await using var platform = await PlatformProcess.StartAsync("--Sip:MaxTcpConnectionsPerSource=4");
        var hog = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var client = await ConnectFromAsync(IPAddress.Parse("127.0.0.5"), platform.SipEndPoint);
                hog.Add(client);
                Assert.That(await AnswersAsync(client, $"hog{i}"), Is.True, $"connection {i} of the share");
            }

            using var fifth = await ConnectFromAsync(IPAddress.Parse("127.0.0.5"), platform.SipEndPoint);
            Assert.That(await AnswersAsync(fifth, "hog-over"), Is.False, "the fifth from the same host");

            using var phone = await ConnectFromAsync(IPAddress.Parse("127.0.0.6"), platform.SipEndPoint);
            Assert.That(await AnswersAsync(phone, "phone"), Is.True, "another host is not locked out");

            Assert.That((await SipHealthAsync(platform)).GetProperty("tcpRefusedPerSource").GetInt64(), Is.EqualTo(1));
        }
        finally
        {
            hog.ForEach(c => c.Dispose());
        }
    }

    [Test]
    public async Task AByteASecondSenderIsCutOffWhenItsMessageIsNotCompleteInTime()
    {
        await using var platform = await PlatformProcess.StartAsync("--Sip:TcpMessageSeconds=3");
        using var slow = await ConnectFromAsync(IPAddress.Loopback, platform.SipEndPoint);
        var stream = slow.GetStream();
        var message = Encoding.ASCII.GetBytes(Options(((IPEndPoint)slow.Client.LocalEndPoint!).Port, "slow"));

        // Each byte would have reset a plain idle timer; the message's own deadline does not move.
        var closedAfter = TimeSpan.Zero;
        var started = DateTime.UtcNow;
        try
        {
            for (var i = 0; i < message.Length - 1; i++)
            {
                await stream.WriteAsync(message.AsMemory(i, 1));
                await Task.Delay(500);
                if (slow.Client.Poll(0, SelectMode.SelectRead) && slow.Client.Available == 0)
                {
                    closedAfter = DateTime.UtcNow - started;
                    break;
                }
            }
        }
        catch (IOException)
        {
            closedAfter = DateTime.UtcNow - started;
        }

        Assert.That(closedAfter, Is.GreaterThan(TimeSpan.FromSeconds(2)).And.LessThan(TimeSpan.FromSeconds(8)), "closed about 3 s after the first byte");
        Assert.That((await SipHealthAsync(platform)).GetProperty("tcpTimedOut").GetInt64(), Is.EqualTo(1));

        // A well-behaved phone is unaffected.
        using var phone = await ConnectFromAsync(IPAddress.Loopback, platform.SipEndPoint);
        Assert.That(await AnswersAsync(phone, "fine"), Is.True);
    }
}
