namespace CallCenter.Data;

/// <summary>The <c>Database</c> section of config/callcenter.json.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary><c>sqlite</c> (embedded, the default) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    public string ConnectionString { get; set; } = "Data Source=data/callcenter.db";

    /// <summary>
    /// SQLite's <c>synchronous</c>: <c>full</c> (the default) syncs the log on every commit, so a commit
    /// survives a power cut; <c>normal</c> syncs at checkpoints only, so a commit survives the process
    /// being killed but the last ones may roll back after a power cut or an OS crash. Ignored for PostgreSQL.
    /// </summary>
    public string SqliteSynchronous { get; set; } = "full";

    /// <summary>
    /// Where call records and events the database could not take before a stop are kept until the next start writes them.
    /// Empty (the default): beside the SQLite file (<c>data/callcenter.db-unwritten.jsonl</c>), or
    /// <c>data/unwritten-host-port-database.jsonl</c> for PostgreSQL.
    /// </summary>
    public string? UnwrittenPath { get; set; }

    /// <summary>Null when valid; otherwise a message naming the bad key.</summary>
    public string? Validate()
    {
        if (Provider is not ("sqlite" or "postgres"))
        {
            return $"Database:Provider must be \"sqlite\" or \"postgres\", not \"{Provider}\".";
        }

        if (SqliteSynchronous is not ("full" or "normal"))
        {
            return $"Database:SqliteSynchronous must be \"full\" or \"normal\", not \"{SqliteSynchronous}\".";
        }

        return string.IsNullOrWhiteSpace(ConnectionString) ? "Database:ConnectionString must not be empty." : null;
    }
}
