using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Outbound;

/// <summary>
/// One SIP trunk (<c>Trunks:N:*</c>): the carrier's SBC, or a Kamailio in front of it, that outbound
/// calls go through. The platform answers its 401/407 with <see cref="Username"/> and
/// <see cref="Password"/> and presents <see cref="CallerId"/> as the calling number.
/// </summary>
internal sealed class TrunkOptions
{
    public const string Section = "Trunks";

    /// <summary>A name for logs and records ("carrier-a").</summary>
    public string Name { get; set; } = "";

    /// <summary>
    /// Where the trunk is: a host and port ("10.0.0.5:5060", "[2001:db8::5]:5060", "sbc.carrier.example:5060"). A host name
    /// is resolved once, at the start (its IPv4 address first); the port is required.
    /// </summary>
    public string Address { get; set; } = "";

    /// <summary><c>udp</c>, <c>tcp</c> or <c>tls</c> (the platform connects to the carrier's TLS port and checks its certificate).</summary>
    public string Transport { get; set; } = "udp";

    /// <summary>
    /// TLS only: a PEM file of the certificate authority (or authorities) the carrier's certificate must be signed by,
    /// in place of the machine's own store (a carrier's private CA). Empty: the machine's store.
    /// </summary>
    public string TlsCaFile { get; set; } = "";

    /// <summary>TLS only: the name the carrier's certificate must carry; empty: the host of <see cref="Address"/> (its name, or its IP address).</summary>
    public string TlsServerName { get; set; } = "";

    /// <summary>
    /// TLS only: the SHA-256 fingerprint of the one certificate trusted for this trunk (hex, colons allowed),
    /// whoever signed it; it replaces the CA and name checks. Empty: not pinned.
    /// </summary>
    public string TlsCertificateSha256 { get; set; } = "";

    /// <summary>Register to the trunk (RFC 3261 10) as <see cref="Username"/>, answering its challenge with <see cref="Password"/>.</summary>
    public bool Register { get; set; }

    /// <summary>The registration's lifetime asked for, in seconds; it is refreshed before the granted one runs out.</summary>
    public int RegisterExpires { get; set; } = 3600;

    /// <summary>The digest user name the carrier gave; empty when the trunk does not challenge.</summary>
    public string Username { get; set; } = "";

    /// <summary>The digest password. Never logged.</summary>
    public string Password { get; set; } = "";

    /// <summary>The calling number presented (From user and P-Asserted-Identity), e.g. the hotline "95500".</summary>
    public string CallerId { get; set; } = "";

    /// <summary>
    /// Seconds an INVITE through this trunk may go without any response at all (not even 100 Trying) before the
    /// trunk counts as down and the next one is tried; 0 waits for the INVITE's own timeout (32 s over UDP).
    /// </summary>
    public int FailoverAfterSeconds { get; set; } = 5;

    /// <summary>
    /// A registered trunk's calls to the platform's Contact (its account name as the user) are for this hotline number;
    /// empty: the number in their To header (the DID).
    /// </summary>
    public string InboundNumber { get; set; } = "";

    /// <summary>
    /// The trunk's configured values, checked: the problems with their keys, or the trunk. A host name in
    /// <see cref="Address"/> is looked up now, with <paramref name="resolve"/> (the system's resolver when null).
    /// </summary>
    public static (Trunk? Trunk, IReadOnlyList<string> Errors) Check(TrunkOptions options, int index, Func<string, IPAddress[]>? resolve = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var key = $"{Section}:{index.ToString(CultureInfo.InvariantCulture)}";
        var errors = new List<string>();
        if (options.Name.Length == 0)
        {
            errors.Add($"{key}:Name: a trunk needs a name");
        }

        var (endPoint, host, addressError) = ResolveAddress(options.Address, resolve ?? Dns.GetHostAddresses);
        if (addressError is not null)
        {
            errors.Add($"{key}:Address: trunk \"{options.Name}\": {addressError}");
        }

        SipTransportProtocol? protocol = options.Transport.ToLowerInvariant() switch
        {
            "udp" => SipTransportProtocol.Udp,
            "tcp" => SipTransportProtocol.Tcp,
            "tls" => SipTransportProtocol.Tls,
            _ => null,
        };
        if (protocol is null)
        {
            errors.Add($"{key}:Transport: \"{options.Transport}\" is not supported for trunks (udp, tcp or tls)");
        }

        var tls = protocol == SipTransportProtocol.Tls && endPoint is not null ? TlsPeer(options, host ?? endPoint.Address.ToString(), key, errors) : null;
        if (protocol is not null and not SipTransportProtocol.Tls
            && (options.TlsCaFile.Length > 0 || options.TlsServerName.Length > 0 || options.TlsCertificateSha256.Length > 0))
        {
            errors.Add($"{key}: TlsCaFile, TlsServerName and TlsCertificateSha256 apply only with Transport=tls");
        }

        if (options.Register && options.Username.Length == 0)
        {
            errors.Add($"{key}:Register: registering to the trunk needs its Username and Password");
        }

        if (options.RegisterExpires is < 60 or > 86400)
        {
            errors.Add($"{key}:RegisterExpires: {options.RegisterExpires.ToString(CultureInfo.InvariantCulture)} is not between 60 and 86400 seconds");
        }

        if (options.InboundNumber.Length > 0 && (!options.Register || options.InboundNumber.Length > 32 || !options.InboundNumber.All(char.IsAsciiDigit)))
        {
            errors.Add($"{key}:InboundNumber: \"{options.InboundNumber}\" must be the digits of a hotline number, for a trunk with Register=true");
        }

        if (options.FailoverAfterSeconds is < 0 or > 32)
        {
            errors.Add($"{key}:FailoverAfterSeconds: {options.FailoverAfterSeconds.ToString(CultureInfo.InvariantCulture)} is not between 0 (off) and 32 seconds");
        }

        if (options.CallerId.Length == 0 || !options.CallerId.All(c => char.IsAsciiDigit(c) || c == '+'))
        {
            errors.Add($"{key}:CallerId: the calling number presented must be digits (\"{options.CallerId}\")");
        }

        if (options.Username.Length == 0 != (options.Password.Length == 0))
        {
            errors.Add($"{key}: Username and Password go together");
        }

        return errors.Count > 0
            ? (null, errors)
            : (new Trunk(options.Name, new SipRemote(protocol!.Value, endPoint!), options.Username, options.Password, options.CallerId)
            {
                Tls = tls,
                Register = options.Register,
                RegisterExpires = options.RegisterExpires,
                FailoverAfter = TimeSpan.FromSeconds(options.FailoverAfterSeconds),
                InboundNumber = options.InboundNumber,
                HostName = host,
            }, errors);
    }

