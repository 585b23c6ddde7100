using System.Diagnostics;
using System.Text;

namespace CallCenter.Integration.Tests;

/// <summary>
/// The real baresip softphone (Debian package baresip), run headless from a configuration folder
/// of its own (<c>baresip -f dir</c>) with one account, audio from and to files, and its stdio
/// user interface fed through standard input. Its output is kept for assertions and failure messages.
/// </summary>
internal sealed class Baresip : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _directory;

    private Baresip(Process process, string directory)
    {
        _process = process;
        _directory = directory;
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
    public static Baresip Start(PlatformProcess platform, string extension, string password)
    {
        ArgumentNullException.ThrowIfNull(platform);
        var binary = new[] { "/usr/bin/baresip", "/usr/local/bin/baresip" }.FirstOrDefault(File.Exists);
        if (binary is null)
        {
            // A missing peer fails the test, it does not skip it (design.md section 6).
            Assert.Fail("baresip is not installed: scripts/test.sh installs the Debian package baresip.");
        }

        var directory = Directory.CreateTempSubdirectory("callcenter-baresip-").FullName;
        File.WriteAllText(Path.Combine(directory, "config"), """
            sip_listen		127.0.0.1:0
            module_path		/usr/lib/baresip/modules
            module			stdio.so
            module			g711.so
            module			aufile.so
            audio_player		aufile,/dev/null
            audio_source		aufile,/dev/null
            module_app		account.so
            module_app		menu.so

            """);
        File.WriteAllText(
            Path.Combine(directory, "accounts"),
            $"<sip:{extension}@127.0.0.1:{platform.SipPort};transport=udp>;auth_pass={password};regint=600\n");
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
        return new Baresip(Process.Start(info)!, directory);
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
