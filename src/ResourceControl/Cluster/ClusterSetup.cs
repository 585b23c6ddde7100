using CallCenter.AgentDesk.Hubs;
using CallCenter.ResourceControl.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;

namespace CallCenter.ResourceControl.Cluster;

/// <summary>
/// With <c>Cluster:Enabled=true</c>: the Redis link, SignalR's Redis backplane on it, the wallboard's shared view,
/// the Data Protection key ring (desk cookies, anti-forgery tokens) kept in Redis for every node (encrypted to
/// <c>Cluster:KeyRingCertificate</c> when set), and on PostgreSQL
/// the watch that takes the node out of service while the shared database is away.
/// </summary>
internal static class ClusterSetup
{
    /// <summary>The Redis list of the Data Protection keys every node reads and signs with. Secret: whoever reads it can forge a desk cookie, unless the keys are encrypted to <c>Cluster:KeyRingCertificate</c>.</summary>
    public static readonly RedisKey DataProtectionKeys = "callcenter:dataprotection-keys";

    /// <summary>The one application name of every node (the default is the node's install folder, which may differ between machines).</summary>
    public const string ApplicationName = "CallCenter";

    public static void AddCluster(IServiceCollection services, ClusterOptions cluster, CallCenter.Data.DatabaseOptions database)
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

        // Every node accepts every node's nonces (one Sip:NonceSecret): their counts are shared too, or a request
        // sniffed on its way to one node could be replayed at another.
        services.AddSingleton<CallCenter.Telephony.Sip.Auth.ISharedNonceCounts, RedisNonceCounts>();

        // A desk signed in on node 1 is signed in on node 2 (its session row is in the shared database): every node
        // protects and reads cookies and anti-forgery tokens with the one key ring in Redis, not keys of its own.
        var protection = services.AddDataProtection().SetApplicationName(ApplicationName);
        if (cluster.KeyRingCertificate.Length > 0)
        {
            // Each key's secret is written encrypted to the certificate (and read with its private key, which never
            // leaves the node), so a copy of the Redis list is no longer enough to forge a cookie.
            protection.ProtectKeysWithCertificate(cluster.LoadKeyRingCertificate());
        }

        // With the certificate set, a key found in clear in Redis was not written by a node: it is dropped, not trusted.
        var encryptedOnly = cluster.KeyRingCertificate.Length > 0;
        services.AddOptions<KeyManagementOptions>().Configure<ClusterLink, ILoggerFactory>((keys, link, loggers) =>
        {
            IXmlRepository redis = new RedisXmlRepository(() => link.Connection().GetDatabase(), DataProtectionKeys);
            keys.XmlRepository = encryptedOnly
                ? new EncryptedKeysOnly(redis, loggers.CreateLogger(typeof(EncryptedKeysOnly)))
                : redis;
        });

        // On the cluster's shared PostgreSQL: a node that cannot reach it takes no new calls (/health and OPTIONS 503).
        if (database.Provider == "postgres")
        {
            services.AddHostedService<StoreWatch>();

            // One ACD for the cluster: shared agent states (an agent is claimed before any node rings them), every node's
            // waiting callers published, and the leader routing them all with the single-node router. Started before
            // the lease, which it tells not to lead until the node id is confirmed as this process's own.
            services.AddSingleton<SharedAcdStore>();
            services.AddSingleton<NodeIdLock>();
            services.AddSingleton<SharedAcd>();
            services.AddSingleton<Agents.IAgentClaims>(s => s.GetRequiredService<SharedAcd>());
            services.AddHostedService(s => s.GetRequiredService<SharedAcd>());

            // One leader for the cluster, by a PostgreSQL advisory lock: exactly one node holds it; another takes it when the holder dies.
            services.AddSingleton<LeaderLease>();
            services.AddHostedService(s => s.GetRequiredService<LeaderLease>());

            // A phone registered through another node is known here too: its agent can be made available and rung from this node.
            services.AddHostedService<SharedRegistrations>();
        }
    }
}
