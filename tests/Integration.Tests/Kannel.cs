using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>
/// A real Kannel on loopback (Debian kannel + kannel-extras): bearerbox, smsbox and fakesmsc as the
/// SMSC, from tests/fixtures/kannel/kannel.conf.template on free ports. Every message fakesmsc is
/// given is parsed from its output; <see cref="SendInboundAsync"/> plays a handset sending an SMS.
/// </summary>
internal sealed partial class Kannel : IAsyncDisposable
{
    public const string Username = "callcenter";
    public const string Password = "kannel-test-password";

    private readonly string _dir;
    private readonly List<Process> _processes = [];
    private readonly ConcurrentQueue<ReceivedSms> _received = new();
    private readonly StringBuilder _smscOutput = new();
    private int _moPort;
    private int _smscPort;

    private Kannel(string dir) => _dir = dir;

    public int SendSmsPort { get; private set; }

    public string SendUrl => $"http://127.0.0.1:{SendSmsPort}/cgi-bin/sendsms";

    /// <summary>Every message the SMSC was given (one per part of a long message), in order.</summary>
    public IReadOnlyList<ReceivedSms> Received => [.. _received];

    public string Logs
    {
        get
        {
            var text = new StringBuilder();
            foreach (var log in new[] { "bearerbox.log", "smsbox.log" })
            {
                var path = Path.Combine(_dir, log);
                if (File.Exists(path))
                {
                    var lines = File.ReadAllLines(path);
                    text.AppendLine($"--- {log} (last 40 lines)").AppendJoin('\n', lines.TakeLast(40)).AppendLine();
                }
            }

            lock (_smscOutput)
            {
                return text.Append("--- fakesmsc\n").Append(_smscOutput.ToString().Length > 4000 ? _smscOutput.ToString()[^4000..] : _smscOutput.ToString()).ToString();
            }
        }
    }

    /// <summary>The platform settings that point it at this Kannel.</summary>
    public string[] PlatformArguments(int platformHttpPort, string secret) =>
    [
        "--Sms:Provider=kannel",
        $"--Sms:Kannel:SendUrl={SendUrl}",
        $"--Sms:Kannel:Username={Username}",
        $"--Sms:Kannel:Password={Password}",
        $"--Sms:Kannel:CallbackBaseUrl=http://127.0.0.1:{platformHttpPort}",
        $"--Sms:Kannel:CallbackSecret={secret}",
    ];

    public static string Binary(string path)
    {
        if (!File.Exists(path))
        {
            // A missing peer fails the test, it does not skip it (design.md section 6).
            Assert.Fail($"{path} is not installed: scripts/test.sh installs the Debian packages kannel and kannel-extras.");
        }

        return path;
    }

