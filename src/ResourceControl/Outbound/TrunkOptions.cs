using System.Globalization;
using System.Net;
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

    /// <summary>Where the trunk is: an IP address and port ("10.0.0.5:5060", "[2001:db8::5]:5060").</summary>
    public string Address { get; set; } = "";

    /// <summary><c>udp</c> or <c>tcp</c>.</summary>
    public string Transport { get; set; } = "udp";

    /// <summary>The digest user name the carrier gave; empty when the trunk does not challenge.</summary>
    public string Username { get; set; } = "";

    /// <summary>The digest password. Never logged.</summary>
    public string Password { get; set; } = "";

    /// <summary>The calling number presented (From user and P-Asserted-Identity), e.g. the hotline "95500".</summary>
    public string CallerId { get; set; } = "";

    /// <summary>The trunk's configured values, checked: the problems with their keys, or the trunk.</summary>
    public static (Trunk? Trunk, IReadOnlyList<string> Errors) Check(TrunkOptions options, int index)
    {
        ArgumentNullException.ThrowIfNull(options);
        var key = $"{Section}:{index.ToString(CultureInfo.InvariantCulture)}";
        var errors = new List<string>();
        if (options.Name.Length == 0)
        {
            errors.Add($"{key}:Name: a trunk needs a name");
        }

        if (!IPEndPoint.TryParse(options.Address, out var endPoint) || endPoint.Port == 0)
        {
            errors.Add($"{key}:Address: \"{options.Address}\" is not an IP address with a port (10.0.0.5:5060)");
        }

        SipTransportProtocol? protocol = options.Transport.ToLowerInvariant() switch
        {
            "udp" => SipTransportProtocol.Udp,
            "tcp" => SipTransportProtocol.Tcp,
            _ => null,
        };
        if (protocol is null)
        {
            errors.Add($"{key}:Transport: \"{options.Transport}\" is not supported for trunks (udp or tcp; tls is not built yet)");
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
            : (new Trunk(options.Name, new SipRemote(protocol!.Value, endPoint!), options.Username, options.Password, options.CallerId), errors);
    }
}

/// <summary>A checked trunk: where it is and what the platform says to it.</summary>
internal sealed record Trunk(string Name, SipRemote Remote, string Username, string Password, string CallerId)
{
    public bool HasCredentials => Username.Length > 0;

    // The password stays out of logs and dumps.
    public override string ToString() => $"{Name} ({Remote.Protocol} {Remote.EndPoint})";
}
