using System.Net;

namespace CallCenter.AgentDesk;

/// <summary>The <c>Desk</c> section: the web desk's sign-in session and its guessing limits.</summary>
public sealed class DeskOptions
{
    public const string Section = "Desk";

    /// <summary>A session ends after this many minutes without a request (sliding expiry).</summary>
    public int SessionMinutes { get; set; } = 480;

    /// <summary>Wrong passwords in a row for one login from one source address that lock that login from that address.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked login stays locked (from that address).</summary>
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>Failed sign-ins from one source address (any logins) within <see cref="AddressWindowMinutes"/> that ban the address.</summary>
    public int MaxFailedSignInsPerAddress { get; set; } = 20;

    /// <summary>The window in which an address's failed sign-ins are counted.</summary>
    public int AddressWindowMinutes { get; set; } = 10;

    /// <summary>How long a banned address gets 429 for every sign-in.</summary>
    public int AddressBanMinutes { get; set; } = 15;

    /// <summary>
    /// Reverse proxies (addresses or CIDR networks) whose X-Forwarded-For names the client. Empty (the default): the
    /// header is ignored and the TCP peer is the client, since anyone can write the header.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary><see cref="TrustedProxies"/> parsed; an entry may also hold several, comma-separated.</summary>
    public IReadOnlyList<IPNetwork> TrustedProxyNetworks()
    {
        var networks = new List<IPNetwork>();
        foreach (var entry in Entries())
        {
            if (TryParseNetwork(entry, out var network))
            {
                networks.Add(network);
            }
        }

        return networks;
    }

    public IEnumerable<string> Validate()
    {
        foreach (var entry in Entries())
        {
            if (!TryParseNetwork(entry, out _))
            {
                yield return $"Desk:TrustedProxies: \"{entry}\" is not an address or a CIDR network (such as 10.0.0.5 or 10.0.0.0/24).";
            }
        }

        if (SessionMinutes is < 1 or > 7 * 24 * 60)
        {
            yield return "Desk:SessionMinutes must be between 1 and 10080 (a week).";
        }

        if (MaxFailedSignIns is < 1 or > 100)
        {
            yield return "Desk:MaxFailedSignIns must be between 1 and 100.";
        }

        if (LockoutMinutes is < 1 or > 24 * 60)
        {
            yield return "Desk:LockoutMinutes must be between 1 and 1440 (a day).";
        }

        if (MaxFailedSignInsPerAddress is < 1 or > 10_000)
        {
            yield return "Desk:MaxFailedSignInsPerAddress must be between 1 and 10000.";
        }

        if (AddressWindowMinutes is < 1 or > 24 * 60)
        {
            yield return "Desk:AddressWindowMinutes must be between 1 and 1440 (a day).";
        }

        if (AddressBanMinutes is < 1 or > 24 * 60)
        {
            yield return "Desk:AddressBanMinutes must be between 1 and 1440 (a day).";
        }
    }

    private static bool TryParseNetwork(string text, out IPNetwork network)
    {
        if (IPAddress.TryParse(text, out var address) && !text.Contains('/', StringComparison.Ordinal))
        {
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return IPNetwork.TryParse(text, out network);
    }

    private IEnumerable<string> Entries() =>
        TrustedProxies.SelectMany(e => e.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
