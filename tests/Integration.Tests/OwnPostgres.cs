using System.Diagnostics;
using System.Globalization;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>
/// A PostgreSQL server of one test's own (Debian's postgresql binaries, initdb and pg_ctl in a temp folder, on a
/// free loopback port), which the test may stop and start again: never the shared one of the other tests. The
/// server runs as the postgres user when the tests run as root (PostgreSQL refuses root).
/// </summary>
internal sealed class OwnPostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _data;
    private readonly string _work;

    private OwnPostgres(string bin, string work, int port)
    {
        _bin = bin;
        _work = work;
        _data = Path.Combine(work, "data");
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database=postgres;Timeout=2;Command Timeout=5";

    public static async Task<OwnPostgres> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "pg_ctl"))).OrderDescending().FirstOrDefault()
            : null;
        if (bin is null)
        {
            var message = "PostgreSQL's binaries are not installed: scripts/test.sh installs the Debian package postgresql.";
            if (TestDatabases.UnderCi)
            {
                Assert.Fail(message);
            }

            Assert.Ignore(message);
        }

        var work = Directory.CreateTempSubdirectory("callcenter-pg-").FullName;
        var postgres = new OwnPostgres(bin!, work, FreePorts.UdpAndTcp());
        await postgres.RunAsync("chown", "postgres", work);
        await postgres.RunAsync(Path.Combine(bin!, "initdb"), "-D", postgres._data, "-A", "trust", "-U", "postgres", "--no-sync");
        await postgres.StartAgainAsync();
        return postgres;
    }

    public Task StartAgainAsync() => RunAsync(Path.Combine(_bin, "pg_ctl"), "-D", _data, "-l", Path.Combine(_work, "log"), "-w", "-t", "30",
        "-o", $"-p {Port.ToString(CultureInfo.InvariantCulture)} -c listen_addresses=127.0.0.1 -k {_work} -c fsync=off", "start");

    /// <summary>An immediate stop, as a crash: the server's connections drop at once.</summary>
    public Task StopAsync() => RunAsync(Path.Combine(_bin, "pg_ctl"), "-D", _data, "-m", "immediate", "-w", "stop");

    private async Task RunAsync(string binary, params string[] arguments)
    {
        var asRoot = Environment.UserName == "root";
        var info = new ProcessStartInfo(asRoot && binary != "chown" ? "runuser" : binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _work,
        };
        if (asRoot && binary != "chown")
        {
            foreach (var argument in new[] { "-u", "postgres", "--", binary })
            {
                info.ArgumentList.Add(argument);
            }
        }
        else if (!asRoot && binary == "chown")
        {
            return;
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException(binary + " did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{binary} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await output}{await error}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (InvalidOperationException)
        {
            // Already stopped by the test.
        }

        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
            // The temp folder is cleaned by the system.
        }
    }
}
