using System.Globalization;
using System.Text.Json;

namespace CallCenter.Integration.Tests;

/// <summary>
/// A calling number picks a client's tier, routing and pop only when the call comes from a trusted
/// peer (Sip:TrustedPeers): from anywhere else anyone can claim a VIP's number (issue 12, part 4).
/// </summary>
[NonParallelizable]
public sealed class TrustedPeersTests
{
    private const string Diamond = "13800000001";

    private static Sipp.Running Call(PlatformProcess platform, string caller) =>
        Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("caller.xml", new()
            {
                ["{CALLER}"] = caller,
                ["{WAIT_MS}"] = 3000.ToString(CultureInfo.InvariantCulture),
                ["{TALK_MS}"] = "0",
            }),
            "-s", "95500", "-m", "1", "-timeout", "60s", "-timeout_error"]);

    private static async Task<(JsonElement Record, long Untrusted)> CallAsDiamondAsync(PlatformProcess platform)
    {
        await using var caller = Call(platform, Diamond);
        var result = await caller.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.That(result.SuccessfulCalls, Is.EqualTo(1), result.Output + platform.Output);
        var record = await platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == Diamond, TimeSpan.FromSeconds(15))
            ?? throw new AssertionException("no record\n" + platform.Output);
        using var health = JsonDocument.Parse(await platform.GetStringAsync("health"));
        return (record, health.RootElement.GetProperty("calls").GetProperty("untrustedCallerIds").GetInt64());
    }

    [Test]
    public async Task AVipsNumberFromAnUntrustedPeerIsAnUnknownCaller()
    {
        // Loopback is not trusted here: both shipped entries are replaced.
        await using (var untrusting = await PlatformProcess.StartAsync("--Sip:TrustedPeers:0=10.9.9.9", "--Sip:TrustedPeers:1=10.9.9.10/31"))
        {
            var (record, untrusted) = await CallAsDiamondAsync(untrusting);
            Assert.Multiple(() =>
            {
                Assert.That(record.GetProperty("tier").ValueKind, Is.EqualTo(JsonValueKind.Null), record.ToString());
                Assert.That(untrusted, Is.EqualTo(1));
            });
        }

        // The same call from a trusted peer (the shipped configuration trusts loopback) is the Diamond client.
        await using var trusting = await PlatformProcess.StartAsync();
        var (trustedRecord, none) = await CallAsDiamondAsync(trusting);
        Assert.Multiple(() =>
        {
            Assert.That(trustedRecord.GetProperty("tier").GetString(), Is.EqualTo("Diamond").IgnoreCase, trustedRecord.ToString());
            Assert.That(none, Is.Zero);
            Assert.That(trusting.Output, Does.Not.Contain("Demo data is on"), "SIP on loopback only: no warning");
        });
    }

    [Test]
    public async Task DemoDataOnANetworkAddressIsWarnedAbout()
    {
        await using var platform = await PlatformProcess.StartAsync("--Sip:Address=0.0.0.0");
        Assert.That(platform.Output, Does.Contain("Demo data is on"));
    }

    [Test]
    public async Task ATrustedPeerThatIsNotAnAddressStopsStartUpNamingTheKey()
    {
        var exception = Assert.ThrowsAsync<InvalidOperationException>(async () => await PlatformProcess.StartAsync("--Sip:TrustedPeers:0=carrier.example"));
        Assert.That(exception!.Message, Does.Contain("Sip:TrustedPeers"));
        await Task.CompletedTask;
    }
}
