using CallCenter.AgentDesk.Hubs;
using CallCenter.ResourceControl.Hosting;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;

namespace CallCenter.ResourceControl.Cluster;

/// <summary>With <c>Cluster:Enabled=true</c>: the Redis link, SignalR's Redis backplane on it, and the wallboard's shared view.</summary>
internal static class ClusterSetup
{
    public static void AddCluster(IServiceCollection services, ClusterOptions cluster)
    {
        if (!cluster.Enabled)
        {
            return;
        }

        services.AddSingleton<ClusterLink>();
        services.AddHostedService(s => s.GetRequiredService<ClusterLink>());

        // Every hub group (an agent's desk, the wallboards) spans the nodes: a pop raised on node 1
        // reaches the agent's browser connected to node 2.
        services.AddSignalR().AddStackExchangeRedis();
        services.AddOptions<RedisOptions>().Configure<ClusterLink>((redis, link) =>
        {
            redis.Configuration.ChannelPrefix = RedisChannel.Literal("callcenter");
            redis.ConnectionFactory = _ => link.ConnectionAsync();
        });
        services.Replace(ServiceDescriptor.Singleton<IWallboardPeers, RedisWallboardPeers>());
    }
}
