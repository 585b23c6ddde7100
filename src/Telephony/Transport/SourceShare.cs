using System.Net;
using System.Net.Sockets;

namespace CallCenter.Telephony.Transport;

/// <summary>
/// Whom a per-source limit counts a peer against: an IPv4 address (also when it arrives IPv4-mapped on
/// a dual-stack socket), or the /64 of an IPv6 one, since a single host is usually handed a whole /64
/// and counting its addresses one by one would let it spray 2^64 of them.
/// </summary>
public static class SourceShare
{
    public static IPAddress Of(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }
}
