using CallCenter.ResourceControl.Cluster;
using StackExchange.Redis;

namespace CallCenter.ResourceControl.Tests.Cluster;

/// <summary>
/// The cluster's shared digest nonce counts against a real redis-server (issue 19): what one node accepted another
/// refuses, a higher count is taken, and each nonce is remembered only until it expires.
/// </summary>
[NonParallelizable]
public sealed class RedisNonceCountsTests
{
    [Test]
    public async Task ACountUsedAtOneNodeIsRefusedAtAnotherAndAHigherOneTaken()
    {
        using var redis = LocalRedis.Start();
        await using var node1Link = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port}");
        await using var node2Link = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port}");
        var node1 = new RedisNonceCounts(() => Task.FromResult<IConnectionMultiplexer>(node1Link));
        var node2 = new RedisNonceCounts(() => Task.FromResult<IConnectionMultiplexer>(node2Link));
        var now = DateTimeOffset.UtcNow;

        var first = await node1.TryUseAsync("nonce-a", 1, now.AddSeconds(300), now, default);
        var replayed = await node2.TryUseAsync("nonce-a", 1, now.AddSeconds(300), now, default);
        var lower = await node2.TryUseAsync("nonce-a", 0, now.AddSeconds(300), now, default);
        var higher = await node2.TryUseAsync("nonce-a", 2, now.AddSeconds(300), now, default);
        var again = await node1.TryUseAsync("nonce-a", 2, now.AddSeconds(300), now, default);
        var other = await node1.TryUseAsync("nonce-b", 1, now.AddSeconds(300), now, default);
        var ttl = await node1Link.GetDatabase().KeyTimeToLiveAsync("callcenter:nonce:nonce-a");

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.True);
            Assert.That(replayed, Is.False, "the replay at the other node");
            Assert.That(lower, Is.False);
            Assert.That(higher, Is.True);
            Assert.That(again, Is.False);
            Assert.That(other, Is.True, "each nonce has its own count");
            Assert.That(ttl, Is.Not.Null.And.LessThanOrEqualTo(TimeSpan.FromSeconds(306)).And.GreaterThan(TimeSpan.FromSeconds(200)));
        });
    }
}

/// <summary>A private redis-server on a free loopback port, without persistence, stopped on dispose.</summary>
internal sealed class LocalRedis : IDisposable
{
    private readonly System.Diagnostics.Process _process;

    private LocalRedis(System.Diagnostics.Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static LocalRedis Start()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("redis-server did not start (apt-get install redis-server)");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient("127.0.0.1", port);
                return new LocalRedis(process, port);
            }
            catch (System.Net.Sockets.SocketException)
            {
                Thread.Sleep(50);
            }
        }

        process.Kill();
        throw new InvalidOperationException($"redis-server did not listen on {port} within 10 s");
    }

    public void Dispose()
    {
        _process.Kill();
        _process.WaitForExit(5000);
        _process.Dispose();
    }
}