    /// <summary>
    /// Where <paramref name="address"/> ("10.0.0.5:5060", "[2001:db8::5]:5060", "sbc.carrier.example:5060") is: its IP end
    /// point, the host name it was given as (null for an IP address), or why it is none. A name is looked up once, here
    /// (at the start): its first IPv4 address, else its first IPv6 one; a name that does not resolve is an error that names it.
    /// </summary>
    internal static (IPEndPoint? EndPoint, string? Host, string? Error) ResolveAddress(string address, Func<string, IPAddress[]> resolve)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(resolve);
        if (IPEndPoint.TryParse(address, out var endPoint) && endPoint.Port != 0)
        {
            return (endPoint, null, null);
        }

        var colon = address.LastIndexOf(':');
        var notHostPort = $"\"{address}\" is not a host or IP address with a port (10.0.0.5:5060, sbc.carrier.example:5060)";
        if (colon <= 0
            || !int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535
            || Uri.CheckHostName(address[..colon]) != UriHostNameType.Dns)
        {
            return (null, null, notHostPort);
        }

        var host = address[..colon];
        IPAddress[] found;
        try
        {
            found = resolve(host);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ArgumentException)
        {
            return (null, host, $"the host name \"{host}\" does not resolve ({e.Message})");
        }

        var chosen = found.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            ?? found.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6);
        return chosen is null
            ? (null, host, $"the host name \"{host}\" resolves to no IP address")
            : (new IPEndPoint(chosen.IsIPv4MappedToIPv6 ? chosen.MapToIPv4() : chosen, port), host, null);
    }

    /// <summary>How a TLS trunk's certificate is checked: the pin, else the CA file's roots (or the machine's) and the name (<paramref name="host"/> by default).</summary>
    private static SipTlsPeer? TlsPeer(TrunkOptions options, string host, string key, List<string> errors)
    {
        var name = options.TlsServerName.Length > 0 ? options.TlsServerName : host;
        if (options.TlsCertificateSha256.Length > 0)
        {
            var pin = SipTlsPeer.Normalize(options.TlsCertificateSha256);
            if (pin.Length != 64)
            {
                errors.Add($"{key}:TlsCertificateSha256: a SHA-256 fingerprint is 64 hex digits");
                return null;
            }

            return new SipTlsPeer(name, null, pin);
        }

        if (options.TlsCaFile.Length == 0)
        {
            return new SipTlsPeer(name);
        }

        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(options.TlsCaFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            errors.Add($"{key}:TlsCaFile: \"{options.TlsCaFile}\" cannot be read as PEM certificates: {e.Message}");
            return null;
        }

        if (roots.Count == 0)
        {
            errors.Add($"{key}:TlsCaFile: \"{options.TlsCaFile}\" holds no certificate");
            return null;
        }

        return new SipTlsPeer(name, roots);
    }
}

/// <summary>A checked trunk: where it is and what the platform says to it.</summary>
internal sealed record Trunk(string Name, SipRemote Remote, string Username, string Password, string CallerId)
{
    public bool HasCredentials => Username.Length > 0;

    /// <summary>How the carrier's certificate is checked (Transport=tls); null otherwise.</summary>
    public SipTlsPeer? Tls { get; init; }

    /// <summary>The host name <see cref="TrunkOptions.Address"/> gave, resolved to <see cref="Remote"/> at the start; null for an IP address.</summary>
    public string? HostName { get; init; }

    /// <summary>The platform registers to the trunk, and how long it asks for.</summary>
    public bool Register { get; init; }

    public int RegisterExpires { get; init; } = 3600;

    /// <summary>How long an INVITE may go unanswered (no provisional either) before the next trunk is tried; zero: off.</summary>
    public TimeSpan FailoverAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The hotline number a registered trunk's calls to our Contact are for; empty: their To header's (<see cref="TrunkInbound"/>).</summary>
    public string InboundNumber { get; init; } = "";

    // The password stays out of logs and dumps.
    public override string ToString() => $"{Name} ({Remote.Protocol} {Remote.EndPoint})";
}
