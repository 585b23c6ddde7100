using System.Diagnostics;
using System.Globalization;
using System.Text;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>
/// A real SMTP server on loopback: tests/fixtures/smtp/smtp_server.py on Debian's python3 with
/// aiosmtpd (python3-aiosmtpd), with STARTTLS, implicit TLS and AUTH when asked, keeping every
/// message it accepts as raw bytes.
/// </summary>
internal sealed class SmtpServer : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";

    private readonly string _dir;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private SmtpServer(string dir, int port)
    {
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

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

    /// <summary>Starts the server on <paramref name="port"/> (default: a free one).</summary>
    public static async Task<SmtpServer> StartAsync(string security, string? username = null, string? password = null, int? port = null)
    {
        if (!File.Exists(Python) || !RunsOk(Python, "-c", "import aiosmtpd"))
        {
            // A missing peer fails the test, it does not skip it (design.md section 6).
            Assert.Fail("Debian's python3 with aiosmtpd is not installed: scripts/test.sh installs python3-aiosmtpd.");
        }

        var server = new SmtpServer(Directory.CreateTempSubdirectory("callcenter-smtp-").FullName, port ?? FreePorts.UdpAndTcp());
        Directory.CreateDirectory(Path.Combine(server._dir, "out"));
        var arguments = new List<string> { Fixtures.Path("smtp", "smtp_server.py"), server.Port.ToString(CultureInfo.InvariantCulture), Path.Combine(server._dir, "out"), security };
        if (security != "none" || username is not null)
        {
            var cert = Path.Combine(server._dir, "cert.pem");
            var key = Path.Combine(server._dir, "key.pem");
            if (!RunsOk("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1"))
            {
                Assert.Fail("openssl could not make the test server's certificate.");
            }

            arguments.AddRange([username ?? "", password ?? "", cert, key]);
        }

        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var ready = new TaskCompletionSource();
        server._process = Process.Start(info)!;
        server._process.OutputDataReceived += (_, e) => server.Append(e.Data, ready);
        server._process.ErrorDataReceived += (_, e) => server.Append(e.Data, ready);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (TimeoutException)
        {
            await server.DisposeAsync();
            Assert.Fail("the SMTP server did not start:\n" + server.Output);
        }

        return server;
    }

    /// <summary>The messages accepted so far, raw, with their envelope (from=…, to=… lines).</summary>
    public IReadOnlyList<(string Envelope, byte[] Raw)> Messages =>
        [.. Directory.EnumerateFiles(Path.Combine(_dir, "out"), "*.eml").Order(StringComparer.Ordinal)
            .Select(f => (File.ReadAllText(Path.ChangeExtension(f, ".env")), File.ReadAllBytes(f)))];

    public async Task<IReadOnlyList<(string Envelope, byte[] Raw)>> WaitMessagesAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Messages.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        return Messages;
    }

    private void Append(string? line, TaskCompletionSource ready)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line == "ready")
        {
            ready.TrySetResult();
        }
    }

    private static bool RunsOk(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(info)!;
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Left for the system's temp cleaning.
        }
    }
}
