namespace CallCenter.Data.Tests;

/// <summary>The embedded database's settings: WAL in the file, the busy wait and foreign keys on every connection.</summary>
public sealed class DbConnectionFactoryTests
{
    [Test]
    public async Task EveryPooledConnectionWaitsForWritersAndChecksForeignKeysAndTheFileIsWal()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cc-factory-{Guid.NewGuid():N}.db");
        try
        {
            var factory = new DbConnectionFactory(new DatabaseOptions { ConnectionString = $"Data Source={path}" });
            for (var i = 0; i < 3; i++)
            {
                // The second and third opens reuse the pooled handle: the settings must hold there too.
                await using var connection = await factory.OpenAsync();
                Assert.That(await ScalarAsync(connection, "PRAGMA journal_mode"), Is.EqualTo("wal"));
                Assert.That(await ScalarAsync(connection, "PRAGMA busy_timeout"), Is.EqualTo("5000"));
                Assert.That(await ScalarAsync(connection, "PRAGMA foreign_keys"), Is.EqualTo("1"));
                Assert.That(await ScalarAsync(connection, "PRAGMA synchronous"), Is.EqualTo("2"), "FULL unless asked otherwise");
            }

            // A connection the factory did not set up (another process, a tool) sees WAL: it is in the file.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            await using var plain = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
            await plain.OpenAsync();
            Assert.That(await ScalarAsync(plain, "PRAGMA journal_mode"), Is.EqualTo("wal"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    [Test]
    public async Task SynchronousNormalIsSetOnEveryPooledConnectionWhenConfigured()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cc-sync-{Guid.NewGuid():N}.db");
        try
        {
            var factory = new DbConnectionFactory(new DatabaseOptions { ConnectionString = $"Data Source={path}", SqliteSynchronous = "normal" });
            for (var i = 0; i < 3; i++)
            {
                await using var connection = await factory.OpenAsync();
                Assert.That(await ScalarAsync(connection, "PRAGMA synchronous"), Is.EqualTo("1"));
                Assert.That(await ScalarAsync(connection, "PRAGMA journal_mode"), Is.EqualTo("wal"));
            }

            Assert.That(new DatabaseOptions { SqliteSynchronous = "off" }.Validate(), Does.Contain("SqliteSynchronous"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task TheDatabaseAndItsWalAreTheUsersAloneAndAnOpenOneIsNarrowed()
    {
        const UnixFileMode owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var folder = Path.Combine(Path.GetTempPath(), $"cc-private-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var fresh = Path.Combine(folder, "fresh.db");
            var factory = new DbConnectionFactory(new DatabaseOptions { ConnectionString = $"Data Source={fresh}" });
            await using (var connection = await factory.OpenAsync())
            {
                await using var create = connection.CreateCommand();
                create.CommandText = "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);";
                await create.ExecuteNonQueryAsync();
                Assert.That(File.GetUnixFileMode(fresh), Is.EqualTo(owner));
                Assert.That(File.GetUnixFileMode(fresh + "-wal"), Is.EqualTo(owner), "SQLite gives the WAL the database's mode");
            }

            // A database left readable by others (an older version, a copy) is narrowed at start.
            var open = Path.Combine(folder, "open.db");
            await File.WriteAllBytesAsync(open, []);
            File.SetUnixFileMode(open, owner | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            _ = new DbConnectionFactory(new DatabaseOptions { ConnectionString = $"Data Source={open}" });
            Assert.That(File.GetUnixFileMode(open), Is.EqualTo(owner));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<string?> ScalarAsync(System.Data.Common.DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
