using Npgsql;

namespace CallCenter.Data.Tests;

/// <summary>The name of the database a node reads: the same for nodes on one database, different for databases of their own.</summary>
public sealed class StoreIdentityTests
{
    [Test]
    public async Task TwoFactoriesOnOneSqliteFileNameItAlikeAndAnotherFileDifferently()
    {
        var first = TestDatabases.NewSqliteFile();
        var second = TestDatabases.NewSqliteFile();
        try
        {
            var a = await new StoreIdentity(Sqlite(first)).NameAsync();
            var b = await new StoreIdentity(Sqlite(first)).NameAsync();
            var c = await new StoreIdentity(Sqlite(second)).NameAsync();

            Assert.That(a, Is.EqualTo(b));
            Assert.That(c, Is.Not.EqualTo(a));
            Assert.That(a, Does.Match("^[0-9a-f]{16}$"), "a hash: the file's path is not shown to the wallboard's browsers");
            Assert.That(a, Does.Not.Contain(Path.GetFileNameWithoutExtension(first)));
        }
        finally
        {
            TestDatabases.DeleteSqliteFile(first);
            TestDatabases.DeleteSqliteFile(second);
        }
    }

    [Test]
    public async Task TwoNodesOnOnePostgresDatabaseByDifferentAddressesNameItAlikeAndAnotherDatabaseDifferently()
    {
        await using var one = await TestDatabase.CreateAsync("postgres");
        await using var other = await TestDatabase.CreateAsync("postgres");

        // Node 2 reaches the same server by another name for it: still one database.
        var byName = new NpgsqlConnectionStringBuilder(one.Options.ConnectionString) { Host = "localhost" };
        var nodeTwo = new DbConnectionFactory(new DatabaseOptions { Provider = "postgres", ConnectionString = byName.ToString() });

        var a = await new StoreIdentity(one.Factory).NameAsync();
        var b = await new StoreIdentity(nodeTwo).NameAsync();
        var c = await new StoreIdentity(other.Factory).NameAsync();

        Assert.That(b, Is.EqualTo(a));
        Assert.That(c, Is.Not.EqualTo(a));
    }

    private static DbConnectionFactory Sqlite(string file) =>
        new(new DatabaseOptions { Provider = "sqlite", ConnectionString = "Data Source=" + file });
}
