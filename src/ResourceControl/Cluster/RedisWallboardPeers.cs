using System.Text.Json;
using CallCenter.AgentDesk.Hubs;
using CallCenter.ResourceControl.Hosting;
using StackExchange.Redis;

namespace CallCenter.ResourceControl.Cluster;

/// <summary>
/// The wallboard's view shared through Redis: every second each node writes its own view (JSON) into
/// one hash, under its node id, and reads the others'. A view older than <see cref="Alive"/> is a node
/// that stopped or lost Redis, and is left out. Failures are logged once per outage and the node
/// shows its own view meanwhile.
/// </summary>
internal sealed class RedisWallboardPeers(ClusterLink link, ClusterOptions options, TimeProvider time, ILogger<RedisWallboardPeers> logger) : IWallboardPeers
{
    public static readonly RedisKey Key = "callcenter:wallboard";

    public static readonly TimeSpan Alive = TimeSpan.FromSeconds(5);

    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    private int _failing;

    public bool Shares => true;

    public string ViewGroup => DeskEvents.WallboardGroup + "@" + options.Node;

    public async Task ShareAsync(WallboardView local, CancellationToken cancellationToken)
    {
        try
        {
            var redis = (await link.ConnectionAsync().WaitAsync(cancellationToken)).GetDatabase();
            var json = JsonSerializer.Serialize(local, _json);
            await redis.HashSetAsync(Key, options.Node, json);
            await redis.KeyExpireAsync(Key, Alive * 2);
            Volatile.Write(ref _failing, 0);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Failed(e);
        }
    }

    public async Task<IReadOnlyList<WallboardView>> OthersAsync(CancellationToken cancellationToken)
    {
        try
        {
            var redis = (await link.ConnectionAsync().WaitAsync(cancellationToken)).GetDatabase();
            var now = time.GetUtcNow();
            var views = new List<WallboardView>();
            foreach (var entry in await redis.HashGetAllAsync(Key))
            {
                if (entry.Name == options.Node || JsonSerializer.Deserialize<WallboardView>(entry.Value.ToString(), _json) is not { } view)
                {
                    continue;
                }

                if (now - view.At <= Alive)
                {
                    views.Add(view);
                }
            }

            return views;
        }
        catch (Exception e) when (e is RedisException or TimeoutException or JsonException)
        {
            Failed(e);
            return [];
        }
    }

    private void Failed(Exception e)
    {
        if (Interlocked.Exchange(ref _failing, 1) == 0)
        {
            ClusterLog.WallboardShareFailed(logger, e, options.Node);
        }
    }
}
