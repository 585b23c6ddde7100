using CallCenter.Telephony.Sip.Auth;
using StackExchange.Redis;

namespace CallCenter.ResourceControl.Cluster;

/// <summary>
/// The digest nonce counts of every node in Redis: one key per nonce holding the highest count any node accepted,
/// set by a script that compares and sets in one step, and gone when the nonce expires. So a REGISTER sniffed on its
/// way to one node and replayed at another is refused there (stale=true), as it would be at the first.
/// </summary>
internal sealed class RedisNonceCounts(Func<Task<IConnectionMultiplexer>> connect) : ISharedNonceCounts
{
    public RedisNonceCounts(ClusterLink link)
        : this(link.ConnectionAsync)
    {
    }

    private const string KeyPrefix = "callcenter:nonce:";

    // KEYS[1] the nonce's key, ARGV[1] the count, ARGV[2] how long to remember it (ms). 1 when the count is new.
    private static readonly LuaScript _use = LuaScript.Prepare(
        """
        local seen = redis.call('GET', @key)
        if seen and tonumber(seen) >= tonumber(@count) then return 0 end
        redis.call('SET', @key, @count, 'PX', @ttl)
        return 1
        """);

    public async Task<bool> TryUseAsync(string nonce, uint count, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var connection = await connect().WaitAsync(cancellationToken);
        // Kept a little past the nonce's expiry: after it, the nonce itself is refused as stale.
        var ttl = (long)Math.Max(1_000, (expiresAt - now).TotalMilliseconds + 5_000);
        var result = await connection.GetDatabase().ScriptEvaluateAsync(_use, new { key = (RedisKey)(KeyPrefix + nonce), count = (long)count, ttl });
        return (long)result == 1;
    }
}
