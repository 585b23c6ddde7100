using System.Text.Json;

namespace CallCenter.Integration.Tests;

/// <summary>
/// Real sipp callers on the hotline's IVR: audio from sipp's A-law capture and keys as RFC 4733
/// events replayed from sipp's own DTMF captures; the call record's ivrPath shows the flow taken.
/// </summary>
[NonParallelizable]
public sealed class IvrCallTests
{
    private const string Captures = "/usr/share/sip-tester";
    private PlatformProcess _platform = null!;

    [OneTimeSetUp]
    public async Task StartPlatform() => _platform = await PlatformProcess.StartAsync();

    [OneTimeTearDown]
    public async Task StopPlatform() => await _platform.DisposeAsync();

    private async Task<JsonElement> CallAsync(string caller, string firstKey, string secondKey, int holdMilliseconds = 6000)
    {
        var template = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Scenarios", "ivr-dtmf.xml"));
        string Capture(string key) => Path.Combine(Captures, $"dtmf_2833_{key}.pcap");
        Assert.That(File.Exists(Capture(firstKey)), Is.True, "sipp's DTMF captures are missing: scripts/test.sh installs sip-tester");
        var scenario = Path.Combine(Path.GetTempPath(), $"ivr-{Guid.NewGuid():N}.xml");
        await File.WriteAllTextAsync(scenario, template
            .Replace("{CALLER}", caller, StringComparison.Ordinal)
            .Replace("{FIRST_DIGIT_PCAP}", Capture(firstKey), StringComparison.Ordinal)
            .Replace("{SECOND_DIGIT_PCAP}", Capture(secondKey), StringComparison.Ordinal)
            .Replace("{HOLD_MS}", holdMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        try
        {
            var result = await Sipp.RunAsync(
                $"127.0.0.1:{_platform.SipPort}",
                TimeSpan.FromSeconds(60),
                "-sf", scenario, "-s", "95500", "-m", "1", "-mp", FreeMediaPort(), "-timeout", "30s", "-timeout_error");
            Assert.That(result.ExitCode, Is.Zero, result.Output + _platform.Output);
        }
        finally
        {
            File.Delete(scenario);
        }

        var record = await _platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == caller, TimeSpan.FromSeconds(10));
        Assert.That(record, Is.Not.Null, "no call record\n" + _platform.Output);
        return record!.Value;
    }

    private static string FreeMediaPort() =>
        CallCenter.TestSupport.FreePorts.UdpBlock(4).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string[] IvrPathOf(JsonElement record) =>
        [.. record.GetProperty("ivrPath").EnumerateArray().Select(e => e.GetString()!)];

    [Test]
    public async Task CallerChoosesChineseThenAnAgentAndIsQueued()
    {
        var record = await CallAsync("13800000002", "1", "0");

        Assert.That(IvrPathOf(record), Is.EqualTo(new[] { "95500.language", "95500.zh", "95500.welcome", "95500.menu", "95500.agent" }));
        Assert.That(record.GetProperty("queue").GetString(), Is.EqualTo("general"));
        Assert.That(record.GetProperty("tier").GetString(), Is.EqualTo("Platinum"));
    }

    [Test]
    public async Task QueuedCallerIsCountedByTierWhileWaitingAndNotAfterHangingUp()
    {
        var call = CallAsync("13800000001", "1", "0", holdMilliseconds: 12000);
        JsonElement? general = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!call.IsCompleted && DateTime.UtcNow < deadline && general is null)
        {
            var (_, queues) = await _platform.GetApiAsync("api/queues");
            var queue = queues.EnumerateArray().FirstOrDefault(q => q.GetProperty("id").GetString() == "general");
            if (queue.ValueKind == JsonValueKind.Object && queue.GetProperty("waiting").GetInt32() > 0)
            {
                general = queue;
            }

            await Task.Delay(200);
        }

        await call;
        var (_, afterwards) = await _platform.GetApiAsync("api/queues");

        Assert.That(general, Is.Not.Null, "the caller never showed up in queue general\n" + _platform.Output);
        Assert.That(general!.Value.GetProperty("waiting").GetInt32(), Is.EqualTo(1));
        Assert.That(general.Value.GetProperty("waitingByTier").GetProperty("Diamond").GetInt32(), Is.EqualTo(1));
        Assert.That(afterwards.EnumerateArray().Single(q => q.GetProperty("id").GetString() == "general").GetProperty("waiting").GetInt32(), Is.Zero);
    }

    [Test]
    public async Task CallerChoosesEnglishThenAServiceThatIsComingAndTheMenuReturns()
    {
        var record = await CallAsync("13900000077", "2", "4");

        // The caller hangs up while "coming soon" plays, or after the menu came back: either way the
        // path starts with the English branch and the appointments node, and no queue was chosen.
        Assert.That(IvrPathOf(record).Take(5), Is.EqualTo(new[] { "95500.language", "95500.en", "95500.welcome", "95500.menu", "95500.appointments" }));
        Assert.That(record.GetProperty("queue").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }
}
