using System.Net;
using CallCenter.Telephony.Transport;

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
    private readonly (IPAddress Address, SipTransportProtocol Protocol)[] _trunks;

    public SipTrustedPeers(IEnumerable<IPNetwork> networks)
        : this(networks, [])
    {
    }

    private SipTrustedPeers(IEnumerable<IPNetwork> networks, IEnumerable<(IPAddress, SipTransportProtocol)> trunks)
    {
        ArgumentNullException.ThrowIfNull(networks);
        _networks = [.. networks];
        _trunks = [.. trunks.Select(t => (Unmapped(t.Item1), t.Item2))];
    }

    public SipTrustedPeers(SipOptions options)
        : this(ParseAll(options?.TrustedPeers ?? throw new ArgumentNullException(nameof(options))))
    {
    }

    /// <summary>
    /// These peers and the trunks <paramref name="trunks"/>: a trunk's host is trusted on the transport it is configured
    /// with only. A TLS trunk's word counts on a TLS connection, whose certificate the platform checked; the same address
    /// over plain UDP is anyone on the LAN writing that source address into a datagram. (A UDP trunk can be forged that
    /// way by its nature: the README says so.)
    /// </summary>
    public SipTrustedPeers With(IEnumerable<(IPAddress Address, SipTransportProtocol Protocol)> trunks) =>
        new(_networks, _trunks.Concat(trunks));

    /// <summary>Whether a request from <paramref name="source"/> is believed on who is calling.</summary>
    public bool IsTrusted(SipRemote source)
    {
        var address = Unmapped(source.EndPoint.Address);
        foreach (var (trunk, protocol) in _trunks)
        {
            if (protocol == source.Protocol && trunk.Equals(address))
            {
                return true;
            }
        }

        return IsTrusted(address);
    }

    /// <summary>Whether the address is in <c>Sip:TrustedPeers</c> (on any transport: the operator listed it).</summary>
    public bool IsTrusted(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        address = Unmapped(address);

        foreach (var network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A dual-stack socket reports an IPv4 peer as ::ffff:a.b.c.d.</summary>
    private static IPAddress Unmapped(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

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
