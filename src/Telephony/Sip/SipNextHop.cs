using System.Diagnostics.CodeAnalysis;
using System.Net;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Transport;

namespace CallCenter.Telephony.Sip;

/// <summary>
/// Where a request goes when it carries a route set: to the first Route's address (RFC 3261 12.2.1.1,
/// 16.12; RFC 3327 5.3 for a Path). This stack does no DNS (RFC 3263): a hop is an IP literal with an
/// optional port and ;transport=, which is how proxies such as Kamailio write their Record-Route and Path.
/// </summary>
public static class SipNextHop
{
    /// <summary>
    /// The address of <paramref name="uri"/>: its IP host, its port (5060, or 5061 for TLS), over its
    /// ;transport= (a sips: URI means TLS). False, with the reason, for a host name or an unknown transport.
    /// </summary>
    public static bool TryResolve(SipUri uri, out SipRemote remote, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(uri);
        remote = default;
        if (!uri.IsSip)
        {
            error = $"{uri.Scheme}: is not a SIP URI";
            return false;
        }

        if (!IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address))
        {
            error = $"\"{uri.Host}\" is not an IP address (this platform does no DNS look-up of SIP hops)";
            return false;
        }

        SipTransportProtocol? protocol = uri.IsSecure ? SipTransportProtocol.Tls : uri.Transport switch
        {
            null or "udp" => SipTransportProtocol.Udp,
            "tcp" => SipTransportProtocol.Tcp,
            "tls" => SipTransportProtocol.Tls,
            _ => null,
        };
        if (protocol is not { } known)
        {
            error = $"transport \"{uri.Transport}\" is not served (udp, tcp or tls)";
            return false;
        }

        var port = uri.Port ?? (known == SipTransportProtocol.Tls ? 5061 : 5060);
        if (port is <= 0 or > 65535)
        {
            error = $"port {port} is out of range";
            return false;
        }

        remote = new SipRemote(known, new IPEndPoint(address, port));
        error = null;
        return true;
    }

    /// <summary>
    /// Where <paramref name="request"/> goes (RFC 3261 8.1.2): with Route headers, to the first Route
    /// when it is a loose router (;lr), else to the Request-URI (a strict router, 12.2.1.1, put it
    /// there); without Route, or when that hop is no IP address, to <paramref name="otherwise"/> (the
    /// address the caller chose: where the phone registered from, or where the peer's request came from).
    /// </summary>
    public static SipRemote ForRequest(SipRequest request, SipRemote otherwise)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Routes.Count == 0)
        {
            return otherwise;
        }

        var hop = request.Routes[0].Uri.LooseRouter ? request.Routes[0].Uri : request.RequestUri;
        return TryResolve(hop, out var remote, out _) ? remote : otherwise;
    }

    /// <summary>
    /// Where a request with <paramref name="routes"/> as its route set goes: the first route's address,
    /// or <paramref name="otherwise"/> when the set is empty or its first hop cannot be resolved.
    /// </summary>
    public static SipRemote For(IReadOnlyList<SipNameAddress> routes, SipRemote otherwise)
    {
        ArgumentNullException.ThrowIfNull(routes);
        return routes.Count > 0 && TryResolve(routes[0].Uri, out var hop, out _) ? hop : otherwise;
    }
}
