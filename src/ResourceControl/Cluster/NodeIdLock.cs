using System.Data.Common;
using System.Security.Cryptography;
using Npgsql;

namespace CallCenter.ResourceControl.Cluster;

/// <summary>
/// Proof that this process is the only live one with its <c>Cluster:NodeId</c>: a session advisory lock keyed by the id
/// (<see cref="Class"/>, <c>hashtext(node id)</c>), taken on a connection of its own named for this process
/// (<see cref="ApplicationName"/>: the prefix, this process's <see cref="Instance"/>, the node id). PostgreSQL ends a
/// session when its client goes (a process that stops or is killed closes its socket), and the lock with it; so a
/// process restarted with the same id takes the lock at once, while a live twin keeps it.
/// </summary>
/// <remarks>
/// <para>
/// The lock alone does not tell a process that died from one whose lock session was dropped while it lives on
/// (PostgreSQL restarted, <c>pg_terminate_backend</c>, a network blip): whoever asks first takes the freed lock. So the
/// lock is only half of the proof; <see cref="SharedAcd"/> also looks at the instance named on the id's
/// <c>cluster_nodes</c> row (the last process that held the id) and whether a session of that instance is still
/// connected (<see cref="SharedAcdStore.ClaimNodeAsync"/>), and gives the lock back (<see cref="YieldAsync"/>) when it is.
/// A process that ever found the lock taken by another session (<see cref="Contended"/>) takes the id from another
/// instance only once that instance has had no session for <see cref="SharedAcd.TakeOverGrace"/>, long enough for a
/// live holder to notice its loss and connect again.
/// </para>
/// <para>
/// A held lock's connection is checked every <see cref="Check"/> (a no-op query); the check, the attempt to take the
/// lock and the connection's opening each have <see cref="CheckDeadline"/>: a connection that does not answer by then
/// (half-open: the network went without a word) is given up, as is the lock with it: the round fails at its first
/// step instead of stalling, and the process stops acting as the node until it holds the lock again. The connection has Npgsql's keep-alive
/// query and TCP keep-alives, and asks the server for TCP keep-alives of its own (<see cref="ServerKeepalive"/>), so
/// the server ends the session (and frees the lock) of a machine that vanished without closing its socket within
/// about <see cref="ServerKeepalive"/> × 4 rather than the operating system's two hours.
/// </para>
/// </remarks>
internal sealed class NodeIdLock(CallCenter.Data.DatabaseOptions database, Hosting.ClusterOptions options, TimeProvider time) : IAsyncDisposable
{
    /// <summary>The first key of the two-key advisory lock (pg_locks: classid); the second is <c>hashtext</c> of the node id.</summary>
    public const int Class = 0x4343;

    /// <summary>The lock's connection goes by this prefix, the process's instance, a colon and the node id.</summary>
    /// <remarks>
    /// The instance comes first: PostgreSQL keeps 63 bytes of an application name, so a long node id may be cut, but
    /// the instance, by which other processes look for this one's session, never is.
    /// </remarks>
    public const string ApplicationNamePrefix = "callcenter-node:";

    /// <summary>How often a held lock's connection is checked.</summary>
    public static readonly TimeSpan Check = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long opening the connection, the check or the attempt to take the lock may take before the connection is
    /// given up: well under <see cref="SharedAcd.RoundDeadline"/>, so a connection that stopped answering fails the
    /// round's first step, not the round.
    /// </summary>
    public static readonly TimeSpan CheckDeadline = TimeSpan.FromMilliseconds(1500);

    /// <summary>After giving the lock back (<see cref="YieldAsync"/>) the process does not ask for it for this long, so the live holder takes it back.</summary>
    public static readonly TimeSpan YieldPause = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The idle time and interval of the TCP keep-alives the lock's connection asks for, on both ends; three missed
    /// probes end the connection.
    /// </summary>
    public static readonly TimeSpan ServerKeepalive = TimeSpan.FromSeconds(2);

    private NpgsqlConnection? _connection;
    private bool _holds;
    private long _checkedAt;
    private long? _yieldedAt;

