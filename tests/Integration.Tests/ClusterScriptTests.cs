using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>
/// scripts/cluster.sh as an operator runs it (on free ports, with the Release build the tests use): its secrets are
/// in a file only the user reads and on no process's command line; Redis refuses a client without the password while
/// both nodes reach it with theirs, keeps an append-only file, and holds the desk cookies' keys only encrypted to
/// the run's certificate; and the nodes share the nonce secret (a REGISTER challenged by node 1 and answered at
/// node 2 succeeds).
/// </summary>
[NonParallelizable]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ClusterScriptTests
{
    private static async Task<string> RedisSaysAsync(int port, string command)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"));
        var buffer = new byte[256];
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var read = await stream.ReadAsync(buffer, wait.Token);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }

    /// <summary>Every process's command line, as ps shows it to any user of the machine.</summary>
    private static List<string> CommandLines() =>
        [.. Directory.GetDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)).Select(d =>
        {
            try
            {
                return File.ReadAllText(Path.Combine(d, "cmdline")).Replace('\0', ' ');
            }
            catch (IOException)
            {
                return "";
            }
            catch (UnauthorizedAccessException)
            {
                return "";
            }
        })];

    [Test]
    public async Task TheScriptKeepsItsSecretsOffCommandLinesInAPrivateFileAndRedisAsksForThePassword()
    {
        ClusterPeer.Require("kamailio", "kamailio");
        ClusterPeer.Require("redis-server", "redis-server");
        var ports = new Dictionary<string, int>
        {
            ["CLUSTER_KAMAILIO_PORT"] = FreePorts.UdpAndTcp(),
            ["CLUSTER_REDIS_PORT"] = FreePorts.UdpAndTcp(),
            ["CLUSTER_NODE1_SIP"] = FreePorts.UdpAndTcp(),
            ["CLUSTER_NODE2_SIP"] = FreePorts.UdpAndTcp(),
            ["CLUSTER_NODE1_HTTP"] = FreePorts.UdpAndTcp(),
            ["CLUSTER_NODE2_HTTP"] = FreePorts.UdpAndTcp(),
            ["CLUSTER_NODE1_RTP"] = FreePorts.UdpBlock(100),
            ["CLUSTER_NODE2_RTP"] = FreePorts.UdpBlock(100),
            ["CLUSTER_RTP_PORTS"] = 100,
        };
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(Fixtures.RepositoryRoot, "scripts", "cluster.sh"));
        info.ArgumentList.Add("--no-build");
        foreach (var (name, value) in ports)
        {
            info.Environment[name] = value.ToString(CultureInfo.InvariantCulture);
        }

        using var script = Process.Start(info) ?? throw new InvalidOperationException("bash did not start");
        var output = new StringBuilder();
        var up = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        script.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data is { } line && line.StartsWith("The cluster is up (logs: ", StringComparison.Ordinal))
            {
                up.TrySetResult(line["The cluster is up (logs: ".Length..line.IndexOf(';', StringComparison.Ordinal)]);
            }
        };
        script.ErrorDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        script.BeginOutputReadLine();
        script.BeginErrorReadLine();
        string? run = null;
        try
        {
            run = await up.Task.WaitAsync(TimeSpan.FromSeconds(120));
            var secrets = File.ReadAllLines(Path.Combine(run, "secrets.env")).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
            var nonceSecret = secrets["NONCE_SECRET"];
            var redisPassword = secrets["REDIS_PASSWORD"];
            var leaked = CommandLines().Where(c => c.Contains(nonceSecret, StringComparison.Ordinal) || c.Contains(redisPassword, StringComparison.Ordinal)).ToList();
            var fileMode = File.GetUnixFileMode(Path.Combine(run, "secrets.env"));
            var folderMode = File.GetUnixFileMode(run);
            var anonymous = await RedisSaysAsync(ports["CLUSTER_REDIS_PORT"], "PING");
            var wrong = await RedisSaysAsync(ports["CLUSTER_REDIS_PORT"], "AUTH not-the-password");

            // Both nodes are healthy, which they are only while connected to Redis (with the password).
            using var http = new HttpClient();
            using var health1 = await http.GetAsync(new Uri($"http://127.0.0.1:{ports["CLUSTER_NODE1_HTTP"]}/health"));
            using var health2 = await http.GetAsync(new Uri($"http://127.0.0.1:{ports["CLUSTER_NODE2_HTTP"]}/health"));

            // The sign-in form's anti-forgery token makes node 1 create the key ring in Redis.
            using var signIn = await http.GetAsync(new Uri($"http://127.0.0.1:{ports["CLUSTER_NODE1_HTTP"]}/desk/signin"));
            var storedKeys = await ClusterDeskTests.StoredKeysAsync(ports["CLUSTER_REDIS_PORT"], redisPassword);
            var appendOnly = await ClusterDeskTests.RedisCliAsync(ports["CLUSTER_REDIS_PORT"], redisPassword, "CONFIG", "GET", "appendonly");
            var certificateMode = File.GetUnixFileMode(Path.Combine(run, "keyring.pem"));

            var scenario = AgentPhone.Template("register-two-nodes.xml", new()
            {
                ["{NODE2_PORT}"] = ports["CLUSTER_NODE2_SIP"].ToString(CultureInfo.InvariantCulture),
                ["{PAUSE_MS}"] = "0",
                ["{FINAL_RECV}"] = "<recv response=\"200\" />",
            });
            var across = await Sipp.RunAsync($"127.0.0.1:{ports["CLUSTER_NODE1_SIP"]}", TimeSpan.FromSeconds(40),
                "-sf", scenario, "-s", "1001", "-au", "1001", "-ap", "demo-1001", "-m", "1", "-timeout", "30s", "-timeout_error");
            File.Delete(scenario);
            string logs;
            lock (output)
            {
                logs = "\n--- cluster.sh\n" + output;
            }

            Assert.That(nonceSecret, Has.Length.GreaterThanOrEqualTo(16));
            Assert.That(redisPassword, Has.Length.GreaterThanOrEqualTo(16));
            Assert.That(leaked, Is.Empty, "no process shows a secret on its command line" + logs);
            Assert.That(fileMode, Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), "secrets.env is the user's only");
            Assert.That(folderMode & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute), Is.EqualTo(UnixFileMode.None), "the run's folder is the user's only");
            Assert.That(anonymous, Does.StartWith("-NOAUTH"), "Redis refuses a client without the password");
            Assert.That(wrong, Does.StartWith("-WRONGPASS").Or.StartWith("-ERR"), "and one with a wrong password");
            Assert.That(health1.StatusCode, Is.EqualTo(HttpStatusCode.OK), "node 1 reached Redis with the password from its environment" + logs);
            Assert.That(health2.StatusCode, Is.EqualTo(HttpStatusCode.OK), logs);
            Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.OK), logs);
            Assert.That(storedKeys, Does.Contain("<key id=").And.Contain("EncryptedData").And.Not.Contain("<masterKey"), "the key ring in Redis is encrypted to the run's certificate\n" + storedKeys + logs);
            Assert.That(appendOnly, Does.Contain("yes"), "Redis keeps an append-only file: a restart keeps the key ring");
            Assert.That(certificateMode, Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), "the certificate's private key is the user's only");
            Assert.That(across.SuccessfulCalls, Is.EqualTo(1), "node 2 accepts node 1's nonce: the secret reached both through the environment\n" + across.Output + logs);
        }
        finally
        {
            // SIGTERM: the script's trap stops Redis, the nodes and Kamailio.
            if (!script.HasExited)
            {
                using var term = Process.Start("kill", ["-TERM", script.Id.ToString(CultureInfo.InvariantCulture)]);
                await term.WaitForExitAsync();
                using var stopped = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                try
                {
                    await script.WaitForExitAsync(stopped.Token);
                }
                catch (OperationCanceledException)
                {
                    script.Kill(entireProcessTree: true);
                }
            }

            try
            {
                if (run is not null && run.StartsWith("/tmp/callcenter-cluster.", StringComparison.Ordinal))
                {
                    Directory.Delete(run, recursive: true);
                }
            }
            catch (IOException)
            {
                // A file still held by a dying child; the temp folder is cleaned by the system.
            }

            FreePorts.ReleaseBlock(ports["CLUSTER_NODE1_RTP"], 100);
            FreePorts.ReleaseBlock(ports["CLUSTER_NODE2_RTP"], 100);
        }
    }
}
