using System.Globalization;
using System.Text.Json;

namespace CallCenter.Integration.Tests;

/// <summary>
/// Account services on the 95500 line (main menu 2) with real sipp callers keying RFC 4733 events
/// replayed from sipp's own captures, against the built-in back office with the demo accounts:
/// verification (a wrong PIN, then the right one), the balance, a limit order that freezes cash, a
/// bank transfer that moves money once; and no PIN or account digits in the platform's log (at
/// Debug) or the call records.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public sealed class SelfServiceCallTests
{
    private const string Pin = "135790";
    private const string WrongPin = "975319";
    private PlatformProcess _platform = null!;
    private string _captures = null!;

    [OneTimeSetUp]
    public async Task StartPlatform()
    {
        _captures = Directory.CreateTempSubdirectory("self-service-dtmf-").FullName;
        _platform = await PlatformProcess.StartAsync("--Logging:LogLevel:Default=Debug");
    }

    [OneTimeTearDown]
    public async Task StopPlatform()
    {
        await _platform.DisposeAsync();
        Directory.Delete(_captures, recursive: true);
    }

    private async Task<JsonElement> CallAsync(string caller, params string[] steps)
    {
        var template = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Scenarios", "ivr-keys.xml"));
        var scenario = Path.Combine(Path.GetTempPath(), $"self-service-{Guid.NewGuid():N}.xml");
        await File.WriteAllTextAsync(scenario, template
            .Replace("{CALLER}", caller, StringComparison.Ordinal)
            .Replace("{KEYS}", DtmfKeys.Steps(_captures, steps), StringComparison.Ordinal));
        try
        {
            var result = await Sipp.RunAsync(
                $"127.0.0.1:{_platform.SipPort}",
                TimeSpan.FromSeconds(120),
                "-sf", scenario, "-s", "95500", "-m", "1", "-mp", FreeMediaPort(), "-timeout", "90s", "-timeout_error");
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
        CallCenter.TestSupport.FreePorts.UdpBlock(4).ToString(CultureInfo.InvariantCulture);

    private static List<string> PathOf(JsonElement record) =>
        [.. record.GetProperty("ivrPath").EnumerateArray().Select(e => e.GetString()!)];

    private async Task<JsonElement> AccountAsync(string account)
    {
        var (status, body) = await _platform.GetApiAsync("api/backoffice/accounts/" + account);
        Assert.That(status, Is.EqualTo(System.Net.HttpStatusCode.OK));
        return body;
    }

    /// <summary>Neither the log so far nor the call records hold the secrets keyed.</summary>
    private async Task AssertNoSecretsAsync(params string[] secrets)
    {
        // The test's own look-ups of the account over the API are logged with their path: not the caller's keys.
        var log = string.Join('\n', _platform.Output.Split('\n').Where(line => !line.Contains("api/backoffice/accounts/", StringComparison.Ordinal)));
        var (_, calls) = await _platform.GetApiAsync("api/calls?limit=100");
        Assert.That(log, Does.Contain("back office verifyPin"), "the log is at Debug and shows the self-service steps");
        foreach (var secret in secrets)
        {
            Assert.That(log, Does.Not.Contain(secret), "the platform log holds a secret keyed by the caller");
            Assert.That(calls.ToString(), Does.Not.Contain(secret), "GET /api/calls holds a secret keyed by the caller");
        }
    }

    [Test]
    public async Task AWrongPinThenTheRightOneVerifiesAndTheBalanceIsRead()
    {
        var record = await CallAsync("13800000002",
            "1", "+1500", "2", "+800", "880000000002#", "+500", WrongPin + "#", "+2500",
            "880000000002#", "+500", Pin + "#", "+2500", "1", "+4000");

        var path = PathOf(record);
        var verify = path.Select((node, i) => (node, i)).Where(p => p.node == "95500.verify").Select(p => p.i).ToList();
        Assert.That(verify, Has.Count.EqualTo(2), string.Join(" ", path) + "\n" + _platform.Output);
        Assert.That(path[verify[0] + 1], Is.EqualTo("95500.pinWrong"));
        Assert.That(path[verify[1] + 1], Is.EqualTo("95500.services"));
        Assert.That(path, Does.Contain("95500.balance").And.Contain("95500.balanceCash").And.Contain("95500.balanceAvailable"));
        await AssertNoSecretsAsync(Pin, WrongPin, "880000000002");
    }

    [Test]
    public async Task ALimitOrderKeyedByPhoneIsReadBackConfirmedAndFreezesTheCash()
    {
        var before = await AccountAsync("880000000001");
        var record = await CallAsync("13800000001",
            "1", "+1500", "2", "+800", "880000000001#", "+500", Pin + "#", "+2500",
            "4", "+800", "1", "+800", "600000#", "+1500", "10*2#", "+800", "200#", "+13000", "1", "+4000"); // the 1 after the read-back (about 11 s): keys during it are dropped

        var path = PathOf(record);
        Assert.That(path, Does.Contain("95500.readbackCode").And.Contain("95500.orderConfirm").And.Contain("95500.placeOrder"), string.Join(" ", path) + "\n" + _platform.Output);
        Assert.That(path, Does.Contain("95500.orderPlaced"));
        await AssertNoSecretsAsync(Pin, "880000000001");

        var after = await AccountAsync("880000000001");
        var order = after.GetProperty("orders").EnumerateArray().Single();
        Assert.Multiple(() =>
        {
            Assert.That(before.GetProperty("orders").GetArrayLength(), Is.Zero);
            Assert.That(order.GetProperty("code").GetString(), Is.EqualTo("600000"));
            Assert.That(order.GetProperty("side").GetString(), Is.EqualTo("buy"));
            Assert.That(order.GetProperty("price").GetDecimal(), Is.EqualTo(10.20m));
            Assert.That(order.GetProperty("quantity").GetInt64(), Is.EqualTo(200));
            Assert.That(order.GetProperty("status").GetString(), Is.EqualTo("open"), "a buy below the last price (10.50) waits");
            Assert.That(after.GetProperty("frozen").GetDecimal(), Is.EqualTo(2_040.00m));
            Assert.That(after.GetProperty("available").GetDecimal(), Is.EqualTo(before.GetProperty("available").GetDecimal() - 2_040.00m));
            Assert.That(after.GetProperty("cash").GetDecimal(), Is.EqualTo(before.GetProperty("cash").GetDecimal()));
        });
    }

    [Test]
    public async Task AnOpenOrderHeardInTodaysOrdersIsCancelledWithKey1AndReleasesTheCash()
    {
        var before = await AccountAsync("880000000004");

        // Verify, place a buy below the market (it stays open), then hear today's orders and press 1 at the offer.
        var record = await CallAsync("13800000004",
            "1", "+1500", "2", "+800", "880000000004#", "+500", Pin + "#", "+2500",
            "4", "+800", "1", "+800", "600000#", "+1500", "10*2#", "+800", "100#", "+13000", "1", "+5000",
            "3", "+18000", "1", "+5000");

        var path = PathOf(record);
        Assert.That(path, Does.Contain("95500.orderPlaced").And.Contain("95500.orderCancelOffer").And.Contain("95500.orderCancel"), string.Join(" ", path) + "\n" + _platform.Output);
        Assert.That(path, Does.Contain("95500.orderCancelled"), string.Join(" ", path));
        var after = await AccountAsync("880000000004");
        var order = after.GetProperty("orders").EnumerateArray().Single();
        Assert.Multiple(() =>
        {
            Assert.That(before.GetProperty("orders").GetArrayLength(), Is.Zero);
            Assert.That(order.GetProperty("status").GetString(), Is.EqualTo("cancelled"));
            Assert.That(after.GetProperty("frozen").GetDecimal(), Is.EqualTo(before.GetProperty("frozen").GetDecimal()), "the 1,020.00 the order froze is released");
            Assert.That(after.GetProperty("available").GetDecimal(), Is.EqualTo(before.GetProperty("available").GetDecimal()));
        });
        await AssertNoSecretsAsync(Pin, "880000000004");
    }

    [Test]
    public async Task ABankToBrokerageTransferMovesTheAmountExactlyOnce()
    {
        var before = await AccountAsync("880000000003");
        var record = await CallAsync("13800000003",
            "2", "+1500", "2", "+800", "880000000003#", "+500", Pin + "#", "+2500",
            "5", "+800", "1", "+800", "5000*5#", "+10000", "1", "+4000"); // the 1 after the read-back (about 6 s)

        var path = PathOf(record);
        Assert.That(path, Does.Contain("95500.en").And.Contain("95500.readbackIn").And.Contain("95500.transferDo").And.Contain("95500.transferDone"),
            string.Join(" ", path) + "\n" + _platform.Output);
        await AssertNoSecretsAsync(Pin, "880000000003");

        var after = await AccountAsync("880000000003");
        Assert.Multiple(() =>
        {
            Assert.That(after.GetProperty("cash").GetDecimal(), Is.EqualTo(before.GetProperty("cash").GetDecimal() + 5_000.50m));
            Assert.That(after.GetProperty("bankBalance").GetDecimal(), Is.EqualTo(before.GetProperty("bankBalance").GetDecimal() - 5_000.50m));
            var transfer = after.GetProperty("transfers").EnumerateArray().Single();
            Assert.That(transfer.GetProperty("direction").GetString(), Is.EqualTo("bankToBrokerage"));
            Assert.That(transfer.GetProperty("amount").GetDecimal(), Is.EqualTo(5_000.50m));
        });
    }
}
