using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CallCenter.Data;

/// <summary>Opens connections to the configured database.</summary>
public sealed class DbConnectionFactory
{
    private readonly string _connectionString;
    private readonly string _connectionPragmas;
    private volatile bool _walSet;

    // The native connections already set up: a pooled open hands back the same handle with its settings.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> _configured = new();

    public DbConnectionFactory(DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Dialect = SqlDialect.For(options.Provider);
        _connectionString = options.ConnectionString;
        _connectionPragmas = "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;" + (options.SqliteSynchronous == "normal" ? " PRAGMA synchronous=NORMAL;" : "");
        if (Dialect == SqlDialect.Sqlite)
        {
            // An embedded database in a folder that does not exist yet: create the folder.
            var builder = new SqliteConnectionStringBuilder(_connectionString);
            var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (builder.DataSource != ":memory:" && directory is not null)
            {
                Directory.CreateDirectory(directory);
                KeepPrivate(Path.GetFullPath(builder.DataSource));
            }

            builder.Pooling = true;
            builder.DefaultTimeout = 30;
            _connectionString = builder.ToString();
        }
    }

    public SqlDialect Dialect { get; }

    /// <summary>
    /// The database holds agents' HA1s and clients' data: readable and writable by the platform's
    /// user only. A new file is created so before SQLite opens it (SQLite takes an empty file as a
    /// new database, and gives its -wal and -shm files the database file's mode); an existing one,
    /// and its -wal and -shm, are narrowed to that.
    /// </summary>
    private static void KeepPrivate(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        const UnixFileMode owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (!File.Exists(path))
        {
            using var created = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = owner });
        }

        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            if (File.Exists(file) && (File.GetUnixFileMode(file) & ~owner) != 0)
            {
                File.SetUnixFileMode(file, owner);
            }
        }
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        DbConnection connection = Dialect == SqlDialect.Sqlite
            ? new SqliteConnection(_connectionString)
            : new NpgsqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (Dialect == SqlDialect.Sqlite && ((SqliteConnection)connection).Handle is { } handle && !_configured.TryGetValue(handle, out _))
            {
                // busy_timeout waits for a writer instead of failing; it, foreign_keys and synchronous belong
                // to the connection and cost no I/O. WAL (the web API reads while the SIP side writes) is kept
                // in the database file itself: set once, not on every open, where asking for it reads the
                // file's header under a lock each time (a pooled open per call on the call path).
                await using var pragma = connection.CreateCommand();
                pragma.CommandText = _walSet ? _connectionPragmas : "PRAGMA journal_mode=WAL; " + _connectionPragmas;
                await pragma.ExecuteNonQueryAsync(cancellationToken);
                _walSet = true;

                // Once per native connection, not on every pooled open (on the call path, every batch of records and events).
                _configured.AddOrUpdate(handle, handle);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
