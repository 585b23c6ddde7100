using System.Globalization;
using Microsoft.Data.Sqlite;

namespace CallCenter.Integration.Tests;

/// <summary>
/// Callers who hang up in the middle of a self-service step (issue 14, "nothing lost, nothing doubled"), with
/// real sipp callers keying RFC 4733 events on 95500: one confirms a transfer and hangs up at once (BYE right
/// after the confirm key), one hangs up while the amount is read back, before confirming. Afterwards the
/// account (GET /api/backoffice/accounts/{account}) and the back office's audit show the first transfer done
/// exactly once and the second not at all.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public sealed class SelfServiceHangUpTests
{
    private const string Pin = "135790";
    private PlatformProcess _platform = null!;
    private string _captures = null!;

    [OneTimeSetUp]
    public async Task StartPlatform()
    {
        _captures = Directory.CreateTempSubdirectory("self-service-hang-up-").FullName;
        _platform = await PlatformProcess.StartAsync("--Logging:LogLevel:Default=Information");
    }

    [OneTimeTearDown]
    public async Task StopPlatform()
    {
        await _platform.DisposeAsync();
        Directory.Delete(_captures, recursive: true);
    }

    [Test]
    public async Task ACallerWhoHangsUpRightAfterTheConfirmKeyHasTheTransferDoneExactlyOnce()
    {
        const string account = "880000000004";
        var before = await BalancesAsync(account);

        // Brokerage → bank 3,000.00; the confirm key after the read-back (about 6 s: keys during it are dropped), and the
        // BYE leaves 350 ms after it (no pause to hear "done").
        var path = await CallAsync("13800000004",
            "1", "+1500", "2", "+800", account + "#", "+500", Pin + "#", "+2500",
            "5", "+800", "2", "+800", "3000#", "+9000", "1");

        Assert.That(path, Does.Contain("95500.readbackOut").And.Contain("95500.transferDo"), string.Join(" ", path) + "\n" + _platform.Output);

        // The step runs off the call's loop and may finish after the hang-up: wait for it, then make sure it stays once.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((await TransfersAsync(account)).Rows == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        await Task.Delay(2000);
        var after = await BalancesAsync(account);
        var (rows, audited, anyAudit) = await TransfersAsync(account);
        Assert.Multiple(() =>
        {
            Assert.That(rows, Is.EqualTo(1), "one transfer row\n" + _platform.Output);
            Assert.That(audited, Is.EqualTo(1), "one audit row saying done");
            Assert.That(anyAudit, Is.EqualTo(1), "no second attempt audited");
            Assert.That(after.Cash, Is.EqualTo(before.Cash - 3_000m));
            Assert.That(after.Bank, Is.EqualTo(before.Bank + 3_000m));
            Assert.That(after.Transfers, Is.EqualTo(before.Transfers + 1), "the API lists it once");
        });
    }

    [Test]
    public async Task ACallerWhoHangsUpDuringTheAmountReadBackHasNothingDone()
    {
        const string account = "880000000006";
        var before = await BalancesAsync(account);

        // Bank → brokerage 2,000.00; the BYE leaves 700 ms into the read-back, before the confirm menu.
        var path = await CallAsync("13800000006",
            "1", "+1500", "2", "+800", account + "#", "+500", Pin + "#", "+2500",
            "5", "+800", "1", "+800", "2000#", "+700");

        Assert.That(path, Does.Contain("95500.readbackIn"), string.Join(" ", path) + "\n" + _platform.Output);
        Assert.That(path, Does.Not.Contain("95500.transferDo"));
        await Task.Delay(2000);
        var after = await BalancesAsync(account);
        var (rows, _, anyAudit) = await TransfersAsync(account);
        Assert.Multiple(() =>
        {
            Assert.That(rows, Is.Zero, "no transfer row");
            Assert.That(anyAudit, Is.Zero, "nothing audited: nothing was asked of the back office");
            Assert.That(after, Is.EqualTo(before), "the balances are untouched");
        });
    }

    /// <summary>Calls 95500 as <paramref name="caller"/> keying <paramref name="steps"/>, then sends BYE; the call's IVR path.</summary>
    private async Task<List<string>> CallAsync(string caller, params string[] steps)
    {
        var template = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Scenarios", "ivr-keys.xml"));
        var scenario = Path.Combine(_captures, $"hang-up-{caller}.xml");
        await File.WriteAllTextAsync(scenario, template
            .Replace("{CALLER}", caller, StringComparison.Ordinal)
            .Replace("{KEYS}", DtmfKeys.Steps(_captures, steps), StringComparison.Ordinal));
        var result = await Sipp.RunAsync($"127.0.0.1:{_platform.SipPort}", TimeSpan.FromSeconds(120),
            "-sf", scenario, "-s", "95500", "-m", "1", "-timeout", "90s", "-timeout_error");
        Assert.That(result.ExitCode, Is.Zero, result.Output + _platform.Output);
        var record = await _platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == caller, TimeSpan.FromSeconds(10));
        Assert.That(record, Is.Not.Null, "no call record\n" + _platform.Output);
        return [.. record!.Value.GetProperty("ivrPath").EnumerateArray().Select(e => e.GetString()!)];
    }

    private async Task<(decimal Cash, decimal Bank, int Transfers)> BalancesAsync(string account)
    {
        var (status, body) = await _platform.GetApiAsync("api/backoffice/accounts/" + account);
        Assert.That(status, Is.EqualTo(System.Net.HttpStatusCode.OK));
        return (body.GetProperty("cash").GetDecimal(), body.GetProperty("bankBalance").GetDecimal(), body.GetProperty("transfers").GetArrayLength());
    }

    /// <summary>The account's transfer rows, its audit rows of a transfer done, and all its transfer audit rows, read from the platform's database.</summary>
    private async Task<(long Rows, long Audited, long AnyAudit)> TransfersAsync(string account)
    {
        var database = Path.Combine(_platform.WorkDirectory, "callcenter.db");
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        async Task<long> CountAsync(string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$account", account);
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }

        return (await CountAsync("SELECT COUNT(*) FROM bo_transfers WHERE account = $account"),
            await CountAsync("SELECT COUNT(*) FROM bo_audit WHERE account = $account AND action = 'transfer' AND outcome = 'Done'"),
            await CountAsync("SELECT COUNT(*) FROM bo_audit WHERE account = $account AND action = 'transfer'"));
    }
}