    /// <summary>This process's id among the processes that may hold the node id: random per start.</summary>
    public string Instance { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>The application name of the lock's connection (<see cref="ApplicationNamePrefix"/>, instance, node id).</summary>
    public string ApplicationName => SessionPrefix(Instance) + options.Node;

    /// <summary>
    /// Whether another session held the lock when this process asked for it, or this process gave it back, at any time
    /// since it started: it is then a twin that must not take the id from a live instance that merely lost its session.
    /// </summary>
    public bool Contended { get; private set; }

    /// <summary>The start of every application name of <paramref name="instance"/>'s lock connections.</summary>
    public static string SessionPrefix(string instance) => ApplicationNamePrefix + instance + ":";

    /// <summary>The lock connection's connection string: unpooled, named, with keep-alives and short timeouts.</summary>
    internal static string ConnectionString(string connectionString, string applicationName)
    {
        var keepalive = (int)ServerKeepalive.TotalSeconds;
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            ApplicationName = applicationName,
            Pooling = false,
            Timeout = (int)Math.Ceiling(CheckDeadline.TotalSeconds),
            CommandTimeout = (int)Math.Ceiling(CheckDeadline.TotalSeconds),
            // A cancelled check (its deadline) breaks the connection at once instead of waiting for the server's answer.
            CancellationTimeout = -1,
            KeepAlive = keepalive,
            TcpKeepAlive = true,
            TcpKeepAliveTime = keepalive,
            TcpKeepAliveInterval = keepalive,
        };
        var server = $"-c tcp_keepalives_idle={keepalive} -c tcp_keepalives_interval={keepalive} -c tcp_keepalives_count=3";
        builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? server : builder.Options + " " + server;
        return builder.ConnectionString;
    }

    /// <summary>
    /// Whether this process's session holds the node id's lock now: taken if free (tried again on every call while
    /// another session holds it, save for <see cref="YieldPause"/> after giving it back). Throws when PostgreSQL cannot
    /// be reached or does not answer within <see cref="CheckDeadline"/> (a <see cref="TimeoutException"/>); the lock is
    /// then taken for lost, and the connection opened again next time.
    /// </summary>
    public async Task<bool> HoldAsync(CancellationToken cancellationToken)
    {
        if (_holds && time.GetElapsedTime(_checkedAt) < Check)
        {
            return true;
        }

        if (!_holds && _yieldedAt is { } yielded && time.GetElapsedTime(yielded) < YieldPause)
        {
            return false;
        }

        var connection = _connection ??= new NpgsqlConnection(ConnectionString(database.ConnectionString, ApplicationName));
        using var deadline = new CancellationTokenSource(CheckDeadline, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var step = StepAsync(connection, options.Node, _holds, either.Token);
        try
        {
            // A half-open connection may not even see the cancellation: the step is left behind at the deadline.
            _holds = await step.WaitAsync(either.Token);
            _checkedAt = time.GetTimestamp();
            Contended |= !_holds;
            return _holds;
        }
        catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException or IOException or OperationCanceledException)
        {
            // The session (and any lock it held) may be gone: start again on a new connection.
            _holds = false;
            _connection = null;
            if (step.IsCompleted)
            {
                await connection.DisposeAsync();
            }
            else
            {
                // Left behind: the connection is disposed once its step ends (its failure, if any, observed here).
                _ = step.ContinueWith(
                    left =>
                    {
                        _ = left.Exception;
                        return connection.DisposeAsync().AsTask();
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.None,
                    TaskScheduler.Default).Unwrap();
            }

            if (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"the node id lock's connection did not answer within {CheckDeadline.TotalMilliseconds:F0} ms", e);
            }

            throw;
        }
    }

    /// <summary>
    /// Gives the lock back (its session is closed, which frees it for certain) and does not ask for it again for
    /// <see cref="YieldPause"/>: the instance that held the id is alive and takes it back.
    /// </summary>
    public async Task YieldAsync()
    {
        Contended = true;
        _yieldedAt = time.GetTimestamp();
        _holds = false;
        await DisposeConnectionAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _holds = false;
        await DisposeConnectionAsync();
    }

    private static async Task<bool> StepAsync(NpgsqlConnection connection, string node, bool holds, CancellationToken cancellationToken)
    {
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync(cancellationToken);
        }

        await using var command = new NpgsqlCommand(holds ? "SELECT true" : "SELECT pg_try_advisory_lock(@class, hashtext(@node))", connection);
        command.Parameters.AddWithValue("class", Class);
        command.Parameters.AddWithValue("node", node);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
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
