using CallCenter.BackOffice.Rules;
using CallCenter.Contracts.BackOffice;
using CallCenter.Data;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallCenter.BackOffice.Tests;

/// <summary>A step cut in the middle (the process dies, the caller hangs up) leaves nothing done, and its key free.</summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Providers))]
public sealed class StepLedgerTests(string provider)
{
    private const string Account = "880000000001";

    [Test]
    public async Task AStepThatFailsAfterItsFirstWritesLeavesNothingAndItsKeyFree()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        await BackOfficeDemo.SeedAsync(db.Factory, default);
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 12, 4, 2, 0, 0, TimeSpan.Zero));
        var context = new OperationContext("call-1", "call-1:transfer", null);

        Assert.That(
            async () => await StepLedger.RunAsync(db.Factory, time, "transfer", Account, "BankToBrokerage 1000", context, new TransferResult(null, TransferRefusal.KeyReused), async (connection, transaction, _) =>
            {
                await connection.ExecuteAsync("UPDATE bo_accounts SET cash_fen = cash_fen + 100000 WHERE account = @Account", new { Account }, transaction);
                await connection.ExecuteAsync("UPDATE bo_bank_links SET balance_fen = balance_fen - 100000 WHERE account = @Account", new { Account }, transaction);
                throw new IOException("the process died here");
            }, default),
            Throws.InstanceOf<IOException>());

        await using (var connection = await db.Factory.OpenAsync())
        {
            Assert.That(await connection.ExecuteScalarAsync<long>("SELECT cash_fen FROM bo_accounts WHERE account = @Account", new { Account }), Is.EqualTo(10_000_000));
            Assert.That(await connection.ExecuteScalarAsync<long>("SELECT balance_fen FROM bo_bank_links WHERE account = @Account", new { Account }), Is.EqualTo(20_000_000));
            Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM bo_requests"), Is.Zero);
            Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM bo_audit"), Is.Zero);
        }

        // The retry after the restart does it, once.
        var backOffice = new BuiltInBackOffice(db.Factory, new BackOfficeOptions(), time, NullLogger<BuiltInBackOffice>.Instance);
        var request = new TransferRequest(Account, TransferDirection.BankToBrokerage, 1_000m);
        var done = await backOffice.TransferAsync(request, context, default);
        var again = await backOffice.TransferAsync(request, context, default);
        Assert.That(done.IsDone, Is.True);
        Assert.That(again, Is.EqualTo(done));
        Assert.That((await backOffice.GetFundsAsync(Account, default))!.Cash, Is.EqualTo(101_000m));
    }

    [Test]
    public void LogsShowOnlyTheAccountsLastFourDigits()
    {
        Assert.That(AccountMask.Mask("880000000001"), Is.EqualTo("********0001"));
        Assert.That(AccountMask.Mask("12"), Is.EqualTo("****"));
    }
}
