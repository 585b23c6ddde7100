using System.Globalization;
using System.Net;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Parsing;
using CallCenter.Telephony.Transport;

namespace CallCenter.Telephony.Sip.Registrar;

/// <summary>
/// One registration: an address-of-record bound to a contact (RFC 3261 10.3). A plain record of
/// strings, numbers and times so that it maps to one table row; (<see cref="Aor"/>,
/// <see cref="ContactKey"/>) is its key.
/// </summary>
public sealed record SipBinding
{
    /// <summary>The address-of-record key: the extension, the user part of the To URI ("1001"). This registrar serves one domain.</summary>
    public required string Aor { get; init; }

    /// <summary>The contact's identity within the AOR, e.g. "sip:1001@192.168.1.20:5062;transport=tcp".</summary>
    public required string ContactKey { get; init; }

    /// <summary>"sip" or "sips".</summary>
    public required string ContactScheme { get; init; }

    public string? ContactUser { get; init; }

    public required string ContactHost { get; init; }

    public int? ContactPort { get; init; }

    /// <summary>Lower-case ;transport= of the contact URI, or null.</summary>
    public string? ContactTransport { get; init; }

    /// <summary>Every URI parameter of the contact (;transport, ;line, ;ob ...), escaped and ';'-joined; null when none.</summary>
    public string? ContactUriParameters { get; init; }

    /// <summary>Where the REGISTER came from: "UDP", "TCP", "TLS" or "WS" (a browser's WebSocket, reached only on that connection).</summary>
    public required string SourceTransport { get; init; }

    /// <summary>The source IP address of the REGISTER; behind NAT this, not the contact host, reaches the phone (RFC 3581, RFC 5626 idea).</summary>
    public required string SourceAddress { get; init; }

    public required int SourcePort { get; init; }

    public required string CallId { get; init; }

    /// <summary>The CSeq number of the REGISTER that last changed this binding (RFC 3261 10.3 step 7).</summary>
    public required long CSeq { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The contact's q-value (0 to 1), or null when it gave none.</summary>
    public double? Q { get; init; }

    /// <summary>When the REGISTER that last changed this binding was processed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>
    /// The REGISTER's Path values in order, written as one comma-separated list (RFC 3327 5.3): the
    /// proxies a request to this phone goes through, nearest to us first. Null when it came direct.
    /// </summary>
    public string? Path { get; init; }

    public bool IsActive(DateTimeOffset now) => ExpiresAt > now;

    /// <summary>Whole seconds left, rounded up, never negative: the ;expires= of a 200 OK.</summary>
    public int RemainingSeconds(DateTimeOffset now) =>
        (int)Math.Max(0, Math.Ceiling((ExpiresAt - now).TotalSeconds));

    /// <summary>The contact URI as registered: the Request-URI of a request to this phone.</summary>
    public SipUri ToContactUri() => new()
    {
        Scheme = ContactScheme,
        User = ContactUser,
        Host = ContactHost,
        Port = ContactPort,
        Parameters = ContactKeys.ParseParameters(ContactUriParameters),
    };

    /// <summary>The Contact value of a 200 OK to REGISTER: the URI with ;expires= the remaining seconds (RFC 3261 10.3 step 8).</summary>
    public SipNameAddress ToContact(DateTimeOffset now)
    {
        var contact = new SipNameAddress { Uri = ToContactUri() };
        if (Q is double q)
        {
            contact.Parameters.Set("q", q.ToString("0.###", CultureInfo.InvariantCulture));
        }

        contact.Parameters.Set("expires", RemainingSeconds(now).ToString(CultureInfo.InvariantCulture));
        return contact;
    }

    /// <summary>The stored Path as Route values for a request to this phone (RFC 3327 5.3); empty when none.</summary>
    public IReadOnlyList<SipNameAddress> RouteSet()
    {
        var routes = new List<SipNameAddress>();
        if (string.IsNullOrEmpty(Path))
        {
            return routes;
        }

        var text = Path.AsSpan();
        var i = 0;
        while (i < text.Length && SipNameAddressParser.TryRead(text, ref i, inList: true, SipParserLimits.Default, out var route, out _))
        {
            routes.Add(route);
            while (i < text.Length && text[i] is ' ' or ',')
            {
                i++;
            }
        }

        return routes;
    }

    /// <summary>
    /// Where to send a call to this phone. Through a proxy (a stored Path): the first Path entry,
    /// which the registrar checked is an IP address (RFC 3327 5.3; NAT is the proxy's business). Over TCP: the connection the REGISTER came on (the phone
    /// keeps it open; RFC 5626's idea). Over UDP: the Contact's address when it is an IP literal
    /// (RFC 3261 10.3, the phone said where it listens), otherwise where the REGISTER came from.
    /// </summary>
    public SipRemote ToCallTarget()
    {
        var source = ToSource();
        if (Path is not null)
        {
            return SipNextHop.For(RouteSet(), source);
        }

        if (source.Protocol == SipTransportProtocol.Udp
            && ContactTransport is null or "udp"
            && IPAddress.TryParse(ContactHost.Trim('[', ']'), out var address))
        {
            return new SipRemote(SipTransportProtocol.Udp, new IPEndPoint(address, ContactPort ?? 5060));
        }

        return source;
    }

    /// <summary>Where to send a request for this phone: the address the REGISTER came from, over the same transport.</summary>
    public SipRemote ToSource() => new(
        SourceTransport.ToUpperInvariant() switch
        {
            "TCP" => SipTransportProtocol.Tcp,
            "TLS" => SipTransportProtocol.Tls,
            "WS" or "WSS" => SipTransportProtocol.Ws,
            _ => SipTransportProtocol.Udp,
        },
        new IPEndPoint(IPAddress.Parse(SourceAddress), SourcePort));
}
