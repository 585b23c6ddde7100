namespace CallCenter.Telephony.Sip.Messages;

/// <summary>
/// A URI as SIP carries it (RFC 3261 19.1, RFC 3966 for tel). For sip/sips/tel the parts are
/// parsed and %-escapes in user, password, parameters and headers are decoded; for any other
/// scheme (an absoluteURI such as http: or mailto:) only the scheme and the opaque rest are kept.
/// </summary>
public sealed class SipUri
{
    /// <summary>Lower-case scheme: "sip", "sips", "tel", or another absoluteURI scheme.</summary>
    public required string Scheme { get; set; }

    /// <summary>The user part, unescaped (for tel: the telephone-subscriber number). Null when absent.</summary>
    public string? User { get; set; }

    public string? Password { get; set; }

    /// <summary>Host name, IPv4 address, or IPv6 reference with its brackets. Empty for tel and opaque URIs.</summary>
    public string Host { get; set; } = "";

    public int? Port { get; set; }

    /// <summary>uri-parameters (;transport=, ;lr, ;user=phone ...), values unescaped.</summary>
    public SipParameters Parameters { get; init; } = [];

    /// <summary>The ?name=value headers of a sip/sips URI, unescaped, in order.</summary>
    public SipParameters Headers { get; init; } = [];

    /// <summary>Everything after "scheme:" for a scheme this stack does not interpret; null otherwise.</summary>
    public string? Opaque { get; set; }

    public bool IsSip => Scheme is "sip" or "sips";

    public bool IsSecure => Scheme == "sips";

    public bool IsTel => Scheme == "tel";

    /// <summary>The transport named by ;transport=, lower-case, or null.</summary>
    public string? Transport => Parameters.Get("transport")?.ToLowerInvariant();

    /// <summary>The ;lr flag of a loose router (RFC 3261 16.12).</summary>
    public bool LooseRouter => Parameters.Contains("lr");

    public SipUri Clone() => new()
    {
        Scheme = Scheme,
        User = User,
        Password = Password,
        Host = Host,
        Port = Port,
        Parameters = Parameters.Clone(),
        Headers = Headers.Clone(),
        Opaque = Opaque,
    };

    /// <summary>The URI in wire form, re-escaping what needs it (RFC 3261 25.1).</summary>
    public override string ToString() => SipWriter.Write(this);
}
