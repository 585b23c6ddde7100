using System.Globalization;
using System.Net;

namespace CallCenter.Integration.Tests;

/// <summary>
/// RFC 3261 13.3.1.4 against real sipp callers: the platform's 200 to an INVITE is retransmitted over
/// UDP, T1 (500 ms) doubling up to T2 (4 s), until the ACK comes; a CANCEL that crosses the 200 changes
/// nothing (9.2); with no ACK at all for 64*T1 the platform ends the session with a BYE. Each caller runs
/// with -nr, so sipp hands every retransmitted 200 to the scenario instead of absorbing it, and logs
/// each response it takes with its clock.
/// </summary>
[NonParallelizable]
public sealed class AnswerRetransmissionTests
{
    private PlatformProcess _platform = null!;
    private string _work = "";

    [OneTimeSetUp]
    public async Task StartPlatform()
    {
        _platform = await PlatformProcess.StartAsync();
        _work = Directory.CreateTempSubdirectory("callcenter-retrans-").FullName;
    }

    [OneTimeTearDown]
    public async Task StopPlatform()
    {
        await _platform.DisposeAsync();
        Directory.Delete(_work, recursive: true);
    }

    [Test]
    public async Task ACallerWhoLosesTwoAnswersGetsThemAgainAtT1And2T1AndTheCallGoesOnUntilItsBye()
    {
        var (result, log) = await RunCallerAsync("caller-acks-third-ok.xml", TimeSpan.FromSeconds(60));

        Assert.That(result.FailedCalls, Is.Zero, Describe(result, log));
        Assert.That(result.SuccessfulCalls, Is.EqualTo(1), Describe(result, log));
        var oks = Times(log, "ok");
        Assert.That(oks, Has.Count.EqualTo(3), Describe(result, log));
        Assert.That(oks[1] - oks[0], Is.InRange(400, 900), "the first retransmission comes after T1\n" + Describe(result, log));
        Assert.That(oks[2] - oks[1], Is.InRange(900, 1600), "the second after 2*T1\n" + Describe(result, log));

        // No 200 after the ACK (sipp fails the call on one), no BYE from the platform: the caller's BYE ends the call.
        await AssertOneRecordAsync("13900000071", "caller-hung-up");
    }

    [Test]
    public async Task ACancelCrossingTheAnswerChangesNothingTheAnswerIsRepeatedUntilTheAckAndTheByeEndsTheCall()
    {
        var (result, log) = await RunCallerAsync("caller-cancels-after-answer.xml", TimeSpan.FromSeconds(60));

        Assert.That(result.FailedCalls, Is.Zero, Describe(result, log));
        Assert.That(result.SuccessfulCalls, Is.EqualTo(1), Describe(result, log));
        var responses = Lines(log, "ok").Select(l => l.Contains("CANCEL", StringComparison.Ordinal) ? "CANCEL" : l.Contains("INVITE", StringComparison.Ordinal) ? "INVITE" : l).ToList();
        Assert.That(responses, Is.EqualTo(new[] { "INVITE", "CANCEL", "INVITE", "INVITE" }),
            "the INVITE's 200, the CANCEL's own 200 (RFC 3261 9.2), then the INVITE's 200 again until the ACK (no 487)\n" + Describe(result, log));
        var oks = Times(log, "ok");
        Assert.That(oks[2] - oks[0], Is.InRange(400, 900), "retransmitted after T1 as if no CANCEL had come\n" + Describe(result, log));

        await AssertOneRecordAsync("13900000073", "caller-hung-up");
    }

    [Test]
    public async Task ACallerWhoNeverAcksGetsTheAnswerFor64T1ThenABye()
    {
        var (result, log) = await RunCallerAsync("caller-never-acks.xml", TimeSpan.FromSeconds(90));

        Assert.That(result.FailedCalls, Is.Zero, Describe(result, log));
        Assert.That(result.SuccessfulCalls, Is.EqualTo(1), Describe(result, log));
        var oks = Times(log, "ok");
        var bye = Times(log, "bye");
        Assert.That(bye, Has.Count.EqualTo(1), "the platform ended the session with a BYE\n" + Describe(result, log));

        // Sent at 0, 0.5, 1.5, 3.5, 7.5, then every 4 s (T2) until 64*T1 = 32 s: 11 in all.
        Assert.That(oks, Has.Count.InRange(10, 12), Describe(result, log));
        var gaps = oks.Zip(oks.Skip(1), (a, b) => b - a).ToList();
        Assert.That(gaps.Take(4), Is.EqualTo(new long[] { 500, 1000, 2000, 4000 }).Within(300), "T1 doubling\n" + Describe(result, log));
        Assert.That(gaps.Skip(4), Is.All.InRange(3600, 4500), "capped at T2\n" + Describe(result, log));
        Assert.That(bye[0] - oks[0], Is.InRange(31_000, 36_000), "the BYE comes after 64*T1\n" + Describe(result, log));

        await AssertOneRecordAsync("13900000072", "not-confirmed");
    }

    private async Task<(Sipp.Result Result, string[] Log)> RunCallerAsync(string scenario, TimeSpan timeout)
    {
        var logFile = Path.Combine(_work, Path.GetFileNameWithoutExtension(scenario) + ".log");
        var result = await Sipp.RunAsync(
            $"127.0.0.1:{_platform.SipPort}",
            timeout,
            "-sf", Path.Combine(AppContext.BaseDirectory, "Scenarios", scenario), "-s", "95500",
            "-m", "1", "-nr", "-trace_logs", "-log_file", logFile, "-timeout", $"{(int)timeout.TotalSeconds - 10}s", "-timeout_error");
        return (result, File.Exists(logFile) ? File.ReadAllLines(logFile) : []);
    }

    // The scenario logs "<what> <sipp's clock in ms> CSeq: <n> <method>" for each message it takes.
    private static List<string> Lines(string[] log, string what) =>
        [.. log.Where(l => l.StartsWith(what + " ", StringComparison.Ordinal))];

    private static List<long> Times(string[] log, string what) =>
        [.. Lines(log, what).Select(l => long.Parse(l.Split(' ')[1], CultureInfo.InvariantCulture))];

    private string Describe(Sipp.Result result, string[] log) =>
        $"sipp log:\n{string.Join("\n", log)}\nsipp:\n{result.Output}\nplatform:\n{_platform.Output}";

    private async Task AssertOneRecordAsync(string caller, string disposition)
    {
        var record = await _platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == caller, TimeSpan.FromSeconds(15));
        Assert.That(record, Is.Not.Null, $"no record for {caller}\n{_platform.Output}");

        // Give a second record the time to appear if there were one.
        await Task.Delay(1000);
        var (status, calls) = await _platform.GetApiAsync("api/calls?limit=100");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        var records = calls.EnumerateArray().Where(c => c.GetProperty("caller").GetString() == caller).ToList();
        Assert.That(records, Has.Count.EqualTo(1), $"exactly one record for {caller}");
        Assert.That(records[0].GetProperty("disposition").GetString(), Is.EqualTo(disposition), _platform.Output);
    }
}
