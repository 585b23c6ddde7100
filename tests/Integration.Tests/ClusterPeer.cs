using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>
/// The real servers of a cluster, private to a test on free loopback ports: Kamailio with the shipped
/// <c>config/kamailio/kamailio.cfg</c> (Debian's kamailio) and redis-server (never a system one).
/// A missing binary fails the test under CI (scripts/test.sh installs both) and skips it elsewhere.
/// </summary>
internal sealed class ClusterPeer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _work;
    private int _disposed;

    private ClusterPeer(Process process, string work, int port)
    {
        _process = process;
        _work = work;
        Port = port;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Port { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static string Require(string binary, string package)
    {
        foreach (var dir in new[] { "/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin" })
        {
            var path = Path.Combine(dir, binary);
            if (File.Exists(path))
            {
                return path;
            }
        }

        var message = $"{binary} is not installed: scripts/test.sh installs the Debian package {package}.";
        if (TestDatabases.UnderCi)
        {
            Assert.Fail(message);
        }

        Assert.Ignore(message);
        return "";
    }

    /// <summary>
    /// Kamailio with the shipped configuration in front of <paramref name="nodes"/> (SIP ports on loopback),
    /// probing them every second, with the carriers at 127.0.0.1:<paramref name="carriers"/> (source ports; none
    /// by default: every caller is unverified); returns once Kamailio answers an OPTIONS of its own.
    /// </summary>
    public static async Task<ClusterPeer> StartKamailioAsync(IEnumerable<int> nodes, IEnumerable<int>? carriers = null)
    {
        var binary = Require("kamailio", "kamailio");
        var work = Directory.CreateTempSubdirectory("callcenter-kamailio-").FullName;
        var list = Path.Combine(work, "dispatcher.list");
        await File.WriteAllLinesAsync(list, nodes.Select((port, i) => $"1 sip:127.0.0.1:{port} 0 0 node=node-{i + 1}"));
        var carriersList = Path.Combine(work, "carriers.list");
        await File.WriteAllLinesAsync(carriersList, ["# group address netmask port tag", .. (carriers ?? []).Select((port, i) => $"1 127.0.0.1 32 {port} carrier-{i + 1}")]);
        var port = FreePorts.UdpAndTcp();
        var peer = Start(binary, work, port, [
            "-f", Path.Combine(Fixtures.RepositoryRoot, "config", "kamailio", "kamailio.cfg"),
            "-DD", "-E", "-m", "64", "-M", "8",
            "-l", $"udp:127.0.0.1:{port}",
            "-A", $"DISPATCHER_LIST=\"{list}\"",
            "-A", $"CARRIERS_LIST=\"{carriersList}\"",
            "-A", "DS_PING_INTERVAL=1",
            "-w", work,
            "-Y", work]);
        using var client = new UdpSipClient(peer.EndPoint);
        for (var attempt = 0; attempt < 50; attempt++)
        {
            if (peer._process.HasExited)
            {
                break;
            }

            await client.SendAsync(
                $"OPTIONS sip:127.0.0.1:{port} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{client.Port};branch=z9hG4bKready{attempt}\r\n" +
                $"Max-Forwards: 70\r\nFrom: <sip:test@127.0.0.1>;tag=r{attempt}\r\nTo: <sip:127.0.0.1:{port}>\r\n" +
                $"Call-ID: ready{attempt}@cluster\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
            if (await client.ReceiveResponseAsync(TimeSpan.FromMilliseconds(200)) is { StatusCode: 200 })
            {
                return peer;
            }
        }

        var output = peer.Output;
        await peer.DisposeAsync();
        throw new InvalidOperationException("Kamailio did not start:\n" + output);
    }

    /// <summary>
    /// A private redis-server (no persistence) on <paramref name="port"/> or a free one, asking for <paramref name="password"/>
    /// when given (requirepass from its configuration file, as scripts/cluster.sh does); returns once it answers PING.
    /// </summary>
    public static async Task<ClusterPeer> StartRedisAsync(int? port = null, string? password = null)
    {
        var binary = Require("redis-server", "redis-server");
        var work = Directory.CreateTempSubdirectory("callcenter-redis-").FullName;
        var chosen = port ?? FreePorts.UdpAndTcp();
        var conf = Path.Combine(work, "redis.conf");
        string[] lines =
        [
            "bind 127.0.0.1", $"port {chosen.ToString(CultureInfo.InvariantCulture)}", "save \"\"", "appendonly no",
            $"dir {work}", "protected-mode yes", password is null ? "" : $"requirepass {password}", "",
        ];
        await File.WriteAllTextAsync(conf, string.Join('\n', lines));
        var peer = Start(binary, work, chosen, [conf]);
        var hello = password is null ? "PING\r\n" : $"AUTH {password}\r\nPING\r\n";
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var tcp = new System.Net.Sockets.TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, chosen);
                var stream = tcp.GetStream();
                await stream.WriteAsync(Encoding.ASCII.GetBytes(hello));
                var answer = new StringBuilder();
                var buffer = new byte[64];
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                while (!answer.ToString().Contains("+PONG", StringComparison.Ordinal) && !answer.ToString().Contains('-', StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, wait.Token);
                    if (read == 0)
                    {
                        break;
                    }

                    answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                if (answer.ToString().Contains("+PONG", StringComparison.Ordinal))
                {
                    return peer;
                }
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or OperationCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        var output = peer.Output;
        await peer.DisposeAsync();
        throw new InvalidOperationException("redis-server did not start:\n" + output);
    }

    private static ClusterPeer Start(string binary, string work, int port, string[] arguments)
    {
        var info = new ProcessStartInfo(binary)
        {
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return new ClusterPeer(Process.Start(info) ?? throw new InvalidOperationException(binary + " did not start"), work, port);
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // A test may stop the server mid-test (Redis lost) and leave the rest to its await using.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a dying child; the temp folder is cleaned by the system.
        }
    }
}
