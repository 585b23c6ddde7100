using System.Data;
using System.Data.Common;
using CallCenter.Data;
using CallCenter.TestSupport;
using Dapper;

namespace CallCenter.Data.Tests;

/// <summary>A writer's kept connection: its statements serve batch after batch; after a failure it starts again clean.</summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Providers))]
public sealed class WriterConnectionTests(string provider)
{
    private const string Insert = "INSERT INTO events (at_ms, call_id, agent, kind, detail) VALUES (@at_ms, @call_id, NULL, @kind, NULL)";

    [Test]
    public async Task AStatementIsMadeOnceAndServesEveryLaterBatch()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        await using var writer = new WriterConnection(db.Factory);

        await writer.BeginAsync(CancellationToken.None);
        var first = writer.Statement(Insert, ("at_ms", DbType.Int64), ("call_id", DbType.String), ("kind", DbType.String));
        await RunAsync(first, "a");
        await writer.CommitAsync(CancellationToken.None);

        await writer.BeginAsync(CancellationToken.None);
        var second = writer.Statement(Insert, ("at_ms", DbType.Int64), ("call_id", DbType.String), ("kind", DbType.String));
        await RunAsync(second, "b");
        await writer.CommitAsync(CancellationToken.None);

        Assert.That(second, Is.SameAs(first), "the second batch runs the first batch's statement");
        Assert.That(await CallIdsAsync(db), Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public async Task AFailedBatchLeavesNothingAndTheNextBatchAfterAResetStartsOnANewConnection()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        await using var writer = new WriterConnection(db.Factory);

        await writer.BeginAsync(CancellationToken.None);
        var kept = writer.Statement(Insert, ("at_ms", DbType.Int64), ("call_id", DbType.String), ("kind", DbType.String));
        await RunAsync(kept, "rolled-back");
        var missing = writer.Statement("INSERT INTO no_such_table (x) VALUES (@x)", ("x", DbType.Int32));
        missing.Set(0, 1);
        Assert.That(async () => await missing.RunAsync(CancellationToken.None), Throws.InstanceOf<DbException>());
        Assert.That(async () => await writer.BeginAsync(CancellationToken.None), Throws.InvalidOperationException, "a batch is open until it is committed or reset");
        await writer.ResetAsync();

        await writer.BeginAsync(CancellationToken.None);
        var again = writer.Statement(Insert, ("at_ms", DbType.Int64), ("call_id", DbType.String), ("kind", DbType.String));
        await RunAsync(again, "after");
        await writer.CommitAsync(CancellationToken.None);

        Assert.That(again, Is.Not.SameAs(kept), "a reset drops the statements with their connection");
        Assert.That(await CallIdsAsync(db), Is.EqualTo(new[] { "after" }), "the failed batch's row was rolled back");
    }

    private static async Task RunAsync(RowStatement statement, string callId)
    {
        statement.Set(0, 1L);
        statement.Set(1, callId);
        statement.Set(2, "call.ended");
        await statement.RunAsync(CancellationToken.None);
    }

    private static async Task<string[]> CallIdsAsync(TestDatabase db)
    {
        await using var connection = await db.Factory.OpenAsync();
        return [.. await connection.QueryAsync<string>("SELECT call_id FROM events ORDER BY seq")];
    }
}
