using System.Net;
using System.Net.Sockets;

namespace CallCenter.AgentDesk.Auth;

/// <summary>
/// The source a sign-in is counted against: the TCP peer's IPv4 address, or the /64 of an IPv6 one (a single
/// host is usually handed a whole /64, so counting single IPv6 addresses would let it spray 2^64 of them).
/// The address is the connection's own, or behind a proxy of Desk:TrustedProxies the client the proxy named (set by
/// the forwarded-headers middleware before this): from anyone else X-Forwarded-For is ignored, so a client cannot
/// choose its source.
/// </summary>
internal static class SignInSource
{
    public const string Unknown = "unknown";

    public static string Of(IPAddress? address)
    {
        if (address is null)
        {
            return Unknown;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }
}
