using System.Net;
using System.Net.Sockets;

namespace CallCenter.Telephony.Sdp;

/// <summary>
/// Whether an offer's media can be answered from our media address. RTP sockets are bound to one
/// address, so an offer in the other family cannot be answered: sending IPv4 RTP to an IPv6
/// <c>c=</c> line (or writing our IPv4 address in answer to it) is dead air. Such an offer is refused
/// with 488 and this Warning (RFC 3261 21.4.26, 20.43 code 301), never answered in the other family.
/// </summary>
public static class SdpAddressFamily
{
    /// <summary>The Warning header value refusing <paramref name="offer"/>, or null when its family is ours.</summary>
    public static string? Refusal(SdpOffer offer, IPAddress ours)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(ours);
        var offered = Family(offer.Address);
        if (offered == Family(ours))
        {
            return null;
        }

        return offered == AddressFamily.InterNetworkV6
            ? "301 callcenter \"Incompatible network address formats: IPv6 media is not available here, offer c=IN IP4\""
            : "301 callcenter \"Incompatible network address formats: IPv4 media is not available here, offer c=IN IP6\"";
    }

    private static AddressFamily Family(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? AddressFamily.InterNetwork : address.AddressFamily;
}
