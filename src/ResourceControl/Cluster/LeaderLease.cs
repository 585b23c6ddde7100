using System.Data.Common;
using Medallion.Threading.Postgres;
using Npgsql;

namespace CallCenter.ResourceControl.Cluster;

/// <summary>
/// The cluster's leader lease (<c>Cluster:Enabled</c> on PostgreSQL): a session advisory lock on the shared database,
/// taken through DistributedLock.Postgres on a connection of its own, named <see cref="ApplicationNamePrefix"/> + node id.
/// PostgreSQL grants it to one session at a time, so two nodes never both lead; it is freed when the holder lets go,
/// when its process dies (the server sees the socket close), or when its session is killed. Every node that does not
/// hold it waits for it in turns of <see cref="Wait"/>, so the next one takes it as soon as it is free. The holder runs
/// a no-op query every <see cref="Keepalive"/> on its connection; when that fails it stops leading at once (the lock
/// went with the connection). Who leads is read from the lock itself: <c>pg_locks</c> joined to
/// <c>pg_stat_activity</c> for the holder's application name.
/// </summary>
internal sealed class LeaderLease(CallCenter.Data.DatabaseOptions database, Hosting.ClusterOptions options, ILogger<LeaderLease> logger) : BackgroundService
{
    /// <summary>The lock's key: a bigint advisory lock (in pg_locks: classid 0, objid this, objsubid 1).</summary>
    public const long Key = 0x4343_0019;

    /// <summary>The holder's connection goes by this prefix and its node id, which is how every node learns who leads.</summary>
    public const string ApplicationNamePrefix = "callcenter-lease:";

    /// <summary>How long one attempt waits for the lock before it reads who leads and tries again.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(1);

    /// <summary>How often the holder checks its connection (the lock lives and dies with it).</summary>
    public static readonly TimeSpan Keepalive = TimeSpan.FromSeconds(1);

    /// <summary>How often PostgreSQL checks that the holder's client is still there (client_connection_check_interval).</summary>
    public static readonly TimeSpan ClientCheck = TimeSpan.FromMilliseconds(500);

    private const string WhoLeadsSql =
        """
        SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND l.classid = 0 AND l.objid = @objid AND l.objsubid = 1
        """;

    /// <summary>After giving the lease up (<see cref="StepDown"/>) a node waits this long before it asks again, so another node takes it.</summary>
    public static readonly TimeSpan StepDownPause = TimeSpan.FromSeconds(5);

    private volatile bool _leading;
    private volatile string? _leader;
    private volatile CancellationTokenSource? _term;
    private int _terms;
    private volatile string _stepDownWhy = "";

    /// <summary>
    /// Whether this node may take the lease now (set by the cluster's ACD: not until its node id is confirmed as its
    /// own, so a second process started with the same <c>Cluster:NodeId</c> never leads). Always true by default.
    /// </summary>
    public Func<bool> MayLead { get; set; } = static () => true;

    /// <summary>Counts the times this node took the lease: a new term (the fencing token is bumped for each).</summary>
    public int Term => Volatile.Read(ref _terms);

    /// <summary>Whether this node holds the lease now.</summary>
    public bool IsLeader => _leading;

    /// <summary>The node that holds the lease as last seen (this one while it leads), or null when none does or the database is away.</summary>
    public string? Leader => _leading ? options.Node : _leader;

    /// <summary>Raised (on the lease's own task) when this node starts or stops leading.</summary>
    public event Action<bool>? LeadershipChanged;

