namespace CallCenter.FaxSms.Fax;

/// <summary>
/// Where a fax may be sent, checked when it is asked for and again before it is dialled (pure): a
/// telephone number that <paramref name="numbers"/> (the host's trunk and dial plan) can dial, the
/// platform's own fax number (a loopback fax, for tests and demos), or a SIP URI whose host is an IP
/// address that <c>Fax:SipHosts</c> lists (<c>sip:95580@192.0.2.10:5060</c>; a URI to the platform's own
/// fax number at its own SIP address needs no entry). A SIP URI to any other host is refused, naming the
/// key: the platform would otherwise call whatever host and port an API user names. A number the trunk
/// cannot dial (no trunk, barred, not a number) is refused with its reason rather than queued to fail later.
/// </summary>
public static class FaxDestination
{
    /// <summary>The reason <paramref name="to"/> cannot be faxed to, or null when it can.</summary>
    public static string? Check(string? to, string ownNumber, FaxSipHosts sipHosts, IFaxNumbers numbers)
    {
        ArgumentNullException.ThrowIfNull(sipHosts);
        ArgumentNullException.ThrowIfNull(numbers);
        if (string.IsNullOrWhiteSpace(to))
        {
            return "\"to\" is required: a telephone number, a SIP URI (sip:number@address) or the platform's own fax number.";
        }

        if (to.Length > 200)
        {
            return "\"to\" is longer than 200 characters.";
        }

        if (IsOwnNumber(to, ownNumber))
        {
            return null;
        }

        if (IsTelephoneNumber(to))
        {
            return numbers.Refusal(to) is { } refused ? $"{to} cannot be faxed: {refused}" : null;
        }

        if (!to.StartsWith("sip:", StringComparison.OrdinalIgnoreCase))
        {
            return $"\"{to}\" is neither a SIP URI (sip:number@address) nor a number.";
        }

        var (user, host, port) = Split(to);
        if (user.Length == 0 || !user.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.' or '_' or '*' or '#'))
        {
            return $"\"{to}\" needs a user part of digits or letters (the number to call).";
        }

        if (!FaxSipHosts.TryParseAddress(host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host, out var address, out var notAddress))
        {
            return $"\"{to}\": the host {notAddress}.";
        }

        if (port is not (null or (> 0 and <= 65535)))
        {
            return $"\"{to}\": the port must be 1-65535.";
        }

        if (numbers.HostRefusal(address) is { } hostRefused)
        {
            return $"\"{to}\": {hostRefused}";
        }

        var dialled = port ?? FaxSipHosts.DefaultSipPort;
        if (sipHosts.Allows(address, dialled) || (IsOwnNumber(user, ownNumber) && numbers.IsPlatform(address, dialled)))
        {
            return null;
        }

        var shown = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]:{dialled}" : $"{address}:{dialled}";
        return $"\"{to}\": {shown} is not on {FaxSipHosts.Key}, the hosts the platform may fax to by SIP URI; "
            + $"fax a telephone number (through the trunk and its dial plan) or ask an administrator to add the host to {FaxSipHosts.Key}.";
    }

    /// <summary>The platform's own fax number, written as it is configured: faxed over loopback SIP, never through a trunk.</summary>
    public static bool IsOwnNumber(string to, string ownNumber) => ownNumber.Length > 0 && to == ownNumber;

    /// <summary>
    /// Written as a telephone number (digits, an optional leading +, the separators people type): the
    /// host's dial plan decides the rest.
    /// </summary>
    public static bool IsTelephoneNumber(string to)
    {
        ArgumentNullException.ThrowIfNull(to);
        return to.Length > 0 && (char.IsAsciiDigit(to[0]) || to[0] == '+')
            && to.Skip(1).All(c => char.IsAsciiDigit(c) || c is ' ' or '-' or '(' or ')' or '.')
            && to.Any(char.IsAsciiDigit);
    }

    /// <summary>The user, host and port of a SIP URI that <see cref="Check"/> accepted (parameters dropped).</summary>
    public static (string User, string Host, int? Port) Split(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var rest = uri[4..];
        var cut = rest.IndexOfAny([';', '?']);
        if (cut >= 0)
        {
            rest = rest[..cut];
        }

        var at = rest.IndexOf('@', StringComparison.Ordinal);
        var user = at < 0 ? "" : rest[..at];
        var hostPort = rest[(at + 1)..];
        string host;
        string? portText = null;
        if (hostPort.StartsWith('['))
        {
            var close = hostPort.IndexOf(']', StringComparison.Ordinal);
            host = close < 0 ? hostPort : hostPort[..(close + 1)];
            portText = close >= 0 && hostPort.Length > close + 1 && hostPort[close + 1] == ':' ? hostPort[(close + 2)..] : null;
        }
        else
        {
            var colon = hostPort.IndexOf(':', StringComparison.Ordinal);
            host = colon < 0 ? hostPort : hostPort[..colon];
            portText = colon < 0 ? null : hostPort[(colon + 1)..];
        }

        int? port = portText is null ? null
            : int.TryParse(portText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p) ? p : -1;
        return (user, host, port);
    }
}
