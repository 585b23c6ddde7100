using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;

namespace CallCenter.Integration.Tests;

/// <summary>
/// Issue 14's "verified by PIN" on the agent's screen pop, end to end: a sipp caller on 95500 keys a demo
/// account and its trading PIN (RFC 4733 events), then 0 for an agent; agent 1001's desk (the agent hub, signed
/// in as the browser does) gets a pop marked verified by PIN, with neither the PIN nor the whole account in it.
/// A second caller, known only by the number they call from, asks for an agent from the main menu: the pop
/// names them but is not marked verified and carries no balances.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public sealed class SelfServicePopTests
{
    private const string Pin = "135790";
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(60);

    [Test]
    public async Task APinVerifiedCallerPopsAsVerifiedByPinAndOneKnownOnlyByNumberDoesNot()
    {
        var captures = Directory.CreateTempSubdirectory("self-service-pop-").FullName;
        try
        {
            await using var platform = await PlatformProcess.StartAsync("--Agents:WrapUpSeconds=1");
            await using var phone = await AgentPhone.StartAsync(platform, "1001", calls: 2);
            await using var desk = await DeskHubCallTests.SignedInHubAsync(platform, "1001", "demo-1001");
            var pops = Inbox(desk, "pop");
            await desk.InvokeAsync<JsonElement>("current");

            // Verified: account and PIN in account services, then 0 (an agent) from the account menu.
            var verified = await CallAsync(platform, captures, pops, "13800000005",
                "1", "+1500", "2", "+800", "880000000005#", "+500", Pin + "#", "+2500", "0", "+10000");

            // Known only by number (the agent's wrap-up of 1 s may still run: the call waits in the queue for it): 0 (an agent) from the main menu.
            var byNumber = await CallAsync(platform, captures, pops, "13800000006", "1", "+1500", "0", "+10000");
            var phoneResult = await phone.WaitAsync(_wait);

            Assert.Multiple(() =>
            {
                Assert.That(verified.GetProperty("caller").GetString(), Is.EqualTo("13800000005"));
                Assert.That(verified.GetProperty("verifiedByPin").GetBoolean(), Is.True, verified.ToString());
                Assert.That(verified.GetProperty("verifiedAccountMasked").GetString(), Is.EqualTo("********0005"), "the account the PIN proves");
                Assert.That(verified.GetProperty("callerVerified").GetBoolean(), Is.True);
                Assert.That(verified.ToString(), Does.Not.Contain(Pin).And.Not.Contain("880000000005"), "no PIN and no whole account on the desk");

                Assert.That(byNumber.GetProperty("caller").GetString(), Is.EqualTo("13800000006"));
                Assert.That(byNumber.GetProperty("name").GetString(), Is.EqualTo("陈静"), "known by the number");
                Assert.That(byNumber.GetProperty("verifiedByPin").GetBoolean(), Is.False, byNumber.ToString());
                Assert.That(byNumber.GetProperty("verifiedAccountMasked").ValueKind, Is.EqualTo(JsonValueKind.Null));
                Assert.That(byNumber.EnumerateObject().Select(p => p.Name.ToUpperInvariant()),
                    Has.None.Contains("CASH").And.None.Contains("BALANCE").And.None.Contains("POSITION").And.None.Contains("AVAILABLE"),
                    "no balances for a caller identified only by number");
                Assert.That(byNumber.ToString(), Does.Not.Contain("100000"), "not the demo account's cash either");
                Assert.That(phoneResult.SuccessfulCalls, Is.EqualTo(2), phoneResult.Output + platform.Output);
            });
        }
        finally
        {
            Directory.Delete(captures, recursive: true);
        }
    }

    /// <summary>Calls 95500 as <paramref name="caller"/> keying <paramref name="steps"/>; the pop the agent's desk got for it.</summary>
    private static async Task<JsonElement> CallAsync(PlatformProcess platform, string captures, ChannelReader<JsonElement> pops, string caller, params string[] steps)
    {
        var template = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Scenarios", "ivr-keys.xml"));
        var scenario = Path.Combine(captures, $"pop-{caller}.xml");
        var keys = Directory.CreateDirectory(Path.Combine(captures, caller)).FullName;
        await File.WriteAllTextAsync(scenario, template
            .Replace("{CALLER}", caller, StringComparison.Ordinal)
            .Replace("{KEYS}", DtmfKeys.Steps(keys, steps), StringComparison.Ordinal));
        await using var sipp = Sipp.Start($"127.0.0.1:{platform.SipPort}", ["-sf", scenario, "-s", "95500", "-m", "1", "-timeout", "90s", "-timeout_error"]);
        JsonElement pop;
        try
        {
            pop = await pops.ReadAsync().AsTask().WaitAsync(_wait);
        }
        catch (TimeoutException)
        {
            throw new AssertionException($"no pop for {caller}\n{platform.Output}");
        }

        var result = await sipp.WaitAsync(TimeSpan.FromSeconds(120));
        Assert.That(result.ExitCode, Is.Zero, result.Output + platform.Output);
        return pop;
    }

    private static ChannelReader<JsonElement> Inbox(HubConnection connection, string method)
    {
        var inbox = Channel.CreateUnbounded<JsonElement>();
        connection.On<JsonElement>(method, m => inbox.Writer.TryWrite(m));
        return inbox.Reader;
    }
}
