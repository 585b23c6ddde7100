using CallCenter.Telephony.Sip.Registrar;

namespace CallCenter.Telephony;

/// <summary>The <c>Sip</c> section of config/callcenter.json.</summary>
public sealed class SipOptions
{
    public const string Section = "Sip";

    /// <summary>The address the UDP and TCP listeners bind to.</summary>
    public string Address { get; set; } = "0.0.0.0";

    /// <summary>The port for both UDP and TCP.</summary>
    public int Port { get; set; } = 5060;

    /// <summary>
    /// The address written in our Via, Contact and SDP. Empty means: <see cref="Address"/>, or
    /// when that is a wildcard, the address each request arrived on.
    /// </summary>
    public string PublicAddress { get; set; } = "";

    /// <summary>The digest realm agent phones authenticate in.</summary>
    public string Realm { get; set; } = "callcenter";

    /// <summary>
    /// Digest challenges offered, one WWW-Authenticate each, in this order (RFC 8760). Empty means
    /// the registrar's default, SHA-256 then MD5; it starts empty because the binder appends to a list.
    /// </summary>
    public List<string> DigestAlgorithms { get; set; } = [];

    public int NonceLifetimeSeconds { get; set; } = 300;

    /// <summary>Shortest registration accepted; shorter gets 423 Interval Too Brief (RFC 3261 10.3).</summary>
    public int MinExpires { get; set; } = 60;

    /// <summary>Longest registration granted; longer requests are shortened to this.</summary>
    public int MaxExpires { get; set; } = 3600;

    /// <summary>Concurrent TCP connections accepted; more are refused so a flood cannot exhaust memory.</summary>
    public int MaxTcpConnections { get; set; } = 4096;

    /// <summary>Every problem found, each naming its key.</summary>
    public IEnumerable<string> Validate()
    {
        if (!System.Net.IPAddress.TryParse(Address, out _))
        {
            yield return $"Sip:Address must be an IP address, not \"{Address}\".";
        }

        if (PublicAddress.Length > 0 && !System.Net.IPAddress.TryParse(PublicAddress, out _))
        {
            yield return $"Sip:PublicAddress must be an IP address or empty, not \"{PublicAddress}\".";
        }

        if (Port is < 1 or > 65535)
        {
            yield return $"Sip:Port must be between 1 and 65535, not {Port}.";
        }

        if (NonceLifetimeSeconds is < 10 or > 86400)
        {
            yield return $"Sip:NonceLifetimeSeconds must be between 10 and 86400, not {NonceLifetimeSeconds}.";
        }

        if (MaxTcpConnections < 1)
        {
            yield return $"Sip:MaxTcpConnections must be at least 1, not {MaxTcpConnections}.";
        }

        // Realm, digest algorithms and expiry bounds: the registrar's own checks, which name the same keys.
        foreach (var error in ToRegistrarOptions().Validate())
        {
            yield return error;
        }
    }

    /// <summary>The registrar's options from this section. The default expiry is an hour, kept within the bounds.</summary>
    public SipRegistrarOptions ToRegistrarOptions() => new()
    {
        Realm = Realm,
        DigestAlgorithms = DigestAlgorithms.Count == 0 ? null : DigestAlgorithms,
        NonceLifetime = TimeSpan.FromSeconds(NonceLifetimeSeconds),
        MinExpires = MinExpires,
        MaxExpires = MaxExpires,
        DefaultExpires = Math.Clamp(3600, MinExpires, Math.Max(MinExpires, MaxExpires)),
    };
}
