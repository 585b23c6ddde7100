using System.Security.Cryptography;
using System.Text;
using Dapper;

namespace CallCenter.Data;

/// <summary>
/// Which database this node reads, as a short opaque name: nodes sharing one PostgreSQL database get the
/// same name, nodes with databases of their own get different ones. The wallboard uses it to count what it
/// reads from the database (call lists owed) once per database rather than once per node.
/// PostgreSQL: the server's system identifier (set when the cluster was created, the same through any
/// address or host name) and the database's name. SQLite: the machine's name and the file's full path.
/// Hashed, so the wallboard's browsers learn neither.
/// </summary>
public sealed class StoreIdentity(DbConnectionFactory factory)
{
    private string? _name;

    public async Task<string> NameAsync(CancellationToken cancellationToken = default)
    {
        if (_name is { } known)
        {
            return known;
        }

        await using var connection = await factory.OpenAsync(cancellationToken);
        string raw;
        if (factory.Dialect == SqlDialect.Postgres)
        {
            raw = "postgres:" + await connection.ExecuteScalarAsync<string>(new CommandDefinition(
                "SELECT system_identifier::text || '/' || current_database() FROM pg_control_system()", cancellationToken: cancellationToken));
        }
        else
        {
            var file = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
                "SELECT file FROM pragma_database_list WHERE name = 'main'", cancellationToken: cancellationToken));
            // An in-memory database (no file) is this process's own.
            raw = "sqlite:" + Environment.MachineName + ":" + (string.IsNullOrEmpty(file) ? "memory:" + Guid.NewGuid().ToString("N") : file);
        }

        var name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(raw)))[..16];
        _name = name;
        return name;
    }
}