    /// <summary>The connection string the lease holds its lock on: the shared database's, unpooled, named for this node.</summary>
    /// <remarks>
    /// While it holds the lock, DistributedLock watches the connection with a long <c>pg_sleep</c> query, and a backend
    /// busy with a query does not notice that its client died: the lock would outlive a killed holder until the sleep
    /// ends (20 s and more, measured). <c>client_connection_check_interval</c> (PostgreSQL 14 and later) makes the
    /// server look at the socket every <see cref="ClientCheck"/> during a query, so a dead holder's session, and its
    /// lock, end within it.
    /// </remarks>
    internal static string LeaseConnectionString(string connectionString, string node)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = ApplicationNamePrefix + node, Pooling = false };
        var check = $"-c client_connection_check_interval={(int)ClientCheck.TotalMilliseconds}";
        builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? check : builder.Options + " " + check;
        return builder.ConnectionString;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = LeaseConnectionString(database.ConnectionString, options.Node);
        var lease = new PostgresDistributedLock(new PostgresAdvisoryLockKey(Key), connectionString, o => o.UseMultiplexing(false).KeepaliveCadence(Keepalive));
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!MayLead())
            {
                await Task.Delay(Wait, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            try
            {
                await using var handle = await lease.TryAcquireAsync(Wait, stoppingToken);
                if (handle is null)
                {
                    _leader = await WhoLeadsAsync(database.ConnectionString, stoppingToken);
                    continue;
                }

                if (await LeadAsync(handle, stoppingToken))
                {
                    // Gave it up (a stalled round, or the node id turned out not to be its own): let another node take it.
                    await handle.DisposeAsync();
                    await Task.Delay(StepDownPause, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException or IOException or System.Net.Sockets.SocketException)
            {
                _leader = null;
                ClusterLog.LeaseUnreachable(logger, options.Node, e.GetType().Name);
                await Task.Delay(Wait, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>
    /// This node gives the lease up now, if it holds it, and does not ask for it again for <see cref="StepDownPause"/>:
    /// a leader whose rounds stall (a slow, not down, PostgreSQL) lets another node route the cluster.
    /// </summary>
    public void StepDown(string why)
    {
        _stepDownWhy = why;
        try
        {
            _term?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The term had just ended.
        }
    }

    // True when this node gave the lease up itself (StepDown), false when it lost it or is stopping.
    private async Task<bool> LeadAsync(PostgresDistributedLockHandle handle, CancellationToken stoppingToken)
    {
        var lost = handle.HandleLostToken;
        using var term = new CancellationTokenSource();
        _term = term;
        Interlocked.Increment(ref _terms);
        SetLeading(true);
        ClusterLog.LeaseTaken(logger, options.Node);
        try
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(lost, stoppingToken, term.Token);
            await Task.Delay(Timeout.InfiniteTimeSpan, either.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        finally
        {
            _term = null;
            SetLeading(false);
            if (stoppingToken.IsCancellationRequested)
            {
                ClusterLog.LeaseReleased(logger, options.Node);
            }
            else if (term.IsCancellationRequested && !lost.IsCancellationRequested)
            {
                ClusterLog.LeaseGivenUp(logger, options.Node, _stepDownWhy, (int)StepDownPause.TotalSeconds);
            }
            else
            {
                ClusterLog.LeaseLost(logger, options.Node);
            }
        }

        return term.IsCancellationRequested && !stoppingToken.IsCancellationRequested;
    }

    private void SetLeading(bool leading)
    {
        _leading = leading;
        _leader = leading ? options.Node : null;
        LeadershipChanged?.Invoke(leading);
    }

    /// <summary>The node whose lease connection holds the lock, or null when none does.</summary>
    internal static async Task<string?> WhoLeadsAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(WhoLeadsSql, connection);
        command.Parameters.AddWithValue("objid", NpgsqlTypes.NpgsqlDbType.Oid, (uint)Key);
        var name = await command.ExecuteScalarAsync(cancellationToken) as string;
        // Only a node's lease connection names itself so; any other holder (a session that took the
        // advisory lock by hand) is no node, and is not shown as one.
        return name is not null && name.StartsWith(ApplicationNamePrefix, StringComparison.Ordinal) ? name[ApplicationNamePrefix.Length..] : null;
    }
}
