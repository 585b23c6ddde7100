using Microsoft.Data.Sqlite;
using Npgsql;

namespace CallCenter.Data;

/// <summary>
/// Tells a database that refuses a value (it will refuse it again, however often it is sent) from one that is away or
/// busy (worth a retry). A writer that batches rows retries the batch on the second kind, and on the first finds and
/// sets aside the row that is refused, so one bad row does not hold every row behind it.
/// </summary>
public static class DatabaseErrors
{
    // SQLite's primary result codes for a value refused: SQLITE_TOOBIG, SQLITE_CONSTRAINT, SQLITE_MISMATCH, SQLITE_RANGE.
    private const int SqliteTooBig = 18;
    private const int SqliteConstraint = 19;
    private const int SqliteMismatch = 20;
    private const int SqliteRange = 25;

    /// <summary>
    /// True for a value the database refuses: SQLite's constraint, type, size and range errors; PostgreSQL's data
    /// exceptions (class 22), integrity constraint violations (23) and program limits (54, a value too large).
    /// False for everything else: the database away, locked, out of space, a table missing.
    /// </summary>
    public static bool IsRefusal(Exception error) => error switch
    {
        SqliteException sqlite => (sqlite.SqliteErrorCode & 0xFF) is SqliteTooBig or SqliteConstraint or SqliteMismatch or SqliteRange,
        PostgresException postgres => postgres.SqlState.StartsWith("22", StringComparison.Ordinal)
            || postgres.SqlState.StartsWith("23", StringComparison.Ordinal)
            || postgres.SqlState.StartsWith("54", StringComparison.Ordinal),
        _ => false,
    };
}
