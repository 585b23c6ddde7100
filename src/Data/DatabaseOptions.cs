namespace CallCenter.Data;

/// <summary>The <c>Database</c> section of config/callcenter.json.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary><c>sqlite</c> (embedded, the default) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    public string ConnectionString { get; set; } = "Data Source=data/callcenter.db";

    /// <summary>Null when valid; otherwise a message naming the bad key.</summary>
    public string? Validate()
    {
        if (Provider is not ("sqlite" or "postgres"))
        {
            return $"Database:Provider must be \"sqlite\" or \"postgres\", not \"{Provider}\".";
        }

        return string.IsNullOrWhiteSpace(ConnectionString) ? "Database:ConnectionString must not be empty." : null;
    }
}
