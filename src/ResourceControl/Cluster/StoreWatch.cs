using System.Data.Common;
using CallCenter.Data;
using CallCenter.ResourceControl.Hosting;

namespace CallCenter.ResourceControl.Cluster;

/// <summary>
/// A cluster node's look at its shared PostgreSQL (<c>Cluster:Enabled</c> with <c>Database:Provider=postgres</c>):
/// a <c>SELECT 1</c> every second, each given <see cref="Timeout"/>. While it fails the node reports the store lost
/// through <see cref="PlatformReadiness"/> (/health and OPTIONS 503, new INVITEs 503), so the proxy sends new calls to
/// another node; live calls go on (their records are written when the store is back). One node alone keeps taking
/// calls through a database outage, as there is no other node to send them to.
/// </summary>
internal sealed class StoreWatch(DbConnectionFactory factory, PlatformReadiness readiness, ClusterOptions options, TimeProvider time, ILogger<StoreWatch> logger) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private volatile bool _up = true;

    public bool IsUp => _up;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        readiness.Store = () => IsUp;
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, time);
        try
        {
            do
            {
                var up = await ProbeAsync(stoppingToken);
                if (up != _up)
                {
                    _up = up;
                    if (up)
                    {
                        ClusterLog.StoreBack(logger, options.Node);
                    }
                    else
                    {
                        ClusterLog.StoreLost(logger, options.Node);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task<bool> ProbeAsync(CancellationToken stoppingToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        limit.CancelAfter(Timeout);
        try
        {
            await using var connection = await factory.OpenAsync(limit.Token);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            command.CommandTimeout = (int)Timeout.TotalSeconds;
            await command.ExecuteScalarAsync(limit.Token);
            return true;
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested
            && e is DbException or TimeoutException or OperationCanceledException or InvalidOperationException or IOException or System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
