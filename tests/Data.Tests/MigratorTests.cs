using Dapper;

namespace CallCenter.Data.Tests;

[TestFixtureSource(typeof(CallCenter.TestSupport.TestDatabases), nameof(CallCenter.TestSupport.TestDatabases.Providers))]
public sealed class MigratorTests(string provider)
{
    [Test]
    public async Task MigratorCreatesTheSchemaOnceAndIsIdempotent()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var migrator = new Migrator(db.Factory);

        var first = await migrator.MigrateAsync();
        var second = await migrator.MigrateAsync();

        Assert.That(first, Is.EqualTo(Migrator.Scripts(db.Factory.Dialect).Count()).And.GreaterThan(0));
        Assert.That(second, Is.Zero);
        await using var connection = await db.Factory.OpenAsync();
        var bindings = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sip_bindings");
        Assert.That(bindings, Is.Zero);
    }

    [Test]
    public async Task NodesStartingTogetherMigrateTheSchemaOnceBetweenThem()
    {
        if (provider != "postgres")
        {
            Assert.Ignore("Only PostgreSQL is shared by several nodes.");
        }

        await using var db = await TestDatabase.CreateAsync(provider);

        // Four nodes at once on one fresh database: one applies every script, the others wait and find them done.
        var counts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => new Migrator(db.Factory).MigrateAsync())));

        Assert.That(counts.Sum(), Is.EqualTo(Migrator.Scripts(db.Factory.Dialect).Count()));
        Assert.That(counts.Count(c => c > 0), Is.EqualTo(1));
    }

    [Test]
    public void BothDialectsShipTheSameMigrationVersions()
    {
        var sqlite = Migrator.Scripts(SqlDialect.Sqlite).Select(s => s.Version);
        var postgres = Migrator.Scripts(SqlDialect.Postgres).Select(s => s.Version);

        Assert.That(sqlite, Is.EqualTo(postgres));
    }
}
