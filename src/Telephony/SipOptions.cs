using CallCenter.Telephony.Sip.Auth;
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

    /// <summary>SIP over TLS's port (RFC 3261 26.2.1); it listens only when <see cref="Tls"/> names a certificate.</summary>
    public int TlsPort { get; set; } = 5061;

    /// <summary>The <c>Sip:Tls</c> section: the server certificate for SIP over TLS.</summary>
    public SipTlsOptions Tls { get; set; } = new();

    /// <summary>The digest realm agent phones authenticate in.</summary>
    public string Realm { get; set; } = "callcenter";

    /// <summary>
    /// Digest challenges offered, one WWW-Authenticate each, in this order (RFC 8760). Empty means
    /// the registrar's default, MD5 alone (see <see cref="SipRegistrarOptions.DefaultDigestAlgorithms"/>).
    /// </summary>
    public List<string> DigestAlgorithms { get; set; } = [];

    public int NonceLifetimeSeconds { get; set; } = 300;

    /// <summary>Shortest registration accepted; shorter gets 423 Interval Too Brief (RFC 3261 10.3).</summary>
    public int MinExpires { get; set; } = 60;

    /// <summary>Longest registration granted; longer requests are shortened to this.</summary>
    public int MaxExpires { get; set; } = 3600;

    /// <summary>Concurrent TCP connections accepted; more are refused so a flood cannot exhaust memory.</summary>
    public int MaxTcpConnections { get; set; } = 4096;

    /// <summary>Calls in progress from one address outside the trusted peers (IPv6: one /64); more get 503.</summary>
    public int MaxCallsPerSource { get; set; } = 20;

    /// <summary>New calls a minute from one address outside the trusted peers; more get 503 and leave no record.</summary>
    public int MaxCallAttemptsPerSourcePerMinute { get; set; } = 60;

    /// <summary>
    /// Requests in an answered call's dialogs (but BYE) and desk commands the call may have waiting for its loop;
    /// beyond it a request gets 503 with Retry-After (RFC 3261 21.5.4) and a command "busy", so a flood cannot
    /// hold a receive loop or crowd out the platform's own events.
    /// </summary>
    public int CallMailboxCapacity { get; set; } = 512;

    /// <summary>Concurrent TCP connections from one address (IPv6: one /64); so one host cannot take them all.</summary>
    public int MaxTcpConnectionsPerSource { get; set; } = 32;

    /// <summary>A TCP connection that delivers no message (a CRLF keep-alive counts) for this long is closed.</summary>
    public int TcpIdleSeconds { get; set; } = 600;

    /// <summary>
    /// A message begun on a TCP connection must be complete within this many seconds (64*T1), however
    /// slowly its bytes come: a byte-a-second sender cannot hold a connection open.
    /// </summary>
    public int TcpMessageSeconds { get; set; } = 32;

    /// <summary>Wrong digest passwords one source address may send per <see cref="AuthFailureWindowSeconds"/>; the next one bans it.</summary>
    public int AuthFailuresPerSource { get; set; } = 5;

    /// <summary>
    /// Wrong passwords for one extension per window from addresses that never registered it; beyond
    /// that each such address is banned at its first wrong password (a guesser on many addresses).
    /// </summary>
    public int AuthFailuresPerExtension { get; set; } = 10;

    public int AuthFailureWindowSeconds { get; set; } = 60;

    /// <summary>How long a banned source's REGISTERs are dropped unanswered.</summary>
    public int AuthBanSeconds { get; set; } = 300;

    /// <summary>The most source addresses, extensions and known (address, extension) pairs the limiter remembers, each.</summary>
    public int AuthTrackedMax { get; set; } = 10_000;

    /// <summary>
    /// Addresses or CIDR networks whose caller identity (From, P-Asserted-Identity) is believed: the
    /// carrier's SBC, a SIP proxy in front. Empty: nobody's (every caller is an unknown caller). The
    /// shipped configuration trusts loopback. An entry may hold several, comma-separated.
    /// </summary>
    public List<string> TrustedPeers { get; set; } = [];

    /// <summary>
    /// The key digest nonces are signed with (HMAC over their time and the realm). Nodes behind one
    /// proxy share it, so a REGISTER challenged by one node may answer at another. Empty: a random key
    /// per process (nonces then do not outlive a restart, nor cross to another node). At least 16 characters.
    /// </summary>
    public string NonceSecret { get; set; } = "";

    /// <summary>A SIP URI such as <c>sip:10.0.0.5:5060;lr</c>: calls to agents and trunks go through it. Empty: straight.</summary>
    public string OutboundProxy { get; set; } = "";

    /// <summary>The smallest <see cref="NonceSecret"/> accepted, in UTF-8 bytes.</summary>
    public const int MinNonceSecretBytes = 16;

    /// <summary><see cref="OutboundProxy"/> read; validate first.</summary>
    public Sip.SipOutboundProxy ToOutboundProxy() =>
        Sip.SipOutboundProxy.TryParse(OutboundProxy, out var proxy, out _) ? proxy : Sip.SipOutboundProxy.None;

    /// <summary>Every problem found, each naming its key.</summary>
    public IEnumerable<string> Validate()
    {
        if (NonceSecret.Length > 0 && System.Text.Encoding.UTF8.GetByteCount(NonceSecret) < MinNonceSecretBytes)
        {
            // The value itself is never repeated: it is a secret.
            yield return $"Sip:NonceSecret must be at least {MinNonceSecretBytes} characters (or empty for a random one per process).";
        }

        if (!Sip.SipOutboundProxy.TryParse(OutboundProxy, out _, out var proxyError))
        {
            yield return $"Sip:OutboundProxy: {proxyError}; expected a SIP URI with an IP address such as sip:10.0.0.5:5060;lr, or empty.";
        }

        foreach (var entry in TrustedPeers.SelectMany(e => e.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!Sip.SipTrustedPeers.TryParse(entry, out _))
            {
                yield return $"Sip:TrustedPeers: \"{entry}\" is not an address or a CIDR network (such as 10.0.0.5 or 10.0.0.0/24).";
            }
        }

        if (!System.Net.IPAddress.TryParse(Address, out _))
        {
            yield return $"Sip:Address must be an IP address, not \"{Address}\".";
        }

        if (PublicAddress.Length > 0 && !System.Net.IPAddress.TryParse(PublicAddress, out _))
        {
            yield return $"Sip:PublicAddress must be an IP address or empty, not \"{PublicAddress}\".";
        }

        if (TlsPort is < 0 or > 65535)
        {
            yield return $"Sip:TlsPort must be between 0 and 65535, not {TlsPort}.";
        }

        if (Tls.CertificatePath.Length > 0 && !File.Exists(Tls.CertificatePath))
        {
            yield return $"Sip:Tls:CertificatePath: no file at \"{Tls.CertificatePath}\".";
        }

        if (Port is < 1 or > 65535)
        {
            yield return $"Sip:Port must be between 1 and 65535, not {Port}.";
        }

        if (MaxCallsPerSource is < 1 or > 100_000)
        {
            yield return $"Sip:MaxCallsPerSource must be between 1 and 100000, not {MaxCallsPerSource}.";
        }

        if (MaxCallAttemptsPerSourcePerMinute is < 1 or > 1_000_000)
        {
            yield return $"Sip:MaxCallAttemptsPerSourcePerMinute must be between 1 and 1000000, not {MaxCallAttemptsPerSourcePerMinute}.";
        }

        if (CallMailboxCapacity is < 1 or > 100_000)
        {
            yield return $"Sip:CallMailboxCapacity must be between 1 and 100000, not {CallMailboxCapacity}.";
        }

        if (MaxTcpConnectionsPerSource < 1 || MaxTcpConnectionsPerSource > MaxTcpConnections)
        {
            yield return $"Sip:MaxTcpConnectionsPerSource must be between 1 and Sip:MaxTcpConnections ({MaxTcpConnections}), not {MaxTcpConnectionsPerSource}.";
        }

        if (TcpIdleSeconds is < 10 or > 86400)
        {
            yield return $"Sip:TcpIdleSeconds must be between 10 and 86400, not {TcpIdleSeconds}.";
        }

        if (TcpMessageSeconds < 1 || TcpMessageSeconds > TcpIdleSeconds)
        {
            yield return $"Sip:TcpMessageSeconds must be between 1 and Sip:TcpIdleSeconds ({TcpIdleSeconds}), not {TcpMessageSeconds}.";
        }

        if (NonceLifetimeSeconds is < 10 or > 86400)
        {
            yield return $"Sip:NonceLifetimeSeconds must be between 10 and 86400, not {NonceLifetimeSeconds}.";
        }

        if (MaxTcpConnections < 1)
        {
            yield return $"Sip:MaxTcpConnections must be at least 1, not {MaxTcpConnections}.";
        }

        if (AuthFailuresPerSource < 1)
        {
            yield return $"Sip:AuthFailuresPerSource must be at least 1, not {AuthFailuresPerSource}.";
        }

        if (AuthFailuresPerExtension < 1)
        {
            yield return $"Sip:AuthFailuresPerExtension must be at least 1, not {AuthFailuresPerExtension}.";
        }

        if (AuthFailureWindowSeconds is < 1 or > 86400)
        {
            yield return $"Sip:AuthFailureWindowSeconds must be between 1 and 86400, not {AuthFailureWindowSeconds}.";
        }

        if (AuthBanSeconds is < 0 or > 604800)
        {
            yield return $"Sip:AuthBanSeconds must be between 0 and 604800 (a week), not {AuthBanSeconds}.";
        }

        if (AuthTrackedMax is < 100 or > 10_000_000)
        {
            yield return $"Sip:AuthTrackedMax must be between 100 and 10000000, not {AuthTrackedMax}.";
        }

        // Realm, digest algorithms and expiry bounds: the registrar's own checks, which name the same keys.
        foreach (var error in ToRegistrarOptions().Validate())
        {
            yield return error;
        }
    }

    /// <summary>The digest guessing limits from this section.</summary>
    public SipAuthLimits ToAuthLimits() => new()
    {
        FailuresPerSource = AuthFailuresPerSource,
        FailuresPerExtension = AuthFailuresPerExtension,
        Window = TimeSpan.FromSeconds(AuthFailureWindowSeconds),
        Ban = TimeSpan.FromSeconds(AuthBanSeconds),
        MaxTracked = AuthTrackedMax,
    };

    /// <summary>The registrar's options from this section. The default expiry is an hour, kept within the bounds.</summary>
    public SipRegistrarOptions ToRegistrarOptions() => new()
    {
        Realm = Realm,
        DigestAlgorithms = DigestAlgorithms.Count == 0 ? null : DigestAlgorithms,
        NonceLifetime = TimeSpan.FromSeconds(NonceLifetimeSeconds),
        MinExpires = MinExpires,
        MaxExpires = MaxExpires,
        DefaultExpires = Math.Clamp(3600, MinExpires, Math.Max(MinExpires, MaxExpires)),
        NonceSecret = NonceSecret.Length == 0 ? null : System.Text.Encoding.UTF8.GetBytes(NonceSecret),
    };
}

/// <summary>The <c>Sip:Tls</c> section: a PKCS#12 (.pfx) file with the certificate and its private key.</summary>
public sealed class SipTlsOptions
{
    /// <summary>The .pfx file; empty: no SIP over TLS.</summary>
    public string CertificatePath { get; set; } = "";

    public string CertificatePassword { get; set; } = "";
}
