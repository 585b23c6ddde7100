using CallCenter.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CallCenter.Data.Tests;

/// <summary>
/// A value the database refuses is told from a database that is away or busy: the records' writer sets the first kind of
/// row aside and retries the second, so telling them apart wrongly either loses records or holds them for ever.
/// </summary>
public sealed class DatabaseErrorsTests
{
    [TestCase(19, true, TestName = "SQLite: a constraint (NOT NULL, CHECK, a trigger's RAISE)")]
    [TestCase(19 | (5 << 8), true, TestName = "SQLite: an extended constraint code (NOT NULL)")]
    [TestCase(18, true, TestName = "SQLite: a value too big")]
    [TestCase(20, true, TestName = "SQLite: a type mismatch")]
    [TestCase(5, false, TestName = "SQLite: busy")]
    [TestCase(6, false, TestName = "SQLite: locked")]
    [TestCase(13, false, TestName = "SQLite: the disk is full")]
    [TestCase(10, false, TestName = "SQLite: an I/O error")]
    [TestCase(1, false, TestName = "SQLite: an error such as a missing table")]
    public void SqliteErrors(int code, bool refusal) =>
        Assert.That(DatabaseErrors.IsRefusal(new SqliteException("test", code)), Is.EqualTo(refusal));

    [TestCase("23502", true, TestName = "PostgreSQL: NOT NULL")]
    [TestCase("23514", true, TestName = "PostgreSQL: a check")]
    [TestCase("22021", true, TestName = "PostgreSQL: a character not in the encoding")]
    [TestCase("22003", true, TestName = "PostgreSQL: a number out of range")]
    [TestCase("54000", true, TestName = "PostgreSQL: a program limit (a value too large)")]
    [TestCase("40001", false, TestName = "PostgreSQL: a serialization failure")]
    [TestCase("40P01", false, TestName = "PostgreSQL: a deadlock")]
    [TestCase("57P01", false, TestName = "PostgreSQL: the server shutting down")]
    [TestCase("53100", false, TestName = "PostgreSQL: the disk is full")]
    [TestCase("42P01", false, TestName = "PostgreSQL: a missing table")]
    [TestCase("08006", false, TestName = "PostgreSQL: the connection failed")]
    public void PostgresErrors(string sqlState, bool refusal) =>
        Assert.That(DatabaseErrors.IsRefusal(new PostgresException("test", "ERROR", "ERROR", sqlState)), Is.EqualTo(refusal));

    [Test]
    public void NeitherDatabasesErrorIsARefusal()
    {
        Assert.Multiple(() =>
        {
            Assert.That(DatabaseErrors.IsRefusal(new NpgsqlException("connection refused")), Is.False, "the server is away");
            Assert.That(DatabaseErrors.IsRefusal(new TimeoutException()), Is.False);
            Assert.That(DatabaseErrors.IsRefusal(new InvalidOperationException()), Is.False);
        });
    }
}
