using CallCenter.ResourceControl.Hosting;
using StackExchange.Redis;

namespace CallCenter.ResourceControl.Cluster;

/// <summary>
/// This node's one connection to the cluster's Redis (<c>Cluster:Redis</c>), shared by the SignalR
/// backplane and the wallboard's shared view. It never stops the node: Redis may be down at start or
/// go away later; the client reconnects every second, and meanwhile <see cref="PlatformReadiness"/>
/// reports the node not ready for new calls (/health and OPTIONS 503) while its live calls go on.
/// </summary>
internal sealed class ClusterLink(ClusterOptions options, PlatformReadiness readiness, ILogger<ClusterLink> logger) : IHostedService, IAsyncDisposable
{
    private readonly TaskCompletionSource<IConnectionMultiplexer> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private ConnectionMultiplexer? _redis;

    public bool IsConnected => _redis?.IsConnected == true;

    /// <summary>The connection, once <see cref="StartAsync"/> has made it (connected or still trying).</summary>
    public Task<IConnectionMultiplexer> ConnectionAsync() => _connected.Task;

    /// <summary>
    /// The connection now, made here if <see cref="StartAsync"/> has not run yet: for Data Protection's key ring,
    /// which ASP.NET Core loads from a hosted service of its own that may start before this one.
    /// </summary>
    public IConnectionMultiplexer Connection()
    {
        lock (_gate)
        {
            return _redis ??= Connect();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        readiness.SharedState = () => IsConnected;
        _connected.TrySetResult(Connection());
        return Task.CompletedTask;
    }

    private ConnectionMultiplexer Connect()
    {
        var configuration = ConfigurationOptions.Parse(options.Redis);
        configuration.AbortOnConnectFail = false;
        configuration.ClientName = "callcenter-" + options.Node;
        configuration.ReconnectRetryPolicy = new LinearRetry(1000);
        configuration.ConnectTimeout = 2000;

        // Commands while Redis is away fail at once instead of queueing: a desk push or the
        // wallboard's share is dropped (and logged), never held up behind an outage.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;

        // Synchronous: at most ConnectTimeout when Redis is away (AbortOnConnectFail=false keeps trying behind).
        var redis = ConnectionMultiplexer.Connect(configuration);
        redis.ConnectionFailed += (_, e) => ClusterLog.RedisLost(logger, options.Node, e.EndPoint?.ToString() ?? "?", e.FailureType.ToString());
        redis.ConnectionRestored += (_, e) => ClusterLog.RedisBack(logger, options.Node, e.EndPoint?.ToString() ?? "?");
        if (redis.IsConnected)
        {
            ClusterLog.RedisConnected(logger, options.Node, Endpoints(configuration));
        }
        else
        {
            ClusterLog.RedisUnreachableAtStart(logger, options.Node, Endpoints(configuration));
        }

        return redis;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    private static string Endpoints(ConfigurationOptions configuration) => string.Join(",", configuration.EndPoints.Select(e => e.ToString()));
}
