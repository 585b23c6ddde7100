using CallCenter.Data;
using Npgsql;
using NUnit.Framework;

namespace CallCenter.TestSupport;

/// <summary>A fresh, empty database of one provider for one test; dropped afterwards (the Data and FaxSms tests).</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _sqliteFile;
    private readonly string? _postgresName;

    private TestDatabase(DatabaseOptions options, string? sqliteFile, string? postgresName)
    {
        Options = options;
        _sqliteFile = sqliteFile;
        _postgresName = postgresName;
        Factory = new DbConnectionFactory(options);
    }

    public DatabaseOptions Options { get; }

    public DbConnectionFactory Factory { get; }

    public static async Task<TestDatabase> CreateAsync(string provider)
    {
        if (provider == "sqlite")
        {
            var file = TestDatabases.NewSqliteFile();
            return new TestDatabase(new DatabaseOptions { Provider = "sqlite", ConnectionString = "Data Source=" + file }, file, null);
        }

        var admin = TestDatabases.PostgresAdminConnectionString;
        if (admin is null)
        {
            if (TestDatabases.UnderCi)
            {
                Assert.Fail($"{TestDatabases.PostgresVariable} is not set: scripts/test.sh starts PostgreSQL for these tests.");
            }

            Assert.Ignore($"PostgreSQL not available ({TestDatabases.PostgresVariable} unset); run scripts/test.sh.");
        }

        var name = "cc_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase(new DatabaseOptions { Provider = "postgres", ConnectionString = builder.ToString() }, null, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (_sqliteFile is not null)
        {
            TestDatabases.DeleteSqliteFile(_sqliteFile);
        }

        if (_postgresName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(TestDatabases.PostgresAdminConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
