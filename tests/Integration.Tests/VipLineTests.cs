using System.Globalization;
using System.Text.Json;

namespace CallCenter.Integration.Tests;

/// <summary>
/// The VIP line 95501 with the shipped configuration and real sipp callers: a Diamond client is greeted and
/// reaches the VIP queue and its team, their own account manager first; an unknown caller hears that the line is
/// for VIP clients (the bilingual prompt), goes on to the main hotline's menu (keys replayed from sipp's RFC 4733
/// captures) and is counted in today's metrics that the wallboard shows.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public sealed class VipLineTests
{
    private static readonly string[] _platform = ["--Sip:DigestAlgorithms:0=MD5", "--Sip:DigestAlgorithms:1=SHA-256", "--Agents:WrapUpSeconds=1"];

    private static async Task<JsonElement> RecordOf(PlatformProcess platform, string caller) =>
        await platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == caller, TimeSpan.FromSeconds(15))
        ?? throw new AssertionException($"no record for {caller}\n{platform.Output}");

    private static string[] PathOf(JsonElement record) => [.. record.GetProperty("ivrPath").EnumerateArray().Select(e => e.GetString()!)];

    private static async Task<int> TurnedAwayTodayAsync(PlatformProcess platform)
    {
        var (_, metrics) = await platform.GetApiAsync("api/metrics");
        return metrics.GetProperty("vipLineTurnedAway").GetInt32();
    }

    [Test]
    public async Task AnUnknownCallerHearsTheLineIsForVipsGoesOnToTheMainMenuAndIsCounted()
    {
        await using var platform = await PlatformProcess.StartAsync(_platform);
        var captures = Directory.CreateTempSubdirectory("vip-line-dtmf-").FullName;
        var scenario = Path.Combine(captures, "caller.xml");
        const string caller = "13900000123";
        try
        {
            // The notice (about 12 s, not interruptible), then 2 (English) at the main line's language
            // choice, then 0 (an agent) during its welcome or menu.
            var template = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Scenarios", "ivr-keys.xml"));
            await File.WriteAllTextAsync(scenario, template
                .Replace("{CALLER}", caller, StringComparison.Ordinal)
                .Replace("{KEYS}", DtmfKeys.Steps(captures, "+13500", "2", "+2500", "0", "+3000"), StringComparison.Ordinal));
            var result = await Sipp.RunAsync(
                $"127.0.0.1:{platform.SipPort}",
                TimeSpan.FromSeconds(90),
                "-sf", scenario, "-s", "95501", "-m", "1", "-mp", CallCenter.TestSupport.FreePorts.UdpBlock(4).ToString(CultureInfo.InvariantCulture),
                "-timeout", "60s", "-timeout_error");
            Assert.That(result.ExitCode, Is.Zero, result.Output + platform.Output);
        }
        finally
        {
            Directory.Delete(captures, recursive: true);
        }

        var record = await RecordOf(platform, caller);
        var path = PathOf(record);
        Assert.Multiple(async () =>
        {
            Assert.That(path.Take(2), Is.EqualTo(new[] { "95501.gate", "95501.vipOnly" }), record.ToString());
            Assert.That(path, Does.Not.Contain("95501.agent").And.Not.Contain("95501.welcome"), "never the VIP greeting or queue");
            Assert.That(path.SkipWhile(p => p != "95500.language"), Is.EqualTo(new[] { "95500.language", "95500.en", "95500.welcome", "95500.menu", "95500.agent" }), record.ToString());
            Assert.That(record.GetProperty("queue").GetString(), Is.EqualTo("general"));
            Assert.That(record.GetProperty("tier").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(await TurnedAwayTodayAsync(platform), Is.EqualTo(1), "counted in today's metrics (the wallboard's figure)");
        });
    }

    [Test]
    public async Task ADiamondClientIsGreetedAndReachesTheVipTeamTheirOwnManagerFirst()
    {
        await using var platform = await PlatformProcess.StartAsync(_platform);
        await using var idleLonger = await AgentPhone.StartAsync(platform, "1002");
        await Task.Delay(1000);
        await using var manager = await AgentPhone.StartAsync(platform, "1001", expectPai: "13800000001", expectDisplay: "Diamond");

        await using var caller = AgentPhone.StartCaller(platform, "13800000001", holdMilliseconds: 12_000);
        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(60));
        var managerResult = await manager.WaitAsync(TimeSpan.FromSeconds(30));
        var record = await RecordOf(platform, "13800000001");

        Assert.Multiple(async () =>
        {
            Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), callerResult.Output);
            Assert.That(managerResult.SuccessfulCalls, Is.EqualTo(1), managerResult.Output + platform.Output);
            Assert.That(PathOf(record), Is.EqualTo(new[] { "95501.gate", "95501.welcome", "95501.agent" }), record.ToString());
            Assert.That(record.GetProperty("queue").GetString(), Is.EqualTo("vip"));
            Assert.That(record.GetProperty("agent").GetString(), Is.EqualTo("1001"), record.ToString());
            Assert.That(record.GetProperty("routing").GetString(), Does.Contain("by Relationship"));
            Assert.That(await TurnedAwayTodayAsync(platform), Is.Zero, "a VIP is not turned away");
        });
    }
}
