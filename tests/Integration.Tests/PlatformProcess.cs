using System.Diagnostics;
using System.Net;
using System.Text;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>
/// The platform started as a user starts it (the built CallCenter.ResourceControl with command-line
/// overrides), on free loopback ports with its own SQLite file and folders, as the black-box
/// contract of design.md section 4 describes. Output is kept for failure messages.
/// </summary>
internal sealed class PlatformProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _workDirectory;

    private int _rtpFirst;
    private int _disposed;

    private PlatformProcess(Process process, string workDirectory, int sipPort, int httpPort)
    {
        _process = process;
        _workDirectory = workDirectory;
        SipPort = sipPort;
        HttpPort = httpPort;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int SipPort { get; }

    public int HttpPort { get; }

    public IPEndPoint SipEndPoint => new(IPAddress.Loopback, SipPort);

    /// <summary>The first port of the platform's RTP range (<c>Rtp:PortMin</c>); the range holds <see cref="RtpPortCount"/> ports.</summary>
    public int RtpPortMin => _rtpFirst;

    public const int RtpPortCount = 400;

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}/");

    public string WorkDirectory => _workDirectory;

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

    public bool HasExited => Volatile.Read(ref _disposed) == 1 || _process.HasExited;

    /// <summary>The built platform binary next to the tests (same configuration: Debug or Release).</summary>
    public static string PlatformDll
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            return Path.Combine(Fixtures.RepositoryRoot, "src", "ResourceControl", "bin", configuration, "net10.0", "CallCenter.ResourceControl.dll");
        }
    }

    /// <summary>Starts the platform and waits until GET /health answers 200.</summary>
    public static Task<PlatformProcess> StartAsync(params string[] extraArguments) => StartOnAsync(null, extraArguments);

    /// <summary>Starts the platform after <paramref name="prepare"/> has filled its working directory, and waits until it is healthy.</summary>
    public static async Task<PlatformProcess> StartAsync(Action<string> prepare, params string[] extraArguments)
    {
        var started = Start(prepare, extraArguments);
        try
        {
            await started.WaitHealthyAsync(TimeSpan.FromSeconds(60));
            return started;
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts the platform with its HTTP API on <paramref name="httpPort"/> (a peer such as Kannel must know
    /// the URL before the platform starts, and again after a restart) and waits until it is healthy.
    /// </summary>
    public static async Task<PlatformProcess> StartOnAsync(int? httpPort, string[] extraArguments)
    {
        var started = Start(_ => { }, httpPort, extraArguments);
        try
        {
            await started.WaitHealthyAsync(TimeSpan.FromSeconds(60));
            return started;
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the platform without waiting (for tests of start-up failures).</summary>
    public static PlatformProcess Start(params string[] extraArguments) => Start(_ => { }, extraArguments);

    /// <summary>
    /// Starts the platform after <paramref name="prepare"/> has filled its working directory (for
    /// example with a config/ folder of its own, which the platform prefers to the built-in one).
    /// </summary>
    public static PlatformProcess Start(Action<string> prepare, params string[] extraArguments) => Start(prepare, null, extraArguments);

    private static PlatformProcess Start(Action<string> prepare, int? fixedHttpPort, string[] extraArguments)
    {
        ArgumentNullException.ThrowIfNull(prepare);
        var sipPort = FreePorts.UdpAndTcp();
        var httpPort = fixedHttpPort ?? FreePorts.UdpAndTcp();
        var rtpFirst = FreePorts.UdpBlock(400);
        var work = Directory.CreateTempSubdirectory("callcenter-it-").FullName;
        prepare(work);
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(PlatformDll);
        foreach (var argument in new[]
        {
            "--Sip:Address=127.0.0.1",
            $"--Sip:Port={sipPort}",
            $"--Urls=http://127.0.0.1:{httpPort}",
            $"--Rtp:PortMin={rtpFirst}",
            $"--Rtp:PortMax={rtpFirst + 399}",
            $"--Database:ConnectionString=Data Source={Path.Combine(work, "callcenter.db")}",
            $"--Recording:Directory={Path.Combine(work, "recordings")}",
            "--Demo:Seed=true",
            "--Logging:LogLevel:Default=Warning",

            // Tests run at any hour: the calling hours are the whole day unless a test sets them.
            "--Outbound:CallingHoursStart=00:00",
            "--Outbound:CallingHoursEnd=00:00",
        }.Concat(extraArguments))
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        return new PlatformProcess(process, work, sipPort, httpPort) { _rtpFirst = rtpFirst };
    }

    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The platform exited with {_process.ExitCode} before it was healthy:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync("health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Slow start on a busy machine.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The platform was not healthy within {timeout}:\n{Output}");
    }

    /// <summary>Waits for the process to end by itself (start-up failures) and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit(); // flush the redirected output
        return _process.ExitCode;
    }

    public async Task<string> GetStringAsync(string path)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        return await http.GetStringAsync(path);
    }

    /// <summary>GET on the REST API with the demo API key (or none).</summary>
    public async Task<(HttpStatusCode Status, System.Text.Json.JsonElement Body)> GetApiAsync(string path, string? apiKey = "demo-api-key")
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length > 0 && response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true
            ? System.Text.Json.JsonDocument.Parse(text).RootElement.Clone()
            : default;
        return (response.StatusCode, body);
    }

    /// <summary>POST with a JSON body on the REST API with the demo API key.</summary>
    public async Task<(HttpStatusCode Status, string Body)> PostApiAsync(string path, string json)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Api-Key", "demo-api-key");
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>POST /api/messages (an SMS or e-mail as JSON); asserts 202 and returns the message's id.</summary>
    public async Task<string> PostMessageAsync(object message)
    {
        var (status, body) = await PostApiAsync("api/messages", System.Text.Json.JsonSerializer.Serialize(message));
        Assert.That(status, Is.EqualTo(HttpStatusCode.Accepted), body);
        return System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Polls GET /api/messages/{id} until its status is <paramref name="wanted"/>; fails after 30 s with the message, <paramref name="peerLogs"/> and the platform's output.</summary>
    public Task<System.Text.Json.JsonElement> WaitMessageStatusAsync(string id, string wanted, Func<string>? peerLogs = null) =>
        WaitMessageAsync(id, m => m.GetProperty("status").GetString() == wanted, peerLogs);

    /// <summary>Polls GET /api/messages/{id} until <paramref name="done"/> holds.</summary>
    public async Task<System.Text.Json.JsonElement> WaitMessageAsync(string id, Func<System.Text.Json.JsonElement, bool> done, Func<string>? peerLogs = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        System.Text.Json.JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            var (status, body) = await GetApiAsync($"api/messages/{id}");
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            last = body;
            if (done(body))
            {
                return body;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"message {id}: {last}\n{peerLogs?.Invoke()}\n{Output}");
        return last;
    }

    /// <summary>Polls GET /api/calls until a record matches (records are written just after the call ends).</summary>
    public async Task<System.Text.Json.JsonElement?> WaitForCallRecordAsync(Func<System.Text.Json.JsonElement, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var (status, body) = await GetApiAsync("api/calls?limit=100");
            if (status == HttpStatusCode.OK)
            {
                foreach (var call in body.EnumerateArray())
                {
                    if (match(call))
                    {
                        return call;
                    }
                }
            }

            await Task.Delay(100);
        }

        return null;
    }

    /// <summary>Stops the platform as an operator or systemd would (SIGTERM) and returns its exit code.</summary>
    public async Task<int> StopGracefullyAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        return await WaitForExitAsync(timeout);
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
        // A test may kill the platform mid-test (SIGKILL) and leave the rest to its await using.
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
        FreePorts.ReleaseBlock(_rtpFirst, 400);
        try
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a dying child; the temp folder is cleaned by the system.
        }
    }
}
