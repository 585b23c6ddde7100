using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Sip.Parsing;

/// <summary>
/// One via-parm: sent-protocol LWS sent-by *( SEMI via-params ) (RFC 3261 20.42, 25.1), with SWS
/// allowed around '/', ':', ';' and '=' (RFC 4475 3.1.1.1). Any transport token is accepted.
/// </summary>
internal static class SipViaParser
{
    public static bool TryRead(ReadOnlySpan<char> s, ref int i, SipParserLimits limits, [NotNullWhen(true)] out SipVia? via, [NotNullWhen(false)] out string? error)
    {
        via = null;
        var j = SipCharClasses.SkipWhite(s, i);
        if (!TryToken(s, ref j, out var name) || !TrySlash(s, ref j)
            || !TryToken(s, ref j, out var version) || !TrySlash(s, ref j)
            || !TryToken(s, ref j, out var transport))
        {
            error = "Via sent-protocol is malformed";
            return false;
        }

        var hostStart = SipCharClasses.SkipWhite(s, j);
        if (hostStart == j)
        {
            error = "Via has no space before sent-by";
            return false;
        }

        var rest = s[hostStart..];
        if (!SipUriParser.TryReadHostPort(rest, out var host, out var port, out var end, out error))
        {
            error = "Via sent-by: " + error;
            return false;
        }

        j = hostStart + end;
        if (port is null)
        {
            // COLON = SWS ":" SWS
            var k = SipCharClasses.SkipWhite(s, j);
            if (k < s.Length && s[k] == ':')
            {
                k = SipCharClasses.SkipWhite(s, k + 1);
                var digits = k;
                while (k < s.Length && SipCharClasses.IsDigit(s[k]))
                {
                    k++;
                }

                if (k == digits || k - digits > 5 || !int.TryParse(s[digits..k], NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p > 65535)
                {
                    error = "Via port is malformed";
                    return false;
                }

                port = p;
                j = k;
            }
        }

        var protocol = name.Equals("SIP", StringComparison.OrdinalIgnoreCase) && version.SequenceEqual("2.0")
            ? "SIP/2.0"
            : string.Concat(name, "/", version);
        via = new SipVia { Protocol = protocol, Transport = UpperTransport(transport), Host = host, Port = port };
        if (!SipParameterReader.TryRead(s, ref j, via.Parameters, limits, out error))
        {
            via = null;
            return false;
        }

        i = j;
        return true;
    }

    private static string UpperTransport(ReadOnlySpan<char> t)
    {
        if (t.Equals("UDP", StringComparison.OrdinalIgnoreCase))
        {
            return "UDP";
        }

        if (t.Equals("TCP", StringComparison.OrdinalIgnoreCase))
        {
            return "TCP";
        }

        return t.Equals("TLS", StringComparison.OrdinalIgnoreCase) ? "TLS" : t.ToString().ToUpperInvariant();
    }

    private static bool TryToken(ReadOnlySpan<char> s, ref int i, out ReadOnlySpan<char> token)
    {
        var start = i;
        while (i < s.Length && SipCharClasses.IsToken(s[i]))
        {
            i++;
        }

        token = s[start..i];
        return i > start;
    }

    private static bool TrySlash(ReadOnlySpan<char> s, ref int i)
    {
        var j = SipCharClasses.SkipWhite(s, i);
        if (j >= s.Length || s[j] != '/')
        {
            return false;
        }

        i = SipCharClasses.SkipWhite(s, j + 1);
        return true;
    }
}
