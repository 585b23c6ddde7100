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
    public void BothDialectsShipTheSameMigrationVersions()
    {
        var sqlite = Migrator.Scripts(SqlDialect.Sqlite).Select(s => s.Version);
        var postgres = Migrator.Scripts(SqlDialect.Postgres).Select(s => s.Version);

        Assert.That(sqlite, Is.EqualTo(postgres));
    }
}
