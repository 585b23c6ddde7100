using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CallCenter.FaxSms.Fax;

/// <summary>
/// <c>Fax:SipHosts</c> read (pure): the hosts a fax may be sent to by SIP URI, each an IP address (any
/// port) or an address and port (<c>192.0.2.10:5060</c>, <c>[2001:db8::5]:5062</c>). A SIP URI names a
/// host and port the platform then sends an INVITE and RTP to; without this list anyone with an API key
/// could make it call any host of the LAN or the Internet (another PBX's gateway, a service on loopback).
/// Empty by default: faxes go to telephone numbers through the trunk, and to the platform's own fax
/// number (<see cref="FaxDestination"/>). Names are not resolved; an entry may hold several, comma-separated.
/// </summary>
public sealed class FaxSipHosts
{
    /// <summary>The key, as reasons name it.</summary>
    public const string Key = "Fax:SipHosts";

    /// <summary>The port of a SIP URI that names none (RFC 3261 19.1.2).</summary>
    public const int DefaultSipPort = 5060;

    private readonly IReadOnlyList<(IPAddress Address, int? Port)> _entries;

    private FaxSipHosts(IReadOnlyList<(IPAddress Address, int? Port)> entries) => _entries = entries;

    /// <summary>No host: every SIP URI but the platform's own is refused.</summary>
    public static FaxSipHosts None { get; } = new([]);

    /// <summary>The list as configured; an entry that is not one (see <see cref="Errors"/>) allows nothing.</summary>
    public static FaxSipHosts Parse(IEnumerable<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var parsed = new List<(IPAddress, int?)>();
        foreach (var entry in Split(entries))
        {
            if (TryParse(entry, out var address, out var port, out _))
            {
                parsed.Add((address, port));
            }
        }

        return parsed.Count == 0 ? None : new FaxSipHosts(parsed);
    }

    /// <summary>Every entry that is not an address or address:port, with the reason, naming the key.</summary>
    public static IEnumerable<string> Errors(IEnumerable<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in Split(entries))
        {
            if (!TryParse(entry, out _, out _, out var error))
            {
                yield return $"{Key}: \"{entry}\" {error}; expected an IP address or address:port such as 192.0.2.10:5060 or [2001:db8::5]:5060.";
            }
        }
    }

    /// <summary>Whether a SIP URI to <paramref name="address"/> and <paramref name="port"/> may be faxed to.</summary>
    public bool Allows(IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        address = Normal(address);
        return _entries.Any(e => e.Address.Equals(address) && (e.Port is null || e.Port == port));
    }

    /// <summary>An IPv4 address written as IPv6 (<c>::ffff:10.0.0.5</c>) is the IPv4 address it carries.</summary>
    public static IPAddress Normal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }

    /// <summary>
    /// An IP address as a SIP URI or an entry writes it: IPv4 dotted (four parts, so "1" is not 0.0.0.1), or
    /// IPv6 (brackets removed by the caller). The unspecified address (which reaches the host itself), multicast and
    /// broadcast are not hosts.
    /// </summary>
    public static bool TryParseAddress(string text, out IPAddress address, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        address = IPAddress.None;
        if (!IPAddress.TryParse(text, out var parsed)
            || (parsed.AddressFamily == AddressFamily.InterNetwork && text.Count(c => c == '.') != 3)
            || (parsed.AddressFamily == AddressFamily.InterNetworkV6 && !text.Contains(':', StringComparison.Ordinal)))
        {
            error = "is not an IP address (names are not resolved)";
            return false;
        }

        parsed = Normal(parsed);
        if (parsed.Equals(IPAddress.Any) || parsed.Equals(IPAddress.IPv6Any) || parsed.Equals(IPAddress.Broadcast)
            || parsed.IsIPv6Multicast || (parsed.AddressFamily == AddressFamily.InterNetwork && parsed.GetAddressBytes()[0] is >= 224 and <= 239))
        {
            error = "is not a host's address (unspecified, multicast or broadcast)";
            return false;
        }

        address = parsed;
        error = null;
        return true;
    }

    private static bool TryParse(string entry, out IPAddress address, out int? port, out string? error)
    {
        port = null;
        string host;
        string? portText = null;
        if (entry.StartsWith('['))
        {
            var close = entry.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < entry.Length && entry[close + 1] != ':'))
            {
                address = IPAddress.None;
                error = "is not an IP address (names are not resolved)";
                return false;
            }

            host = entry[1..close];
            portText = close + 1 < entry.Length ? entry[(close + 2)..] : null;
        }
        else if (entry.Count(c => c == ':') == 1)
        {
            var colon = entry.IndexOf(':', StringComparison.Ordinal);
            host = entry[..colon];
            portText = entry[(colon + 1)..];
        }
        else
        {
            host = entry;
        }

        if (!TryParseAddress(host, out address, out error))
        {
            return false;
        }

        if (portText is not null)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535)
            {
                error = "has a port that is not 1-65535";
                return false;
            }

            port = p;
        }

        return true;
    }

    private static IEnumerable<string> Split(IEnumerable<string> entries) =>
        entries.SelectMany(e => (e ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
