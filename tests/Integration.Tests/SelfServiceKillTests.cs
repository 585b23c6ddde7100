using System.Globalization;
using Microsoft.Data.Sqlite;

namespace CallCenter.Integration.Tests;

/// <summary>
/// The process is killed (SIGKILL) in the middle of a transfer keyed by a real sipp caller: right
/// after the IVR asked the back office to move the money. After a restart on the same database the
/// account shows the transfer done once or not at all, never half, and the audit agrees.
/// </summary>
[NonParallelizable]
public sealed class SelfServiceKillTests
{
    private const string Account = "880000000004";

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task AProcessKilledMidTransferLeavesItDoneOnceOrNotAtAll()
    {
        var shared = Directory.CreateTempSubdirectory("callcenter-kill-transfer-").FullName;
        var database = Path.Combine(shared, "callcenter.db");
        string[] arguments =
        [
            "--Database:ConnectionString=Data Source=" + database,
            "--Recording:Directory=" + Path.Combine(shared, "recordings"),
            "--Logging:LogLevel:Default=Debug",
        ];
        try
        {
            string output;
            (decimal Cash, decimal Bank) before;
            var platform = await PlatformProcess.StartAsync(arguments);
            try
            {
                before = await BalancesAsync(platform);
                var scenario = Path.Combine(shared, "transfer.xml");
                var template = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Scenarios", "ivr-keys.xml"));
                await File.WriteAllTextAsync(scenario, template
                    .Replace("{CALLER}", "13800000004", StringComparison.Ordinal)
                    .Replace("{KEYS}", DtmfKeys.Steps(shared,
                        "1", "+1500", "2", "+800", Account + "#", "+500", "135790#", "+2500",
                        "5", "+800", "2", "+800", "3000#", "+9000", "1", "+30000"), StringComparison.Ordinal));
                await using var caller = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
                    "-sf", scenario, "-s", "95500", "-m", "1", "-timeout", "120s", "-timeout_error"]);

                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (!platform.Output.Contains("back office transfer at", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(5);
                }

                output = platform.Output;
                Assert.That(output, Does.Contain("back office transfer at"), "the transfer was never asked for\n" + output);
            }
            finally
            {
                await platform.DisposeAsync(); // SIGKILL: no shutdown, no drain
            }

            await using var restarted = await PlatformProcess.StartAsync(arguments);
            var after = await BalancesAsync(restarted);
            var (transfers, audited) = await TransfersAsync(database);

            Assert.That(transfers, Is.EqualTo(audited), "every transfer has its audit row and no audit row lacks its transfer");
            if (transfers == 0)
            {
                Assert.That(after, Is.EqualTo(before), "not done: nothing moved\n" + output);
            }
            else
            {
                Assert.That(transfers, Is.EqualTo(1), "done once");
                Assert.That(after, Is.EqualTo((before.Cash - 3_000m, before.Bank + 3_000m)), "done: moved exactly once\n" + output);
            }

            TestContext.Out.WriteLine(transfers == 0 ? "killed before the commit" : "killed after the commit");
        }
        finally
        {
            CallCenter.TestSupport.TestDatabases.DeleteSqliteFile(database);
            Directory.Delete(shared, recursive: true);
        }
    }

    private static async Task<(decimal Cash, decimal Bank)> BalancesAsync(PlatformProcess platform)
    {
        var (_, body) = await platform.GetApiAsync("api/backoffice/accounts/" + Account);
        return (body.GetProperty("cash").GetDecimal(), body.GetProperty("bankBalance").GetDecimal());
    }

    private static async Task<(long Transfers, long Audited)> TransfersAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        async Task<long> CountAsync(string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$account", Account);
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }

        return (await CountAsync("SELECT COUNT(*) FROM bo_transfers WHERE account = $account"),
            await CountAsync("SELECT COUNT(*) FROM bo_audit WHERE account = $account AND action = 'transfer' AND outcome = 'Done'"));
    }
}
