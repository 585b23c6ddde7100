using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CallCenter.Integration.Tests;

/// <summary>
/// The real linphone (Debian package linphone-cli, liblinphone 5.1), run headless as
/// <c>linphone-daemon</c> from a folder of its own: a linphonerc written for the test (UDP on a
/// random loopback port, no TCP/TLS, IPv4 only, no STUN/ICE, no video, no sound card), commands
/// typed on its standard input and its answers and events (<c>Event: LinphoneCall…</c>) read
/// from its standard output. liblinphone's full log (SIP messages included) goes to <see cref="LogFile"/>.
/// </summary>
/// <remarks>
/// The linphonerc must name a writable call-history database (<c>[storage] uri</c>): when
/// liblinphone cannot open its default one (<c>~/.local/share/linphone/linphone.db</c>, whose
/// folder does not exist on a fresh machine) the core start stops before network monitoring
/// begins, the network is never "reachable", no SIP transport is opened and nothing is ever sent
/// ("No listening point matching for [udp://…]"). And <c>use_ipv6=0</c> holds only beside
/// <c>ipv6_migration_done=1</c>: without it liblinphone's one-time "IPv6 settings migration"
/// deletes the entry, IPv6 is on, and on a machine with an IPv6 route the offer says
/// <c>c=IN IP6</c> (which the platform, with no IPv6 media address, refuses with 488 and a Warning).
/// <c>guess_hostname=0</c> keeps the From host 127.0.0.1 rather than the default route's address.
/// </remarks>
internal sealed class Linphone : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _directory;

    private Linphone(Process process, string directory)
    {
        _process = process;
        _directory = directory;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>What the daemon answered and the events it reported.</summary>
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

    /// <summary>liblinphone's log: every SIP message sent and received, with its SDP.</summary>
    public string LogFile => Path.Combine(_directory, "linphone.log");

    /// <summary>
    /// Starts linphone-daemon with <c>sip:user@127.0.0.1</c> as its identity (the From of its calls);
    /// it registers only when <see cref="RegisterAsync"/> is called.
    /// </summary>
    public static Linphone Start(string user, bool answerAutomatically = false)
    {
        var binary = new[] { "/usr/bin/linphone-daemon", "/usr/local/bin/linphone-daemon" }.FirstOrDefault(File.Exists);
        if (binary is null)
        {
            // A missing peer fails the test, it does not skip it (design.md section 6).
            Assert.Fail("linphone is not installed: scripts/test.sh installs the Debian package linphone-cli.");
        }

        var directory = Directory.CreateTempSubdirectory("callcenter-linphone-").FullName;
        var rc = Path.Combine(directory, "linphonerc");
        File.WriteAllText(rc, $"""
            [sip]
            sip_port=-1
            sip_tcp_port=0
            sip_tls_port=0
            ipv6_migration_done=1
            use_ipv6=0
            guess_hostname=0
            contact=sip:{user}@127.0.0.1

            [net]
            firewall_policy=0

            [rtp]
            audio_rtp_port=-1

            [video]
            capture=0
            display=0
            automatically_initiate=0
            automatically_accept=0

            [storage]
            uri={Path.Combine(directory, "linphone.db")}

            [misc]
            zrtp_secrets_file={Path.Combine(directory, "zidcache")}
            user_certificates_path={directory}

            """);
        var info = new ProcessStartInfo(binary!)
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--config");
        info.ArgumentList.Add(rc);
        info.ArgumentList.Add("--log");
        info.ArgumentList.Add(Path.Combine(directory, "linphone.log"));
        if (answerAutomatically)
        {
            info.ArgumentList.Add("--auto-answer");
        }

        // Nothing of the machine's own linphone (~/.linphonerc, ~/.local/share/linphone) is read or written.
        info.Environment["HOME"] = directory;
        return new Linphone(Process.Start(info)!, directory);
    }

    /// <summary>
    /// Types a daemon command (<c>call sip:…</c>, <c>dtmf 1</c>, <c>terminate</c>, …). Not
    /// <c>call-stats</c> without a call id: linphone-daemon 5.1.65 dies on it, leaving its call up.
    /// </summary>
    public async Task SendAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>
    /// Registers <c>sip:extension@127.0.0.1</c> at the platform with <paramref name="password"/> and
    /// waits until the daemon reports <c>LinphoneRegistrationOk</c>; false at the timeout.
    /// </summary>
    public async Task<bool> RegisterAsync(PlatformProcess platform, string extension, string password, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(platform);
        await SendAsync(string.Create(CultureInfo.InvariantCulture, $"register sip:{extension}@127.0.0.1 sip:127.0.0.1:{platform.SipPort} {password}"));
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            await Task.Delay(300);
            await SendAsync("register-status ALL");
            if (await WaitForOutputAsync("State: LinphoneRegistrationOk", TimeSpan.FromMilliseconds(300)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Sends a 440 Hz tone (8 kHz WAV, <paramref name="seconds"/> long) into the running call as its
    /// microphone (<c>incall-player-start</c>): with no sound card linphone otherwise sends no RTP at all.
    /// </summary>
    public async Task PlayToneAsync(int seconds)
    {
        var path = Path.Combine(_directory, "tone.wav");
        TestAudio.WriteTone(path, seconds);

        await SendAsync("incall-player-start " + path);
    }

    /// <summary>liblinphone's log so far (empty before it is written).</summary>
    public string Log()
    {
        try
        {
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return new StreamReader(stream).ReadToEnd();
        }
        catch (FileNotFoundException)
        {
            return "";
        }
    }

    /// <summary>Waits until the daemon's output contains <paramref name="text"/>; false at the timeout or when it exited.</summary>
    public async Task<bool> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Output.Contains(text, StringComparison.Ordinal))
            {
                return true;
            }

            if (_process.HasExited)
            {
                return false;
            }

            await Task.Delay(100);
        }

        return Output.Contains(text, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await SendAsync("quit");
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
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
}
