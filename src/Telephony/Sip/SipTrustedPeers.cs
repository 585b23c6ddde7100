using System.Net;

namespace CallCenter.Telephony.Sip;

/// <summary>
/// The peers whose word on who is calling is believed (<c>Sip:TrustedPeers</c>): the carrier's SBC, a
/// Kamailio in front. From anywhere else a From or P-Asserted-Identity is only a claim anyone on the
/// network can make (RFC 3325 9.1: an identity is asserted only within a trust domain), so the
/// platform must not let it pick a client's tier, relationship routing or screen pop.
/// </summary>
public sealed class SipTrustedPeers
{
    private readonly IPNetwork[] _networks;

    public SipTrustedPeers(IEnumerable<IPNetwork> networks)
    {
        ArgumentNullException.ThrowIfNull(networks);
        _networks = [.. networks];
    }

    public SipTrustedPeers(SipOptions options)
        : this(ParseAll(options?.TrustedPeers ?? throw new ArgumentNullException(nameof(options))))
    {
    }

    /// <summary>These peers and the hosts <paramref name="addresses"/> (a trunk's address is trusted).</summary>
    public SipTrustedPeers With(IEnumerable<IPAddress> addresses) =>
        new(_networks.Concat(addresses.Select(a => new IPNetwork(a, a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128))));

    public bool IsTrusted(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);

        // A dual-stack socket reports an IPv4 peer as ::ffff:a.b.c.d.
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An address (a host) or a CIDR network; false for anything else.</summary>
    public static bool TryParse(string entry, out IPNetwork network)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var text = entry.Trim();
        if (IPAddress.TryParse(text, out var address) && !text.Contains('/', StringComparison.Ordinal))
        {
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return IPNetwork.TryParse(text, out network);
    }

    private static IEnumerable<IPNetwork> ParseAll(IEnumerable<string> entries)
    {
        foreach (var entry in entries.SelectMany(e => e.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (TryParse(entry, out var network))
            {
                yield return network;
            }
        }
    }
}
