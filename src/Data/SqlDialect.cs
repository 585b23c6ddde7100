namespace CallCenter.Data;

/// <summary>
/// The SQL that differs between SQLite and PostgreSQL. Everything else is written once: times are
/// stored as Unix milliseconds (bigint) and upserts use ON CONFLICT, which both understand.
/// </summary>
public sealed class SqlDialect
{
    public static readonly SqlDialect Sqlite = new("sqlite");
    public static readonly SqlDialect Postgres = new("postgres");

    private SqlDialect(string name) => Name = name;

    /// <summary>"sqlite" or "postgres": also the folder of its migrations.</summary>
    public string Name { get; }

    /// <summary>
    /// "column is one of the list @parameter": Dapper expands a list into <c>IN (@p1, @p2, …)</c> for
    /// SQLite but hands Npgsql the list as one array parameter, which PostgreSQL tests with <c>= ANY</c>.
    /// </summary>
    public string InList(string column, string parameter) =>
        this == Postgres ? $"{column} = ANY(@{parameter})" : $"{column} IN @{parameter}";

    public static SqlDialect For(string provider) => provider switch
    {
        "sqlite" => Sqlite,
        "postgres" => Postgres,
        _ => throw new ArgumentException($"Unknown database provider \"{provider}\".", nameof(provider)),
    };
}
