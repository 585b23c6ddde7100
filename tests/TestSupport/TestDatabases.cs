namespace CallCenter.TestSupport;

/// <summary>
/// The databases repository tests run on: a fresh SQLite file, and PostgreSQL when
/// scripts/test.sh started one (CALLCENTER_TEST_POSTGRES). Under CI a missing PostgreSQL fails.
/// </summary>
public static class TestDatabases
{
    public const string PostgresVariable = "CALLCENTER_TEST_POSTGRES";

    public static IEnumerable<string> Providers => ["sqlite", "postgres"];

    public static string? PostgresAdminConnectionString => Environment.GetEnvironmentVariable(PostgresVariable);

    public static bool UnderCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string NewSqliteFile() =>
        Path.Combine(Path.GetTempPath(), "callcenter-test-" + Guid.NewGuid().ToString("N") + ".db");

    /// <summary>Removes a test's SQLite file and its WAL and shared-memory files, closing pooled connections to it first.</summary>
    public static void DeleteSqliteFile(string file)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(file + suffix);
        }
    }
}