    /// <summary>Starts bearerbox, the SMSC (fakesmsc) and smsbox, calling back to the platform at <paramref name="platformHttpPort"/>.</summary>
    public static async Task<Kannel> StartAsync(int platformHttpPort, string secret, int? sendSmsPort = null)
    {
        var bearerbox = Binary("/usr/sbin/bearerbox");
        var smsbox = Binary("/usr/sbin/smsbox");
        var fakesmsc = Binary("/usr/lib/kannel/test/fakesmsc");
        var kannel = new Kannel(Directory.CreateTempSubdirectory("callcenter-kannel-").FullName);
        try
        {
            Directory.CreateDirectory(Path.Combine(kannel._dir, "store"));
            int Port() => FreePorts.UdpAndTcp();
            var adminPort = Port();
            var smsboxPort = Port();
            kannel._smscPort = Port();
            kannel._moPort = Port();
            kannel.SendSmsPort = sendSmsPort ?? Port();
            var config = File.ReadAllText(Fixtures.Path("kannel", "kannel.conf.template"))
                .Replace("@ADMIN_PORT@", adminPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("@ADMIN_PASSWORD@", "admin-" + Guid.NewGuid().ToString("N"), StringComparison.Ordinal)
                .Replace("@SMSBOX_PORT@", smsboxPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("@SMSC_PORT@", kannel._smscPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("@MO_PORT@", kannel._moPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("@SENDSMS_PORT@", kannel.SendSmsPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("@DIR@", kannel._dir, StringComparison.Ordinal)
                .Replace("@USERNAME@", Username, StringComparison.Ordinal)
                .Replace("@PASSWORD@", Password, StringComparison.Ordinal)
                .Replace("@CALLBACK@", $"http://127.0.0.1:{platformHttpPort}", StringComparison.Ordinal)
                .Replace("@SECRET@", secret, StringComparison.Ordinal);
            var conf = Path.Combine(kannel._dir, "kannel.conf");
            await File.WriteAllTextAsync(conf, config);

            kannel.Launch(bearerbox, ["-v", "1", conf], null);
            await WaitListeningAsync(kannel._smscPort, "bearerbox", kannel);
            kannel.Launch(fakesmsc, ["-H", "127.0.0.1", "-r", kannel._smscPort.ToString(CultureInfo.InvariantCulture), "-i", "1", "-m", "0", "0 0 text unused"], kannel.OnSmscLine);
            kannel.Launch(smsbox, ["-v", "1", conf], null);
            await WaitListeningAsync(kannel.SendSmsPort, "smsbox", kannel);
            await Task.Delay(500); // fakesmsc's connection to bearerbox
            return kannel;
        }
        catch
        {
            await kannel.DisposeAsync();
            throw;
        }
    }

    /// <summary>A handset's SMS to the platform: a fakesmsc on the inbound-only SMSC sends one message, then stops.</summary>
    public async Task SendInboundAsync(string from, string to, string text)
    {
        var ucs2 = string.Concat(Encoding.BigEndianUnicode.GetBytes(text).Select(b => "%" + b.ToString("X2", CultureInfo.InvariantCulture)));
        var process = Launch(Binary("/usr/lib/kannel/test/fakesmsc"),
            ["-H", "127.0.0.1", "-r", _moPort.ToString(CultureInfo.InvariantCulture), "-i", "0", "-m", "1", $"{from} {to} ucs2 {ucs2}"], null);
        await Task.Delay(1500);
        process.Kill();
        await process.WaitForExitAsync();
    }

    /// <summary>The messages for <paramref name="to"/>, long ones joined again from their parts (by the concatenation UDH).</summary>
    public IReadOnlyList<string> TextsTo(string to)
    {
        var texts = new List<string>();
        var parts = new Dictionary<int, SortedDictionary<int, byte[]>>();
        foreach (var sms in Received.Where(s => s.To == to))
        {
            if (sms.Udh is { Length: >= 6 } udh && udh[1] == 0x00)
            {
                // IEI 0 (concatenated short message, 8-bit reference): ref, total, sequence. 3GPP TS 23.040 9.2.3.24.1
                var message = parts.TryGetValue(udh[3], out var m) ? m : parts[udh[3]] = [];
                message[udh[5]] = sms.Data;
                if (message.Count == udh[4])
                {
                    var whole = message.Values.SelectMany(b => b).ToArray();
                    texts.Add(LooksUcs2(whole) ? Encoding.BigEndianUnicode.GetString(whole) : Encoding.Latin1.GetString(whole));
                    parts.Remove(udh[3]);
                }
            }
            else
            {
                texts.Add(sms.Text);
            }
        }

        return texts;
    }

    // fakesmsc does not print a part's coding: GSM text as Kannel hands it over is ASCII without NULs, UCS-2 is not.
    private static bool LooksUcs2(byte[] bytes) => bytes.Length % 2 == 0 && bytes.Any(b => b is 0 or >= 0x80);

    private void OnSmscLine(string line)
    {
        lock (_smscOutput)
        {
            _smscOutput.AppendLine(line);
        }

        var match = GotMessage().Match(line);
        if (!match.Success)
        {
            return;
        }

        var fields = match.Groups[1].Value.Split(' ');
        if (fields.Length < 4)
        {
            return;
        }

        var (from, to, type) = (fields[0], fields[1], fields[2]);
        if (type == "udh" && fields.Length >= 6)
        {
            _received.Enqueue(new ReceivedSms(from, to, type, Decode(fields[3]), Decode(fields[5])));
        }
        else
        {
            _received.Enqueue(new ReceivedSms(from, to, type, null, Decode(string.Join(' ', fields[3..]))));
        }
    }

    private static byte[] Decode(string urlEncoded)
    {
        var bytes = Encoding.Latin1.GetBytes(urlEncoded);
        return WebUtility.UrlDecodeToBytes(bytes, 0, bytes.Length);
    }

    private Process Launch(string binary, string[] arguments, Action<string>? onLine)
    {
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _dir };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException(binary + " did not start");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { onLine?.Invoke(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { onLine?.Invoke(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (_processes)
        {
            _processes.Add(process);
        }

        return process;
    }

    private static async Task WaitListeningAsync(int port, string what, Kannel kannel)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"{what} did not listen on {port}\n{kannel.Logs}");
    }

    public async ValueTask DisposeAsync()
    {
        List<Process> processes;
        lock (_processes)
        {
            processes = [.. _processes];
        }

        // smsbox first, then the SMSC, then bearerbox (reverse start order).
        foreach (var process in Enumerable.Reverse(processes))
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill();
                    await process.WaitForExitAsync();
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            process.Dispose();
        }

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Left for the system's temp cleaning.
        }
    }

    [GeneratedRegex(@"Got message \d+: <(.*)>\s*$")]
    private static partial Regex GotMessage();
}

/// <summary>One message as fakesmsc printed it: type text, ucs-2 or udh (a part of a long message, with its UDH).</summary>
internal sealed record ReceivedSms(string From, string To, string Type, byte[]? Udh, byte[] Data)
{
    public string Text => Type == "ucs-2" ? Encoding.BigEndianUnicode.GetString(Data) : Encoding.UTF8.GetString(Data);
}
