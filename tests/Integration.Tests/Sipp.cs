using System.Diagnostics;
using System.Globalization;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>Runs the real sipp binary (Debian package sip-tester) and reads its statistics file.</summary>
internal static class Sipp
{
    public sealed record Result(int ExitCode, long SuccessfulCalls, long FailedCalls, string Output);

    public static string Binary
    {
        get
        {
            var path = new[] { "/usr/bin/sipp", "/usr/local/bin/sipp" }.FirstOrDefault(File.Exists);
            if (path is null)
            {
                // A missing peer fails the test, it does not skip it (design.md section 6).
                Assert.Fail("sipp is not installed: scripts/test.sh installs the Debian package sip-tester.");
            }

            return path!;
        }
    }

    /// <summary>Runs sipp to completion against <paramref name="target"/> with the given arguments.</summary>
    public static Task<Result> RunAsync(string target, TimeSpan timeout, params string[] arguments) =>
        Start(target, arguments).WaitAsync(timeout);

    /// <summary>
    /// Starts sipp in the background (an agent's phone waiting for calls) on <paramref name="port"/>
    /// (default: a free one) with its own media ports; <see cref="Running.WaitAsync"/> collects it.
    /// </summary>
    public static Running Start(string target, IEnumerable<string> arguments, int? port = null)
    {
        var work = Directory.CreateTempSubdirectory("callcenter-sipp-").FullName;
        var stats = Path.Combine(work, "stats.csv");
        var info = new ProcessStartInfo(Binary)
        {
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(target);
        var sipPort = port ?? FreePorts.UdpAndTcp();
        var mediaPort = FreePorts.UdpBlock(4);
        foreach (var argument in arguments.Concat([
            "-i", "127.0.0.1", "-p", sipPort.ToString(CultureInfo.InvariantCulture),
            "-mp", mediaPort.ToString(CultureInfo.InvariantCulture),
            "-nostdin", "-trace_stat", "-stf", stats, "-fd", "1"]))
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info)!;
        return new Running(process, work, stats, mediaPort, process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
    }

    /// <summary>A sipp process started by <see cref="Start"/>.</summary>
    public sealed class Running(Process process, string work, string stats, int mediaPort, Task<string> stdout, Task<string> stderr) : IAsyncDisposable
    {
        /// <summary>Waits for sipp to finish (killed and failed after <paramref name="timeout"/>) and reads its totals.</summary>
        public async Task<Result> WaitAsync(TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                var partial = await stdout + await stderr;
                Assert.Fail($"sipp did not finish within {timeout}\n{partial}");
            }

            var output = await stdout + await stderr;
            var (successful, failed) = ReadTotals(stats);
            Directory.Delete(work, recursive: true);
            FreePorts.ReleaseBlock(mediaPort, 4);
            return new Result(process.ExitCode, successful, failed, output);
        }

        /// <summary>Asks sipp to stop taking new calls and quit (SIGUSR1), so that <see cref="WaitAsync"/> can read its totals.</summary>
        public void Quit()
        {
            if (!process.HasExited)
            {
                using var kill = Process.Start("kill", ["-USR1", process.Id.ToString(CultureInfo.InvariantCulture)]);
                kill.WaitForExit();
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
            FreePorts.ReleaseBlock(mediaPort, 4);
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private static (long Successful, long Failed) ReadTotals(string statsFile)
    {
        if (!File.Exists(statsFile))
        {
            return (-1, -1);
        }

        // The last line holds the cumulative counters; columns named in the header line.
        var lines = File.ReadAllLines(statsFile).Where(l => l.Length > 0).ToArray();
        var header = lines[0].Split(';');
        var last = lines[^1].Split(';');
        long Column(string name) => long.Parse(last[Array.IndexOf(header, name)], CultureInfo.InvariantCulture);
        return (Column("SuccessfulCall(C)"), Column("FailedCall(C)"));
    }
}
