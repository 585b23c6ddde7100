using System.Data.Common;
using Npgsql;

namespace CallCenter.ResourceControl.Cluster;

/// <summary>
/// Proof that this process is the only live one with its <c>Cluster:NodeId</c>: a session advisory lock keyed by the id
/// (<see cref="Class"/>, <c>hashtext(node id)</c>), taken on a connection of its own and held for the process's life.
/// PostgreSQL ends a session when its client goes (a process that stops or is killed closes its socket), and the lock
/// with it; so a process restarted with the same id takes the lock at once, while a live twin keeps it. This is what
/// tells a restart's former life (its <c>cluster_nodes</c> row still fresh for up to <see cref="SharedAcd.Alive"/>)
/// from a second live process: only the latter still holds the lock.
/// </summary>
/// <remarks>
/// The connection is checked every <see cref="Check"/> (a no-op query): a session that ended (PostgreSQL restarted, the
/// network broke) took the lock with it, so the lock is asked for again on a new connection, and a twin may win it then.
/// A machine that vanishes without closing its socket leaves its session (and lock) until TCP keep-alives end it; the
/// id is then still taken once its row is stale (<see cref="SharedAcdStore.ClaimNodeAsync"/>), as before this lock.
/// </remarks>
internal sealed class NodeIdLock(CallCenter.Data.DatabaseOptions database, Hosting.ClusterOptions options, TimeProvider time) : IAsyncDisposable
{
    /// <summary>The first key of the two-key advisory lock (pg_locks: classid); the second is <c>hashtext</c> of the node id.</summary>
    public const int Class = 0x4343;

    /// <summary>The lock's connection goes by this prefix and the node id.</summary>
    public const string ApplicationNamePrefix = "callcenter-node:";

    /// <summary>How often a held lock's connection is checked.</summary>
    public static readonly TimeSpan Check = TimeSpan.FromSeconds(1);

    private NpgsqlConnection? _connection;
    private bool _holds;
    private long _checkedAt;

    /// <summary>
    /// Whether this process's session holds the node id's lock now: taken if free (tried again on every call while
    /// another session holds it). Throws when PostgreSQL cannot be reached (the connection is opened again next time).
    /// </summary>
    public async Task<bool> HoldAsync(CancellationToken cancellationToken)
    {
        if (_holds && time.GetElapsedTime(_checkedAt) < Check)
        {
            return true;
        }

        try
        {
            if (_connection is null)
            {
                var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = ApplicationNamePrefix + options.Node, Pooling = false };
                _connection = new NpgsqlConnection(builder.ConnectionString);
                await _connection.OpenAsync(cancellationToken);
            }

            await using var command = new NpgsqlCommand(_holds ? "SELECT true" : "SELECT pg_try_advisory_lock(@class, hashtext(@node))", _connection);
            command.Parameters.AddWithValue("class", Class);
            command.Parameters.AddWithValue("node", options.Node);
            _holds = await command.ExecuteScalarAsync(cancellationToken) is true;
            _checkedAt = time.GetTimestamp();
            return _holds;
        }
        catch (OperationCanceledException) when (_connection is { State: System.Data.ConnectionState.Open })
        {
            // Cancelled (the round's deadline) on a session still there: what it holds it still holds.
            throw;
        }
        catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException or IOException or OperationCanceledException)
        {
            // The session (and any lock it held) may be gone: start again on a new connection.
            _holds = false;
            await DisposeConnectionAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _holds = false;
        await DisposeConnectionAsync();
    }

    private async Task DisposeConnectionAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync();
        }
    }
}
