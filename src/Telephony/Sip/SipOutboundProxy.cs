using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Parsing;

namespace CallCenter.Telephony.Sip;

/// <summary>
/// <c>Sip:OutboundProxy</c>: the proxy every call we start goes through (RFC 3261 8.1.2), as a
/// pre-loaded Route with ;lr. A phone registered through a proxy (a stored Path) is reached through
/// its Path instead, which already names the proxies between us and it (RFC 3327 5.3).
/// </summary>
public sealed class SipOutboundProxy
{
    private SipOutboundProxy(SipUri? uri) => Uri = uri;

    /// <summary>No outbound proxy: calls go straight to the phone or the trunk.</summary>
    public static SipOutboundProxy None { get; } = new(null);

    /// <summary>The proxy's URI with ;lr, or null when none is configured.</summary>
    public SipUri? Uri { get; }

    /// <summary>
    /// Reads a setting such as <c>sip:10.0.0.5:5060;lr</c>; empty means none. False with the reason when
    /// it is not a SIP URI whose host is an IP address. A URI without ;lr gets it: this platform speaks
    /// to its proxy as a loose router (every proxy in use today is one; strict routing is RFC 2543's).
    /// </summary>
    public static bool TryParse(string? text, out SipOutboundProxy proxy, out string? error)
    {
        proxy = None;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (!SipUriParser.TryParse(text.Trim(), SipParserLimits.Default, out var uri, out var parseError))
        {
            error = $"\"{text}\" is not a SIP URI ({parseError})";
            return false;
        }

        if (!SipNextHop.TryResolve(uri, out _, out var hopError))
        {
            error = $"\"{text}\": {hopError}";
            return false;
        }

        if (uri.User is not null || uri.Headers.Count > 0)
        {
            error = $"\"{text}\" names a user or headers; a proxy's URI is sip:address:port;lr";
            return false;
        }

        if (!uri.LooseRouter)
        {
            uri.Parameters.Add(new("lr", null));
        }

        proxy = new SipOutboundProxy(uri);
        return true;
    }

    /// <summary>
    /// The Route values of a new INVITE: <paramref name="path"/> when the phone registered through
    /// proxies, else the outbound proxy, else none (the request goes straight to its target).
    /// </summary>
    public List<SipNameAddress> RoutesFor(IReadOnlyList<SipNameAddress> path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Count > 0)
        {
            return [.. path.Select(p => p.Clone())];
        }

        return Uri is null ? [] : [new SipNameAddress { Uri = Uri.Clone() }];
    }
}
