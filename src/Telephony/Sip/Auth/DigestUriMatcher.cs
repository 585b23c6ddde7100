using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Sip.Auth;

/// <summary>
/// Whether the digest-uri of an Authorization value names the Request-URI (RFC 7616 3.4.6,
/// RFC 2617 3.2.2.5). The comparison is loose on purpose: the same scheme, user, host
/// (case-insensitive) and port, an omitted port counting as the scheme's default; URI
/// parameters and headers are ignored, because phones differ in which of them they repeat in
/// the digest-uri, while the request-digest itself covers the digest-uri string exactly as sent.
/// </summary>
internal static class DigestUriMatcher
{
    public static bool Matches(string digestUri, SipUri requestUri)
    {
        var colon = digestUri.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        var scheme = digestUri[..colon].Trim();
        if (!string.Equals(scheme, requestUri.Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = digestUri[(colon + 1)..];
        if (!requestUri.IsSip)
        {
            // tel: and absolute URIs: compare the part before any parameter, as text.
            var end = rest.IndexOfAny([';', '?']);
            var main = end < 0 ? rest : rest[..end];
            var expected = requestUri.IsTel ? requestUri.User : requestUri.Opaque;
            return expected is not null && string.Equals(Unescape(main), expected, StringComparison.Ordinal);
        }

        string? user = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            // userinfo = user [":" password] "@" (RFC 3261 25.1); '@' cannot occur later in a SIP URI.
            var userInfo = rest[..at];
            var passwordColon = userInfo.IndexOf(':', StringComparison.Ordinal);
            user = Unescape(passwordColon < 0 ? userInfo : userInfo[..passwordColon]);
            rest = rest[(at + 1)..];
        }

        var hostEnd = rest.IndexOfAny([';', '?']);
        var hostPort = hostEnd < 0 ? rest : rest[..hostEnd];
        if (!TrySplitHostPort(hostPort, out var host, out var port))
        {
            return false;
        }

        var defaultPort = requestUri.IsSecure ? 5061 : 5060;
        return string.Equals(user ?? "", requestUri.User ?? "", StringComparison.Ordinal)
            && string.Equals(host, requestUri.Host, StringComparison.OrdinalIgnoreCase)
            && (port ?? defaultPort) == (requestUri.Port ?? defaultPort);
    }

    private static bool TrySplitHostPort(string hostPort, out string host, out int? port)
    {
        port = null;
        host = hostPort;
        int portStart;
        if (hostPort.StartsWith('['))
        {
            var close = hostPort.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            host = hostPort[..(close + 1)];
            portStart = close + 1;
            if (portStart == hostPort.Length)
            {
                return true;
            }

            if (hostPort[portStart] != ':')
            {
                return false;
            }
        }
        else
        {
            portStart = hostPort.IndexOf(':', StringComparison.Ordinal);
            if (portStart < 0)
            {
                return host.Length > 0;
            }

            host = hostPort[..portStart];
        }

        if (!int.TryParse(hostPort.AsSpan(portStart + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p)
            || p > 65535)
        {
            return false;
        }

        port = p;
        return host.Length > 0;
    }

    private static string Unescape(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            return text;
        }
    }
}
