using System.Diagnostics;
using System.Text;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>
/// The real baresip softphone (Debian package baresip), run headless from a configuration folder
/// of its own (<c>baresip -f dir</c>) with one account, audio from and to files, and its stdio
/// user interface fed through standard input. Its output is kept for assertions and failure messages.
/// </summary>
internal sealed class Baresip : IAsyncDisposable
{
    private const int RtpPortCount = 20;

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _directory;
    private readonly int _rtpPorts;

    private Baresip(Process process, string directory, int rtpPorts)
    {
        _process = process;
        _directory = directory;
        _rtpPorts = rtpPorts;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

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

    /// <summary>Starts baresip with the account <c>sip:extension@127.0.0.1:port</c> and its password.</summary>
    public static Baresip Start(PlatformProcess platform, string extension, string password) =>
        Start(platform, new BaresipSetup(extension, password));

    /// <summary>Starts baresip with one account as <paramref name="setup"/> says.</summary>
    public static Baresip Start(PlatformProcess platform, BaresipSetup setup)
    {
        ArgumentNullException.ThrowIfNull(platform);
        ArgumentNullException.ThrowIfNull(setup);
        var binary = new[] { "/usr/bin/baresip", "/usr/local/bin/baresip" }.FirstOrDefault(File.Exists);
        if (binary is null)
        {
            // A missing peer fails the test, it does not skip it (design.md section 6).
            Assert.Fail("baresip is not installed: scripts/test.sh installs the Debian package baresip.");
        }

        var directory = Directory.CreateTempSubdirectory("callcenter-baresip-").FullName;
        var config = new System.Text.StringBuilder("""
            sip_listen		127.0.0.1:0
            module_path		/usr/lib/baresip/modules
            module			stdio.so
            module			g711.so
            module			aufile.so
            audio_player		aufile,/dev/null
            module_app		account.so
            module_app		menu.so

            """);
        // Its own RTP ports (its default, 10000-20000, would overlap the platforms' ranges, FreePorts.LargeBlocks).
        var rtpPorts = FreePorts.UdpBlock(RtpPortCount);
        config.Append("rtp_ports\t\t").Append(rtpPorts).Append('-').Append(rtpPorts + RtpPortCount - 1).Append('\n');
        config.Append("audio_source\t\taufile,").Append(setup.AudioSource ?? "/dev/null").Append('\n');
        if (setup.MediaEncryption is not null)
        {
            config.Append("module\t\t\tsrtp.so\n");
        }

        if (setup.RecordAudio)
        {
            // sndfile writes what baresip decodes from the platform (…-dec.wav) and what it encodes (…-enc.wav).
            Directory.CreateDirectory(Path.Combine(directory, "audio"));
            config.Append("module\t\t\tsndfile.so\n").Append("snd_path\t\t").Append(Path.Combine(directory, "audio")).Append('\n');
        }

        File.WriteAllText(Path.Combine(directory, "config"), config.ToString());
        var port = setup.Transport == "tls" ? setup.Port ?? throw new ArgumentException("a TLS account needs the platform's TLS port") : setup.Port ?? platform.SipPort;
        var account = new System.Text.StringBuilder($"<sip:{setup.Extension}@127.0.0.1:{port};transport={setup.Transport}>;auth_pass={setup.Password}")
            .Append(setup.Register ? ";regint=600" : ";regint=0");
        if (setup.MediaEncryption is not null)
        {
            account.Append(";mediaenc=").Append(setup.MediaEncryption);
        }

        if (setup.AnswerAutomatically)
        {
            account.Append(";answermode=auto");
        }

        File.WriteAllText(Path.Combine(directory, "accounts"), account.Append('\n').ToString());
        var info = new ProcessStartInfo(binary!)
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-f");
        info.ArgumentList.Add(directory);
        return new Baresip(Process.Start(info)!, directory, rtpPorts);
    }

    /// <summary>Types a line into baresip's stdio interface (a command such as <c>/dial ...</c>, or keys: DTMF in a call).</summary>
    public async Task SendAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>The audio baresip decoded from the platform (16-bit mono samples from sndfile's …-dec.wav); empty when there is none.</summary>
    public short[] ReceivedAudio()
    {
        var folder = Path.Combine(_directory, "audio");
        var file = Directory.Exists(folder) ? Directory.GetFiles(folder, "*-dec.wav").FirstOrDefault() : null;
        if (file is null)
        {
            return [];
        }

        // A canonical 44-byte RIFF header, then the samples (sndfile writes it so once the call ends).
        var bytes = File.ReadAllBytes(file);
        var samples = new short[Math.Max(0, (bytes.Length - 44) / 2)];
        Buffer.BlockCopy(bytes, 44, samples, 0, samples.Length * 2);
        return samples;
    }

    /// <summary>Waits until baresip's output contains <paramref name="text"/>; false at the timeout or when it exited.</summary>
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

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await _process.StandardInput.WriteLineAsync("/quit");
                await _process.StandardInput.FlushAsync();
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        FreePorts.ReleaseBlock(_rtpPorts, RtpPortCount);
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

/// <summary>How a <see cref="Baresip"/> is set up: its one account, the transport, SRTP, and its audio.</summary>
internal sealed record BaresipSetup(string Extension, string Password)
{
    /// <summary><c>udp</c>, <c>tcp</c> or <c>tls</c>.</summary>
    public string Transport { get; init; } = "udp";

    /// <summary>The platform's port for <see cref="Transport"/>; the SIP port when null (a TLS account must name its port).</summary>
    public int? Port { get; init; }

    /// <summary>baresip's <c>mediaenc</c>: <c>srtp-mand</c> insists on SRTP (RTP/SAVP), <c>srtp</c> offers it best-effort; null for none.</summary>
    public string? MediaEncryption { get; init; }

    /// <summary>False for a phone that only places calls (regint=0).</summary>
    public bool Register { get; init; } = true;

    public bool AnswerAutomatically { get; init; }

    /// <summary>A WAV file (8 kHz, 16-bit mono) baresip sends as its microphone; silence from /dev/null when null.</summary>
    public string? AudioSource { get; init; }

    /// <summary>Keep what baresip hears (<see cref="Baresip.ReceivedAudio"/>).</summary>
    public bool RecordAudio { get; init; }
}
